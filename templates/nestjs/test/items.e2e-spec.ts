import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';

import { expectInvalid, expectProblem, login, signUp, startApp } from './support';

describe('items (e2e)', () => {
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp({
      LOGIN_RATE_LIMIT: '1000/minute',
      FIRST_ADMIN_EMAIL: 'items.admin@example.com',
      FIRST_ADMIN_PASSWORD: 'items-admin-password',
    });
    http = () => request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates, reads, updates and deletes an item', async () => {
    const { user, auth } = await signUp(app);
    const created = await http()
      .post('/api/v1/items')
      .set(auth)
      .send({ title: 'Write tests' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      title: 'Write tests',
      description: null,
      owner_id: user.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await http().get(`/api/v1/items/${id}`).set(auth).expect(200)).body).toEqual(
      created.body,
    );
    const patched = await http()
      .patch(`/api/v1/items/${id}`)
      .set(auth)
      .send({ description: 'all of them' })
      .expect(200);
    expect(patched.body).toMatchObject({
      title: 'Write tests',
      description: 'all of them',
      created_at: created.body.created_at,
    });
    await http().delete(`/api/v1/items/${id}`).set(auth).expect(204);
    expectProblem(await http().get(`/api/v1/items/${id}`).set(auth), 404);
  });

  it('needs a user', async () => {
    expectProblem(await http().get('/api/v1/items'), 401);
    expectProblem(await http().post('/api/v1/items').send({ title: 'x' }), 401);
  });

  it('hides other users’ items behind 404s', async () => {
    const owner = await signUp(app);
    const other = await signUp(app);
    const item = await http()
      .post('/api/v1/items')
      .set(owner.auth)
      .send({ title: 'private' })
      .expect(201);
    const path = `/api/v1/items/${item.body.id}`;
    expectProblem(await http().get(path).set(other.auth), 404);
    expectProblem(await http().patch(path).set(other.auth).send({ title: 'mine now' }), 404);
    expectProblem(await http().delete(path).set(other.auth), 404);
    expect((await http().get('/api/v1/items').set(other.auth).expect(200)).body.total).toBe(0);
    expect((await http().get(path).set(owner.auth).expect(200)).body.title).toBe('private');
  });

  it('lists own items newest first; an admin sees all', async () => {
    const { auth } = await signUp(app);
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) {
      ids.push((await http().post('/api/v1/items').set(auth).send({ title }).expect(201)).body.id);
    }
    const page = await http().get('/api/v1/items').set(auth).expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 20, offset: 0 });
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    const second = await http().get('/api/v1/items?limit=1&offset=1').set(auth).expect(200);
    expect(second.body.items[0].id).toBe(ids[1]);

    const admin = await login(app, 'items.admin@example.com', 'items-admin-password');
    const all = await http()
      .get('/api/v1/items?limit=100')
      .set('Authorization', `Bearer ${admin.access_token}`);
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(ids));
  });

  it.each([
    [{}, 'title'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'ok', description: 'x'.repeat(2001) }, 'description'],
    [{ title: 'ok', owner_id: '00000000-0000-4000-8000-000000000000' }, 'owner_id'],
  ])('refuses %p with a 422 on %s', async (body, field) => {
    const { auth } = await signUp(app);
    expectInvalid(await http().post('/api/v1/items').set(auth).send(body), 'body', field);
  });

  it('accepts the length bounds inclusively and validates updates', async () => {
    const { auth } = await signUp(app);
    const body = { title: 'x'.repeat(200), description: 'y'.repeat(2000) };
    const created = await http().post('/api/v1/items').set(auth).send(body).expect(201);
    expectInvalid(
      await http().patch(`/api/v1/items/${created.body.id}`).set(auth).send({ title: '' }),
      'body',
      'title',
    );
    expectInvalid(await http().get('/api/v1/items/42').set(auth), 'path', 'id');
  });
});
