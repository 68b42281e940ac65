import { Transform } from 'class-transformer';

/**
 * Query-string integers: decimal digits, optionally after a `-` (not `+5`, ` 5`, `1e1` or
 * `10.0`); anything else is left as a string so that @IsInt() refuses it with a 422. A
 * number too large to be exact is still one, so that @Max() names the bound it breaks.
 */
export const ToInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value,
  );
