import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';

import { MailSender } from '../src/mail/mail-sender';
import { hashLinkToken } from '../src/users/account-email.service';
import { EmailToken } from '../src/users/email-token.entity';
import { User } from '../src/users/user.entity';
import { clientAddress, postFrom } from './clients';
import { closedPort, linkToken, type SmtpTestServer, startSmtpServer } from './smtp';
import {
  expectInvalid,
  expectProblem,
  login,
  PASSWORD,
  register,
  startApp,
  type Tokens,
  uniqueEmail,
} from './support';

const ACCEPTED = {
  detail: 'If an account with that email exists, a link to reset its password is on its way.',
};
const NEW_PASSWORD = 'a brand new password';

/** Every call of a PinoLogger method with this message, as [fields, message]. */
function logged(spy: jest.SpyInstance, message: string): Array<Record<string, unknown>> {
  return spy.mock.calls
    .filter((call: unknown[]) => call[1] === message)
    .map((call: unknown[]) => call[0] as Record<string, unknown>);
}

async function eventually<T>(check: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 20) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

describe('account email (e2e, a real SMTP server)', () => {
  let smtp: SmtpTestServer;
  let app: INestApplication<App>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Service <no-reply@service.example>',
      FRONTEND_URL: 'https://app.example/',
      LOGIN_RATE_LIMIT: '1000/minute',
      EMAIL_RATE_LIMIT: '1000/hour',
    });
    http = () => request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  /** A registered user whose verification mail has arrived, and its token. */
  async function newUser() {
    const user = await register(app);
    const verification = await smtp.take(user.email);
    return { ...user, verificationToken: linkToken(verification) };
  }

  async function resetToken(email: string): Promise<string> {
    await http().post('/api/v1/auth/password-reset').send({ email }).expect(202, ACCEPTED);
    return linkToken(await smtp.take(email), '/reset-password');
  }

  const confirm = (token: string, newPassword = NEW_PASSWORD) =>
    http().post('/api/v1/auth/password-reset/confirm').send({ token, new_password: newPassword });
  const verify = (token: string) => http().post('/api/v1/auth/verify-email').send({ token });
  const bearer = (tokens: Tokens) => ({ Authorization: `Bearer ${tokens.access_token}` });

  it('resets a password by the mailed link: the old password and sessions end', async () => {
    const user = await newUser();
    const before = await login(app, user.email);

    const response = await http()
      .post('/api/v1/auth/password-reset')
      .send({ email: user.email.toUpperCase() })
      .expect(202);
    expect(response.body).toEqual(ACCEPTED);
    expect(response.headers['content-type']).toMatch(/^application\/json/);

    const mail = await smtp.take(user.email);
    expect(mail.subject).toMatch(/^Reset your .+ password$/);
    expect(mail.from?.text).toBe('"Service" <no-reply@service.example>');
    expect(mail.text).toContain('within 1 hour:');
    const token = linkToken(mail, '/reset-password');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain(`https://app.example/reset-password?token=${token}`);
    expect(mail.html).toContain(`<a href="https://app.example/reset-password?token=${token}">`);
    expect(smtp.raw.at(-1)).toMatch(/Content-Type: multipart\/alternative/i);

    // Only the token's hash is stored.
    const stored = await app
      .get(DataSource)
      .getRepository(EmailToken)
      .findOneByOrFail({
        tokenHash: hashLinkToken(token),
      });
    expect(stored).toMatchObject({ purpose: 'password_reset', email: user.email, usedAt: null });

    await confirm(token).expect(204);
    await login(app, user.email, NEW_PASSWORD);
    const old = await http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.email, password: PASSWORD });
    expectProblem(old, 401);
    const refreshed = await http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: before.refresh_token });
    expectProblem(refreshed, 401);
    // The link proved the address.
    const me = await http()
      .get('/api/v1/users/me')
      .set(bearer(await login(app, user.email, NEW_PASSWORD)));
    expect(me.body.email_verified).toBe(true);
  });

  it('refuses a used, expired, unknown or other-purpose link with one 400', async () => {
    const user = await newUser();
    const used = await resetToken(user.email);
    const spare = await resetToken(user.email);
    await confirm(used).expect(204);
    const reused = expectProblem(await confirm(used), 400);
    expect(reused.detail).toBe('The link is invalid or has expired.');
    // Setting the password spent every other reset link of the user.
    expectProblem(await confirm(spare), 400);

    const expired = await resetToken(user.email);
    await app
      .get(DataSource)
      .getRepository(EmailToken)
      .update({ tokenHash: hashLinkToken(expired) }, { expiresAt: new Date(Date.now() - 1000) });
    expectProblem(await confirm(expired), 400);

    expectProblem(await confirm('x'.repeat(43)), 400);
    expectProblem(await verify('unknown'), 400);
    // A verification link does not reset a password, nor a reset link verify.
    expectProblem(await confirm(user.verificationToken), 400);
    const reset = await resetToken(user.email);
    expectProblem(await verify(reset), 400);
    // Both still work for their own purpose.
    await verify(user.verificationToken).expect(204);
    await confirm(reset).expect(204);
  });

  it('lets only one of two concurrent uses of a link through', async () => {
    const user = await newUser();
    const token = await resetToken(user.email);
    const statuses = (await Promise.all([confirm(token), confirm(token)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([204, 400]);
  });

  it('gives an unknown address the same 202 and mails nothing', async () => {
    const email = uniqueEmail('nobody');
    const response = await http().post('/api/v1/auth/password-reset').send({ email });
    expect(response.status).toBe(202);
    expect(response.body).toEqual(ACCEPTED);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await app.get(MailSender).settled();
    expect(smtp.waiting(email)).toEqual([]);
  });

  it('mails an inactive user nothing, and refuses their links', async () => {
    const user = await newUser();
    const token = await resetToken(user.email);
    await app.get(DataSource).getRepository(User).update(user.id, { isActive: false });
    await http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await app.get(MailSender).settled();
    expect(smtp.waiting(user.email)).toEqual([]);
    expectProblem(await confirm(token), 400);
    expectProblem(await verify(user.verificationToken), 400);
  });

  it('verifies the address registration mails, and resends only while unverified', async () => {
    const email = uniqueEmail('verify');
    const created = await http()
      .post('/api/v1/auth/register')
      .send({ email, password: PASSWORD })
      .expect(201);
    expect(created.body.email_verified).toBe(false);
    const mail = await smtp.take(email);
    expect(mail.subject).toMatch(/^Verify your email address for /);
    expect(mail.text).toContain('within 24 hours:');
    const first = linkToken(mail, '/verify-email');
    expect(mail.text).toContain(`https://app.example/verify-email?token=${first}`);

    const tokens = await login(app, email);
    const resent = await http()
      .post('/api/v1/auth/verify-email/resend')
      .set(bearer(tokens))
      .expect(202);
    expect(resent.body).toEqual({ detail: 'A new verification link is on its way.' });
    const second = linkToken(await smtp.take(email), '/verify-email');
    expect(second).not.toBe(first);

    await verify(second).expect(204);
    const me = await http().get('/api/v1/users/me').set(bearer(tokens)).expect(200);
    expect(me.body.email_verified).toBe(true);
    const again = await http().post('/api/v1/auth/verify-email/resend').set(bearer(tokens));
    expect(expectProblem(again, 409).detail).toBe('The email address is already verified.');
    expectProblem(await http().post('/api/v1/auth/verify-email/resend'), 401);
  });

  it('unverifies a changed email and mails the new address', async () => {
    const user = await newUser();
    await verify(user.verificationToken).expect(204);
    const tokens = await login(app, user.email);
    const reset = await resetToken(user.email);

    // The same email again is no change.
    const same = await http()
      .patch('/api/v1/users/me')
      .set(bearer(tokens))
      .send({ email: user.email })
      .expect(200);
    expect(same.body.email_verified).toBe(true);

    const email = uniqueEmail('moved');
    const changed = await http()
      .patch('/api/v1/users/me')
      .set(bearer(tokens))
      .send({ email })
      .expect(200);
    expect(changed.body).toMatchObject({ email, email_verified: false });
    const token = linkToken(await smtp.take(email), '/verify-email');
    expect(smtp.waiting(user.email)).toEqual([]);
    // Links sent to the old address no longer work.
    expectProblem(await confirm(reset), 400);
    await verify(token).expect(204);
    const me = await http().get('/api/v1/users/me').set(bearer(tokens)).expect(200);
    expect(me.body.email_verified).toBe(true);
  });

  it('validates the bodies as every route does', async () => {
    expectInvalid(await http().post('/api/v1/auth/password-reset').send({}), 'body', 'email');
    expectInvalid(
      await http().post('/api/v1/auth/password-reset').send({ email: 'not-an-email' }),
      'body',
      'email',
    );
    expectInvalid(
      await http().post('/api/v1/auth/password-reset').send({ email: 'a@example.com', x: 1 }),
      'body',
      'x',
    );
    expectInvalid(await confirm('', NEW_PASSWORD), 'body', 'token');
    expectInvalid(await confirm('x'.repeat(129), NEW_PASSWORD), 'body', 'token');
    expectInvalid(await confirm('token', 'short'), 'body', 'new_password');
    expectInvalid(await verify(''), 'body', 'token');
    const wrongType = await http().post('/api/v1/auth/verify-email').send({ token: 5 });
    expect(expectProblem(wrongType, 422).errors).toEqual([
      { location: 'body', field: 'token', message: 'Must be a string' },
    ]);
    const malformed = await http()
      .post('/api/v1/auth/verify-email')
      .set('Content-Type', 'application/json')
      .send('{"token":');
    expectProblem(malformed, 400);
    const text = await http()
      .post('/api/v1/auth/password-reset')
      .set('Content-Type', 'text/plain')
      .send('a@example.com');
    expectProblem(text, 415);
  });
});

// With TEST_REDIS_URL (CI sets it), the limit is also checked on the Redis storage.
const storages: Array<[string, Record<string, string>]> = [['memory', {}]];
if (process.env.TEST_REDIS_URL) {
  storages.push(['redis', { REDIS_URL: process.env.TEST_REDIS_URL }]);
}

describe.each(storages)('account email rate limit with %s counters (e2e)', (_name, storage) => {
  let smtp: SmtpTestServer;
  let app: INestApplication<App>;
  let port: number;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ ...storage, SMTP_URL: smtp.url, EMAIL_RATE_LIMIT: '2/hour' });
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as unknown as Server).address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const reset = (from: string, email: string) =>
    postFrom(from, port, '/api/v1/auth/password-reset', { email });

  function expectLimited(response: {
    status: number;
    headers: Record<string, unknown>;
    body: unknown;
  }) {
    expect(response.status).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(3500);
    expect(response.body).toMatchObject({
      status: 429,
      detail: 'Too many email requests; try again after Retry-After seconds.',
    });
  }

  it('counts per client address', async () => {
    const [client, other] = [clientAddress(), clientAddress()];
    expect((await reset(client, uniqueEmail())).status).toBe(202);
    expect((await reset(client, uniqueEmail())).status).toBe(202);
    expectLimited(await reset(client, uniqueEmail()));
    // Another client is not held back.
    expect((await reset(other, uniqueEmail())).status).toBe(202);
  });

  it('counts per target address, known or not, whatever its case', async () => {
    const email = uniqueEmail('target');
    const [first, second, third] = [clientAddress(), clientAddress(), clientAddress()];
    expect((await reset(first, email)).status).toBe(202);
    expect((await reset(second, email.toUpperCase())).status).toBe(202);
    expectLimited(await reset(third, email));
  });

  it('limits verification resends by the same counts', async () => {
    const user = await register(app);
    const { access_token } = await login(app, user.email);
    const auth = { Authorization: `Bearer ${access_token}` };
    const [first, second, third, fourth] = [1, 2, 3, 4].map(() => clientAddress());
    const resend = (from: string) =>
      postFrom(from, port, '/api/v1/auth/verify-email/resend', undefined, auth);
    expect((await resend(first)).status).toBe(202);
    expect((await resend(second)).status).toBe(202);
    expectLimited(await resend(third));
    // A password reset for the same address counts toward the same target limit.
    expectLimited(await reset(fourth, user.email));
  });
});

describe('account email without a mail server (e2e)', () => {
  let info: jest.SpyInstance;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    info = jest.spyOn(PinoLogger.prototype, 'info');
    warn = jest.spyOn(PinoLogger.prototype, 'warn');
    error = jest.spyOn(PinoLogger.prototype, 'error');
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers at once while the SMTP server is down, and logs each failure', async () => {
    const app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    try {
      const user = await register(app);
      const started = performance.now();
      await request(app.getHttpServer())
        .post('/api/v1/auth/password-reset')
        .send({ email: user.email })
        .expect(202);
      // The request does not wait for the server (its first retry alone is 1 s away).
      expect(performance.now() - started).toBeLessThan(1_000);
      const failed = await eventually(() => {
        const lines = logged(warn, 'mail attempt failed');
        return lines.length >= 2 ? lines : undefined;
      });
      expect(failed[0]).toMatchObject({ to: user.email, attempt: 1 });
      expect(failed.map((line) => line.subject).sort()).toEqual([
        expect.stringMatching(/^Reset your /),
        expect.stringMatching(/^Verify your email address/),
      ]);
    } finally {
      await app.close();
    }
    // Still waiting for their next attempt when the process stopped.
    const lost = logged(error, 'mail not delivered');
    expect(lost).toHaveLength(2);
    expect(lost[0]).toEqual({ to: expect.any(String), subject: expect.any(String) });
    // No log line carries a link.
    expect(JSON.stringify([warn.mock.calls, error.mock.calls])).not.toContain('token=');
  });

  it('logs the message with its text outside production', async () => {
    const app = await startApp();
    try {
      const user = await register(app);
      const [line] = logged(info, 'mail not sent: SMTP_URL is not set');
      expect(line).toEqual({
        to: user.email,
        subject: expect.stringMatching(/^Verify your email address for /),
        text: expect.stringContaining('http://localhost:3000/verify-email?token='),
      });
      const token = /token=([A-Za-z0-9_-]+)/.exec(line.text as string)![1];
      await request(app.getHttpServer())
        .post('/api/v1/auth/verify-email')
        .send({ token })
        .expect(204);
    } finally {
      await app.close();
    }
  });

  it('warns once at start in production and never logs the text', async () => {
    const app = await startApp({ APP_ENV: 'production', JWT_SECRET: 'p'.repeat(32) });
    try {
      expect(warn.mock.calls.filter((call) => String(call[0]).includes('SMTP_URL'))).toHaveLength(
        1,
      );
      const user = await register(app);
      expect(logged(info, 'mail not sent: SMTP_URL is not set')).toEqual([
        { to: user.email, subject: expect.any(String) },
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('REQUIRE_VERIFIED_EMAIL (e2e)', () => {
  let smtp: SmtpTestServer;
  let app: INestApplication<App>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ SMTP_URL: smtp.url, REQUIRE_VERIFIED_EMAIL: 'true' });
  });

  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const signIn = (email: string, password = PASSWORD) =>
    request(app.getHttpServer())
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: email, password });

  it('refuses an unverified user after the password check, until the link is opened', async () => {
    const user = await register(app);
    const token = linkToken(await smtp.take(user.email));
    expectProblem(await signIn(user.email, 'wrong password'), 401);
    const refused = expectProblem(await signIn(user.email), 403);
    expect(refused.detail).toBe('The email address is not verified.');
    await request(app.getHttpServer())
      .post('/api/v1/auth/verify-email')
      .send({ token })
      .expect(204);
    expect((await signIn(user.email)).status).toBe(200);
  });

  it('tells an inactive user first that the account is deactivated', async () => {
    const user = await register(app);
    await app.get(DataSource).getRepository(User).update(user.id, { isActive: false });
    expect(expectProblem(await signIn(user.email), 403).detail).toBe(
      'This account is deactivated.',
    );
  });
});
