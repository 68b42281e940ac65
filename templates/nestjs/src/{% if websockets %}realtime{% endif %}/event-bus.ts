import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';

import type { ItemEvent } from './item-events';

/** An event and whose item it is about: what travels between replicas. */
export interface Envelope {
  owner_id: string;
  event: ItemEvent;
}

export type Listener = (envelope: Envelope) => void;

/**
 * Carries item events from the service that makes them to the sockets that hear them:
 * in this process (LocalEventBus) or through Redis to every replica (RedisEventBus).
 */
export abstract class EventBus {
  protected listener: Listener = () => undefined;

  /** Never throws and never waits: a write has happened whether or not it is heard. */
  abstract publish(envelope: Envelope): void;

  /** The one listener (the gateway), called for each event, in order. */
  listen(listener: Listener): void {
    this.listener = listener;
  }
}

/** One process: events go straight to its sockets. */
export class LocalEventBus extends EventBus {
  publish(envelope: Envelope): void {
    this.listener(envelope);
  }
}

/**
 * Redis pub/sub on one channel: each replica publishes there and delivers only what it
 * hears there (its own events too), so that every replica delivers each event once. The
 * subscriber is a connection of its own (a subscribed connection runs no other command).
 * While Redis is unreachable an event is lost with a warning; the write that made it
 * stands, and the subscription is made again each time the connection is ready.
 */
export class RedisEventBus extends EventBus implements OnModuleInit, OnApplicationShutdown {
  private reachable = true;
  private subscribed: Promise<void> = Promise.resolve();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly logger: PinoLogger,
  ) {
    super();
  }

  publish(envelope: Envelope): void {
    this.publisher.publish(this.channel, JSON.stringify(envelope)).catch((error: unknown) => {
      this.logger.warn(
        { event_id: envelope.event.id, error: String(error) },
        'item event not published: Redis is unreachable',
      );
    });
  }

  /** Waits for Redis when it answers; serves without it (events lost) when it does not. */
  async onModuleInit(): Promise<void> {
    this.publisher.on('error', (error: Error) => this.lost(error));
    this.subscriber.on('error', (error: Error) => this.lost(error));
    this.subscriber.on('message', (_channel: string, text: string) => this.heard(text));
    this.subscriber.on('ready', () => {
      this.subscribed = this.subscribe();
    });
    const connected = await Promise.all([this.publisher.connect(), this.subscriber.connect()]).then(
      () => true,
      () => false,
    );
    if (connected) await this.subscribed;
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
    } catch (error) {
      this.lost(error);
      return;
    }
    if (!this.reachable) this.logger.info({ channel: this.channel }, 'item events heard again');
    this.reachable = true;
  }

  private heard(text: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      this.logger.warn({ channel: this.channel }, 'item event not understood');
      return;
    }
    this.listener(envelope);
  }

  /** One warning an outage, not one a reconnection attempt. */
  private lost(error: unknown): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.logger.warn(
      { channel: this.channel, error: String(error) },
      'Redis unreachable: item events are not delivered until it is back',
    );
  }
}
