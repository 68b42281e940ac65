import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';

import { APP_TITLE } from '../app.info';
import { AuthModule } from '../auth/auth.module';
import type { Settings } from '../config/settings';
import { EventBus, LocalEventBus, RedisEventBus } from './event-bus';
import { EventsGateway } from './events.gateway';
import { ItemEvents } from './item-events';
import { WsController } from './ws.controller';

/** The Redis pub/sub channel of every replica of this service. */
export const EVENTS_CHANNEL = `${APP_TITLE}:events`;

/** Item events to signed-in clients over /ws; through Redis between replicas when REDIS_URL is set. */
@Module({
  imports: [AuthModule],
  controllers: [WsController],
  providers: [
    EventsGateway,
    ItemEvents,
    {
      provide: EventBus,
      inject: [ConfigService, PinoLogger],
      useFactory: async (config: ConfigService<Settings, true>, logger: PinoLogger) => {
        const url = config.get('REDIS_URL', { infer: true });
        if (!url) return new LocalEventBus();
        // ioredis is loaded only when REDIS_URL is set, rather than by every start.
        const { Redis } = await import('ioredis');
        logger.setContext(RedisEventBus.name);
        return new RedisEventBus(
          // Publishing fails at once while Redis is away, rather than queueing the event.
          new Redis(url, { lazyConnect: true, enableOfflineQueue: false }),
          // The bus subscribes on each (re)connection itself.
          new Redis(url, { lazyConnect: true, autoResubscribe: false, maxRetriesPerRequest: 1 }),
          EVENTS_CHANNEL,
          logger,
        );
      },
    },
  ],
  exports: [ItemEvents],
})
export class RealtimeModule {}
