import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { App } from 'supertest/types';

import {
  claimsOf,
  expectInvalid,
  expectProblem,
  login,
  PASSWORD,
  register,
  signUp,
  startApp,
  uniqueEmail,
} from './support';

describe('auth (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp({ LOGIN_RATE_LIMIT: '1000/minute' });
    http = () => request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  it('registers a user with a lower-cased email and never shows the hash', async () => {
    const email = uniqueEmail('Mixed.Case').replace('example', 'EXAMPLE');
    const response = await http()
      .post('/api/v1/auth/register')
      .send({ email, password: PASSWORD, full_name: 'Ada' })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: email.toLowerCase(),
      full_name: 'Ada',
      role: 'user',
      is_active: true,
      email_verified: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
  });

  it('answers 409 for a taken email, whatever its case', async () => {
    const user = await register(app);
    const response = await http()
      .post('/api/v1/auth/register')
      .send({ email: user.email.toUpperCase(), password: PASSWORD });
    expectProblem(response, 409);
  });

  it.each([
    [{ password: PASSWORD }, 'email'],
    [{ email: 'not-an-email', password: PASSWORD }, 'email'],
    [{ email: 'a@example.com', password: 'short' }, 'password'],
    [{ email: 'a@example.com', password: 'x'.repeat(129) }, 'password'],
    [{ email: 'a@example.com', password: 12345678 }, 'password'],
    [{ email: 'a@example.com', password: PASSWORD, role: 'admin' }, 'role'],
  ])('refuses %p with a 422 on %s', async (body, field) => {
    expectInvalid(await http().post('/api/v1/auth/register').send(body), 'body', field);
  });

  it.each(['[1, 2]', '"text"', '42', 'null'])(
    'refuses the JSON body %s that is not an object',
    async (body) => {
      const response = await http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(body);
      expectInvalid(response, 'body', '');
    },
  );

  it('answers 422 for a missing body, 400 for malformed JSON, 415 for another media type', async () => {
    expectInvalid(await http().post('/api/v1/auth/register'), 'body', '');
    const malformed = await http()
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(expectProblem(malformed, 400).title).toBe('Bad Request');
    const text = await http()
      .post('/api/v1/auth/register')
      .set('Content-Type', 'text/plain')
      .send('hi');
    expect(expectProblem(text, 415).title).toBe('Unsupported Media Type');
  });

  it('answers 413 past 1 MiB', async () => {
    const response = await http()
      .post('/api/v1/auth/register')
      .send({ email: 'big@example.com', password: 'x'.repeat(1024 * 1024) });
    expect(expectProblem(response, 413).title).toBe('Content Too Large');
  });

  it('logs in with the OAuth2 form and issues an HS256 pair', async () => {
    const user = await register(app);
    const tokens = await login(app, user.email.toUpperCase());
    expect(tokens).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
    });
    const access = claimsOf(tokens.access_token);
    expect(access).toMatchObject({ sub: user.id, type: 'access', jti: expect.any(String) });
    expect(Number(access.exp) - Number(access.iat)).toBe(900);
    expect(claimsOf(tokens.refresh_token)).toMatchObject({
      sub: user.id,
      type: 'refresh',
      jti: expect.any(String),
    });
  });

  it('gives one message for a wrong password and an unknown email', async () => {
    const user = await register(app);
    for (const username of [user.email, uniqueEmail('nobody')]) {
      const response = await http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username, password: 'wrong password' });
      expect(expectProblem(response, 401).detail).toBe('Incorrect email or password.');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('validates the login form and refuses JSON', async () => {
    expectInvalid(
      await http().post('/api/v1/auth/login').type('form').send({ username: 'a@b.co' }),
      'body',
      'password',
    );
    const json = await http()
      .post('/api/v1/auth/login')
      .send({ username: 'a@b.co', password: 'x' });
    expectProblem(json, 415);
  });

  // What Swagger UI's Authorize dialog and OAuth2 clients send besides the credentials;
  // empty parameters count as omitted and unknown ones are ignored (RFC 6749 §3.2).
  it.each([
    { grant_type: 'password', scope: 'items:read me', client_id: 'docs', client_secret: 's3cret' },
    { grant_type: 'password', scope: '', client_id: '', client_secret: '' },
    { grant_type: '' },
    { audience: 'https://api.example' },
  ])('accepts the OAuth2 token request parameters %p', async (parameters) => {
    const user = await register(app);
    const response = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: PASSWORD, ...parameters })
      .expect(200);
    expect(response.body.token_type).toBe('bearer');
  });

  it.each(['client_credentials', 'PASSWORD'])('refuses grant_type=%s', async (grant_type) => {
    const user = await register(app);
    const response = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: PASSWORD, grant_type });
    expect(expectProblem(response, 422)).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request is not valid; see errors.',
      errors: [
        {
          location: 'body',
          field: 'grant_type',
          message: "Must be 'password'",
        },
      ],
    });
  });

  it('rotates refresh tokens, which are single use', async () => {
    const { tokens } = await signUp(app);
    const first = await http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: tokens.refresh_token })
      .expect(200);
    await http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${first.body.access_token}`)
      .expect(200);
    const reuse = await http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: tokens.refresh_token });
    expectProblem(reuse, 401);
    expect(reuse.headers['www-authenticate']).toBe('Bearer');
    await http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: first.body.refresh_token })
      .expect(200);
  });

  it('refuses access tokens and garbage as refresh tokens', async () => {
    const { tokens } = await signUp(app);
    for (const refresh_token of [tokens.access_token, 'garbage']) {
      expectProblem(await http().post('/api/v1/auth/refresh').send({ refresh_token }), 401);
    }
    expectInvalid(await http().post('/api/v1/auth/refresh').send({}), 'body', 'refresh_token');
  });

  it('refuses a refresh token as an access token', async () => {
    const { tokens } = await signUp(app);
    const response = await http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${tokens.refresh_token}`);
    expectProblem(response, 401);
  });

  it('logs out: the refresh token is revoked; someone else’s is a 401', async () => {
    const alice = await signUp(app);
    const bob = await signUp(app);
    const foreign = await http()
      .post('/api/v1/auth/logout')
      .set(alice.auth)
      .send({ refresh_token: bob.tokens.refresh_token });
    expectProblem(foreign, 401);
    await http()
      .post('/api/v1/auth/logout')
      .set(alice.auth)
      .send({ refresh_token: alice.tokens.refresh_token })
      .expect(204);
    expectProblem(
      await http().post('/api/v1/auth/refresh').send({ refresh_token: alice.tokens.refresh_token }),
      401,
    );
    expectProblem(
      await http().post('/api/v1/auth/logout').send({ refresh_token: bob.tokens.refresh_token }),
      401,
    );
    await http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: bob.tokens.refresh_token })
      .expect(200);
  });

  it.each(['', 'Bearer', 'Bearer not.a.jwt', 'Basic dXNlcjpwYXNz'])(
    'answers 401 to Authorization %p',
    async (authorization) => {
      const response = await http().get('/api/v1/users/me').set('Authorization', authorization);
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    },
  );

  it('refuses tokens signed with another key or algorithm', async () => {
    const { user } = await signUp(app);
    const forged = new JwtService({ secret: 'another-secret-that-is-long-enough-to-sign' }).sign(
      { sub: user.id, type: 'access' },
      { jwtid: 'x', expiresIn: 60 },
    );
    expectProblem(
      await http().get('/api/v1/users/me').set('Authorization', `Bearer ${forged}`),
      401,
    );
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: user.id, type: 'access', jti: 'x' }),
    ).toString('base64url');
    expectProblem(
      await http().get('/api/v1/users/me').set('Authorization', `Bearer ${header}.${payload}.`),
      401,
    );
  });
});
