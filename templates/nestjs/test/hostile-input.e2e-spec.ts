import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';

import { expectInvalid, expectProblem, signUp, startApp } from './support';

describe('hostile input (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    app = await startApp({ CORS_ORIGINS: 'https://app.example.com' });
    http = () => request(app.getHttpServer());
    ({ auth } = await signUp(app));
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['limit=1e1', 'offset=1e308', 'offset=2.5', 'limit=10.0', 'offset=99999999999999999999'])(
    'refuses the query %s that is not a plain integer',
    async (query) => {
      expectInvalid(
        await http().get(`/api/v1/items?${query}`).set(auth),
        'query',
        query.split('=')[0],
      );
    },
  );

  it.each([
    ['/api/v1/items', 'post', { title: null }, 'title'],
    ['/api/v1/users/me', 'patch', { email: null }, 'email'],
  ] as const)('refuses null where %s cannot store it', async (path, method, body, field) => {
    expectInvalid(await http()[method](path).set(auth).send(body), 'body', field);
  });

  it('refuses null on an item update but accepts a null description', async () => {
    const item = await http()
      .post('/api/v1/items')
      .set(auth)
      .send({ title: 't', description: 'd' })
      .expect(201);
    const path = `/api/v1/items/${item.body.id}`;
    expectInvalid(await http().patch(path).set(auth).send({ title: null }), 'body', 'title');
    const cleared = await http().patch(path).set(auth).send({ description: null }).expect(200);
    expect(cleared.body.description).toBeNull();
  });

  it.each(['a\u0000b', 'a\ud800b', '\udc00'])(
    'refuses text no database can store: %j',
    async (title) => {
      expectInvalid(await http().post('/api/v1/items').set(auth).send({ title }), 'body', 'title');
    },
  );

  it('stores characters outside the BMP', async () => {
    const created = await http()
      .post('/api/v1/items')
      .set(auth)
      .send({ title: '😀 ünï' })
      .expect(201);
    expect(created.body.title).toBe('😀 ünï');
  });

  it.each([100, 100_000])(
    'answers a JSON body nested %i deep with a 4xx problem',
    async (depth) => {
      const body = `{"title": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const response = await http()
        .post('/api/v1/items')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(body);
      expect([400, 413, 422]).toContain(response.status);
      expectProblem(response, response.status);
    },
  );

  it('answers a malformed URL with a 4xx problem', async () => {
    const response = await http().get('/api/v1/items/%zz').set(auth);
    expect([400, 404, 422]).toContain(response.status);
    expectProblem(response, response.status);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows every API method from a listed origin', async () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      const preflight = await http()
        .options('/api/v1/items/00000000-0000-4000-8000-000000000000')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', method);
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers['access-control-allow-methods']).toContain(method);
      // Preflights are answered before any route, yet carry the same headers.
      expect(preflight.headers['x-content-type-options']).toBe('nosniff');
      expect(preflight.headers['x-request-id']).toBeDefined();
    }
  });

  it('sends security headers and a request id with body-parser errors', async () => {
    const response = await http()
      .post('/api/v1/items')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{');
    expectProblem(response, 400);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBeDefined();
  });
});
