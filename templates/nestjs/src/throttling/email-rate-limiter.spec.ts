import { EmailRateLimiter, TooManyRequestsException } from './email-rate-limiter';
import { MemoryWindowStorage } from './fixed-window.storage';

describe('EmailRateLimiter', () => {
  const storage = new MemoryWindowStorage();
  afterAll(() => storage.onApplicationShutdown());

  it('counts per client and per target address; both must be within the limit', async () => {
    const limiter = new EmailRateLimiter(storage, { limit: 2, ttlMs: 60_000 });
    await limiter.hit('10.0.0.1', 'a@example.com');
    await limiter.hit('10.0.0.1', 'b@example.com');
    const byClient = limiter.hit('10.0.0.1', 'c@example.com');
    await expect(byClient).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(byClient).rejects.toMatchObject({ retryAfterSeconds: 60 });

    await limiter.hit('10.0.0.2', 'd@example.com');
    await limiter.hit('10.0.0.3', 'D@example.com');
    await expect(limiter.hit('10.0.0.4', 'd@example.com')).rejects.toMatchObject({
      message: 'Too many email requests; try again after Retry-After seconds.',
    });
    expect(new TooManyRequestsException('x', 5).getStatus()).toBe(429);
  });

  it('counts nothing when turned off', async () => {
    const limiter = new EmailRateLimiter(storage, null);
    for (let i = 0; i < 10; i += 1) await limiter.hit('10.0.0.9', 'e@example.com');
    await limiter.onApplicationShutdown();
  });
});
