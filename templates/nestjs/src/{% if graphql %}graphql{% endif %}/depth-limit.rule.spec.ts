import { buildSchema, parse, specifiedRules, validate } from 'graphql';

import { depthLimitRule } from './depth-limit.rule';

// The service's schema nests at most 3 levels (items { items { owner { id } } }), so the
// rule is checked on a test-only schema that nests without end.
const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);

const nested = (levels: number) =>
  `{ node ${'{ child '.repeat(levels - 1)}{ id }${' }'.repeat(levels - 1)} }`;

const errorsOf = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, depthLimitRule(6)]).map(
    (error) => error.message,
  );

describe('depthLimitRule', () => {
  it('counts root fields at depth 0, as graphql-depth-limit does', () => {
    // node = 0, each child one more, the innermost id = levels.
    expect(errorsOf(nested(6))).toEqual([]);
    expect(errorsOf(nested(7))).toEqual(['The query is nested more than 6 levels deep.']);
  });

  it('reports once per document, however many fields are too deep', () => {
    const twice = `{ a: ${nested(9).slice(2, -2)} b: ${nested(9).slice(2, -2)} }`;
    expect(errorsOf(twice)).toEqual(['The query is nested more than 6 levels deep.']);
  });

  it('adds no depth for fragments and counts no introspection', () => {
    const fragments = '{ node { ... on Node { ...F } } } fragment F on Node { child { id } }';
    expect(errorsOf(fragments)).toEqual([]);
    const introspection =
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }';
    expect(errorsOf(introspection)).toEqual([]);
  });
});
