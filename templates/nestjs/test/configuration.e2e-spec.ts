import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';

import { clientAddress, postFrom } from './clients';
import { expectProblem, register, startApp } from './support';

// With TEST_REDIS_URL (CI sets it), the limit is also checked on the Redis storage.
const storages: Array<[string, Record<string, string>]> = [['memory', {}]];
if (process.env.TEST_REDIS_URL) {
  storages.push(['redis', { REDIS_URL: process.env.TEST_REDIS_URL }]);
}

describe.each(storages)('login rate limit with %s counters', (_name, storage) => {
  let app: INestApplication<App>;
  let port: number;

  beforeAll(async () => {
    app = await startApp({ ...storage, LOGIN_RATE_LIMIT: '3/minute' });
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as unknown as Server).address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts every attempt and answers 429 with Retry-After past the limit', async () => {
    const user = await register(app);
    // Counters are per client address: one of this test's own, as a Redis database may
    // be shared by other runs.
    const client = clientAddress();
    const attempt = (password: string) =>
      postFrom(
        client,
        port,
        '/api/v1/auth/login',
        new URLSearchParams({ username: user.email, password }),
      );
    expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt('correct horse battery')).status).toBe(200);
    const limited = await attempt('correct horse battery');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({
      status: 429,
      detail: 'Too many login attempts; try again after Retry-After seconds.',
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});

describe('LOGIN_RATE_LIMIT=0 and DOCS_ENABLED=false', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await startApp({ LOGIN_RATE_LIMIT: '0', DOCS_ENABLED: 'false' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('never limits logins', async () => {
    const user = await register(app);
    for (let i = 0; i < 8; i += 1) {
      await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: user.email, password: 'wrong password' })
        .expect(401);
    }
  });

  it('answers 404 problems for the docs', async () => {
    for (const path of ['/docs', '/redoc', '/openapi.json']) {
      expectProblem(await request(app.getHttpServer()).get(path), 404);
    }
  });
});
