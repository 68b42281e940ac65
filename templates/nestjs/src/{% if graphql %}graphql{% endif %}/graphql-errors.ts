import { HttpException, Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { problemFor } from '../common/http/problem';
import { Details } from '../common/messages';

/** The code of a field's error, by the status REST answers the same failure with. */
const CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'BAD_USER_INPUT',
};

const INTERNAL = 'INTERNAL_SERVER_ERROR';

const logger = new Logger('GraphQL');

/**
 * Apollo's formatError: every error gets its `extensions.code` and nothing else there (no
 * stack trace, no exception text). A service's HttpException reads as REST's problem
 * would (detail, and a 422's `errors`); Apollo's own request errors keep their words but
 * the one the contract words itself; anything else is logged with its stack and answered
 * INTERNAL_SERVER_ERROR.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const { locations, path } = formatted;
  const cause = unwrapResolverError(error);
  if (cause instanceof HttpException) {
    const problem = problemFor(cause);
    const code = CODES[problem.status];
    if (code !== undefined) {
      const extensions = { code, ...(problem.errors && { errors: problem.errors }) };
      return { message: problem.detail, locations, path, extensions };
    }
  }
  const code = formatted.extensions?.code;
  if (!(cause instanceof HttpException) && typeof code === 'string' && code !== INTERNAL) {
    const message =
      code === 'BAD_REQUEST' && statusOf(error) === 405
        ? Details.graphqlMutationOverGet
        : formatted.message;
    return { message, locations, path, extensions: { code } };
  }
  logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : cause);
  return { message: Details.internalError, locations, path, extensions: { code: INTERNAL } };
}

/** The HTTP status Apollo answers an error of its own with (405: a mutation over GET). */
function statusOf(error: unknown): unknown {
  return error instanceof GraphQLError
    ? (error.extensions.http as { status?: unknown } | undefined)?.status
    : undefined;
}
