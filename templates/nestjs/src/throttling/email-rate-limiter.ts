import { createHash } from 'node:crypto';

import { HttpException, HttpStatus, type OnApplicationShutdown } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

import { Details } from '../common/messages';

/** A 429 problem whose `Retry-After` ProblemFilter sends. */
export class TooManyRequestsException extends HttpException {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** What the limiter needs of MemoryWindowStorage and RedisWindowStorage. */
export interface WindowStorage {
  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord>;
  onApplicationShutdown?(): void | Promise<void>;
}

/**
 * EMAIL_RATE_LIMIT: requests for account email, counted per client address and per
 * target address, in the login limiter's fixed windows (in memory, or in Redis under a
 * prefix of their own). Both counts must be within the limit: a client cannot mail many
 * addresses, and many clients cannot mail one address.
 */
export class EmailRateLimiter implements OnApplicationShutdown {
  constructor(
    private readonly storage: WindowStorage,
    private readonly rate: { limit: number; ttlMs: number } | null,
  ) {}

  /** Counts one request from `client` for mail to `email`; a 429 past either limit. */
  async hit(client: string, email: string): Promise<void> {
    if (this.rate === null) return;
    const { limit, ttlMs } = this.rate;
    // The address is hashed: counters name no one (they may live in a shared Redis).
    const target = createHash('sha256').update(email.toLowerCase()).digest('hex');
    const records = await Promise.all([
      this.storage.increment(`client:${normalizeIp(client)}`, ttlMs, limit),
      this.storage.increment(`target:${target}`, ttlMs, limit),
    ]);
    const waits = records.filter((record) => record.isBlocked).map((r) => r.timeToBlockExpire);
    if (waits.length > 0) {
      throw new TooManyRequestsException(Details.tooManyEmailRequests, Math.max(...waits));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.onApplicationShutdown?.();
  }
}
