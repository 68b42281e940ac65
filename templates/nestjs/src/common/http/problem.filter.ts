import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpStatus,
  Logger,
  MethodNotAllowedException,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { TooManyRequestsException } from '../../throttling/email-rate-limiter';
import { Details } from '../messages';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problem';
import { RouteTable } from './route-table';

/** Turns every error, from a handler or from the HTTP layer, into an RFC 9457 problem. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly routes: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ method: string; url: string }>();
    const response = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;

    let error = exception;
    let allow: string[] = [];
    if (exception instanceof NotFoundException && !this.routes.matched(request)) {
      // Nest answers every unknown method+path with 404; tell "wrong method" apart.
      allow = this.routes.allowedMethods(String(adapter.getRequestUrl(request)));
      error =
        allow.length > 0
          ? new MethodNotAllowedException(Details.methodNotAllowed)
          : new NotFoundException(Details.notFound);
    }

    const problem = problemFor(error);
    if (problem.status >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    if (problem.status === (HttpStatus.UNAUTHORIZED as number)) {
      adapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
    }
    if (error instanceof TooManyRequestsException) {
      adapter.setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
    }
    if (allow.length > 0) {
      adapter.setHeader(response, 'Allow', allow.join(', '));
    }
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    adapter.reply(response, JSON.stringify(problem), problem.status);
  }
}
