import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';

import { PASSWORD, register, signUp, startApp } from './support';

/**
 * Each rule a request can break, answered with the contract's message for it. The texts
 * are written out here, not imported: they are the contract (scaffold's API contract, "Messages"),
 * and the FastAPI stack's suite asserts the same ones.
 */
describe('messages (e2e)', () => {
  const ADMIN = { email: 'messages.admin@example.com', password: 'messages-admin-password' };
  const REGISTER = '/api/v1/auth/register';
  const EMAIL = 'rules@example.com';
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp({
      LOGIN_RATE_LIMIT: '1000/minute',
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
    });
    http = () => request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  /** The 422 problem's errors, after checking the rest of the document. */
  function errorsOf(response: request.Response): unknown {
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const { errors, ...problem } = response.body as { errors: unknown };
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request is not valid; see errors.',
    });
    return errors;
  }

  it.each<[unknown, string, string]>([
    [{ password: PASSWORD }, 'email', 'Field required'],
    [{ email: null, password: PASSWORD }, 'email', 'Must not be null'],
    [{ email: 5, password: PASSWORD }, 'email', 'Must be a string'],
    [{ email: 'not-an-email', password: PASSWORD }, 'email', 'Must be a valid email address'],
    [{ email: EMAIL, password: 'short' }, 'password', 'Must be at least 8 characters'],
    [{ email: EMAIL, password: 'p'.repeat(129) }, 'password', 'Must be at most 128 characters'],
    [{ email: EMAIL, password: PASSWORD, role: 'admin' }, 'role', 'Unknown field'],
    [
      { email: EMAIL, password: PASSWORD, full_name: 'a\u0000b' },
      'full_name',
      'Must not contain NUL or unpaired surrogate characters',
    ],
    [[EMAIL, PASSWORD], '', 'Must be an object'],
  ])('registration body %j breaks the rule of %j: %j', async (body, field, message) => {
    const response = await http()
      .post(REGISTER)
      .send(body as object);
    expect(errorsOf(response)).toEqual([{ location: 'body', field, message }]);
  });

  it('calls a missing body a required field', async () => {
    expect(errorsOf(await http().post(REGISTER))).toEqual([
      { location: 'body', field: '', message: 'Field required' },
    ]);
  });

  it('refuses an unpaired surrogate', async () => {
    const raw = `{"email": "${EMAIL}", "password": "${PASSWORD}", "full_name": "\\ud800"}`;
    const response = await http().post(REGISTER).type('json').send(raw);
    expect(errorsOf(response)).toEqual([
      {
        location: 'body',
        field: 'full_name',
        message: 'Must not contain NUL or unpaired surrogate characters',
      },
    ]);
  });

  it('gives one error per field, sorted by field', async () => {
    const response = await http().post(REGISTER).send({ zeta: 1, password: 5, alpha: null });
    expect(errorsOf(response)).toEqual([
      { location: 'body', field: 'alpha', message: 'Unknown field' },
      { location: 'body', field: 'email', message: 'Field required' },
      { location: 'body', field: 'password', message: 'Must be a string' },
      { location: 'body', field: 'zeta', message: 'Unknown field' },
    ]);
  });

  it.each<[object, string, string]>([
    [{ title: '' }, 'title', 'Must be at least 1 character'],
    [{ title: 't'.repeat(201) }, 'title', 'Must be at most 200 characters'],
    [{ title: 5 }, 'title', 'Must be a string'],
    [
      { title: 'ok', description: 'd'.repeat(2001) },
      'description',
      'Must be at most 2000 characters',
    ],
  ])('item body %j breaks the rule of %j: %j', async (body, field, message) => {
    const { auth } = await signUp(app);
    const response = await http().post('/api/v1/items').set(auth).send(body);
    expect(errorsOf(response)).toEqual([{ location: 'body', field, message }]);
  });

  it('refuses null for a field that may be omitted', async () => {
    const { auth } = await signUp(app);
    const item = await http().post('/api/v1/items').set(auth).send({ title: 't' }).expect(201);
    const response = await http()
      .patch(`/api/v1/items/${item.body.id as string}`)
      .set(auth)
      .send({ title: null });
    expect(errorsOf(response)).toEqual([
      { location: 'body', field: 'title', message: 'Must not be null' },
    ]);
  });

  it.each<[object, string, string]>([
    [{ role: 'boss' }, 'role', 'Must be one of: user, admin'],
    [{ is_active: 'maybe' }, 'is_active', 'Must be a boolean'],
    [{ is_active: null }, 'is_active', 'Must not be null'],
  ])('admin update %j breaks the rule of %j: %j', async (body, field, message) => {
    const user = await register(app);
    const admin = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: ADMIN.email, password: ADMIN.password })
      .expect(200);
    const response = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set({ Authorization: `Bearer ${admin.body.access_token as string}` })
      .send(body);
    expect(errorsOf(response)).toEqual([{ location: 'body', field, message }]);
  });

  it.each([
    ['limit=abc', 'limit', 'Must be an integer'],
    ['limit=1.5', 'limit', 'Must be an integer'],
    ['limit=0', 'limit', 'Must be at least 1'],
    ['limit=101', 'limit', 'Must be at most 100'],
    ['offset=-1', 'offset', 'Must be at least 0'],
  ])('query %s breaks the rule of %j: %j', async (query, field, message) => {
    const { auth } = await signUp(app);
    const response = await http().get(`/api/v1/items?${query}`).set(auth);
    expect(errorsOf(response)).toEqual([{ location: 'query', field, message }]);
  });

  it('says a path id must be a UUID', async () => {
    const { auth } = await signUp(app);
    expect(errorsOf(await http().get('/api/v1/items/42').set(auth))).toEqual([
      { location: 'path', field: 'id', message: 'Must be a valid UUID' },
    ]);
  });

  it.each<[Record<string, string>, string, string]>([
    [{ username: EMAIL }, 'password', 'Field required'],
    [{ username: '', password: PASSWORD }, 'username', 'Field required'],
    [
      { username: EMAIL, password: PASSWORD, grant_type: 'implicit' },
      'grant_type',
      "Must be 'password'",
    ],
  ])('login form %j breaks the rule of %j: %j', async (form, field, message) => {
    const response = await http().post('/api/v1/auth/login').type('form').send(form);
    expect(errorsOf(response)).toEqual([{ location: 'body', field, message }]);
  });

  it("words each problem's detail as the contract does", async () => {
    const { user, auth } = await signUp(app);
    const admin = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: ADMIN.email, password: ADMIN.password })
      .expect(200);
    const adminAuth = { Authorization: `Bearer ${admin.body.access_token as string}` };
    const missing = '/api/v1/items/00000000-0000-4000-8000-000000000000';
    const cases: Array<[Promise<request.Response>, number, string]> = [
      [http().get('/api/v1/users/me'), 401, 'Not authenticated.'],
      [
        http().get('/api/v1/users/me').set({ Authorization: 'Bearer nope' }),
        401,
        'Invalid or expired token.',
      ],
      [
        http().post('/api/v1/auth/login').type('form').send({ username: EMAIL, password: 'x' }),
        401,
        'Incorrect email or password.',
      ],
      [http().get('/api/v1/users').set(auth), 403, 'Administrator role required.'],
      [http().get(missing).set(auth), 404, 'Item not found.'],
      [http().get(missing.replace('items', 'users')).set(adminAuth), 404, 'User not found.'],
      [http().get('/api/v1/nowhere'), 404, 'The requested resource was not found.'],
      [
        http().put('/api/v1/users/me').set(auth),
        405,
        'The method is not allowed for the requested resource.',
      ],
      [
        http().post(REGISTER).send({ email: user.email, password: PASSWORD }),
        409,
        'A user with this email already exists.',
      ],
      [http().post(REGISTER).type('json').send('{'), 400, 'The request body is not valid JSON.'],
      [
        http()
          .post('/api/v1/users/me/password')
          .set(auth)
          .send({ current_password: 'wrong-password', new_password: PASSWORD }),
        400,
        'The current password is incorrect.',
      ],
      [
        http().post(REGISTER).type('text/plain').send('x'),
        415,
        'The request body must be sent as application/json.',
      ],
      [
        http().post('/api/v1/auth/login').send({ username: EMAIL, password: 'x' }),
        415,
        'The request body must be sent as application/x-www-form-urlencoded.',
      ],
      [
        http()
          .post(REGISTER)
          .type('json')
          .send('x'.repeat(1024 * 1024 + 1)),
        413,
        'The request body is larger than 1 MiB.',
      ],
    ];
    for (const [pending, status, detail] of cases) {
      const response = await pending;
      expect([response.status, (response.body as { detail?: string }).detail]).toEqual([
        status,
        detail,
      ]);
    }
  });
});
