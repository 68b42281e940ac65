import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildSchema, parse } from 'graphql';

import { costOf } from './cost-limit.plugin';

// The project's schema as the contract prints it (test/graphql.e2e-spec.ts checks that
// the app's schema is this one).
const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

const cost = (query: string, variables?: Record<string, unknown>) =>
  costOf(schema, parse(query), variables);

const PAGE_OF_100 =
  'items(limit: 100) { items { id title description ownerId createdAt updatedAt' +
  ' owner { id email fullName } } total limit offset }';

describe('costOf (the contract\u2019s worked examples, the same in every stack)', () => {
  it('costs a field 1 plus its selections', () => {
    expect(cost('{ me { id } }')).toBe(2);
    expect(cost('{ __typename me { __typename } }')).toBe(3);
  });

  it('counts the selections of items and users limit times, 20 by default', () => {
    expect(cost('{ items { items { id owner { email } } total } }')).toBe(101);
    expect(cost(`{ ${PAGE_OF_100} }`)).toBe(1401);
    expect(cost(`{ a: ${PAGE_OF_100} b: ${PAGE_OF_100} }`)).toBe(2802);
    expect(cost('{ users(limit: 5) { total } }')).toBe(6);
    // ItemPage.items is no paginated root field: counted once.
    expect(cost('{ items(limit: 1) { items { id } } }')).toBe(3);
  });

  it('resolves variables, and counts a negative limit as none', () => {
    const query = 'query ($n: Int!) { items(limit: $n) { total } }';
    expect(cost(query, { n: 7 })).toBe(8);
    expect(cost('{ items(limit: -1000) { total } }')).toBe(1);
  });

  it('expands fragments and leaves out what @skip and @include drop', () => {
    expect(cost('{ me { ...F ... on User { email } } } fragment F on User { id fullName }')).toBe(
      4,
    );
    const query = 'query ($on: Boolean!) { me { id @include(if: $on) email @skip(if: $on) } }';
    expect(cost(query, { on: true })).toBe(2);
    expect(cost('{ me { id @skip(if: true) } }')).toBe(1);
  });
});
