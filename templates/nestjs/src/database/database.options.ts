import type { DataSourceOptions } from 'typeorm';

import { RefreshToken } from '../auth/refresh-token.entity';
import { Item } from '../items/item.entity';
import { User } from '../users/user.entity';
import { connectionOptions } from './database-url';
import { Initial1764000000000 } from './migrations/1764000000000-initial';

export function databaseOptions(databaseUrl: string): DataSourceOptions {
  return {
    ...connectionOptions(databaseUrl),
    entities: [User, Item, RefreshToken],
    migrations: [Initial1764000000000],
    // The schema is owned by migrations, never synchronised from the entities.
    synchronize: false,
  };
}
