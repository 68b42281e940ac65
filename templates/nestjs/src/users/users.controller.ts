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
import { Roles } from '../auth/roles.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { ApiUuidParam, UuidPipe } from '../common/validation/uuid.pipe';
import { Documented, OAUTH2_SCHEME } from '../docs/operations';
import { ChangePasswordDto } from './dto/change-password.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { AccountEmailService } from './account-email.service';
import { UserDto, UserPageDto } from './dto/user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiOAuth2([], OAUTH2_SCHEME)
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accountEmail: AccountEmailService,
  ) {}

  @Documented('readMe')
  @Get('me')
  readMe(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }

  @Documented('updateMe')
  @Patch('me')
  async updateMe(@CurrentUser() user: User, @Body() dto: UpdateMeDto): Promise<UserDto> {
    const changes = { email: dto.email, fullName: dto.full_name };
    return UserDto.from(await this.accountEmail.updateProfile(user, changes));
  }

  @Documented('changePassword')
  @Post('me/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  changePassword(@CurrentUser() user: User, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.users.changePassword(user, dto.current_password, dto.new_password);
  }

  @Roles('admin')
  @Documented('listUsers')
  @Get()
  async listUsers(@Query() query: PageQueryDto): Promise<UserPageDto> {
    const page = await this.users.list(query.limit, query.offset);
    return { ...page, items: page.items.map((user) => UserDto.from(user)) };
  }

  @Roles('admin')
  @Documented('readUser')
  @ApiUuidParam()
  @Get(':id')
  async readUser(@Param('id', UuidPipe) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Roles('admin')
  @Documented('updateUser')
  @ApiUuidParam()
  @Patch(':id')
  async updateUser(
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    const user = await this.users.get(id);
    const changes = { fullName: dto.full_name, role: dto.role, isActive: dto.is_active };
    return UserDto.from(await this.users.update(user, changes));
  }

  @Roles('admin')
  @Documented('deleteUser')
  @ApiUuidParam()
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  deleteUser(@Param('id', UuidPipe) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
