import { Transform } from 'class-transformer';

/**
 * Query-string integers: decimal digits, optionally after a `-` (not `+5`, ` 5`, `1e1` or
 * `10.0`), at most 2**53 - 1 either way; anything else is left as a string so that
 * @IsInt() refuses it with a 422.
 */
export const ToInteger = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value)) return value;
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : value;
  });
