import type { Item } from '../items/item.entity';
import { type Envelope, LocalEventBus } from './event-bus';
import { ItemEvents } from './item-events';

const ITEM: Item = {
  id: '0d7c5a36-3b8f-4d6b-9a51-2b1a1f7c2e10',
  title: 'A title',
  description: null,
  ownerId: '5f0c6f0e-8f5e-4a57-9d7e-2f1d1a5b6c7d',
  createdAt: new Date('2026-12-08T03:54:24.120Z'),
  updatedAt: new Date('2026-12-08T03:55:00.001Z'),
};

describe('ItemEvents', () => {
  const heard: Envelope[] = [];
  const bus = new LocalEventBus();
  bus.listen((envelope) => heard.push(envelope));
  const events = new ItemEvents(bus);

  beforeEach(() => {
    heard.length = 0;
  });

  it('publishes the item as REST answers it, in the protocol member order', () => {
    events.created(ITEM);
    const [envelope] = heard;
    expect(envelope.owner_id).toBe(ITEM.ownerId);
    expect(JSON.stringify(envelope.event)).toBe(
      `{"type":"item.created","id":"${envelope.event.id}","at":"2026-12-08T03:54:24.120Z",` +
        `"item":{"id":"${ITEM.id}","title":"A title","description":null,"owner_id":"${ITEM.ownerId}",` +
        '"created_at":"2026-12-08T03:54:24.120Z","updated_at":"2026-12-08T03:55:00.001Z"}}',
    );
  });

  it('dates an update at the item update and a delete now, each with an id of its own', () => {
    events.updated(ITEM);
    const before = Date.now();
    events.deleted(ITEM);
    const [updated, deleted] = heard.map((envelope) => envelope.event);
    expect(updated).toMatchObject({ type: 'item.updated', at: '2026-12-08T03:55:00.001Z' });
    expect(deleted.type).toBe('item.deleted');
    expect(Date.parse(deleted.at)).toBeGreaterThanOrEqual(before);
    expect(deleted.id).not.toBe(updated.id);
  });
});
