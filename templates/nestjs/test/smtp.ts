import { createServer, type AddressInfo } from 'node:net';

import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it receives, for the mail tests. */
export interface SmtpTestServer {
  /** `smtp://127.0.0.1:PORT`, for SMTP_URL. */
  readonly url: string;
  readonly port: number;
  /** The raw source of each message received, and the logins (AUTH) offered. */
  readonly raw: string[];
  readonly logins: Array<{ username: string; password: string }>;
  /** The next message to `to` not taken yet, waiting up to 5 s for it to arrive. */
  take(to: string): Promise<ParsedMail>;
  /** The messages to `to` not taken yet. */
  waiting(to: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<SmtpTestServer> {
  const inbox: ParsedMail[] = [];
  const raw: string[] = [];
  const logins: Array<{ username: string; password: string }> = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS (its certificate would be self-signed).
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const source = Buffer.concat(chunks);
        raw.push(source.toString('utf8'));
        simpleParser(source).then(
          (mail) => {
            inbox.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const waiting = (to: string) => inbox.filter((mail) => recipient(mail) === to);
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    raw,
    logins,
    waiting,
    async take(to) {
      for (let waited = 0; waited < 5_000; waited += 20) {
        const [mail] = waiting(to);
        if (mail) {
          inbox.splice(inbox.indexOf(mail), 1);
          return mail;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no mail to ${to} within 5 s`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recipient(mail: ParsedMail): string | undefined {
  const to = mail.to as AddressObject | undefined;
  return to?.value[0]?.address;
}

/** The token of the link in a message's plain-text part. */
export function linkToken(mail: ParsedMail, path = '/'): string {
  const match = new RegExp(`${path}[a-z-]*\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no link in: ${mail.text}`);
  return match[1];
}

/** A loopback port where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
