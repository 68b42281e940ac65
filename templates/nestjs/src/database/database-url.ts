import type { DataSourceOptions } from 'typeorm';

export type Dialect = 'postgres' | 'better-sqlite3';

export function dialectOf(databaseUrl: string | undefined): Dialect {
  return databaseUrl?.startsWith('postgres') ? 'postgres' : 'better-sqlite3';
}

/**
 * Column type for timestamps. Decorators run at import time, so this reads
 * DATABASE_URL from process.env (`src/config/env.ts` has loaded `.env` by then).
 */
export function timestampType(): 'timestamptz' | 'datetime' {
  return dialectOf(process.env.DATABASE_URL) === 'postgres' ? 'timestamptz' : 'datetime';
}

/** TypeORM connection options for a `sqlite:///PATH` or `postgresql://` URL. */
export function connectionOptions(databaseUrl: string): DataSourceOptions {
  if (dialectOf(databaseUrl) === 'postgres') {
    return {
      type: 'postgres',
      url: databaseUrl,
      // Fail fast when the server is down, so readiness answers within its budget;
      // the pool reconnects by itself once the server is back.
      extra: { connectionTimeoutMillis: 2_000, max: 10 },
    };
  }
  return {
    type: 'better-sqlite3',
    database: databaseUrl.replace(/^sqlite:\/\/\//, ''),
    // WAL lets readers run while a write is in progress.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
    },
  };
}
