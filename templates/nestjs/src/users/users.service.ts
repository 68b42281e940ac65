import { randomUUID } from 'node:crypto';

import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, QueryFailedError, type Repository } from 'typeorm';

import { RefreshToken } from '../auth/refresh-token.entity';
import { Details } from '../common/messages';
import type { Page } from '../common/pagination/page.dto';
import type { Settings } from '../config/settings';
import { lookupBy } from '../database/lookup';
import { normalizeEmail } from './dto/email';
import { PasswordHasher } from './password-hasher';
import { type Role, User } from './user.entity';

export interface NewUser {
  email: string;
  password: string;
  fullName?: string | null;
  role?: Role;
  emailVerified?: boolean;
}

export interface UserChanges {
  email?: string;
  fullName?: string | null;
  role?: Role;
  isActive?: boolean;
  emailVerified?: boolean;
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);
  private readonly byId: (id: string) => Promise<User | null>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordHasher,
    private readonly config: ConfigService<Settings, true>,
  ) {
    this.byId = lookupBy(users, 'id');
  }

  /** FIRST_ADMIN_EMAIL/FIRST_ADMIN_PASSWORD: that user exists as an active admin after start. */
  async onApplicationBootstrap(): Promise<void> {
    const email = normalizeEmail(this.config.get('FIRST_ADMIN_EMAIL', { infer: true }) ?? '');
    const password = this.config.get('FIRST_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    const existing = await this.findByEmail(email);
    if (existing) {
      // Promote, re-enable and mark verified (a row from before email verification was
      // not), but never reset a password someone may have changed.
      if (existing.role !== 'admin' || !existing.isActive || !existing.emailVerified) {
        await this.users.update(existing.id, {
          role: 'admin',
          isActive: true,
          emailVerified: true,
        });
      }
      return;
    }
    try {
      // Its address comes from the operator, not from a sign-up: nothing to verify.
      await this.create({ email, password, role: 'admin', emailVerified: true });
      this.logger.log(`created the first admin ${email}`);
    } catch (error) {
      // Another replica starting at the same time created it first.
      if (!(error instanceof ConflictException)) throw error;
      await this.users.update({ email }, { role: 'admin', isActive: true });
    }
  }

  async create({
    email,
    password,
    fullName = null,
    role = 'user',
    emailVerified = false,
  }: NewUser): Promise<User> {
    if (await this.users.existsBy({ email })) {
      throw new ConflictException(Details.emailTaken);
    }
    const user = this.users.create({
      id: randomUUID(),
      email,
      passwordHash: await this.passwords.hash(password),
      fullName,
      role,
      isActive: true,
      emailVerified,
      createdAt: new Date(),
    });
    return this.saveUnique(user);
  }

  /** The look-up of every signed-in request (JwtAuthGuard), hence lookupBy(). */
  findById(id: string): Promise<User | null> {
    return this.byId(id);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException(Details.userNotFound);
    return user;
  }

  async list(limit: number, offset: number): Promise<Page<User>> {
    const [items, total] = await this.users.findAndCount({
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async update(user: User, changes: UserChanges): Promise<User> {
    if (changes.email !== undefined && changes.email !== user.email) {
      if (await this.users.existsBy({ email: changes.email })) {
        throw new ConflictException(Details.emailTaken);
      }
    }
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    );
    return this.saveUnique(this.users.merge(user, defined));
  }

  /** 400 when the current password is wrong; on success every refresh token of the user is revoked. */
  async changePassword(user: User, currentPassword: string, newPassword: string): Promise<void> {
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw new BadRequestException(Details.currentPasswordIncorrect);
    }
    const passwordHash = await this.passwords.hash(newPassword);
    await this.users.manager.transaction(async (manager) => {
      await manager.update(User, user.id, { passwordHash });
      await manager.update(
        RefreshToken,
        { userId: user.id, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
    });
  }

  /** Their items and refresh tokens go with them (ON DELETE CASCADE). */
  async remove(id: string): Promise<void> {
    const result = await this.users.delete({ id });
    if (!result.affected) throw new NotFoundException(Details.userNotFound);
  }

  private async saveUnique(user: User): Promise<User> {
    try {
      return await this.users.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(Details.emailTaken);
      }
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
