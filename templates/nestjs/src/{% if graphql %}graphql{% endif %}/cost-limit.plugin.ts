import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server' with {
  'resolution-mode': 'import',
};
import {
  type DocumentNode,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

import { Details } from '../common/messages';

/** The paginated root fields: their selections are asked for `limit` times. */
const PAGINATED = new Set(['items', 'users']);

/**
 * A field costs 1 plus what its selections cost, those of `items` and `users` counted
 * `limit` times (20 when left out: the argument's default). A negative limit counts as 0:
 * it is refused anyway, and must not offset the cost of the query's other fields.
 */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const times =
    type.name === 'Query' && PAGINATED.has(field.name) ? Math.max(Number(args.limit), 0) : 1;
  return 1 + childComplexity * times;
};

/**
 * What an operation costs, by graphql-query-complexity: fragments expanded, variables
 * resolved, fields that @skip or @include leave out not counted. The library stops (it
 * throws) past `maxSelections` selections, fragments expanded.
 */
export function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
  maxSelections = Infinity,
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    estimators: [fieldCost],
    maxQueryNodes: maxSelections + 1,
  });
}

/**
 * Refuses an operation that costs more than `limit`, as a validation error (400). It runs
 * once the operation is known, as its variables count: variables that the operation's
 * types refuse are left to execution, which answers them BAD_USER_INPUT. Documents of
 * more than `maxSelections` selections, fragments expanded, never get here (Apollo's
 * `maxRecursiveSelections`), so each is counted to the end.
 */
export function costLimitPlugin(limit: number, maxSelections: number): ApolloServerPlugin {
  const listener: GraphQLRequestListener<BaseContext> = {
    // A promise, as Apollo awaits its hooks; what the executor throws rejects it.
    didResolveOperation: ({ schema, document, operation, request }) =>
      new Promise((resolve) => {
        const variables = request.variables ?? {};
        // No operation by that name: execution says so.
        const definitions = operation?.variableDefinitions ?? [];
        if (operation && !getVariableValues(schema, definitions, variables).errors) {
          const cost = costOf(schema, document, variables, operation.name?.value, maxSelections);
          if (cost > limit) throw refusal(Details.graphqlTooCostly(cost, limit), operation);
        }
        resolve();
      }),
  };
  return { requestDidStart: () => Promise.resolve(listener) };
}

/** The query refused before it runs, as graphql-js refuses an invalid one: at the operation. */
function refusal(message: string, operation: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(message, {
    nodes: operation,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}
