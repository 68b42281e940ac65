import type { ApolloDriverConfig } from '@nestjs/apollo';

import { costLimitPlugin } from './cost-limit.plugin';
import { depthLimitRule } from './depth-limit.rule';
import { formatError } from './graphql-errors';
import { noIntrospectionRule } from './no-introspection.rule';

/** Fields nested deeper than this are refused (root fields are at depth 0). */
export const MAX_DEPTH = 6;
/** Operations costing more than this are refused (cost-limit.plugin.ts). */
export const MAX_COST = 2000;
/**
 * Documents of more selections than this, fragments expanded, are refused before their
 * cost is counted (counting each one is what would cost): each non-skipped field costs at
 * least 1, so any of them is over MAX_COST many times.
 */
export const MAX_SELECTIONS = 100_000;

/** Apollo's options; `ide`: GraphiQL and introspection are on (graphqlIdeOn()). */
export function apolloOptions(ide: boolean): ApolloDriverConfig {
  return {
    // Code-first: the schema is built from the decorated classes, in memory.
    autoSchemaFile: true,
    sortSchema: true,
    // GraphqlController serves the IDE from the project's own files (Apollo's page loads
    // from a CDN), and refuses introspection itself, with the contract's message.
    graphiql: false,
    introspection: true,
    validationRules: [depthLimitRule(MAX_DEPTH), ...(ide ? [] : [noIntrospectionRule])],
    // Refuses documents past MAX_SELECTIONS, and runs the validation rules above once the
    // standard ones and it pass.
    maxRecursiveSelections: MAX_SELECTIONS,
    plugins: [costLimitPlugin(MAX_COST, MAX_SELECTIONS)],
    // Tokens are bearer headers, never cookies, so a cross-site request cannot sign in as
    // the user: CSRF prevention (a header demanded of GET queries) guards nothing here.
    csrfPrevention: false,
    // One operation per request (a list is refused by GraphqlController) and no hashes
    // of queries sent before: what the contract serves.
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // formatError maps the services' HttpExceptions itself, with the contract's codes.
    autoTransformHttpErrors: false,
    formatError,
  };
}
