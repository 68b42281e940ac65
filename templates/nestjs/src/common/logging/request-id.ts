import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-ID when it is safe to echo and log, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The request id, also sent back as X-Request-ID. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const id = requestIdFor(request);
  response.setHeader('X-Request-ID', id);
  return id;
}
