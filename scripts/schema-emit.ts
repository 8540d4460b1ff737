/** Writes schema/schema.graphql from the code. Usage: `npm run schema:emit`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { schemaSdl } from '../server/graphql/schema-sdl';

schemaSdl()
  .then((sdl) => fs.writeFile(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), sdl))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
