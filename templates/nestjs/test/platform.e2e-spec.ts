import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';

import { expectProblem, startApp } from './support';

const ORIGIN = 'https://app.example.com';

describe('platform (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp({ CORS_ORIGINS: `${ORIGIN}, https://other.example.com` });
    http = () => request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers liveness and readiness', async () => {
    expect((await http().get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('sends security headers on every response, errors included', async () => {
    for (const response of [await http().get('/health'), await http().get('/nowhere')]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('answers unknown routes with 404 and wrong methods with 405 problems', async () => {
    const missing = await http().get('/api/v1/nowhere');
    expect(expectProblem(missing, 404).title).toBe('Not Found');
    const wrongMethod = await http().delete('/health');
    expect(expectProblem(wrongMethod, 405).title).toBe('Method Not Allowed');
    expect(wrongMethod.headers.allow).toContain('GET');
    expectProblem(await http().put('/api/v1/users/me'), 405);
  });

  it('echoes a safe X-Request-ID and replaces any other', async () => {
    const echoed = await http().get('/health').set('X-Request-ID', 'abc-123.def:4_5');
    expect(echoed.headers['x-request-id']).toBe('abc-123.def:4_5');
    for (const unsafe of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const replaced = await http().get('/health').set('X-Request-ID', unsafe);
      expect(replaced.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('sends CORS headers only to listed origins', async () => {
    const allowed = await http().get('/health').set('Origin', ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    const refused = await http().get('/health').set('Origin', 'https://evil.example.com');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await http()
      .options('/api/v1/items')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('serves the OpenAPI document with the password flow', async () => {
    const response = await http().get('/openapi.json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/logout',
        '/api/v1/auth/password-reset',
        '/api/v1/auth/password-reset/confirm',
        '/api/v1/auth/verify-email',
        '/api/v1/auth/verify-email/resend',
        '/api/v1/users/me',
        '/api/v1/users/me/password',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/items',
        '/api/v1/items/{id}',
      ]),
    );
    expect(Object.keys(document.components.securitySchemes)).toEqual(['OAuth2PasswordBearer']);
    expect(document.components.securitySchemes.OAuth2PasswordBearer.flows.password.tokenUrl).toBe(
      '/api/v1/auth/login',
    );
  });

  it("documents what every stack documents (scaffold's API contract)", async () => {
    const document = (await http().get('/openapi.json').expect(200)).body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({
      title: expect.any(String),
      description: expect.any(String),
      version: '0.1.0',
    });
    expect(document.tags.map((tag: { name: string }) => tag.name)).toEqual([
      'health',
      'auth',
      'users',
      'items',
    ]);
    const paths = document.paths as Record<string, Record<string, { operationId: string }>>;
    const operations = Object.values(paths).flatMap((path) => Object.values(path));
    expect(operations.map((operation) => operation.operationId).sort()).toEqual([
      'changePassword',
      'confirmPasswordReset',
      'createItem',
      'deleteItem',
      'deleteUser',
      'listItems',
      'listUsers',
      'liveness',
      'login',
      'logout',
      'readItem',
      'readMe',
      'readUser',
      'readiness',
      'refresh',
      'register',
      'requestPasswordReset',
      'resendVerification',
      'updateItem',
      'updateMe',
      'updateUser',
      'verifyEmail',
    ]);
    const readUser = document.paths['/api/v1/users/{id}'].get;
    expect(readUser.parameters[0].schema).toEqual({ type: 'string', format: 'uuid' });
    for (const status of ['401', '403', '404', '422']) {
      const problem = status === '422' ? 'ValidationProblem' : 'Problem';
      expect(readUser.responses[status].content).toEqual({
        'application/problem+json': { schema: { $ref: `#/components/schemas/${problem}` } },
      });
    }
    // (The schemas' properties come from the Swagger plugin, which the e2e tests run
    // without: src/docs/docs.spec.ts checks how they are written.) No *Dto names.
    expect(document.components.schemas.UserCreate.additionalProperties).toBe(false);
    expect(Object.keys(document.components.schemas).filter((name) => name.endsWith('Dto'))).toEqual(
      [],
    );
  });

  it('serves Swagger UI and ReDoc from local assets', async () => {
    const docs = await http().get('/docs').redirects(1).expect(200);
    expect(docs.text).toContain('swagger-ui');
    expect(docs.headers['x-frame-options']).toBe('DENY');
    expect(docs.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    await http().get('/docs/swagger-ui-bundle.js').expect(200);
    await http().get('/docs/swagger-ui.css').expect(200);
    const redoc = await http().get('/redoc').expect(200);
    expect(redoc.text).toContain('/redoc/redoc.standalone.js');
    expect(redoc.text).not.toMatch(/https?:\/\//);
    const bundle = await http().get('/redoc/redoc.standalone.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    // Redocly's logo, which the bundle would load from their CDN, is left out.
    expect(bundle.text).not.toContain('cdn.redoc.ly');
    expect(bundle.text.length).toBeGreaterThan(100_000);
  });

  it('answers 503 while the database is unreachable, and recovers', async () => {
    const dataSource = app.get(DataSource);
    await dataSource.destroy();
    try {
      const down = await http().get('/health/ready').expect(503);
      expect(down.headers['content-type']).toMatch(/^application\/json/);
      expect(down.body).toEqual({ status: 'unavailable', checks: { database: 'unavailable' } });
    } finally {
      await dataSource.initialize();
    }
    await http().get('/health/ready').expect(200);
  });
});
