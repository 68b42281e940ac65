import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

import { MemoryWindowStorage, RedisWindowStorage } from './fixed-window.storage';

describe('MemoryWindowStorage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts every hit and blocks past the limit until the window resets', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const storage = new MemoryWindowStorage();
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await storage.increment('ip', 60_000, 2));
    expect(results.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(results[2].timeToBlockExpire).toBe(60);

    jest.setSystemTime(1_000_000 + 45_000);
    expect((await storage.increment('ip', 60_000, 2)).timeToBlockExpire).toBe(15);
    expect((await storage.increment('other', 60_000, 2)).isBlocked).toBe(false);

    jest.setSystemTime(1_000_000 + 60_000);
    expect(await storage.increment('ip', 60_000, 2)).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    jest.advanceTimersByTime(120_000); // the sweeper drops expired windows
    storage.onApplicationShutdown();
  });
});

// Defined only when TEST_REDIS_URL names a real Redis to run against (CI sets it).
const redisUrl = process.env.TEST_REDIS_URL;
if (redisUrl) {
  describe('RedisWindowStorage', () => {
    it('shares the same fixed window through Redis', async () => {
      const storage = new RedisWindowStorage(new Redis(redisUrl), `test:${randomUUID()}:`);
      try {
        const first = await storage.increment('ip', 60_000, 1);
        expect(first).toMatchObject({ totalHits: 1, isBlocked: false });
        const second = await storage.increment('ip', 60_000, 1);
        expect(second).toMatchObject({ totalHits: 2, isBlocked: true });
        expect(second.timeToBlockExpire).toBeGreaterThan(0);
        expect(second.timeToBlockExpire).toBeLessThanOrEqual(60);
      } finally {
        await storage.onApplicationShutdown();
      }
    });
  });
}
