import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One directory for the run's SQLite files, removed by global-teardown.ts. */
export default function globalSetup(): void {
  process.env.TEST_DATABASE_DIR = mkdtempSync(join(tmpdir(), 'app-test-'));
}
