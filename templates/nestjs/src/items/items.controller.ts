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
import { ApiOAuth2, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../auth/current-user.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { ApiUuidParam, UuidPipe } from '../common/validation/uuid.pipe';
import { Documented, OAUTH2_SCHEME } from '../docs/operations';
import type { User } from '../users/user.entity';
import { CreateItemDto } from './dto/create-item.dto';
import { ItemDto, ItemPageDto } from './dto/item.dto';
import { UpdateItemDto } from './dto/update-item.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiOAuth2([], OAUTH2_SCHEME)
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Documented('createItem')
  @Post()
  async createItem(@CurrentUser() user: User, @Body() dto: CreateItemDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.create(user, dto));
  }

  @Documented('listItems')
  @Get()
  async listItems(@CurrentUser() user: User, @Query() query: PageQueryDto): Promise<ItemPageDto> {
    const page = await this.items.list(user, query.limit, query.offset);
    return { ...page, items: page.items.map((item) => ItemDto.from(item)) };
  }

  /** Another user's item is a 404, never a 403: ids don't leak. */
  @Documented('readItem')
  @ApiUuidParam()
  @Get(':id')
  async readItem(@CurrentUser() user: User, @Param('id', UuidPipe) id: string): Promise<ItemDto> {
    return ItemDto.from(await this.items.get(user, id));
  }

  @Documented('updateItem')
  @ApiUuidParam()
  @Patch(':id')
  async updateItem(
    @CurrentUser() user: User,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateItemDto,
  ): Promise<ItemDto> {
    return ItemDto.from(await this.items.update(user, id, dto));
  }

  @Documented('deleteItem')
  @ApiUuidParam()
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  deleteItem(@CurrentUser() user: User, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.items.remove(user, id);
  }
}
