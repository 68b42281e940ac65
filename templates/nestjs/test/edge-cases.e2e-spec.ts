import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { App } from 'supertest/types';

import { IAT_LEEWAY_SECONDS } from '../src/auth/tokens.service';
import { Details, FieldMessages } from '../src/common/messages';
import { expectProblem, login, register, signUp, startApp, uniqueEmail } from './support';

// HTTP edge cases, answered as scaffold's API contract says: the same on every stack.

const ORIGIN = 'https://app.example.com';
const ADMIN_EMAIL = 'edge.admin@example.com';
const ADMIN_PASSWORD = 'edge-admin-password';
const MAX_DEPTH = 32;

type Problem = ReturnType<typeof expectProblem>;

function fields(problem: Problem): Array<[string, string, string]> {
  return (problem.errors as Array<{ location: string; field: string; message: string }>).map(
    (error) => [error.location, error.field, error.message],
  );
}

function places(problem: Problem): Array<[string, string]> {
  return fields(problem).map(([location, field]) => [location, field]);
}

/** Sends `body` byte for byte: superagent would serialize a Buffer as JSON. */
function sendBytes(test: request.Test, body: Buffer): request.Test {
  return test.serialize(() => body as unknown as string).send(body);
}

/** An item whose title holds `depth` nested arrays: the body is one level more. */
function nested(depth: number): string {
  return `{"title": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

describe('edge cases (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;
  let auth: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startApp({
      CORS_ORIGINS: ORIGIN,
      FIRST_ADMIN_EMAIL: ADMIN_EMAIL,
      FIRST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOGIN_RATE_LIMIT: '0',
    });
    http = () => request(app.getHttpServer());
    ({ auth } = await signUp(app));
    const tokens = await login(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    admin = { Authorization: `Bearer ${tokens.access_token}` };
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['/health', '/health/ready', '/openapi.json', '/docs', '/redoc'])(
    'answers HEAD %s as the GET without its body',
    async (path) => {
      const get = await http().get(path);
      const head = await http().head(path);
      expect([head.status, get.status]).toEqual([200, 200]);
      expect(head.text ?? '').toBe('');
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
    },
  );

  it('answers HEAD on an API route as GET, sign-in included', async () => {
    const head = await http().head('/api/v1/items').set(auth).expect(200);
    const get = await http().get('/api/v1/items').set(auth);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    const refused = await http().head('/api/v1/items').expect(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
  });

  it('documents no HEAD operation', async () => {
    const document = (await http().get('/openapi.json')).body as {
      paths: Record<string, object>;
    };
    expect(Object.values(document.paths).filter((operations) => 'head' in operations)).toEqual([]);
  });

  it.each([
    ['DELETE', '/health', 'GET, HEAD'],
    ['PUT', '/api/v1/items', 'GET, HEAD, POST'],
    ['PUT', `/api/v1/items/${randomUUID()}`, 'GET, HEAD, PATCH, DELETE'],
    ['GET', '/api/v1/auth/login', 'POST'],
    ['HEAD', '/api/v1/auth/login', 'POST'],
  ])('lists Allow in one order on a %s %s', async (method, path, allow) => {
    const response = await http()[method.toLowerCase() as 'get'](path);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });

  it.each([
    ['GET', '/health/'],
    ['GET', '/api/v1/items/'],
    ['POST', '/api/v1/items/'],
    ['GET', '/docs/'],
  ])('answers %s %s with a 404, not a redirect', async (method, path) => {
    const response = await http()[method.toLowerCase() as 'get'](path).set(auth);
    expect(expectProblem(response, 404).title).toBe('Not Found');
    expect(response.headers.location).toBeUndefined();
  });

  it.each([
    ['limit=5&limit=6', ['limit']],
    ['offset=1&offset=1&limit=2&limit=3', ['limit', 'offset']],
  ])('answers ?%s with a 422 on each repeated parameter', async (query, repeated) => {
    const problem = expectProblem(await http().get(`/api/v1/items?${query}`).set(auth), 422);
    expect(fields(problem)).toEqual(
      repeated.map((field) => ['query', field, FieldMessages.singleValue]),
    );
  });

  it.each(['+5', ' 5', '5.0', '1e1', '1_0', '', '\u0665'])(
    'refuses the query integer %p',
    async (limit) => {
      const response = await http().get('/api/v1/items').query({ limit }).set(auth);
      expect(places(expectProblem(response, 422))).toEqual([['query', 'limit']]);
    },
  );

  it('reads leading zeros and a minus sign as integers', async () => {
    const page = await http().get('/api/v1/items?limit=05&offset=-0').set(auth).expect(200);
    expect([page.body.limit, page.body.offset]).toEqual([5, 0]);
    const below = await http().get('/api/v1/items?limit=-1').set(auth);
    expect(places(expectProblem(below, 422))).toEqual([['query', 'limit']]);
  });

  it.each(['yes', 'true', 1, 0, null])('never coerces is_active %p', async (isActive) => {
    const { user } = await signUp(app);
    const response = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(admin)
      .send({ is_active: isActive });
    expect(places(expectProblem(response, 422))).toEqual([['body', 'is_active']]);
  });

  it('still reads a string as a role', async () => {
    const user = await register(app);
    const response = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(admin)
      .send({ role: 'admin' })
      .expect(200);
    expect(response.body.role).toBe('admin');
  });

  it.each([
    ['a byte order mark', Buffer.from('\uFEFF{"title": "bom"}')],
    ['an invalid byte', Buffer.from([...Buffer.from('{"title": "a'), 0xff, ...Buffer.from('b"}')])],
    ['a truncated sequence', Buffer.from([...Buffer.from('{"title": "'), 0xc3, 0x22, 0x7d])],
  ])('answers JSON with %s with a 400, storing nothing', async (_name, body) => {
    const { auth: owner } = await signUp(app);
    const response = await sendBytes(
      http().post('/api/v1/items').set(owner).set('Content-Type', 'application/json'),
      body,
    );
    expect(expectProblem(response, 400).detail).toBe(Details.bodyNotJson);
    expect((await http().get('/api/v1/items').set(owner)).body.total).toBe(0);
  });

  it.each([
    [
      'raw',
      Buffer.from([
        ...Buffer.from('username=a'),
        0xff,
        ...Buffer.from('b%40example.com&password=x'),
      ]),
    ],
    ['escaped', Buffer.from('username=a%FFb%40example.com&password=x')],
  ])('answers a form that is not UTF-8 (%s) with a 400', async (_name, body) => {
    const response = await sendBytes(
      http().post('/api/v1/auth/login').set('Content-Type', 'application/x-www-form-urlencoded'),
      body,
    );
    expect(expectProblem(response, 400).detail).toBe(Details.bodyNotUtf8);
  });

  it('reads a lone percent sign in a form as itself', async () => {
    const email = uniqueEmail();
    const password = '100%-sure-password';
    await http().post('/api/v1/auth/register').send({ email, password }).expect(201);
    await http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`username=${encodeURIComponent(email)}&password=${password}`)
      .expect(200);
  });

  it('judges a body nested up to the limit on its fields', async () => {
    const response = await http()
      .post('/api/v1/items')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(nested(MAX_DEPTH - 1));
    expect(places(expectProblem(response, 422))).toEqual([['body', 'title']]);
  });

  it.each([MAX_DEPTH, 5000, 100_000])(
    'names where a body nested %i deep passes the limit',
    async (depth) => {
      const response = await http()
        .post('/api/v1/items')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(nested(depth));
      const where = ['title', ...Array<string>(MAX_DEPTH - 1).fill('0')].join('.');
      expect(fields(expectProblem(response, 422))).toEqual([
        ['body', where, `Must not be nested more than ${MAX_DEPTH} levels deep`],
      ]);
    },
  );

  it('names the first container that is too deep', async () => {
    let deep: unknown[] = [];
    for (let level = 0; level < MAX_DEPTH - 3; level += 1) deep = [deep];
    // Strings that look like structure, an empty object, then two containers too deep.
    const body = { title: [{ a: 'x,}', b: [{}, 'y', deep] }], description: [[[deep]]] };
    const response = await http().post('/api/v1/items').set(auth).send(body);
    const [[, field]] = places(expectProblem(response, 422));
    expect(field.startsWith('title.0.b.2.')).toBe(true);
  });

  it('answers preflights with a 204 and the fixed lists, or no lists for other origins', async () => {
    for (const method of ['POST', 'PUT']) {
      const preflight = await http()
        .options('/api/v1/items')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization,x-other')
        .expect(204);
      expect(preflight.text ?? '').toBe('');
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': ORIGIN,
        'access-control-allow-methods': 'GET, HEAD, POST, PATCH, DELETE',
        'access-control-allow-headers': 'Authorization, Content-Type, X-Request-ID',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const refused = await http()
      .options('/api/v1/items')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(
      Object.keys(refused.headers).filter((name) => name.startsWith('access-control-')),
    ).toEqual([]);
    expect(refused.headers.vary).toBe('Origin');
  });

  it('answers an OPTIONS that is no preflight with a 405', async () => {
    const response = await http().options('/api/v1/items');
    expectProblem(response, 405);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
  });

  it('refuses a token issued in the future', async () => {
    const { user } = await signUp(app);
    const jwt = app.get(JwtService);
    const token = (offset: number) =>
      jwt.sign(
        { sub: user.id, type: 'access', iat: Math.floor(Date.now() / 1000) + offset },
        { jwtid: randomUUID(), expiresIn: 600 },
      );
    for (const offset of [IAT_LEEWAY_SECONDS + 5, 3600]) {
      const response = await http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${token(offset)}`);
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    await http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${token(IAT_LEEWAY_SECONDS - 2)}`)
      .expect(200);
  });
});
