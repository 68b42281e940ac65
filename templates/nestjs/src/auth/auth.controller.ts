import {
  Body,
  ConflictException,
  Controller,
  HttpCode,
  HttpStatus,
  Ip,
  Logger,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiConsumes, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';

import { afterResponse } from '../common/http/after-response';
import { Consumes } from '../common/http/content-type.guard';
import { Details } from '../common/messages';
import { Documented, OAUTH2_SCHEME } from '../docs/operations';
import { EmailRateLimiter } from '../throttling/email-rate-limiter';
import { AccountEmailService } from '../users/account-email.service';
import { normalizeEmail } from '../users/dto/email';
import { UserDto } from '../users/dto/user.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { AcceptedDto } from './dto/accepted.dto';
import { EmailVerificationDto } from './dto/email-verification.dto';
import { LoginDto } from './dto/login.dto';
import { PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/password-reset.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenDto } from './dto/token.dto';
import { Public } from './public.decorator';

const FORM = 'application/x-www-form-urlencoded';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);

  constructor(
    private readonly auth: AuthService,
    private readonly accountEmail: AccountEmailService,
    private readonly emailLimiter: EmailRateLimiter,
  ) {}

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

  /**
   * The answer is the same whether or not the account exists, and it goes before the
   * address is looked up: the look-up, the link and the mail come after the response.
   */
  @Public()
  @Documented('requestPasswordReset')
  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  async requestPasswordReset(
    @Body() dto: PasswordResetRequestDto,
    @Ip() ip: string,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<AcceptedDto> {
    await this.emailLimiter.hit(ip, dto.email);
    afterResponse(
      response,
      () => this.accountEmail.sendPasswordReset(dto.email),
      (error) => this.logger.error(error),
    );
    return { detail: Details.passwordResetAccepted };
  }

  @Public()
  @Documented('confirmPasswordReset')
  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    return this.accountEmail.confirmPasswordReset(dto.token, dto.new_password);
  }

  @Public()
  @Documented('verifyEmail')
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  verifyEmail(@Body() dto: EmailVerificationDto): Promise<void> {
    return this.accountEmail.verifyEmail(dto.token);
  }

  @ApiOAuth2([], OAUTH2_SCHEME)
  @Documented('resendVerification')
  @Post('verify-email/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  async resendVerification(@CurrentUser() user: User, @Ip() ip: string): Promise<AcceptedDto> {
    if (user.emailVerified) throw new ConflictException(Details.emailAlreadyVerified);
    await this.emailLimiter.hit(ip, user.email);
    await this.accountEmail.sendVerification(user);
    return { detail: Details.verificationResent };
  }
}
