// The least a Nest app on Express can be: one controller answering GET /health, logger
// off, Nest's default Express adapter, nothing else (no pipes, guards, interceptors or
// middleware). Plain CommonJS applying Nest's decorator functions by hand, so it needs no
// TypeScript build. Run with NODE_PATH set to the generated NestJS (Express) project's
// node_modules, so it uses the very Nest and Express the service runs on: the floor of
// any Nest-on-Express service.
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

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
