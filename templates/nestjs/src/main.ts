// First: loads `.env` into process.env before any other module reads it.
import './config/env';

import { ConfigService } from '@nestjs/config';

import { createApp } from './app.factory';
import { type Settings, SettingsError, validateSettings } from './config/settings';

async function bootstrap(): Promise<void> {
  try {
    validateSettings(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    // A configuration mistake is one readable line, not a stack trace.
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
  const app = await createApp();
  app.enableShutdownHooks();
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
}

void bootstrap();
