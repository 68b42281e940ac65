import { type ExecutionContext, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { Consumes, ContentTypeGuard } from './content-type.guard';

class Controller {
  json(): void {}

  @Consumes('application/x-www-form-urlencoded')
  form(): void {}
}

function contextFor(handler: () => void, headers: Record<string, string>): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => Controller,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  } as unknown as ExecutionContext;
}

describe('ContentTypeGuard', () => {
  const guard = new ContentTypeGuard(new Reflector());
  const { json, form } = Controller.prototype;

  it('ignores requests without a body', () => {
    expect(guard.canActivate(contextFor(json, {}))).toBe(true);
    expect(
      guard.canActivate(contextFor(json, { 'content-length': '0', 'content-type': 'text/plain' })),
    ).toBe(true);
  });

  it('accepts the route’s media type, parameters and case aside', () => {
    const headers = { 'content-length': '2', 'content-type': 'Application/JSON; charset=utf-8' };
    expect(guard.canActivate(contextFor(json, headers))).toBe(true);
    const formHeaders = {
      'transfer-encoding': 'chunked',
      'content-type': 'application/x-www-form-urlencoded',
    };
    expect(guard.canActivate(contextFor(form, formHeaders))).toBe(true);
  });

  it('answers 415 for another media type', () => {
    const text = { 'content-length': '2', 'content-type': 'text/plain' };
    expect(() => guard.canActivate(contextFor(json, text))).toThrow(UnsupportedMediaTypeException);
    const json415 = { 'content-length': '2', 'content-type': 'application/json' };
    expect(() => guard.canActivate(contextFor(form, json415))).toThrow(
      UnsupportedMediaTypeException,
    );
    expect(() => guard.canActivate(contextFor(json, { 'content-length': '2' }))).toThrow(
      UnsupportedMediaTypeException,
    );
  });
});
