// The bare Express baseline: one plain route. Run with NODE_PATH set to the generated
// NestJS (Express) project's node_modules, so it uses the very Express that Nest runs on.
'use strict';

const express = require('express');

const app = express();
app.disable('x-powered-by');
app.get('/health', (_request, response) => {
  response.json({ status: 'ok' });
});

const server = app.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
server.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
