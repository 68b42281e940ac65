import type { DataSourceOptions } from 'typeorm';

import { connectionOptions } from './database-url';
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { AccountEmail1765000000000 } from './migrations/1765000000000-account-email';

/**
 * What the app and the TypeORM CLI share. Entities are not listed: the app loads the
 * ones its modules register (`autoLoadEntities`), the CLI finds them by file name.
 */
export function databaseOptions(databaseUrl: string): DataSourceOptions {
  return {
    ...connectionOptions(databaseUrl),
    migrations: [Initial1764000000000, AccountEmail1765000000000],
    // The schema is owned by migrations, never synchronised from the entities.
    synchronize: false,
  };
}
