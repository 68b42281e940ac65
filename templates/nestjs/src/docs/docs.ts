import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';

import { type INestApplication, StreamableFile } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

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

/**
 * /docs (Swagger UI), /redoc (ReDoc) and /openapi.json. Every asset comes from an
 * installed package (swagger-ui-dist, redoc), so the pages work with no internet.
 */
export function setUpDocs(app: INestApplication, title: string, description: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion('1.0.0')
    .addOAuth2(
      { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } } },
      'oauth2',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Every secured route accepts either scheme: a pasted token or the password flow.
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = pathItem[method];
      if (operation?.security) operation.security = [{ bearer: [] }, { oauth2: [] }];
    }
  }
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
  http.get('/redoc/redoc.standalone.js', (_request: unknown, response: unknown) => {
    http.setHeader(response, 'Cache-Control', 'public, max-age=86400');
    const bundle = createReadStream(REDOC_BUNDLE);
    http.reply(
      response,
      new StreamableFile(bundle, { type: 'application/javascript; charset=utf-8' }),
      200,
    );
  });
}
