import type { IncomingMessage, ServerResponse } from 'node:http';

import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';

import { APP_DESCRIPTION, APP_TITLE } from './app.info';
import { frontDoor } from './common/http/front-door';
import { httpLogger } from './common/logging/logger';
import { parseCorsOrigins, type Settings } from './config/settings';
import { setUpDocs } from './docs/docs';

/**
 * NestFactory.create() options for both adapters: logs written while the app starts
 * wait for the JSON logger (configureApp), and a failing start throws to the caller
 * (main.ts, the e2e tests) instead of exiting the process.
 */
export const APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, abortOnError: false };

/** Largest accepted request body; past it the answer is a 413 problem. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Helmet's options for both adapters. The CSP allows only this origin's scripts, so
 * Swagger UI and ReDoc work from the bundled assets; ReDoc adds inline styles and a
 * blob: worker. Framing is denied twice over (X-Frame-Options and frame-ancestors).
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      workerSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      // Plain-HTTP deployments (behind a TLS proxy or not) must load the docs' assets as they are.
      upgradeInsecureRequests: null,
    },
  },
  frameguard: { action: 'deny' as const },
};

/**
 * Sets helmet's headers for HELMET_OPTIONS on a response. The options are static (no
 * CSP nonces), so every response gets the same headers: they are computed once at
 * start-up rather than by helmet's dozen middlewares on each request, which cost more
 * than the rest of a /health request.
 */
function securityHeaders(): (response: ServerResponse) => void {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: number | string | readonly string[]): void {
      headers.set(name, String(value));
    },
    removeHeader(name: string): void {
      headers.delete(name);
    },
  };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error !== undefined) throw new Error('helmet refused HELMET_OPTIONS', { cause: error });
  });
  const entries = [...headers];
  return (response) => {
    for (const [name, value] of entries) response.setHeader(name, value);
  };
}

/** What every request meets first, before the framework routes it; `next` hands it on. */
export type Entrance = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) => void;

/**
 * The entrance, the same on both adapters: the request's id and access line
 * (common/logging/logger.ts), the security headers and the front door (CORS, trailing
 * slash, common/http/front-door.ts). The rest of the request then runs in a logging
 * context labelled with its id, so that what Nest logs meanwhile (nestjs-pino's Logger)
 * carries `request_id`: the work of nestjs-pino's middleware, done without one.
 */
export async function entrance(app: INestApplication): Promise<Entrance> {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  const logRequest = httpLogger({
    APP_ENV: config.get('APP_ENV', { infer: true }),
    LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
  });
  const setSecurityHeaders = securityHeaders();
  const atFrontDoor = frontDoor(parseCorsOrigins(config.get('CORS_ORIGINS', { infer: true })));
  const logging = await app.resolve(PinoLogger);
  return (request, response, next) => {
    const id = logRequest(request, response);
    setSecurityHeaders(response);
    if (atFrontDoor(request, response)) return;
    logging.runInContext(next, { bindings: { request_id: id } });
  };
}

/** Everything both adapters share: logging, routes and docs. */
export function configureApp(app: INestApplication): void {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.flushLogs();
  if (config.get('DOCS_ENABLED', { infer: true })) {
    setUpDocs(app, APP_TITLE, APP_DESCRIPTION);
  }
}
