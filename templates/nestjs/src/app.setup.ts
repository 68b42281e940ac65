import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';

import { httpLogger } from './common/logging';
import { parseCorsOrigins, type Settings } from './config/settings';
import { setUpDocs } from './docs/docs';

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

/** The per-request logger (access lines, request ids), for the adapter to run first. */
export function requestLogger(app: INestApplication): ReturnType<typeof httpLogger> {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  return httpLogger({
    APP_ENV: config.get('APP_ENV', { infer: true }),
    LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
  });
}

/** Everything both adapters share: logging, routes, CORS and docs. */
export function configureApp(app: INestApplication, title: string, description: string): void {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const origins = parseCorsOrigins(config.get('CORS_ORIGINS', { infer: true }));
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['X-Request-ID', 'Retry-After'],
    });
  }
  if (config.get('DOCS_ENABLED', { infer: true })) {
    setUpDocs(app, title, description);
  }
}
