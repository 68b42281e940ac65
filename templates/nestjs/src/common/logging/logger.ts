import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { Params } from 'nestjs-pino';
import { type LoggerOptions, pino, stdTimeFunctions } from 'pino';
import onHeaders from 'on-headers';

import type { Settings } from '../../config/settings';
import { requestId } from './request-id';

type LogSettings = Pick<Settings, 'APP_ENV' | 'LOG_LEVEL'>;

/**
 * For nestjs-pino: `useExisting`, and none of its request middleware (`forRoutes: []`),
 * because the app factory runs the request logger ahead of routing (see `httpLogger`),
 * so that every request is logged exactly once, unknown routes and docs included. A
 * Nest middleware would also cost every request on Fastify a pass through
 * @fastify/middie, which copies a dozen request properties (the client's address among
 * them) for Express-style middleware.
 */
export function loggerParams(settings: LogSettings): Params {
  return { pinoHttp: loggerOptions(settings), useExisting: true, forRoutes: [] };
}

/**
 * The per-request logger, run first by the app factory: it gives each request its id
 * (X-Request-ID) and writes one access line as the response headers go out, so the line
 * exists before the client has the response. In production only warnings and errors
 * are logged per request. Returns the id, which labels the request's logging context
 * (app.setup.ts). Written here rather than with pino-http, whose per-request child
 * loggers took about a third of the time of a /health request in production.
 */
export function httpLogger(settings: LogSettings) {
  const production = settings.APP_ENV === 'production';
  const logger = pino(loggerOptions(settings));
  return (request: IncomingMessage, response: ServerResponse): string => {
    const id = requestId(request, response);
    (request as { id?: string }).id = id;
    const started = performance.now();
    onHeaders(response, () => {
      const status = response.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : production ? null : 'info';
      if (!level) return;
      const fields = {
        request_id: id,
        method: request.method,
        path: (request.url ?? '').split('?')[0],
        status,
        duration_ms: Math.round(performance.now() - started),
      };
      logger[level](fields, 'request completed');
    });
    return id;
  };
}

/** One JSON object a line: `time`, `level`, `message`, and `request_id` during a request. */
export function loggerOptions(settings: LogSettings): LoggerOptions {
  return {
    level: settings.LOG_LEVEL,
    messageKey: 'message',
    timestamp: stdTimeFunctions.isoTime,
    base: undefined,
    formatters: { level: (label) => ({ level: label }) },
  };
}
