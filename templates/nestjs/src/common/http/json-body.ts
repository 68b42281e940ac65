import { parse as parseQueryString } from 'node:querystring';

import { BadRequestException } from '@nestjs/common';

import { Details } from '../messages';

// `fatal`: bad bytes are an error, never U+FFFD stored in their place. `ignoreBOM` keeps a
// byte order mark in the text, where JSON.parse refuses it (RFC 8259 §8.1 forbids it).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(body: Uint8Array, message: string): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new BadRequestException(message);
  }
}

/** A JSON body's bytes: UTF-8 without a byte order mark, or a 400. */
export function checkJsonBody(body: Uint8Array): string {
  const text = decode(body, Details.bodyNotJson);
  if (text.startsWith('\uFEFF')) throw new BadRequestException(Details.bodyNotJson);
  return text;
}

/** A form body's bytes, and the bytes its %-escapes stand for: UTF-8, or a 400. */
export function checkFormBody(body: Uint8Array): string {
  const text = decode(body, Details.bodyNotUtf8);
  // Each run of escapes is a byte sequence; a `%` not followed by two hex digits is itself.
  for (const escapes of text.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? []) {
    decode(Buffer.from(escapes.replaceAll('%', ''), 'hex'), Details.bodyNotUtf8);
  }
  return text;
}

/** JSON bodies: empty means absent (a 422 from validation); malformed is a 400 problem. */
export function parseJsonBody(_request: unknown, body: Buffer): Promise<unknown> {
  if (body.length === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const text = checkJsonBody(body);
    try {
      resolve(JSON.parse(text));
    } catch {
      throw new BadRequestException(Details.bodyNotJson);
    }
  });
}

/** Form bodies, checked as checkFormBody() says; `__proto__` is refused as Nest's parser does. */
export function parseFormBody(_request: unknown, body: Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    // A null-prototype object, where `__proto__` would be an ordinary key: copied onto a
    // DTO, it would replace the DTO's prototype.
    const fields = parseQueryString(checkFormBody(body));
    if (Object.hasOwn(fields, '__proto__')) {
      throw new BadRequestException('Object contains forbidden prototype property');
    }
    resolve(fields);
  });
}
