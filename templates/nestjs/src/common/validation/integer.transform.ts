import { Transform } from 'class-transformer';

/**
 * Query-string integers written plainly (`10`, not `1e1` or `10.0`); anything else is left
 * as a string so that @IsInt() refuses it with a 422.
 */
export const ToInteger = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || !/^[+-]?\d+$/.test(value)) return value;
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : value;
  });
