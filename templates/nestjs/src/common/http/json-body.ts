import { BadRequestException } from '@nestjs/common';

import { Details } from '../messages';

/** JSON bodies: empty means absent (a 422 from validation); malformed is a 400 problem. */
export function parseJsonBody(_request: unknown, body: Buffer): Promise<unknown> {
  if (body.length === 0) return Promise.resolve(undefined);
  try {
    return Promise.resolve(JSON.parse(body.toString('utf8')));
  } catch {
    return Promise.reject(new BadRequestException(Details.bodyNotJson));
  }
}
