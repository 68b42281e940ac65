import { existsSync } from 'node:fs';

// Imported first by main.ts and the migration data source, so that `.env` is in
// process.env before any module reads it (entity column types depend on the database).
// Real environment variables win over the file; tests (NODE_ENV=test, set by Jest)
// never read a developer's `.env`.
if (process.env.NODE_ENV !== 'test' && existsSync('.env')) {
  process.loadEnvFile('.env');
}
