import 'reflect-metadata';

import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

export const APP_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Raised for any invalid setting; main.ts prints its one-line message and exits. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * Every setting the service reads, with its default. Validated once at boot by
 * ConfigModule; read elsewhere through `ConfigService<Settings, true>`.
 */
export class Settings {
  @IsIn(APP_ENVS)
  APP_ENV: (typeof APP_ENVS)[number] = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^(sqlite:\/\/\/.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must look like sqlite:///PATH or postgresql://user:pass@host:port/db',
  })
  DATABASE_URL = 'sqlite:///./app.db';

  @IsString()
  JWT_SECRET = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  REFRESH_TOKEN_TTL_SECONDS = 1_209_600;

  @IsString()
  CORS_ORIGINS = '';

  @IsOptional()
  @IsEmail()
  FIRST_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  FIRST_ADMIN_PASSWORD?: string;

  @Matches(/^(0|[1-9]\d*\/(second|minute|hour|day))$/, {
    message: 'LOGIN_RATE_LIMIT must be N/second, N/minute, N/hour, N/day or 0',
  })
  LOGIN_RATE_LIMIT = '5/minute';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value,
  )
  @IsBoolean()
  DOCS_ENABLED = true;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

/** ConfigModule's `validate`: typed settings from raw variables, or a SettingsError. */
export function validateSettings(env: Record<string, unknown>): Settings {
  // An empty value (`CORS_ORIGINS=` in .env) means "use the default".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const settings = plainToInstance(Settings, present, { exposeDefaultValues: true });
  const errors = validateSync(settings, { skipMissingProperties: false });
  if (errors.length > 0) {
    const reasons = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new SettingsError(`invalid settings: ${reasons.join('; ')}`);
  }
  if (settings.APP_ENV === 'production' && Buffer.byteLength(settings.JWT_SECRET) < 32) {
    throw new SettingsError(
      'JWT_SECRET must be set to at least 32 bytes when APP_ENV=production (e.g. openssl rand -hex 32)',
    );
  }
  return settings;
}

/** `LOGIN_RATE_LIMIT` as a throttler window, or null when it is off (`0`). */
export function parseRateLimit(value: string): { limit: number; ttlMs: number } | null {
  if (value === '0') return null;
  const [count, unit] = value.split('/');
  const unitMs = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }[unit];
  return { limit: Number(count), ttlMs: unitMs ?? 60_000 };
}

export function parseCorsOrigins(value: string): string[] {
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}
