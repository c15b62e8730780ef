import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the README's embedding example as written (with the database swapped for ':memory:').
describe('the README embedding example', () => {
  it('runs and verifies the key it created', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    const block = /## Embedding\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = block!
      .replace("from 'tollgate'", `from '${join(import.meta.dirname, '../src/index.ts')}'`)
      .replace("'./data/tollgate.db'", "':memory:'");
    const file = join(import.meta.dirname, '../test/artifacts/readme-example.ts');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(import.meta.dirname, 'artifacts'), { recursive: true });
    writeFileSync(file, `${code}\nexport { verdict, app, acme };\n`);
    const mod = await import(file);
    expect(mod.verdict).toMatchObject({ valid: true, available: 100_000_000n });
    const res = await mod.app.request(`/v1/accounts/${mod.acme.value.id}/balance`, {
      headers: { authorization: 'Bearer change-me' },
    });
    expect(await res.json()).toMatchObject({ posted: '100', available: '100' });
  });
});
