import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/**
 * A loopback address of its own for each client of the test, as a Redis database may
 * be shared by other runs (every address in 127.0.0.0/8 reaches this host).
 */
export function clientAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${a}.${b}.${Math.max(c, 2)}`;
}

/**
 * A POST from another client address (`from`, see clientAddress), for the limits counted
 * per client: a JSON body, or a form when `body` is URLSearchParams. The app must be
 * listening on 127.0.0.1:`port`.
 */
export function postFrom(
  from: string,
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const form = body instanceof URLSearchParams;
  const payload = form ? body.toString() : body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: from,
        headers: {
          ...(payload && {
            'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
          }),
          'Content-Length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
