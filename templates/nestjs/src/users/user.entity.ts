import { Column, Entity, PrimaryColumn } from 'typeorm';

import { timestampType } from '../database/database-url';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 320, unique: true })
  email: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ name: 'full_name', type: 'varchar', length: 200, nullable: true })
  fullName: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: Role;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  /** Set when a link mailed to `email` was opened; cleared when the email changes. */
  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  // Set by the application (millisecond precision on every database).
  @Column({ name: 'created_at', type: timestampType() })
  createdAt: Date;
}
