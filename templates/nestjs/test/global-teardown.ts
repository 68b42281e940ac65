import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const directory = process.env.TEST_DATABASE_DIR;
  if (directory) rmSync(directory, { recursive: true, force: true });
}
