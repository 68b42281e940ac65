import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

// Runs before each test file. Tests never read `.env`: they use DATABASE_URL when the
// caller sets it (CI's throw-away PostgreSQL database), else a fresh SQLite file in the
// run's directory (test/global-setup.ts).
process.env.APP_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long';
process.env.DATABASE_URL ??= `sqlite:///${join(process.env.TEST_DATABASE_DIR ?? '.', `${randomUUID()}.db`)}`;
