import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { Details } from '../common/messages';
import type { Settings } from '../config/settings';
import { AccountEmailService } from '../users/account-email.service';
import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import type { TokenDto } from './dto/token.dto';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthService {
  private readonly requireVerifiedEmail: boolean;

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokensService,
    private readonly accountEmail: AccountEmailService,
    config: ConfigService<Settings, true>,
  ) {
    this.requireVerifiedEmail = config.get('REQUIRE_VERIFIED_EMAIL', { infer: true });
  }

  /** The new account, and a verification link mailed to it. */
  async register(dto: RegisterDto): Promise<User> {
    const user = await this.users.create({
      email: dto.email,
      password: dto.password,
      fullName: dto.full_name,
    });
    await this.accountEmail.sendVerification(user);
    return user;
  }

  /**
   * Password first (one message for unknown email and wrong password), then the 403s:
   * an inactive user, then (REQUIRE_VERIFIED_EMAIL) an unverified address.
   */
  async login(email: string, password: string): Promise<TokenDto> {
    const user = await this.users.findByEmail(email);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) {
      throw new UnauthorizedException(Details.incorrectCredentials);
    }
    if (!user.isActive) {
      throw new ForbiddenException(Details.accountDeactivated);
    }
    if (this.requireVerifiedEmail && !user.emailVerified) {
      throw new ForbiddenException(Details.emailNotVerified);
    }
    return this.tokens.issuePair(user);
  }

  refresh(refreshToken: string): Promise<TokenDto> {
    return this.tokens.rotate(refreshToken);
  }

  logout(user: User, refreshToken: string): Promise<void> {
    return this.tokens.revokeFor(user, refreshToken);
  }
}
