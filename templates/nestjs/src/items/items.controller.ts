import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../auth/current-user.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { UuidPipe } from '../common/validation/uuid.pipe';
import type { User } from '../users/user.entity';
import { CreateItemDto } from './dto/create-item.dto';
import { ItemDto, ItemPageDto } from './dto/item.dto';
import { UpdateItemDto } from './dto/update-item.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBearerAuth()
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /** Create an item you own. */
  @Post()
  async create(@CurrentUser() user: User, @Body() dto: CreateItemDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.create(user, dto));
  }

  /** Your items (all items for admins), newest first. */
  @Get()
  async list(@CurrentUser() user: User, @Query() query: PageQueryDto): Promise<ItemPageDto> {
    const page = await this.items.list(user, query.limit, query.offset);
    return { ...page, items: page.items.map((item) => ItemDto.from(item)) };
  }

  /** One item; another user's item is a 404. */
  @Get(':id')
  async get(@CurrentUser() user: User, @Param('id', UuidPipe) id: string): Promise<ItemDto> {
    return ItemDto.from(await this.items.get(user, id));
  }

  /** Change an item's title or description. */
  @Patch(':id')
  async update(
    @CurrentUser() user: User,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateItemDto,
  ): Promise<ItemDto> {
    return ItemDto.from(await this.items.update(user, id, dto));
  }

  /** Delete an item. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@CurrentUser() user: User, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.items.remove(user, id);
  }
}
