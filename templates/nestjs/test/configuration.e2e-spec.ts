import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { App } from 'supertest/types';

import { expectProblem, register, startApp } from './support';

// With TEST_REDIS_URL (CI sets it), the limit is also checked on the Redis storage.
const storages: Array<[string, Record<string, string>]> = [['memory', {}]];
if (process.env.TEST_REDIS_URL) {
  storages.push(['redis', { REDIS_URL: process.env.TEST_REDIS_URL }]);
}

describe.each(storages)('login rate limit with %s counters', (_name, storage) => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    if (storage.REDIS_URL) {
      // Counters are per client address, and every test client is 127.0.0.1: start
      // from none (only this app's `throttle:` keys; the database may be shared).
      const redis = new Redis(storage.REDIS_URL);
      const keys = await redis.keys('throttle:*');
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    app = await startApp({ ...storage, LOGIN_RATE_LIMIT: '3/minute' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts every attempt and answers 429 with Retry-After past the limit', async () => {
    const user = await register(app);
    const attempt = (password: string) =>
      request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: user.email, password });
    expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt('correct horse battery')).status).toBe(200);
    const limited = await attempt('correct horse battery');
    expectProblem(limited, 429);
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
