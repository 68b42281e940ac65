import { Transform } from 'class-transformer';

/** Emails are compared and stored lower-cased and trimmed (sign-up, login, the first admin). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** normalizeEmail() on a DTO field; a value that is not a string is left to the validators. */
export const ToNormalizedEmail = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeEmail(value) : value,
  );
