import type { ServerResponse } from 'node:http';

/**
 * Runs `task` once the response has gone (or its connection closed), on either adapter:
 * `response` is Express's response or Fastify's reply. Its failure is `onError`'s.
 */
export function afterResponse(
  response: unknown,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const raw = ((response as { raw?: ServerResponse }).raw ?? response) as ServerResponse;
  raw.once('close', () => {
    task().catch(onError);
  });
}
