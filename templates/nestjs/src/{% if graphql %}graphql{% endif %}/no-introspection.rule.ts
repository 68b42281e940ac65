import { GraphQLError, type ValidationRule } from 'graphql';

import { Details } from '../common/messages';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Introspection refused with the contract's message (graphql-js's
 * NoSchemaIntrospectionCustomRule and Apollo's own rule word it their way); `__typename`
 * stays, as every client asks for it.
 */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (INTROSPECTION_FIELDS.has(node.name.value)) {
      context.reportError(new GraphQLError(Details.graphqlIntrospectionDisabled, { nodes: node }));
    }
  },
});
