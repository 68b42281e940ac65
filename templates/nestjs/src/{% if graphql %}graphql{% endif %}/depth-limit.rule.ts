import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';

import { Details } from '../common/messages';

/**
 * graphql-depth-limit (root fields at depth 0; `__schema`, `__type` and every other
 * `__` field not counted), with the contract's message, once per document: the library
 * reports each field past the limit, naming the operation. It runs on documents the
 * standard rules found valid (Apollo's `maxRecursiveSelections`, apollo-options.ts): it
 * throws on a spread of an unknown fragment, and recurses forever into a fragment cycle.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  const limit = depthLimit(maxDepth) as (context: ValidationContext) => unknown;
  return (context) => {
    let refused = false;
    const reportOnce = (error: GraphQLError) => {
      if (refused) return;
      refused = true;
      context.reportError(
        new GraphQLError(Details.graphqlTooDeep(maxDepth), { nodes: error.nodes }),
      );
    };
    limit(Object.create(context, { reportError: { value: reportOnce } }) as ValidationContext);
    return {};
  };
}
