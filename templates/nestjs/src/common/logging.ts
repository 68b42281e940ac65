import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { type HttpLogger, type Options, pinoHttp } from 'pino-http';

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

/** The access logger, installed first on the HTTP adapter by the app factory. */
export function httpLogger(settings: LogSettings): HttpLogger {
  return pinoHttp(httpLoggerOptions(settings));
}

/**
 * One JSON object a line on stdout: `time`, `level`, `message`, and `request_id` on
 * every line written while serving a request. One access line per request, except in
 * production where only warnings and errors are logged per request.
 */
function httpLoggerOptions(settings: LogSettings): Options {
  const production = settings.APP_ENV === 'production';
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
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      // Successful requests are not logged one by one in production (throughput).
      return production ? 'silent' : 'info';
    },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: accessFields,
    customErrorObject: (req, res, _error, value: { responseTime?: number }) =>
      accessFields(req, res, value),
  };
}

function accessFields(
  req: IncomingMessage,
  res: ServerResponse,
  value: { responseTime?: number },
): Record<string, unknown> {
  return {
    method: req.method,
    path: (req.url ?? '').split('?')[0],
    status: res.statusCode,
    duration_ms: value.responseTime,
  };
}
