import type { TransformFnParams } from 'class-transformer';

/** Emails are compared and stored lower-cased and trimmed. */
export const normalizeEmail = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
