import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { ProblemDto, ValidationProblemDto } from '../common/http/problem.dto';
import {
  BLANK_IMAGE,
  OAUTH2_SCHEME,
  REDOC_CDN_LOGO,
  SUCCESS_DESCRIPTION,
  TAGS,
} from './operations';

const REDOC_BUNDLE = createRequire(__filename).resolve('redoc/bundles/redoc.standalone.js');

const REDOC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API reference</title>
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/redoc/redoc.standalone.js"></script>
  </body>
</html>
`;

// package.json is the one source of the version (dist/docs/ and src/docs/ alike).
const PACKAGE_JSON = join(__dirname, '..', '..', 'package.json');

/**
 * /docs (Swagger UI), /redoc (ReDoc) and /openapi.json. Every asset comes from an
 * installed package (swagger-ui-dist, redoc), so the pages work with no internet.
 */
export function setUpDocs(app: INestApplication, title: string, description: string): void {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(title)
    .setDescription(description)
    .setVersion(version)
    .addOAuth2(
      { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } } },
      OAUTH2_SCHEME,
    );
  for (const [name, text] of TAGS) builder.addTag(name, text);
  const document = normalizeDocument(
    SwaggerModule.createDocument(app, builder.build(), {
      extraModels: [ProblemDto, ValidationProblemDto],
    }),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: title,
    swaggerOptions: { persistAuthorization: true },
  });

  const http = app.getHttpAdapter();
  http.get('/redoc', (_request: unknown, response: unknown) => {
    http.setHeader(response, 'Content-Type', 'text/html; charset=utf-8');
    http.reply(response, REDOC_PAGE, 200);
  });
  // Redocly's logo comes from their CDN and no ReDoc option leaves it out: an empty
  // image instead, so the page asks nothing of another host.
  const redoc = readFileSync(REDOC_BUNDLE, 'utf8').replace(REDOC_CDN_LOGO, BLANK_IMAGE);
  http.get('/redoc/redoc.standalone.js', (_request: unknown, response: unknown) => {
    http.setHeader(response, 'Cache-Control', 'public, max-age=86400');
    http.setHeader(response, 'Content-Type', 'application/javascript; charset=utf-8');
    http.reply(response, redoc, 200);
  });
}

type Json = Record<string, unknown>;

/**
 * The one pass over the document that @nestjs/swagger has no option for, so that it is
 * the document the FastAPI stack serves (scaffold's API contract, "OpenAPI document"):
 * - schemas as FastAPI (Pydantic) writes OpenAPI 3.1: a nullable `type: [T, 'null']`
 *   is `anyOf: [{type: T}, {type: 'null'}]`, a one-value `enum` a `const`, and a `$ref`
 *   stands alone rather than in a one-member `allOf` (OpenAPI 3.0's workaround);
 * - schemas listed by name, and each schema's properties (and `required`) in
 *   alphabetical order, since the frameworks' own orders differ by accident and client
 *   generators write types and fields in document order;
 * - a JSON request body refuses unknown fields (the ValidationPipe forbids them; the
 *   login form ignores them): its schema says `additionalProperties: false`;
 * - success responses, which the Swagger plugin infers with an empty description, get
 *   the shared one;
 * - no empty `parameters`, `servers` or `info.contact` (DocumentBuilder's defaults).
 */
export function normalizeDocument(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem as Record<string, Json>)) {
      const parameters = (operation.parameters ?? []) as Json[];
      for (const parameter of parameters) parameter.schema = toJsonSchema(parameter.schema);
      if (parameters.length === 0) delete operation.parameters;
      const body = (operation.requestBody as { content?: Record<string, { schema?: Json }> })
        ?.content?.['application/json']?.schema?.$ref;
      if (typeof body === 'string') schemas[body.split('/').pop()!].additionalProperties = false;
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const described = response as { description?: string };
        if (Number(status) < 400 && !described.description) {
          described.description = SUCCESS_DESCRIPTION;
        }
      }
    }
  }
  components.schemas = sortedSchemas(schemas) as typeof components.schemas;
  document.components = components;
  delete document.servers;
  delete (document.info as { contact?: unknown }).contact;
  return document;
}

/** A schema (and every schema inside it) as FastAPI writes it. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  // `properties` maps names to schemas (a property may be called `type` or `enum`).
  const schema: Json = Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === 'properties' ? sortedSchemas(inner as Json) : toJsonSchema(inner),
    ]),
  );
  if (Array.isArray(schema.required)) schema.required = [...(schema.required as string[])].sort();
  if (Array.isArray(schema.enum) && schema.enum.length === 1) {
    schema.const = schema.enum[0];
    delete schema.enum;
  }
  const { allOf, ...rest } = schema;
  if (Array.isArray(allOf) && allOf.length === 1 && Object.keys(rest).length === 0) {
    return allOf[0];
  }
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const type = (schema.type as string[]).filter((name) => name !== 'null');
    return { anyOf: [{ ...schema, type: type.length === 1 ? type[0] : type }, { type: 'null' }] };
  }
  return schema;
}

/** Named schemas, by name, each as toJsonSchema() writes it. */
function sortedSchemas(named: Json): Json {
  return Object.fromEntries(
    Object.keys(named)
      .sort()
      .map((name) => [name, toJsonSchema(named[name])]),
  );
}
