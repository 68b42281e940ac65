import { randomUUID } from 'node:crypto';

import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import type { Repository } from 'typeorm';

import { Details } from '../common/messages';
import type { Settings } from '../config/settings';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { TokenDto } from './dto/token.dto';
import { RefreshToken } from './refresh-token.entity';

type TokenType = 'access' | 'refresh';

interface Claims {
  sub: string;
  jti: string;
  type: TokenType;
  exp?: number;
  iat?: number;
}

/**
 * A token issued later than this many seconds from now is refused: replicas' clocks may
 * differ a little, but no token of ours comes from the future (jsonwebtoken does not check).
 */
export const IAT_LEEWAY_SECONDS = 5;

/** Issues and checks the JWT pair; refresh tokens are tracked by `jti` in the database. */
@Injectable()
export class TokensService {
  private readonly accessTtl: number;
  private readonly refreshTtl: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    config: ConfigService<Settings, true>,
  ) {
    this.accessTtl = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    this.refreshTtl = config.get('REFRESH_TOKEN_TTL_SECONDS', { infer: true });
  }

  async issuePair(user: User): Promise<TokenDto> {
    const refreshJti = randomUUID();
    const now = new Date();
    await this.refreshTokens.insert({
      jti: refreshJti,
      userId: user.id,
      expiresAt: new Date(now.getTime() + this.refreshTtl * 1000),
      revokedAt: null,
      createdAt: now,
    });
    const [accessToken, refreshToken] = await Promise.all([
      this.sign(user.id, 'access', randomUUID(), this.accessTtl),
      this.sign(user.id, 'refresh', refreshJti, this.refreshTtl),
    ]);
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: this.accessTtl,
    };
  }

  /** The active user an access token belongs to, or 401. */
  async userForAccessToken(token: string): Promise<User> {
    const claims = await this.verify(token, 'access');
    return this.activeUser(claims.sub);
  }

  /** Single use: the refresh token is revoked and a new pair issued; reuse is a 401. */
  async rotate(refreshToken: string): Promise<TokenDto> {
    const claims = await this.verify(refreshToken, 'refresh');
    const user = await this.activeUser(claims.sub);
    await this.revoke(claims.jti, user.id);
    return this.issuePair(user);
  }

  /** Logout: revokes a refresh token of `user`; anything else is a 401. */
  async revokeFor(user: User, refreshToken: string): Promise<void> {
    const claims = await this.verify(refreshToken, 'refresh');
    await this.revoke(claims.jti, user.id);
  }

  private async revoke(jti: string, userId: string): Promise<void> {
    // Conditional update: of two concurrent uses of one token, exactly one wins.
    const result = await this.refreshTokens
      .createQueryBuilder()
      .update()
      .set({ revokedAt: new Date() })
      .where('jti = :jti AND user_id = :userId AND revoked_at IS NULL AND expires_at > :now', {
        jti,
        userId,
        now: new Date(),
      })
      .execute();
    if (!result.affected) {
      throw new UnauthorizedException(Details.invalidToken);
    }
  }

  private sign(sub: string, type: TokenType, jti: string, ttlSeconds: number): Promise<string> {
    return this.jwt.signAsync({ sub, type }, { jwtid: jti, expiresIn: ttlSeconds });
  }

  private async verify(token: string, type: TokenType): Promise<Claims> {
    let claims: Claims;
    try {
      claims = await this.jwt.verifyAsync<Claims>(token);
    } catch {
      throw new UnauthorizedException(Details.invalidToken);
    }
    // Only tokens shaped like ours: a user id, an id of their own, an expiry, a past issue time.
    if (
      claims.type !== type ||
      typeof claims.sub !== 'string' ||
      !isUUID(claims.sub) ||
      typeof claims.jti !== 'string' ||
      !isUUID(claims.jti) ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.iat > Date.now() / 1000 + IAT_LEEWAY_SECONDS
    ) {
      throw new UnauthorizedException(Details.invalidToken);
    }
    return claims;
  }

  private async activeUser(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user?.isActive) {
      throw new UnauthorizedException(Details.invalidToken);
    }
    return user;
  }
}
