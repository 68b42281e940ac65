import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** The page, GraphiQL and React, with their licences (nest-cli.json copies it into dist/). */
const IDE_FOLDER = join(__dirname, 'ide');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.LICENSE': 'text/plain; charset=utf-8',
};

export interface Asset {
  contentType: string;
  body: string;
}

/** The provider of graphiqlAssets(). */
export const GRAPHIQL_ASSETS = Symbol('GRAPHIQL_ASSETS');

/** The files of the IDE folder by name, read once; none while the IDE is off. */
export function graphiqlAssets(ide: boolean): ReadonlyMap<string, Asset> {
  if (!ide) return new Map();
  return new Map(
    readdirSync(IDE_FOLDER).map((name) => [
      name,
      {
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        body: readFileSync(join(IDE_FOLDER, name), 'utf8'),
      },
    ]),
  );
}
