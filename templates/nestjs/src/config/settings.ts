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

/** `true`, `1`, `yes` or `on` (any case) is true; any other text false. */
function ToBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value,
  );
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

  @Matches(/^(0|[1-9]\d*\/(second|minute|hour|day))$/, {
    message: 'EMAIL_RATE_LIMIT must be N/second, N/minute, N/hour, N/day or 0',
  })
  EMAIL_RATE_LIMIT = '5/hour';

  /** Checked by parseSmtpUrl() (validateSettings); empty: mail is logged, not sent. */
  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'no-reply@example.com';

  @Matches(/^https?:\/\/[^\s]+$/, { message: 'FRONTEND_URL must be an http:// or https:// URL' })
  FRONTEND_URL = 'http://localhost:3000';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_TTL_SECONDS = 3600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  EMAIL_VERIFICATION_TTL_SECONDS = 86_400;

  @ToBoolean()
  @IsBoolean()
  REQUIRE_VERIFIED_EMAIL = false;

  @ToBoolean()
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
  if (settings.SMTP_URL !== undefined) parseSmtpUrl(settings.SMTP_URL);
  return settings;
}

/** Where mail goes, from SMTP_URL: what nodemailer's SMTP transport is given. */
export interface SmtpServer {
  host: string;
  port: number;
  /** Implicit TLS (smtps://); otherwise STARTTLS whenever the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
}

const SMTP_URL_FORM = 'SMTP_URL must look like smtp://[user[:pass]@]host[:port] or smtps://...';

/**
 * `smtp://[user[:pass]@]host[:port]` (port 587) or `smtps://...` (implicit TLS, port 465),
 * user and password percent-decoded; anything else is a SettingsError.
 */
export function parseSmtpUrl(value: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(SMTP_URL_FORM);
  }
  const secure = { 'smtp:': false, 'smtps:': true }[url.protocol];
  if (secure === undefined || url.hostname === '' || !['', '/'].includes(url.pathname)) {
    throw new SettingsError(SMTP_URL_FORM);
  }
  let auth: SmtpServer['auth'];
  try {
    if (url.username !== '' || url.password !== '') {
      auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
    }
  } catch {
    throw new SettingsError(`${SMTP_URL_FORM} (with user and password percent-encoded)`);
  }
  return {
    // An IPv6 address is written in brackets in a URL, not in a socket address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    ...(auth && { auth }),
  };
}

/** `LOGIN_RATE_LIMIT` or `EMAIL_RATE_LIMIT` as a throttler window, or null when it is off (`0`). */
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
