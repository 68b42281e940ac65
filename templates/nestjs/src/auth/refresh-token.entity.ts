import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { timestampType } from '../database/database-url';
import { User } from '../users/user.entity';

/** One issued refresh token, by its `jti`: single use, revocable, deleted with its user. */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn({ type: 'uuid' })
  jti: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'expires_at', type: timestampType() })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: timestampType(), nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'created_at', type: timestampType() })
  createdAt: Date;
}
