import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index.ts';
import { must } from './helpers.ts';

/**
 * The README's two middleware examples, run as written: only the package names point at this
 * checkout's sources, the database is in memory and the port is any free one. Each must stay
 * within ten lines.
 */
const README = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
const SRC = join(import.meta.dirname, '../src');
const ARTIFACTS = join(import.meta.dirname, 'artifacts');

function example(framework: 'Hono' | 'Express'): string {
  const block = new RegExp(
    `### Guard and meter your own routes[\\s\\S]*?\\n${framework}:\\n\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``,
  ).exec(README)?.[1];
  if (!block) throw new Error(`no ${framework} example in the README`);
  return block;
}

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

describe('the README middleware examples', () => {
  it.each(['Hono', 'Express'] as const)(
    '%s: ten lines that refuse an unknown key and serve and meter a known one',
    async (framework) => {
      const code = example(framework);
      expect(code.trim().split('\n').length).toBeLessThanOrEqual(10);
      const runnable = code
        .replace("from 'tollgate'", `from '${SRC}/index.ts'`)
        .replace("from 'tollgate/hono'", `from '${SRC}/middleware/hono.ts'`)
        .replace("from 'tollgate/express'", `from '${SRC}/middleware/express.ts'`)
        .replace("'./data/tollgate.db'", "':memory:'")
        .replace(
          'serve({ fetch: app.fetch, port: 3000 });',
          'export const server = serve({ fetch: app.fetch, port: 0 });',
        )
        .replace('app.listen(3000);', 'export const server = app.listen(0);');
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, `readme-${framework.toLowerCase()}.ts`);
      writeFileSync(file, `${runnable}\nexport { tollgate };\n`);
      const mod = (await import(file)) as { server: Server; tollgate: Engine };
      servers.push(mod.server);
      if (!mod.server.listening) await new Promise((r) => mod.server.once('listening', r));
      const url = `http://127.0.0.1:${(mod.server.address() as AddressInfo).port}/v1/images`;

      const engine = mod.tollgate;
      const account = must(await engine.accounts.create({ name: 'Acme Films' }));
      must(await engine.credits.grant(account.id, { credits: '10', reason: 'start' }));
      const key = must(await engine.keys.create(account.id, 'prod'));

      const unknown = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer tg_nope' } });
      expect(unknown.status).toBe(401);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

      const served = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key.secret}` } });
      expect(served.status).toBe(200);
      expect(await served.json()).toEqual({ for: account.id });
      // image-1024 costs 2 credits in the example price book.
      expect(must(await engine.accounts.balance(account.id)).available).toBe(8_000_000n);
    },
  );
});
