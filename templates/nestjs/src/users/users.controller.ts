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
import { Roles } from '../auth/roles.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { UuidPipe } from '../common/validation/uuid.pipe';
import { ChangePasswordDto } from './dto/change-password.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto, UserPageDto } from './dto/user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Your account. */
  @Get('me')
  me(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }

  /** Change your name or email (409 when the email is taken). */
  @Patch('me')
  async updateMe(@CurrentUser() user: User, @Body() dto: UpdateMeDto): Promise<UserDto> {
    return UserDto.from(
      await this.users.update(user, { email: dto.email, fullName: dto.full_name }),
    );
  }

  /** Change your password; signs out your other sessions. */
  @Post('me/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  changePassword(@CurrentUser() user: User, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.users.changePassword(user, dto.current_password, dto.new_password);
  }

  /** Every user, newest first (admins). */
  @Roles('admin')
  @Get()
  async list(@Query() query: PageQueryDto): Promise<UserPageDto> {
    const page = await this.users.list(query.limit, query.offset);
    return { ...page, items: page.items.map((user) => UserDto.from(user)) };
  }

  /** One user (admins). */
  @Roles('admin')
  @Get(':id')
  async get(@Param('id', UuidPipe) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  /** Change a user's name, role or active flag (admins). */
  @Roles('admin')
  @Patch(':id')
  async update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    const user = await this.users.get(id);
    const changes = { fullName: dto.full_name, role: dto.role, isActive: dto.is_active };
    return UserDto.from(await this.users.update(user, changes));
  }

  /** Delete a user with their items and tokens (admins). */
  @Roles('admin')
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', UuidPipe) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
