import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';

import { User } from '../src/users/user.entity';
import { UsersService } from '../src/users/users.service';
import { expectInvalid, expectProblem, login, PASSWORD, signUp, startApp } from './support';

const ADMIN_EMAIL = 'first.admin@example.com';
const ADMIN_PASSWORD = 'first-admin-password';

describe('users (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startApp({
      LOGIN_RATE_LIMIT: '1000/minute',
      FIRST_ADMIN_EMAIL: ADMIN_EMAIL,
      FIRST_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    http = () => request(app.getHttpServer());
    const tokens = await login(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    admin = { Authorization: `Bearer ${tokens.access_token}` };
  });

  afterAll(async () => {
    await app.close();
  });

  it('reads and updates the signed-in user', async () => {
    const { user, auth } = await signUp(app);
    const me = await http().get('/api/v1/users/me').set(auth).expect(200);
    expect(me.body).toEqual(user);
    const newEmail = `Renamed.${user.email}`;
    const updated = await http()
      .patch('/api/v1/users/me')
      .set(auth)
      .send({ full_name: 'Renamed', email: newEmail })
      .expect(200);
    expect(updated.body).toMatchObject({
      id: user.id,
      full_name: 'Renamed',
      email: newEmail.toLowerCase(),
    });
    await http()
      .patch('/api/v1/users/me')
      .set(auth)
      .send({ email: newEmail.toLowerCase() })
      .expect(200);
  });

  it('refuses a taken email (409) and a role (422) on /users/me', async () => {
    const alice = await signUp(app);
    const bob = await signUp(app);
    expectProblem(
      await http().patch('/api/v1/users/me').set(alice.auth).send({ email: bob.user.email }),
      409,
    );
    expectInvalid(
      await http().patch('/api/v1/users/me').set(alice.auth).send({ role: 'admin' }),
      'body',
      'role',
    );
    expectInvalid(
      await http().patch('/api/v1/users/me').set(alice.auth).send({ email: 'nope' }),
      'body',
      'email',
    );
  });

  it('changes the password: 400 when the current one is wrong', async () => {
    const { user, auth, tokens } = await signUp(app);
    const wrong = await http()
      .post('/api/v1/users/me/password')
      .set(auth)
      .send({ current_password: 'not it', new_password: 'another password' });
    expectProblem(wrong, 400);
    expectInvalid(
      await http()
        .post('/api/v1/users/me/password')
        .set(auth)
        .send({ current_password: PASSWORD, new_password: 'short' }),
      'body',
      'new_password',
    );
    await http()
      .post('/api/v1/users/me/password')
      .set(auth)
      .send({ current_password: PASSWORD, new_password: 'another password' })
      .expect(204);
    const old = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: PASSWORD });
    expectProblem(old, 401);
    await login(app, user.email, 'another password');
    // Sessions opened with the old password end with it.
    expectProblem(
      await http().post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token }),
      401,
    );
  });

  it('has exactly one first admin', async () => {
    const me = await http().get('/api/v1/users/me').set(admin).expect(200);
    expect(me.body).toMatchObject({
      email: ADMIN_EMAIL,
      role: 'admin',
      is_active: true,
      email_verified: true,
    });
    const all = await http().get('/api/v1/users?limit=100').set(admin).expect(200);
    expect(all.body.items.filter((u: { email: string }) => u.email === ADMIN_EMAIL)).toHaveLength(
      1,
    );
  });

  it('marks the first admin verified again at start-up', async () => {
    // As the account email migration leaves the rows it finds: unverified.
    const users = app.get(DataSource).getRepository(User);
    await users.update({ email: ADMIN_EMAIL }, { emailVerified: false });
    await app.get(UsersService).onApplicationBootstrap();
    expect((await users.findOneByOrFail({ email: ADMIN_EMAIL })).emailVerified).toBe(true);
  });

  it('keeps admin routes for admins', async () => {
    const { user, auth } = await signUp(app);
    expectProblem(await http().get('/api/v1/users').set(auth), 403);
    expectProblem(await http().get(`/api/v1/users/${user.id}`).set(auth), 403);
    expectProblem(
      await http().patch(`/api/v1/users/${user.id}`).set(auth).send({ role: 'admin' }),
      403,
    );
    expectProblem(await http().delete(`/api/v1/users/${user.id}`).set(auth), 403);
  });

  it('pages users newest first', async () => {
    for (let i = 0; i < 3; i += 1) await signUp(app);
    const page = await http().get('/api/v1/users').set(admin).expect(200);
    expect(page.body).toMatchObject({ limit: 20, offset: 0 });
    expect(page.body.total).toBeGreaterThanOrEqual(4);
    const two = await http().get('/api/v1/users?limit=2&offset=1').set(admin).expect(200);
    expect(two.body.items.map((u: { id: string }) => u.id)).toEqual(
      page.body.items.slice(1, 3).map((u: { id: string }) => u.id),
    );
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      expectInvalid(
        await http().get(`/api/v1/users?${query}`).set(admin),
        'query',
        query.split('=')[0],
      );
    }
  });

  it('lets an admin read, update and delete a user', async () => {
    const { user, auth } = await signUp(app);
    expect((await http().get(`/api/v1/users/${user.id}`).set(admin).expect(200)).body).toEqual(
      user,
    );
    const updated = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(admin)
      .send({ full_name: 'Promoted', role: 'admin' })
      .expect(200);
    expect(updated.body).toMatchObject({ full_name: 'Promoted', role: 'admin', is_active: true });
    await http().get('/api/v1/users').set(auth).expect(200);
    expectInvalid(
      await http().patch(`/api/v1/users/${user.id}`).set(admin).send({ role: 'root' }),
      'body',
      'role',
    );
    expectInvalid(
      await http().patch(`/api/v1/users/${user.id}`).set(admin).send({ email: 'x@y.z' }),
      'body',
      'email',
    );

    await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(admin)
      .send({ is_active: false })
      .expect(200);
    expectProblem(await http().get('/api/v1/users/me').set(auth), 401);
    const inactive = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: PASSWORD });
    expectProblem(inactive, 403);
    const wrongPassword = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: 'wrong password' });
    expectProblem(wrongPassword, 401);
  });

  it('deletes a user with their items and tokens', async () => {
    const { user, auth, tokens } = await signUp(app);
    const item = await http().post('/api/v1/items').set(auth).send({ title: 'mine' }).expect(201);
    await http().delete(`/api/v1/users/${user.id}`).set(admin).expect(204);
    expectProblem(await http().get(`/api/v1/users/${user.id}`).set(admin), 404);
    expectProblem(await http().get(`/api/v1/items/${item.body.id}`).set(admin), 404);
    expectProblem(await http().get('/api/v1/users/me').set(auth), 401);
    expectProblem(
      await http().post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token }),
      401,
    );
    expectProblem(await http().delete(`/api/v1/users/${user.id}`).set(admin), 404);
  });

  it('answers 404 for an absent user and 422 for a bad id', async () => {
    expectProblem(
      await http().get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(admin),
      404,
    );
    expectInvalid(await http().get('/api/v1/users/not-a-uuid').set(admin), 'path', 'id');
  });
});
