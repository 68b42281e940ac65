import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';

import { Consumes } from '../common/http/content-type.guard';
import { Documented, OAUTH2_SCHEME } from '../docs/operations';
import { normalizeEmail } from '../users/dto/email';
import { UserDto } from '../users/dto/user.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenDto } from './dto/token.dto';
import { Public } from './public.decorator';

const FORM = 'application/x-www-form-urlencoded';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Documented('register')
  @Post('register')
  async register(@Body() dto: RegisterDto): Promise<UserDto> {
    return UserDto.from(await this.auth.register(dto));
  }

  /** The OAuth2 password grant; every attempt counts against LOGIN_RATE_LIMIT. */
  @Public()
  @Documented('login')
  @UseGuards(ThrottlerGuard)
  @Consumes(FORM)
  @ApiConsumes(FORM)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  login(@Body() dto: LoginDto): Promise<TokenDto> {
    return this.auth.login(normalizeEmail(dto.username), dto.password);
  }

  @Public()
  @Documented('refresh')
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenDto> {
    return this.auth.refresh(dto.refresh_token);
  }

  @ApiOAuth2([], OAUTH2_SCHEME)
  @Documented('logout')
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  logout(@CurrentUser() user: User, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user, dto.refresh_token);
  }
}
