import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { ConfigService } from '@nestjs/config';
import type { PinoLogger } from 'nestjs-pino';

import type { Settings } from '../config/settings';
import { closedPort, startSmtpServer } from '../../test/smtp';
import { type Mail, MAIL_SENDER_DEFAULTS, MailSender, NOT_CONFIGURED } from './mail-sender';

const MAIL: Mail = {
  to: 'a@example.com',
  subject: 'Hello',
  text: 'Open https://app.example/?token=secret',
  html: '<a href="https://app.example/?token=secret">open</a>',
};

function fakeLogger() {
  return { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

function sender(settings: Partial<Settings>, logger = fakeLogger(), options = {}) {
  const values: Partial<Settings> = { APP_ENV: 'test', MAIL_FROM: 'from@example.com', ...settings };
  const config = { get: (key: keyof Settings) => values[key] } as ConfigService<Settings, true>;
  return new MailSender(config, logger as unknown as PinoLogger, options);
}

describe('MailSender', () => {
  it('waits 1 s, 2 s and 4 s between 4 attempts of 10 s at most, by default', () => {
    expect(MAIL_SENDER_DEFAULTS).toEqual({
      retryDelaysMs: [1_000, 2_000, 4_000],
      attemptTimeoutMs: 10_000,
    });
  });

  it('delivers a multipart message and logs it sent', async () => {
    const smtp = await startSmtpServer();
    const logger = fakeLogger();
    const mailer = sender({ SMTP_URL: `smtp://user%40x:p%3Ass@127.0.0.1:${smtp.port}` }, logger);
    try {
      mailer.send(MAIL);
      await mailer.settled();
      const received = await smtp.take('a@example.com');
      expect(received.subject).toBe('Hello');
      expect(received.text?.trim()).toBe(MAIL.text);
      expect(received.html).toBe(MAIL.html);
      expect(received.from?.text).toBe('from@example.com');
      expect(smtp.raw[0]).toMatch(/multipart\/alternative/i);
      expect(smtp.logins).toEqual([{ username: 'user@x', password: 'p:ss' }]);
      expect(logger.info).toHaveBeenCalledWith({ to: MAIL.to, subject: MAIL.subject }, 'mail sent');
    } finally {
      mailer.onApplicationShutdown();
      await smtp.close();
    }
  });

  it('tries 4 times in all, then logs the message not delivered', async () => {
    const logger = fakeLogger();
    const mailer = sender({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` }, logger, {
      retryDelaysMs: [0, 0, 0],
    });
    mailer.send(MAIL);
    await mailer.settled();
    const fields = { to: MAIL.to, subject: MAIL.subject };
    expect(logger.warn.mock.calls.map((call) => call[1] as unknown)).toEqual(
      Array(3).fill('mail attempt failed'),
    );
    expect(logger.warn.mock.calls.map((call) => (call[0] as { attempt: number }).attempt)).toEqual([
      1, 2, 3,
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining(fields),
      'mail attempt failed',
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ ...fields, attempts: 4 }),
      'mail not delivered',
    );
    expect(JSON.stringify([logger.warn.mock.calls, logger.error.mock.calls])).not.toContain(
      'secret',
    );
    mailer.onApplicationShutdown();
  });

  it('gives an attempt up after its timeout', async () => {
    // Accepts connections and never says a word.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const logger = fakeLogger();
    const mailer = sender({ SMTP_URL: `smtp://127.0.0.1:${port}` }, logger, {
      retryDelaysMs: [],
      attemptTimeoutMs: 200,
    });
    try {
      const started = performance.now();
      mailer.send(MAIL);
      await mailer.settled();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ attempts: 1 }),
        'mail not delivered',
      );
    } finally {
      mailer.onApplicationShutdown();
      silent.close();
    }
  });

  it('logs what is still waiting at shutdown as not delivered, and stops trying', async () => {
    const logger = fakeLogger();
    const mailer = sender({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` }, logger, {
      retryDelaysMs: [60_000],
    });
    mailer.send(MAIL);
    for (let i = 0; i < 100 && logger.warn.mock.calls.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    mailer.onApplicationShutdown();
    await mailer.settled();
    expect(logger.error.mock.calls).toEqual([
      [{ to: MAIL.to, subject: MAIL.subject }, 'mail not delivered'],
    ]);
  });

  it('without SMTP_URL logs the message instead: its text outside production only', () => {
    const logger = fakeLogger();
    const development = sender({}, logger);
    development.onApplicationBootstrap();
    development.send(MAIL);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      { to: MAIL.to, subject: MAIL.subject, text: MAIL.text },
      NOT_CONFIGURED,
    );

    const production = fakeLogger();
    const mailer = sender({ APP_ENV: 'production' }, production);
    mailer.onApplicationBootstrap();
    mailer.send(MAIL);
    expect(production.warn).toHaveBeenCalledTimes(1);
    expect(production.info).toHaveBeenCalledWith(
      { to: MAIL.to, subject: MAIL.subject },
      NOT_CONFIGURED,
    );
    mailer.onApplicationShutdown();
  });
});
