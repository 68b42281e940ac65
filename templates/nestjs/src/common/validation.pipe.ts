import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

import { type FieldError, UnprocessableContentException } from './problem';

class InvalidInput extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('invalid input');
  }
}

const LOCATIONS = { body: 'body', query: 'query', param: 'path' } as const;

/**
 * The global ValidationPipe, reporting failures as 422 problems with
 * `errors: [{location, field, message}]`. Bodies refuse unknown fields; query strings
 * ignore them (as browsers and proxies add their own).
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidInput(errors),
  });
  private readonly lenient = new ValidationPipe({
    whitelist: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidInput(errors),
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const location = LOCATIONS[metadata.type];
    const isDto = typeof metadata.metatype === 'function' && metadata.metatype.name !== 'Object';
    if (location === 'body' && isDto && !isPlainObject(value)) {
      throw new UnprocessableContentException([
        { location, field: '', message: 'The body must be a JSON object' },
      ]);
    }
    try {
      return await (location === 'body' ? this.strict : this.lenient).transform(value, metadata);
    } catch (error) {
      if (error instanceof InvalidInput) {
        throw new UnprocessableContentException(flatten(error.errors, location));
      }
      throw error;
    }
  }
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
