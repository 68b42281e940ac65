import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { ItemDto } from '../items/dto/item.dto';
import type { Item } from '../items/item.entity';
import { EventBus } from './event-bus';

export type ItemEventType = 'item.created' | 'item.updated' | 'item.deleted';

/** What a socket receives, members in this order (clients may compare the bytes). */
export interface ItemEvent {
  type: ItemEventType;
  /** New for each event, the same on every replica. */
  id: string;
  at: string;
  item: ItemDto;
}

/** Announces item changes on the event bus; ItemsService calls it after each write. */
@Injectable()
export class ItemEvents {
  constructor(private readonly bus: EventBus) {}

  created(item: Item): void {
    this.publish('item.created', item, item.createdAt);
  }

  updated(item: Item): void {
    this.publish('item.updated', item, item.updatedAt);
  }

  /** `item` as it was before the delete. */
  deleted(item: Item): void {
    this.publish('item.deleted', item, new Date());
  }

  private publish(type: ItemEventType, item: Item, at: Date): void {
    this.bus.publish({
      owner_id: item.ownerId,
      event: { type, id: randomUUID(), at: at.toISOString(), item: ItemDto.from(item) },
    });
  }
}
