import { HttpException, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';

import { Details } from '../messages';

/** RFC 9110 reason phrases used as problem titles. */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  location: 'body' | 'query' | 'path';
  /** Dotted path inside the location (`email`, `tags.0`); empty for the whole body. */
  field: string;
  message: string;
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** 422 with the field-level reasons, the same shape for body, query and path. */
export class UnprocessableContentException extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super(Details.invalidRequest, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

/** Safe details for errors raised by the HTTP layer itself (body parsers, routing). */
const FRAMEWORK_DETAILS: Readonly<Record<number, string>> = {
  400: Details.bodyNotJson,
  404: Details.notFound,
  405: Details.methodNotAllowed,
  413: Details.bodyTooLarge,
  415: Details.unsupportedMediaType(['application/json']),
};

export function titleFor(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/**
 * The problem document for any thrown value. Nest's HttpExceptions keep their
 * message; errors from the HTTP layer (they carry a 4xx `statusCode`) get a fixed
 * detail; anything else is a 500 that reveals nothing about its cause.
 */
export function problemFor(error: unknown): Problem {
  if (error instanceof UnprocessableContentException) {
    return { ...base(422, error.message), errors: error.errors };
  }
  if (error instanceof ThrottlerException) {
    return base(429, Details.tooManyLoginAttempts);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : (response as { message?: unknown }).message;
    // Nest's default message is the reason phrase: a sentence of it, as FastAPI's is.
    const own = typeof message === 'string' && message !== '' && message !== titleFor(status);
    // The adapters wrap the HTTP layer's errors (a body parser's, a bad %-escape in the URL)
    // in HttpExceptions that carry the parser's words; those, 413 (only the HTTP layer answers
    // it) and a wordless 415 (ContentTypeGuard's name the route's type) get fixed details.
    // One of our own checks, thrown inside the adapter's body parser (Express's `verify`).
    if (error.cause instanceof HttpException) return problemFor(error.cause);
    if (error.cause instanceof URIError) return base(status, Details.urlMalformed);
    if (error.cause instanceof Error || status === 413 || (status === 415 && !own)) {
      return base(status, FRAMEWORK_DETAILS[status] ?? `${titleFor(status)}.`);
    }
    return base(status, own ? message : `${titleFor(status)}.`);
  }
  const status =
    (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ??
    (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return base(status, FRAMEWORK_DETAILS[status] ?? `${titleFor(status)}.`);
  }
  return base(500, Details.internalError);
}

function base(status: number, detail: string): Problem {
  return { type: 'about:blank', title: titleFor(status), status, detail };
}
