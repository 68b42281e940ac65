import {
  parseCorsOrigins,
  parseRateLimit,
  parseSmtpUrl,
  SettingsError,
  validateSettings,
} from './settings';

describe('validateSettings', () => {
  it('applies the defaults and treats empty values as unset', () => {
    const settings = validateSettings({ PORT: '', CORS_ORIGINS: '' });
    expect(settings.PORT).toBe(8000);
    expect(settings.HOST).toBe('0.0.0.0');
    expect(settings.DATABASE_URL).toBe('sqlite:///./app.db');
    expect(settings.DOCS_ENABLED).toBe(true);
    expect(settings.LOGIN_RATE_LIMIT).toBe('5/minute');
    expect(settings).toMatchObject({
      EMAIL_RATE_LIMIT: '5/hour',
      SMTP_URL: undefined,
      MAIL_FROM: 'no-reply@example.com',
      FRONTEND_URL: 'http://localhost:3000',
      PASSWORD_RESET_TTL_SECONDS: 3600,
      EMAIL_VERIFICATION_TTL_SECONDS: 86_400,
      REQUIRE_VERIFIED_EMAIL: false,
    });
  });

  it('reads the mail settings', () => {
    const settings = validateSettings({
      SMTP_URL: 'smtps://mail.example',
      REQUIRE_VERIFIED_EMAIL: 'TRUE',
      PASSWORD_RESET_TTL_SECONDS: '600',
      EMAIL_RATE_LIMIT: '0',
    });
    expect(settings).toMatchObject({
      SMTP_URL: 'smtps://mail.example',
      REQUIRE_VERIFIED_EMAIL: true,
      PASSWORD_RESET_TTL_SECONDS: 600,
      EMAIL_RATE_LIMIT: '0',
    });
  });

  it('converts numbers and booleans', () => {
    const settings = validateSettings({
      PORT: '9000',
      DOCS_ENABLED: 'false',
      ACCESS_TOKEN_TTL_SECONDS: '60',
    });
    expect(settings.PORT).toBe(9000);
    expect(settings.DOCS_ENABLED).toBe(false);
    expect(settings.ACCESS_TOKEN_TTL_SECONDS).toBe(60);
  });

  it.each([
    [{ APP_ENV: 'staging' }, /APP_ENV/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ LOGIN_RATE_LIMIT: '5/week' }, /LOGIN_RATE_LIMIT/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ EMAIL_RATE_LIMIT: '5' }, /EMAIL_RATE_LIMIT/],
    [{ SMTP_URL: 'http://mail.example' }, /SMTP_URL/],
    [{ SMTP_URL: 'mail.example:587' }, /SMTP_URL/],
    [{ FRONTEND_URL: 'app.example' }, /FRONTEND_URL/],
    [{ PASSWORD_RESET_TTL_SECONDS: '0' }, /PASSWORD_RESET_TTL_SECONDS/],
    [{ EMAIL_VERIFICATION_TTL_SECONDS: 'a day' }, /EMAIL_VERIFICATION_TTL_SECONDS/],
  ])('refuses %p in one line', (env, reason) => {
    expect(() => validateSettings(env)).toThrow(SettingsError);
    expect(() => validateSettings(env)).toThrow(reason);
  });

  it('refuses a missing or short JWT_SECRET in production only', () => {
    expect(() => validateSettings({ APP_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => validateSettings({ APP_ENV: 'production', JWT_SECRET: 'x'.repeat(31) })).toThrow(
      SettingsError,
    );
    expect(validateSettings({ APP_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).APP_ENV).toBe(
      'production',
    );
    expect(validateSettings({ APP_ENV: 'development' }).JWT_SECRET).toBe('');
  });
});

describe('parseSmtpUrl', () => {
  it.each([
    ['smtp://mail.example', { host: 'mail.example', port: 587, secure: false }],
    ['smtp://mail.example:25', { host: 'mail.example', port: 25, secure: false }],
    ['smtps://mail.example', { host: 'mail.example', port: 465, secure: true }],
    ['smtps://mail.example:2465/', { host: 'mail.example', port: 2465, secure: true }],
    ['SMTP://[::1]:2525', { host: '::1', port: 2525, secure: false }],
    [
      'smtp://apikey:s3cr%40t%3A%2F@mail.example:587',
      {
        host: 'mail.example',
        port: 587,
        secure: false,
        auth: { user: 'apikey', pass: 's3cr@t:/' },
      },
    ],
    [
      'smtps://me%40example.com@mail.example',
      { host: 'mail.example', port: 465, secure: true, auth: { user: 'me@example.com', pass: '' } },
    ],
  ])('%s', (url, expected) => {
    expect(parseSmtpUrl(url)).toEqual(expected);
  });

  it.each([
    'http://mail.example',
    'smtp:mail.example',
    'smtp://',
    'smtp://mail.example/path',
    'smtp://user:%E0%A4%A@mail.example',
    'not a url',
  ])('refuses %s in one line', (url) => {
    expect(() => parseSmtpUrl(url)).toThrow(SettingsError);
    expect(() => parseSmtpUrl(url)).toThrow(/^SMTP_URL must look like smtp:\/\//);
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['5/minute', { limit: 5, ttlMs: 60_000 }],
    ['10/second', { limit: 10, ttlMs: 1_000 }],
    ['100/hour', { limit: 100, ttlMs: 3_600_000 }],
    ['1000/day', { limit: 1000, ttlMs: 86_400_000 }],
    ['5/hour', { limit: 5, ttlMs: 3_600_000 }],
    ['0', null],
  ])('%s', (value, expected) => {
    expect(parseRateLimit(value)).toEqual(expected);
  });
});

describe('parseCorsOrigins', () => {
  it('splits, trims and drops empty entries', () => {
    expect(parseCorsOrigins(' https://a.example , https://b.example,,')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseCorsOrigins('')).toEqual([]);
  });
});
