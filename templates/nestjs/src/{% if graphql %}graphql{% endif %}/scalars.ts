import { isUUID } from 'class-validator';
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';

// An offset is required: a time without one names no instant.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Timestamps, written as REST writes them (`Date.toISOString()`, in UTC with `Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A date and time in ISO 8601 with its offset from UTC, such as 2026-01-31T12:00:00Z',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new GraphQLError(`DateTime cannot represent value: ${String(value)}`);
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (node) => parseDateTime(literal(node, 'DateTime'), node),
});

/** Ids: any UUID in, the canonical lower-case form out, as REST's path ids. */
export const UuidScalar = new GraphQLScalarType<string, string>({
  name: 'UUID',
  description: 'A UUID in its canonical form, such as 0b6f1e1c-8a6b-4c2e-9f1d-2a3b4c5d6e7f',
  serialize: (value) => parseUuid(value),
  parseValue: (value) => parseUuid(value),
  parseLiteral: (node) => parseUuid(literal(node, 'UUID'), node),
});

function literal(node: ValueNode, scalar: string): string {
  if (node.kind !== Kind.STRING) {
    throw new GraphQLError(`${scalar} cannot represent a non-string value: ${print(node)}`, {
      nodes: node,
    });
  }
  return node.value;
}

// A literal's error is at the literal (`node`), as graphql-js places its own.
function parseDateTime(value: unknown, node?: ValueNode): Date {
  const date = typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime cannot represent value: ${JSON.stringify(value)}`, {
      nodes: node,
    });
  }
  return date;
}

function parseUuid(value: unknown, node?: ValueNode): string {
  if (typeof value !== 'string' || !isUUID(value)) {
    throw new GraphQLError(`UUID cannot represent value: ${JSON.stringify(value)}`, {
      nodes: node,
    });
  }
  return value.toLowerCase();
}
