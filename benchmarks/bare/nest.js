// The least a Nest app can be: one controller answering GET /health, logger off,
// nothing else (no pipes, guards, interceptors or middleware), on the adapter named by
// the first argument (`fastify` or `express`). Plain CommonJS applying Nest's decorator
// functions by hand, so it needs no TypeScript build. Run with NODE_PATH set to the
// generated NestJS project's node_modules, so it uses the very Nest and HTTP framework
// the service runs on: the floor of any Nest service on them.
'use strict';

require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

class HealthController {
  health() {
    return { status: 'ok' };
  }
}
const health = Object.getOwnPropertyDescriptor(HealthController.prototype, 'health');
Get()(HealthController.prototype, 'health', health);
Controller('health')(HealthController);

class AppModule {}
Module({ controllers: [HealthController] })(AppModule);

function adapter(name) {
  if (name === 'express') return undefined; // Nest's default
  if (name === 'fastify') return new (require('@nestjs/platform-fastify').FastifyAdapter)();
  throw new Error(`usage: node nest.js fastify|express (got ${name})`);
}

async function main() {
  const http = adapter(process.argv[2]);
  const options = { logger: false };
  const app = http
    ? await NestFactory.create(AppModule, http, options)
    : await NestFactory.create(AppModule, options);
  await app.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
