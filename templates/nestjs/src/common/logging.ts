import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import onHeaders from 'on-headers';
import { type Options, pinoHttp } from 'pino-http';

import type { Settings } from '../config/settings';
import { requestId } from './request-id';

type LogSettings = Pick<Settings, 'APP_ENV' | 'LOG_LEVEL'>;

/**
 * For nestjs-pino: `useExisting` because the request logger is installed by the app
 * factory ahead of routing (see `httpLogger`), so that every request is logged
 * exactly once, unknown routes and docs included.
 */
export function loggerParams(settings: LogSettings): Params {
  return { pinoHttp: httpLoggerOptions(settings), useExisting: true };
}

/**
 * The per-request logger, installed first on the HTTP adapter by the app factory: it
 * gives each request its id (X-Request-ID) and a child logger, and writes one access
 * line as the response headers go out, so the line exists before the client has the
 * response. In production only warnings and errors are logged per request.
 */
export function httpLogger(settings: LogSettings) {
  const production = settings.APP_ENV === 'production';
  const attach = pinoHttp({ ...httpLoggerOptions(settings), autoLogging: false });
  return (request: IncomingMessage, response: ServerResponse, next?: () => void): void => {
    attach(request, response);
    // Kept here: Fastify's middleware layer later replaces `request.log` with its own.
    const log = request.log;
    const started = performance.now();
    onHeaders(response, () => {
      const status = response.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : production ? null : 'info';
      if (!level) return;
      const fields = {
        method: request.method,
        path: (request.url ?? '').split('?')[0],
        status,
        duration_ms: Math.round(performance.now() - started),
      };
      log[level](fields, 'request completed');
    });
    next?.();
  };
}

/** One JSON object a line: `time`, `level`, `message`, and `request_id` during a request. */
export function httpLoggerOptions(settings: LogSettings): Options {
  return {
    level: settings.LOG_LEVEL,
    messageKey: 'message',
    timestamp: stdTimeFunctions.isoTime,
    base: undefined,
    formatters: { level: (label) => ({ level: label }) },
    genReqId: requestId,
    customAttributeKeys: { reqId: 'request_id' },
    quietReqLogger: true,
    quietResLogger: true,
  };
}
