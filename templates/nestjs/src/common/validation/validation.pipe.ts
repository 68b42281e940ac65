import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  SetMetadata,
  ValidationError,
  ValidationPipe,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';

import { type FieldError, UnprocessableContentException } from '../http/problem';

class InvalidInput extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('invalid input');
  }
}

const LOCATIONS = { body: 'body', query: 'query', param: 'path' } as const;

const IGNORES_UNKNOWN_FIELDS = 'ignoresUnknownFields';

/** The field message for a query parameter given more than once (`?limit=5&limit=6`). */
export const SINGLE_VALUE = 'Must be a single value';

/**
 * A body DTO whose unknown fields are dropped instead of refused, for a protocol that
 * requires it (an OAuth2 token request ignores parameters it does not know).
 */
export const IgnoresUnknownFields = () => SetMetadata(IGNORES_UNKNOWN_FIELDS, true);

/** What bodies and query strings share; bodies alone also forbid unknown fields. */
const PIPE_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => new InvalidInput(errors),
};

/**
 * The global ValidationPipe, reporting failures as 422 problems with
 * `errors: [{location, field, message}]`. Bodies refuse unknown fields unless their DTO
 * is marked @IgnoresUnknownFields(); query strings ignore them (as browsers and proxies
 * add their own).
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...PIPE_OPTIONS, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe(PIPE_OPTIONS);

  constructor(private readonly reflector: Reflector) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const location = LOCATIONS[metadata.type];
    const { metatype } = metadata;
    const isDto = typeof metatype === 'function' && metatype.name !== 'Object';
    if (location === 'body' && isDto) {
      if (!isPlainObject(value)) {
        throw new UnprocessableContentException([
          { location, field: '', message: 'The body must be a JSON object' },
        ]);
      }
      const unsafe = findUnsafeValue(value);
      if (unsafe) throw new UnprocessableContentException([{ location, ...unsafe }]);
    }
    if (location === 'query' && isDto) {
      const repeated = repeatedFields(metatype, value);
      if (repeated.length > 0) {
        throw new UnprocessableContentException(
          repeated.map((field) => ({ location, field, message: SINGLE_VALUE })),
        );
      }
    }
    const refusesUnknown =
      location === 'body' &&
      !(isDto && this.reflector.get<boolean>(IGNORES_UNKNOWN_FIELDS, metatype));
    try {
      return await (refusesUnknown ? this.strict : this.lenient).transform(value, metadata);
    } catch (error) {
      if (error instanceof InvalidInput) {
        throw new UnprocessableContentException(flatten(error.errors, location));
      }
      throw error;
    }
  }
}

/**
 * The DTO's fields, in declaration order, that the query string gives more than once: both
 * adapters parse `?a=1&a=2` into an array, which no query field takes.
 */
function repeatedFields(dto: abstract new () => unknown, query: unknown): string[] {
  if (typeof query !== 'object' || query === null) return [];
  const fields = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((metadata) => metadata.propertyName);
  return [...new Set(fields)].filter((field) =>
    Array.isArray((query as Record<string, unknown>)[field]),
  );
}

/** JSON bodies nest objects and arrays at most this deep, the body itself counting as one. */
const MAX_DEPTH = 32;
// NUL cannot be stored in PostgreSQL text; a lone surrogate is not a character at all.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Walks the body iteratively before class-transformer does (recursively): a body nested
 * deeper than any DTO, or text no database can store, is a 422 rather than a 500.
 */
function findUnsafeValue(body: unknown): { field: string; message: string } | null {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string' && (value.includes('\u0000') || LONE_SURROGATE.test(value))) {
      return {
        field: path.join('.'),
        message: 'must not contain NUL or unpaired surrogate characters',
      };
    }
    if (typeof value === 'object' && value !== null) {
      if (path.length >= MAX_DEPTH) {
        return {
          field: path.join('.'),
          message: `Must not be nested more than ${MAX_DEPTH} levels deep`,
        };
      }
      // Pushed in reverse, so that they pop in document order: the first offender is named.
      for (const [key, child] of Object.entries(value).reverse())
        stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(
  errors: ValidationError[],
  location: FieldError['location'],
  parent = '',
): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      location,
      field,
      message,
    }));
    return [...own, ...flatten(error.children ?? [], location, field)];
  });
}
