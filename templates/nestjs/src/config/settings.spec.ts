import { parseCorsOrigins, parseRateLimit, SettingsError, validateSettings } from './settings';

describe('validateSettings', () => {
  it('applies the defaults and treats empty values as unset', () => {
    const settings = validateSettings({ PORT: '', CORS_ORIGINS: '' });
    expect(settings.PORT).toBe(8000);
    expect(settings.HOST).toBe('0.0.0.0');
    expect(settings.DATABASE_URL).toBe('sqlite:///./app.db');
    expect(settings.DOCS_ENABLED).toBe(true);
    expect(settings.LOGIN_RATE_LIMIT).toBe('5/minute');
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

describe('parseRateLimit', () => {
  it.each([
    ['5/minute', { limit: 5, ttlMs: 60_000 }],
    ['10/second', { limit: 10, ttlMs: 1_000 }],
    ['100/hour', { limit: 100, ttlMs: 3_600_000 }],
    ['1000/day', { limit: 1000, ttlMs: 86_400_000 }],
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
