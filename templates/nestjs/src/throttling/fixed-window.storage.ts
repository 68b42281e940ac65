import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { Redis } from 'ioredis';

/**
 * Fixed-window counters: every attempt counts, and past the limit the caller waits
 * until the window resets (that wait is `Retry-After`). The same rule in memory and
 * in Redis, so that one replica and many behave alike.
 */
function record(totalHits: number, msLeft: number, limit: number): ThrottlerStorageRecord {
  const secondsLeft = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = totalHits > limit;
  return {
    totalHits,
    timeToExpire: secondsLeft,
    isBlocked,
    timeToBlockExpire: isBlocked ? secondsLeft : 0,
  };
}

/** One process's counters (the default without REDIS_URL). */
export class MemoryWindowStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + ttl };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return Promise.resolve(record(window.hits, window.resetAt - now, limit));
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(key);
    }
  }
}

// INCR and PEXPIRE in one step, so a crash between them cannot leave a counter without expiry.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

/**
 * Counters shared by every replica through Redis. Written here (a few lines on
 * ioredis) because the published throttler storages for Redis do not support Nest 12.
 */
export class RedisWindowStorage implements ThrottlerStorage, OnApplicationShutdown {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'throttle:',
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [hits, msLeft] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, ttl)) as [
      number,
      number,
    ];
    return record(hits, msLeft, limit);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}
