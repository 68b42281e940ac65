import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { Params } from 'nestjs-pino';
import { type Logger, type LoggerOptions, pino, stdTimeFunctions } from 'pino';
import onHeaders from 'on-headers';

import type { Settings } from '../../config/settings';
import { requestId } from './request-id';

type LogSettings = Pick<Settings, 'APP_ENV' | 'LOG_LEVEL'>;

/**
 * For nestjs-pino: `useExisting` because the request logger is installed by the app
 * factory ahead of routing (see `httpLogger`), so that every request is logged
 * exactly once, unknown routes and docs included.
 */
export function loggerParams(settings: LogSettings): Params {
  return { pinoHttp: loggerOptions(settings), useExisting: true };
}

/**
 * The per-request logger, installed first on the HTTP adapter by the app factory: it
 * gives each request its id (X-Request-ID) and writes one access line as the response
 * headers go out, so the line exists before the client has the response. In
 * production only warnings and errors are logged per request.
 *
 * `bindRequestLog` sets `request.log`, the logger nestjs-pino writes through during
 * the request, to one labelled with the id. Only Express needs it: on Fastify the
 * middleware layer sets Fastify's own request logger there. Nothing else is built per
 * request: pino-http's per-request child loggers took about a third of the time of a
 * /health request in production.
 */
export function httpLogger(settings: LogSettings, { bindRequestLog = false } = {}) {
  const production = settings.APP_ENV === 'production';
  const logger = pino(loggerOptions(settings));
  return (request: IncomingMessage, response: ServerResponse, next?: () => void): void => {
    const id = requestId(request, response);
    (request as { id?: string }).id = id;
    if (bindRequestLog) (request as { log?: Logger }).log = logger.child({ request_id: id });
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
    next?.();
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
