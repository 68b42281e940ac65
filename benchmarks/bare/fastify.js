// The bare Fastify baseline: one plain route, no logger. Run with NODE_PATH set to
// the generated NestJS (Fastify) project's node_modules, so it uses the very Fastify
// that Nest runs on.
'use strict';

const fastify = require('fastify')({ logger: false });

fastify.get('/health', async () => ({ status: 'ok' }));

fastify.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000) }, (error) => {
  if (error) {
    console.error(error.message);
    process.exit(1);
  }
});
