import { createHash, randomBytes } from 'node:crypto';

import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';

import { RefreshToken } from '../auth/refresh-token.entity';
import { Details } from '../common/messages';
import type { Settings } from '../config/settings';
import { AccountMail } from '../mail/account-mail';
import { EmailToken, type EmailTokenPurpose } from './email-token.entity';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersService } from './users.service';

/** A link's token: 32 random bytes, base64url without padding (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, in hex. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The links mailed to users (scaffold's API contract, "Account email"): a password reset
 * link and an email verification link, each single use, for one address, for a while.
 */
@Injectable()
export class AccountEmailService {
  private readonly ttlSeconds: Readonly<Record<EmailTokenPurpose, number>>;

  constructor(
    @InjectRepository(EmailToken) private readonly tokens: Repository<EmailToken>,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly mail: AccountMail,
    config: ConfigService<Settings, true>,
  ) {
    this.ttlSeconds = {
      password_reset: config.get('PASSWORD_RESET_TTL_SECONDS', { infer: true }),
      email_verification: config.get('EMAIL_VERIFICATION_TTL_SECONDS', { infer: true }),
    };
  }

  /**
   * A user's change of their own profile. A new email is unverified until the link
   * mailed to it is opened.
   */
  async updateProfile(
    user: User,
    changes: { email?: string; fullName?: string | null },
  ): Promise<User> {
    const emailChanged = changes.email !== undefined && changes.email !== user.email;
    const updated = await this.users.update(user, {
      ...changes,
      ...(emailChanged && { emailVerified: false }),
    });
    if (emailChanged) await this.sendVerification(updated);
    return updated;
  }

  /** A new verification link to the user's current address (mailed in the background). */
  async sendVerification(user: User): Promise<void> {
    const token = await this.issue(user, 'email_verification');
    this.mail.emailVerification(user.email, token);
  }

  /**
   * A reset link when `email` is an active user's, nothing otherwise. Run after the
   * response has gone (the controller), so that it costs the request nothing either way.
   */
  async sendPasswordReset(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.isActive) return;
    const token = await this.issue(user, 'password_reset');
    this.mail.passwordReset(user.email, token);
  }

  /**
   * Sets the password of the link's user, spends their other reset links, revokes their
   * refresh tokens (every session ends) and marks the address verified (the link proved it).
   */
  async confirmPasswordReset(token: string, newPassword: string): Promise<void> {
    const user = await this.spend(token, 'password_reset');
    const passwordHash = await this.passwords.hash(newPassword);
    const now = new Date();
    await this.tokens.manager.transaction(async (manager) => {
      await manager.update(User, user.id, { passwordHash, emailVerified: true });
      await manager.update(
        EmailToken,
        { userId: user.id, purpose: 'password_reset', usedAt: IsNull() },
        { usedAt: now },
      );
      await manager.update(
        RefreshToken,
        { userId: user.id, revokedAt: IsNull() },
        { revokedAt: now },
      );
    });
  }

  async verifyEmail(token: string): Promise<void> {
    const user = await this.spend(token, 'email_verification');
    await this.tokens.manager.update(User, user.id, { emailVerified: true });
  }

  private async issue(user: User, purpose: EmailTokenPurpose): Promise<string> {
    const token = newLinkToken();
    const now = new Date();
    await this.tokens.insert({
      tokenHash: hashLinkToken(token),
      userId: user.id,
      purpose,
      email: user.email,
      expiresAt: new Date(now.getTime() + this.ttlSeconds[purpose] * 1000),
      createdAt: now,
      usedAt: null,
    });
    return token;
  }

  /**
   * Uses a link: one conditional update (unused, unexpired, of this purpose), so that of
   * two requests with one link only one can succeed. Then the link's user must still be
   * active and still have the address the link was sent to. Else a 400.
   */
  private async spend(token: string, purpose: EmailTokenPurpose): Promise<User> {
    const tokenHash = hashLinkToken(token);
    const now = new Date();
    const result = await this.tokens
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where(
        'token_hash = :tokenHash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now',
        { tokenHash, purpose, now },
      )
      .execute();
    if (!result.affected) throw new BadRequestException(Details.invalidLink);
    const link = await this.tokens.findOneBy({ tokenHash });
    const user = link && (await this.users.findById(link.userId));
    if (!link || !user?.isActive || user.email !== link.email) {
      throw new BadRequestException(Details.invalidLink);
    }
    return user;
  }
}
