import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';

import { createApp } from '../src/app.factory';

export const PASSWORD = 'correct horse battery';

/** The real application (the factory main.ts uses), with `env` on top of the test settings. */
export async function startApp(env: Record<string, string> = {}): Promise<INestApplication<App>> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await createApp();
  } finally {
    process.env = saved;
  }
}

let counter = 0;

export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@example.com`;
}

/** A JWT's claims, unverified. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export async function register(app: INestApplication<App>, email = uniqueEmail()) {
  const response = await request(app.getHttpServer())
    .post('/api/v1/auth/register')
    .send({ email, password: PASSWORD, full_name: 'Test User' })
    .expect(201);
  return response.body as { id: string; email: string; role: string };
}

export async function login(app: INestApplication<App>, email: string, password = PASSWORD) {
  const response = await request(app.getHttpServer())
    .post('/api/v1/auth/login')
    .type('form')
    .send({ username: email, password })
    .expect(200);
  return response.body as Tokens;
}

/** A new user and their tokens. */
export async function signUp(app: INestApplication<App>) {
  const user = await register(app);
  const tokens = await login(app, user.email);
  return { user, tokens, auth: { Authorization: `Bearer ${tokens.access_token}` } };
}

/** Asserts an RFC 9457 problem with this status and returns it. */
export function expectProblem(response: request.Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: 'about:blank', status });
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
  return response.body as { title: string; detail: string; errors?: unknown[] };
}

export function expectInvalid(response: request.Response, location: string, field: string) {
  const problem = expectProblem(response, 422);
  expect(problem.title).toBe('Unprocessable Content');
  expect(problem.errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ location, field })]),
  );
}
