import {
  BadRequestException,
  HttpException,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';

import { problemFor, titleFor, UnprocessableContentException } from './problem';

describe('problemFor', () => {
  it('keeps the message of an HttpException', () => {
    expect(problemFor(new NotFoundException('Item not found'))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Item not found',
    });
    expect(problemFor(new HttpException('plain string', 409)).detail).toBe('plain string');
    expect(problemFor(new HttpException({ message: ['a', 'b'] }, 400)).detail).toBe('Bad Request.');
  });

  it('adds the field errors of a 422', () => {
    const errors = [
      { location: 'body' as const, field: 'email', message: 'email must be an email' },
    ];
    expect(problemFor(new UnprocessableContentException(errors))).toMatchObject({
      status: 422,
      title: 'Unprocessable Content',
      errors,
    });
  });

  it('explains a 429 without the exception class name', () => {
    const problem = problemFor(new ThrottlerException());
    expect(problem).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(problem.detail).not.toContain('ThrottlerException');
  });

  it('maps HTTP-layer errors by their status, with a fixed detail', () => {
    const tooLarge = Object.assign(new Error('FST_ERR_CTP_BODY_TOO_LARGE internals'), {
      statusCode: 413,
    });
    expect(problemFor(tooLarge)).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(problemFor(tooLarge).detail).toBe('The request body is larger than 1 MiB.');
    // Fastify's 415 for a media type it has no parser for; the guard's own words are kept.
    expect(problemFor(new UnsupportedMediaTypeException()).detail).toBe(
      'The request body must be sent as application/json.',
    );
    expect(problemFor(new UnsupportedMediaTypeException('Say it in CSV.')).detail).toBe(
      'Say it in CSV.',
    );
    // Express's adapter wraps body-parser's SyntaxError, words and all.
    const cause = new SyntaxError('Expected property name in JSON at position 1');
    expect(problemFor(new BadRequestException(cause.message, { cause })).detail).toBe(
      'The request body is not valid JSON.',
    );
    const uri = new URIError('URI malformed');
    expect(problemFor(new BadRequestException(uri.message, { cause: uri })).detail).toBe(
      'The request URL is malformed.',
    );
    expect(problemFor(Object.assign(new Error('x'), { status: 415 })).title).toBe(
      'Unsupported Media Type',
    );
    expect(problemFor(Object.assign(new Error('x'), { status: 418 })).title).toBe('Bad Request');
  });

  it('reveals nothing about other errors', () => {
    const problem = problemFor(new Error('SELECT * FROM users; connection refused'));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(problemFor(null).status).toBe(500);
    expect(problemFor(Object.assign(new Error('x'), { statusCode: 502 })).status).toBe(500);
  });

  it('titles every status', () => {
    expect(titleFor(400)).toBe('Bad Request');
    expect(titleFor(503)).toBe('Service Unavailable');
    expect(titleFor(599)).toBe('Internal Server Error');
    // Nest's default message, the reason phrase, becomes a sentence of it.
    expect(problemFor(new BadRequestException()).detail).toBe('Bad Request.');
  });
});
