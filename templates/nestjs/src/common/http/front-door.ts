import type { IncomingMessage, ServerResponse } from 'node:http';

import { type HttpException, NotFoundException } from '@nestjs/common';

import { Details } from '../messages';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problem';

export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Request-ID'];
export const CORS_EXPOSED_HEADERS = ['X-Request-ID', 'Retry-After'];
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * What every request meets before the framework routes it, the same on both adapters;
 * true when it has answered the request itself.
 */
export type FrontDoor = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * CORS for the listed origins, and the 404 for a trailing slash. Written here rather than
 * left to `cors`/`@fastify/cors` and the routers, whose answers differ from one adapter to
 * the other and from the contract: a preflight from another origin still gets
 * Access-Control-Allow-Methods, a plain OPTIONS a 400 in plain text; Express serves
 * `/items/` as `/items`, and Swagger UI registers `/docs/` on Fastify.
 */
export function frontDoor(corsOrigins: readonly string[]): FrontDoor {
  const origins = new Set(corsOrigins);
  return (request, response) => {
    if (origins.size > 0 && answeredCors(origins, request, response)) return true;
    const path = (request.url ?? '/').split('?')[0];
    if (path.length > 1 && path.endsWith('/')) {
      sendProblem(response, new NotFoundException(Details.notFound));
      return true;
    }
    return false;
  };
}

function answeredCors(
  origins: ReadonlySet<string>,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  response.setHeader('Vary', 'Origin');
  const { origin } = request.headers;
  if (origin === undefined) return false;
  const allowed = origins.has(origin);
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
    // A preflight: 204 with the fixed lists (the browser compares them with its request),
    // and none of them for an origin not listed, so that the browser refuses.
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS.join(', '));
      response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
      response.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS));
    }
    response.statusCode = 204;
    response.end();
    return true;
  }
  if (allowed) response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
  return false;
}

function sendProblem(response: ServerResponse, error: HttpException): void {
  const body = JSON.stringify(problemFor(error));
  response.statusCode = error.getStatus();
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
