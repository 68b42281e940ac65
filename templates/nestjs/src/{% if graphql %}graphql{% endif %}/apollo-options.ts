import type { ApolloDriverConfig } from '@nestjs/apollo';

import { costLimitPlugin } from './cost-limit.plugin';
import { depthLimitRule } from './depth-limit.rule';
import { formatError } from './graphql-errors';
import { noIntrospectionRule } from './no-introspection.rule';

/** Fields nested deeper than this are refused (root fields are at depth 0). */
export const MAX_DEPTH = 6;
/** Operations costing more than this are refused (cost-limit.plugin.ts). */
export const MAX_COST = 2000;

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
    // The validation rules above run once the standard ones pass (and past 10 million
    // selections with fragments expanded, a document is refused before they run).
    maxRecursiveSelections: true,
    plugins: [costLimitPlugin(MAX_COST)],
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
