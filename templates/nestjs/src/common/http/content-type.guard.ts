import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { Details } from '../messages';

const CONSUMES_KEY = 'consumes';

/** The media type a route's body must have; JSON unless a route says otherwise. */
export const Consumes = (mediaType: string) => SetMetadata(CONSUMES_KEY, mediaType);

/** Answers 415 when a request carries a body of another media type than the route takes. */
@Injectable()
export class ContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined> }>();
    const { headers } = request;
    const hasBody =
      headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (!hasBody) return true;
    const expected =
      this.reflector.getAllAndOverride<string>(CONSUMES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'application/json';
    const actual = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (actual !== expected) {
      throw new UnsupportedMediaTypeException(Details.unsupportedMediaType([expected]));
    }
    return true;
  }
}
