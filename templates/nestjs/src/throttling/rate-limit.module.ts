import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';

import { parseRateLimit, type Settings } from '../config/settings';
import { EmailRateLimiter } from './email-rate-limiter';
import { MemoryWindowStorage, RedisWindowStorage } from './fixed-window.storage';

/**
 * LOGIN_RATE_LIMIT for the routes guarded by ThrottlerGuard (login), and EMAIL_RATE_LIMIT
 * (EmailRateLimiter) for the routes that send account email.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService<Settings, true>) => {
        const rate = parseRateLimit(config.get('LOGIN_RATE_LIMIT', { infer: true }));
        const redisUrl = config.get('REDIS_URL', { infer: true });
        return {
          // Named "default" so the guard's header is plain `Retry-After`.
          throttlers: [{ name: 'default', limit: rate?.limit ?? 1, ttl: rate?.ttlMs ?? 60_000 }],
          skipIf: () => rate === null,
          storage: redisUrl ? await redisStorage(redisUrl) : new MemoryWindowStorage(),
        };
      },
    }),
  ],
  providers: [
    {
      provide: EmailRateLimiter,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<Settings, true>) => {
        const redisUrl = config.get('REDIS_URL', { infer: true });
        return new EmailRateLimiter(
          redisUrl ? await redisStorage(redisUrl, 'email-throttle:') : new MemoryWindowStorage(),
          parseRateLimit(config.get('EMAIL_RATE_LIMIT', { infer: true })),
        );
      },
    },
  ],
  exports: [ThrottlerModule, EmailRateLimiter],
})
export class RateLimitModule {}

/** ioredis is loaded only when REDIS_URL is set, rather than by every start. */
async function redisStorage(url: string, prefix?: string): Promise<RedisWindowStorage> {
  const { Redis } = await import('ioredis');
  return new RedisWindowStorage(new Redis(url, { maxRetriesPerRequest: 2 }), prefix);
}
