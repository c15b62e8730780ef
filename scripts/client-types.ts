/**
 * Generates `src/client/api-types.ts`, the types of `tollgate/client`, from the OpenAPI document
 * the app serves (`GET /openapi.json`), with openapi-typescript.
 *   npm run client:types           writes the file
 *   npm run client:types -- --check fails (exit 1) when the committed file is stale
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { createApp, createTollgate } from '../src/index.ts';

const ROOT = join(import.meta.dirname, '..');
export const CLIENT_TYPES = join(ROOT, 'src/client/api-types.ts');

const HEADER = `/**
 * Generated from tollgate's OpenAPI document by openapi-typescript (scripts/client-types.ts).
 * Do not edit: run \`npm run client:types\`; \`npm run check\` fails while this file is stale.
 */
`;

/** The document as the running app serves it. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const engine = await createTollgate({});
  try {
    const app = createApp(engine, { adminToken: 'generator-token-of-32-characters-at-least' });
    return (await (await app.request('/openapi.json')).json()) as OpenAPI3;
  } finally {
    await engine.close();
  }
}

/** The file's text: generated, then formatted by Biome like every source file. */
export async function clientTypes(): Promise<string> {
  const text = HEADER + astToString(await openapiTS(await openApiDocument()));
  return execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/@biomejs/biome/bin/biome'), 'format', `--stdin-file-path=${CLIENT_TYPES}`],
    { cwd: ROOT, input: text, encoding: 'utf8' },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await clientTypes();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CLIENT_TYPES, 'utf8');
    } catch {}
    if (current !== text) {
      process.stderr.write(
        'src/client/api-types.ts is stale: the OpenAPI document changed. Run `npm run client:types` and commit it.\n',
      );
      process.exit(1);
    }
  } else writeFileSync(CLIENT_TYPES, text);
}
