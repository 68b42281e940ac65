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
import { FieldMessages } from '../messages';

class InvalidInput extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('invalid input');
  }
}

const LOCATIONS = { body: 'body', query: 'query', param: 'path' } as const;

const IGNORES_UNKNOWN_FIELDS = 'ignoresUnknownFields';

/** The field message for a query parameter given more than once (`?limit=5&limit=6`). */

/**
 * A body DTO whose unknown fields are dropped instead of refused, for a protocol that
 * requires it (an OAuth2 token request ignores parameters it does not know).
 */
export const IgnoresUnknownFields = () => SetMetadata(IGNORES_UNKNOWN_FIELDS, true);

/**
 * What bodies and query strings share; bodies alone also forbid unknown fields. Every
 * constraint of a field is checked (no stopAtFirstError: it kept whichever failed first in
 * registration order, and decorators register bottom-up, so `?limit=abc` was reported by
 * @Max(100)), and messageFor() picks the one to report. Each error keeps its target, the
 * DTO instance, for the constraints' parameters; the errors themselves are never sent.
 */
const PIPE_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  transform: true,
  validationError: { target: true, value: true },
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
    const ignoresUnknown = isDto && this.reflector.get<boolean>(IGNORES_UNKNOWN_FIELDS, metatype);
    // A form sent with no fields at all (no body) is one whose fields are each missing.
    if (location === 'body' && ignoresUnknown && value === undefined) value = {};
    if (location === 'body' && isDto) {
      if (!isPlainObject(value)) {
        const message =
          value === undefined
            ? FieldMessages.fieldRequired
            : value === null
              ? FieldMessages.notNull
              : FieldMessages.notObject;
        throw new UnprocessableContentException([{ location, field: '', message }]);
      }
      const tooDeep = findTooDeep(value);
      if (tooDeep !== null) {
        const message = FieldMessages.tooDeep(MAX_DEPTH);
        throw new UnprocessableContentException([{ location, field: tooDeep, message }]);
      }
    }
    const unsafe = location === 'body' && isDto ? unsafeFields(metatype, value) : new Set<string>();
    if (location === 'query' && isDto) {
      const repeated = repeatedFields(metatype, value);
      if (repeated.length > 0) {
        throw new UnprocessableContentException(
          repeated.map((field) => ({ location, field, message: FieldMessages.singleValue })),
        );
      }
    }
    const refusesUnknown = location === 'body' && !ignoresUnknown;
    let errors: ValidationError[] = [];
    let result: unknown;
    try {
      result = await (refusesUnknown ? this.strict : this.lenient).transform(value, metadata);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      errors = error.errors;
    }
    if (errors.length > 0 || unsafe.size > 0) {
      throw new UnprocessableContentException(flatten(errors, location, unsafe));
    }
    return result;
  }
}

type Dto = abstract new () => unknown;

const FIELDS = new WeakMap<Dto, readonly string[]>();

/**
 * The DTO's validated fields, once each, in declaration order: read from class-validator's
 * metadata once per class rather than on every request, as the lookup walks every
 * constraint of the class and its parents.
 */
function fieldsOf(dto: Dto): readonly string[] {
  let fields = FIELDS.get(dto);
  if (fields === undefined) {
    const names = getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((metadata) => metadata.propertyName);
    fields = [...new Set(names)];
    FIELDS.set(dto, fields);
  }
  return fields;
}

/**
 * The DTO's fields, in declaration order, that the query string gives more than once: both
 * adapters parse `?a=1&a=2` into an array, which no query field takes.
 */
function repeatedFields(dto: Dto, query: unknown): string[] {
  if (typeof query !== 'object' || query === null) return [];
  return fieldsOf(dto).filter((field) => Array.isArray((query as Record<string, unknown>)[field]));
}

/** JSON bodies nest objects and arrays at most this deep, the body itself counting as one. */
const MAX_DEPTH = 32;
// NUL cannot be stored in PostgreSQL text; a lone surrogate is not a character at all.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Walks the body iteratively before class-transformer does (recursively): a body nested
 * deeper than any DTO is a 422 rather than a stack overflow. The path of the first
 * container past the limit, in document order.
 */
function findTooDeep(body: unknown): string | null {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'object' && value !== null) {
      if (path.length >= MAX_DEPTH) return path.join('.');
      // Pushed in reverse, so that they pop in document order: the first offender is named.
      for (const [key, child] of Object.entries(value).reverse())
        stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

/**
 * The DTO's fields holding text no database can store. Each is that field's one error,
 * beside the other fields' own; a string deeper in the body sits in a field of another
 * type, which says so.
 */
function unsafeFields(dto: Dto, body: unknown): ReadonlySet<string> {
  const values = body as Record<string, unknown>;
  return new Set(
    fieldsOf(dto).filter((field) => {
      const value = values[field];
      return typeof value === 'string' && (value.includes('\u0000') || LONE_SURROGATE.test(value));
    }),
  );
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One error per failed field, ordered as the contract says: by field, in code point order
 * (UTF-8 byte order is code point order, as Python sorts strings; UTF-16 order is not).
 */
function flatten(
  errors: ValidationError[],
  location: FieldError['location'],
  unsafe: ReadonlySet<string> = new Set(),
): FieldError[] {
  const found = collect(errors, location, '').filter((error) => !unsafe.has(error.field));
  const texts = [...unsafe].map((field) => ({
    location,
    field,
    message: FieldMessages.unsafeText,
  }));
  return [...found, ...texts].sort((a, b) =>
    Buffer.compare(Buffer.from(a.field), Buffer.from(b.field)),
  );
}

function collect(
  errors: ValidationError[],
  location: FieldError['location'],
  parent: string,
): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ location, field, message: messageFor(error) }] : [];
    return [...own, ...collect(error.children ?? [], location, field)];
  });
}

type Rule = (value: unknown, constraints: readonly unknown[]) => string;

// In code points, as validator.js counts them for the length rules (a UTF-16 pair is one).
const length = (value: unknown) => [...(value as string)].length;

/**
 * class-validator's constraint names, in the order a failure is reported: type before
 * format before range. Whatever failed, a missing, null or unknown field says so first.
 */
const RULES: ReadonlyArray<readonly [string, Rule]> = [
  ['isString', () => FieldMessages.notString],
  ['isInt', () => FieldMessages.notInteger],
  ['isBoolean', () => FieldMessages.notBoolean],
  ['isEmail', () => FieldMessages.invalidEmail],
  ['isUuid', () => FieldMessages.invalidUuid],
  ['isIn', (_value, [choices]) => FieldMessages.notOneOf(choices as string[])],
  ['matches', (_value, [pattern]) => patternMessage(pattern as RegExp)],
  [
    'isLength',
    (value, [min, max]) =>
      length(value) < (min as number)
        ? FieldMessages.tooShort(min as number)
        : FieldMessages.tooLong(max as number),
  ],
  ['minLength', (_value, [min]) => FieldMessages.tooShort(min as number)],
  ['maxLength', (_value, [max]) => FieldMessages.tooLong(max as number)],
  ['min', (_value, [min]) => FieldMessages.tooSmall(min as number)],
  ['max', (_value, [max]) => FieldMessages.tooBig(max as number)],
];
/** Rules that only hold for a string, or a number: any other value breaks the type first. */
const STRING_RULES = new Set([
  'isEmail',
  'isUuid',
  'matches',
  'isLength',
  'minLength',
  'maxLength',
]);
const NUMBER_RULES = new Set(['min', 'max']);

function messageFor(error: ValidationError): string {
  const failed = new Set(Object.keys(error.constraints ?? {}));
  const value: unknown = error.value;
  if (failed.has('whitelistValidation')) return FieldMessages.unknownField;
  if (value === undefined) return FieldMessages.fieldRequired;
  if (value === null) return FieldMessages.notNull;
  const broken = [...failed];
  if (typeof value !== 'string' && broken.some((name) => STRING_RULES.has(name))) {
    return FieldMessages.notString;
  }
  if (typeof value !== 'number' && broken.some((name) => NUMBER_RULES.has(name))) {
    return FieldMessages.notInteger;
  }
  const rule = RULES.find(([name]) => failed.has(name));
  return rule ? rule[1](value, constraintsOf(error, rule[0])) : FieldMessages.invalidValue;
}

/** The parameters the DTO gave a constraint (`[8, 128]` for @Length(8, 128)). */
function constraintsOf(error: ValidationError, name: string): readonly unknown[] {
  const target = (error.target as object | undefined)?.constructor;
  if (target === undefined) return [];
  const rule = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((metadata) => metadata.propertyName === error.property && metadata.name === name);
  return (rule?.constraints as unknown[] | undefined) ?? [];
}

function patternMessage(pattern: RegExp): string {
  // The OAuth2 token request's grant_type, worded as FastAPI's form words it.
  return pattern.source === '^password$'
    ? FieldMessages.notPasswordGrant
    : FieldMessages.patternMismatch(pattern.source);
}
