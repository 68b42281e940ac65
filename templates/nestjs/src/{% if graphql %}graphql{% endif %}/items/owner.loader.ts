import { NotFoundException } from '@nestjs/common';
import DataLoader from 'dataloader';
import { In, type Repository } from 'typeorm';

import { Details } from '../../common/messages';
import type { User } from '../../users/user.entity';

/**
 * Item.owner for one request: the owners of every item the request resolves, loaded
 * with one query (a page of items costs one query for its owners, not one per item).
 */
export function ownerLoader(users: Repository<User>): DataLoader<string, User> {
  return new DataLoader<string, User>(async (ids) => {
    const found = new Map(
      (await users.findBy({ id: In([...ids]) })).map((user) => [user.id, user]),
    );
    // Items go with their owner (ON DELETE CASCADE): a missing one was deleted meanwhile.
    return ids.map((id) => found.get(id) ?? new NotFoundException(Details.userNotFound));
  });
}
