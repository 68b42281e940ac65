import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';

import { Details } from '../common/messages';
import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import type { TokenDto } from './dto/token.dto';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokensService,
  ) {}

  register(dto: RegisterDto): Promise<User> {
    return this.users.create({ email: dto.email, password: dto.password, fullName: dto.full_name });
  }

  /** Password first (one message for unknown email and wrong password), then the 403 for inactive users. */
  async login(email: string, password: string): Promise<TokenDto> {
    const user = await this.users.findByEmail(email);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) {
      throw new UnauthorizedException(Details.incorrectCredentials);
    }
    if (!user.isActive) {
      throw new ForbiddenException(Details.accountDeactivated);
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
