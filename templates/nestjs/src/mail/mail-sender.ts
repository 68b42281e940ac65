import { setTimeout as sleep } from 'node:timers/promises';

import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { createTransport, type Transporter } from 'nodemailer';

import { parseSmtpUrl, type Settings } from '../config/settings';

/** One message, ready to send. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailSenderOptions {
  /** The waits between attempts: there is one attempt more than waits. */
  readonly retryDelaysMs: readonly number[];
  /** How long one attempt (connect, greeting, the message) may take. */
  readonly attemptTimeoutMs: number;
}

/** The contract's: 4 attempts, 1 s, 2 s and 4 s apart, 10 s each at most. */
export const MAIL_SENDER_DEFAULTS: MailSenderOptions = {
  retryDelaysMs: [1_000, 2_000, 4_000],
  attemptTimeoutMs: 10_000,
};

/** Overrides MAIL_SENDER_DEFAULTS (tests keep their waits short with it). */
export const MAIL_SENDER_OPTIONS = Symbol('MAIL_SENDER_OPTIONS');

export const NOT_CONFIGURED = 'mail not sent: SMTP_URL is not set';

/**
 * Sends mail off the request path: send() hands a message over and returns at once, and
 * the delivery, with its retries, runs in the background of this process. Every outcome
 * is one log line with `to` and `subject` (never the body: it holds a link, which is a
 * credential). Without SMTP_URL the message is logged instead, with its text outside
 * production so that development needs no mail server.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;
  private readonly production: boolean;
  private readonly options: MailSenderOptions;
  /** Messages handed over and not yet sent or given up on, with their deliveries. */
  private readonly pending = new Map<Mail, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    config: ConfigService<Settings, true>,
    private readonly logger: PinoLogger,
    @Optional() @Inject(MAIL_SENDER_OPTIONS) options?: Partial<MailSenderOptions>,
  ) {
    this.logger.setContext(MailSender.name);
    this.options = { ...MAIL_SENDER_DEFAULTS, ...options };
    this.from = config.get('MAIL_FROM', { infer: true });
    this.production = config.get('APP_ENV', { infer: true }) === 'production';
    const url = config.get('SMTP_URL', { infer: true });
    const timeout = this.options.attemptTimeoutMs;
    // No `pool`: a connection per message, so a server that restarts costs no stale socket.
    // nodemailer upgrades a plain connection with STARTTLS whenever the server offers it.
    this.transport = url
      ? createTransport({
          ...parseSmtpUrl(url),
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout,
        })
      : null;
  }

  onApplicationBootstrap(): void {
    if (this.transport === null && this.production) {
      this.logger.warn(
        'SMTP_URL is not set: account email is not sent, only logged without its text',
      );
    }
  }

  /** Hands `mail` to the background sender; never waits for the mail server, never throws. */
  send(mail: Mail): void {
    const fields = { to: mail.to, subject: mail.subject };
    if (this.transport === null) {
      this.logger.info(this.production ? fields : { ...fields, text: mail.text }, NOT_CONFIGURED);
      return;
    }
    const delivery = this.deliver(this.transport, mail).finally(() => this.pending.delete(mail));
    this.pending.set(mail, delivery);
  }

  /** Resolves once every message handed over so far is sent or given up on. */
  async settled(): Promise<void> {
    await Promise.all(this.pending.values());
  }

  /** What is still waiting is lost with the process: each one is logged as not delivered. */
  onApplicationShutdown(): void {
    this.stopping.abort();
    for (const mail of this.pending.keys()) {
      this.logger.error({ to: mail.to, subject: mail.subject }, 'mail not delivered');
    }
    this.pending.clear();
    this.transport?.close();
  }

  private async deliver(transport: Transporter, mail: Mail): Promise<void> {
    const fields = { to: mail.to, subject: mail.subject };
    const { retryDelaysMs } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.attempt(transport, mail);
        this.logger.info(fields, 'mail sent');
        return;
      } catch (error) {
        // Stopped meanwhile: onApplicationShutdown() has logged it.
        if (this.stopping.signal.aborted) return;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt > retryDelaysMs.length) {
          this.logger.error({ ...fields, attempts: attempt, error: reason }, 'mail not delivered');
          return;
        }
        this.logger.warn({ ...fields, attempt, error: reason }, 'mail attempt failed');
        try {
          await sleep(retryDelaysMs[attempt - 1], undefined, {
            signal: this.stopping.signal,
            ref: false,
          });
        } catch {
          return; // stopped while waiting
        }
      }
    }
  }

  /** One attempt, given up after attemptTimeoutMs whatever the server does. */
  private async attempt(transport: Transporter, mail: Mail): Promise<void> {
    const { attemptTimeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${attemptTimeoutMs} ms`)),
        attemptTimeoutMs,
      ).unref();
    });
    try {
      await Promise.race([
        transport.sendMail({
          from: this.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
