// The TypeORM CLI's data source (`make migrate`): the app's entities and migrations.
import '../config/env';

import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { Settings } from '../config/settings';
import { databaseOptions } from './database.options';

export default new DataSource({
  ...databaseOptions(process.env.DATABASE_URL || new Settings().DATABASE_URL),
  // Every `*.entity` file, as `migration:generate` compares them with the schema.
  entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
});
