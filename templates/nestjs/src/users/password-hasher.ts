import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** Argon2id, off the event loop (argon2's hashing runs on libuv's thread pool). */
@Injectable()
export class PasswordHasher {
  // Verified against when the user is unknown, so that both failures take as long.
  private readonly dummyHash = argon2.hash('not-a-real-password');

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.dummyHash), password);
    } catch {
      return false;
    }
  }
}
