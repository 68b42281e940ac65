import type { IncomingMessage, ServerResponse } from 'node:http';

import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';

import { APP_DESCRIPTION, APP_TITLE } from './app.info';
import { type FrontDoor, frontDoor } from './common/http/front-door';
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
export function securityHeaders(): (response: ServerResponse) => void {
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

/** The per-request logger (access lines, request ids), for the adapter to run first. */
export function requestLogger(
  app: INestApplication,
  options?: Parameters<typeof httpLogger>[1],
): ReturnType<typeof httpLogger> {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  return httpLogger(
    {
      APP_ENV: config.get('APP_ENV', { infer: true }),
      LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
    },
    options,
  );
}

/** CORS and the trailing-slash 404 (common/http/front-door.ts), for the adapter to run early. */
export function frontDoorFor(app: INestApplication): FrontDoor {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  return frontDoor(parseCorsOrigins(config.get('CORS_ORIGINS', { infer: true })));
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
