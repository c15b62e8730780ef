import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES, clientTypes } from '../scripts/client-types.ts';

// The committed types of `tollgate/client` are what openapi-typescript makes of the document the
// app serves now; a route or answer changed without `npm run client:types` fails here (and in
// `npm run check`).
describe('the generated client types', () => {
  it('match the OpenAPI document the server serves', async () => {
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(await clientTypes());
  }, 60_000);
});
