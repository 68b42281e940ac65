import type { ExecutionContext } from '@nestjs/common';
import { type GqlContextType, GqlExecutionContext } from '@nestjs/graphql';

import type { GraphqlContext } from './graphql-context';

/**
 * The HTTP request behind a route handler or a resolver, so that the guards and
 * @CurrentUser() serve both: a resolver's request is the one its GraphQL context carries.
 */
export function requestOf<T>(context: ExecutionContext): T {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<GraphqlContext>().req as T;
  }
  return context.switchToHttp().getRequest<T>();
}
