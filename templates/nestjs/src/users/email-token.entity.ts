import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { timestampType } from '../database/database-url';
import { User } from './user.entity';

export const EMAIL_TOKEN_PURPOSES = ['password_reset', 'email_verification'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/**
 * A link mailed to a user (password reset, email verification), by the SHA-256 of its
 * token: the token itself is only in the mail. Single use; deleted with its user.
 */
@Entity('email_tokens')
export class EmailToken {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 32 })
  purpose: EmailTokenPurpose;

  /** The address the link was sent to: the link is refused once the user's email differs. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'expires_at', type: timestampType() })
  expiresAt: Date;

  @Column({ name: 'created_at', type: timestampType() })
  createdAt: Date;

  @Column({ name: 'used_at', type: timestampType(), nullable: true })
  usedAt: Date | null;
}
