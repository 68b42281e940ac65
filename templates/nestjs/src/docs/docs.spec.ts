import type { OpenAPIObject } from '@nestjs/swagger';

import { normalizeDocument } from './docs';
import { SUCCESS_DESCRIPTION } from './operations';

/** A document as @nestjs/swagger writes it for OpenAPI 3.1, with the plugin's schemas. */
function written(): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 't', description: 'd', version: '0.1.0', contact: {} },
    servers: [],
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          parameters: [],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          responses: { '201': { description: '' }, '422': { description: 'Invalid' } },
        },
        get: {
          operationId: 'listThings',
          parameters: [{ name: 'kind', in: 'query', schema: { type: 'string', enum: ['a'] } }],
          responses: { '200': { description: '' } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          properties: {
            name: { type: ['string', 'null'], maxLength: 5 },
            kind: { allOf: [{ $ref: '#/components/schemas/Kind' }] },
            always: { type: 'string', enum: ['ok'] },
          },
          required: ['name', 'kind', 'always'],
        },
        Kind: { type: 'string', enum: ['a', 'b'] },
      },
    },
  };
}

describe('normalizeDocument', () => {
  const document = normalizeDocument(written());
  const schemas = document.components!.schemas!;

  it('writes schemas as FastAPI does, sorted', () => {
    expect(Object.keys(schemas)).toEqual(['Kind', 'Thing']);
    expect(schemas.Thing).toEqual({
      type: 'object',
      properties: {
        always: { type: 'string', const: 'ok' },
        kind: { $ref: '#/components/schemas/Kind' },
        name: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
      },
      required: ['always', 'kind', 'name'],
      additionalProperties: false,
    });
    expect(Object.keys((schemas.Thing as { properties: object }).properties)).toEqual([
      'always',
      'kind',
      'name',
    ]);
    expect(schemas.Kind).toEqual({ type: 'string', enum: ['a', 'b'] });
  });

  it('leaves out what DocumentBuilder adds empty, and describes every success', () => {
    const things = document.paths['/things'];
    expect(things.post!.parameters).toBeUndefined();
    expect(things.get!.parameters![0]).toMatchObject({ schema: { type: 'string', const: 'a' } });
    expect(things.post!.responses).toEqual({
      '201': { description: SUCCESS_DESCRIPTION },
      '422': { description: 'Invalid' },
    });
    expect(document.servers).toBeUndefined();
    expect(document.info).toEqual({ title: 't', description: 'd', version: '0.1.0' });
  });
});
