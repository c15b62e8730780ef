import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { type DatabaseOption, freshPgSchema, must } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const PG_URL = process.env.TOLLGATE_PG_URL;

const tollgate = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['bin/tollgate.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, TOLLGATE_DATABASE_URL: '', TOLLGATE_DATABASE_SCHEMA: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

const STORES: {
  name: string;
  setup(dir: string): { env: Record<string, string>; database: DatabaseOption };
}[] = [
  { name: 'SQLite', setup: (dir) => ({ env: {}, database: join(dir, 'tollgate.db') }) },
  ...(PG_URL
    ? [
        {
          name: 'PostgreSQL',
          setup: () => {
            const schema = freshPgSchema('clilist');
            return {
              env: { TOLLGATE_DATABASE_URL: PG_URL, TOLLGATE_DATABASE_SCHEMA: schema },
              database: { postgres: PG_URL, schema },
            };
          },
        },
      ]
    : []),
];

describe.each(STORES)('tollgate accounts list and purchases list on $name', (store) => {
  it('finds accounts and every pending purchase; a typo in a flag changes nothing and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-list-'));
    const { env: storeEnv, database } = store.setup(dir);
    const env = { TOLLGATE_DATA_DIR: dir, ...storeEnv };

    const acme = tollgate(['accounts', 'create', 'Acme Films', '--email', 'ops@acme.test'], env);
    expect(acme.status, acme.stderr).toBe(0);
    const acmeId = acme.stdout.trim();
    const bolt = tollgate(['accounts', 'create', 'Bolt Studio', '--external-id', 'crm-2'], env);
    expect(bolt.status, bolt.stderr).toBe(0);
    const boltId = bolt.stdout.trim();

    // A purchase waiting for the operator, and one already confirmed.
    const engine = await createTollgate({ database });
    try {
      const waiting = must(
        await engine.credits.purchase(boltId, { credits: '2000', provider: 'manual' }, 'order-1'),
      ).purchase;
      const paid = must(
        await engine.credits.purchase(acmeId, { credits: '1500', provider: 'manual' }, 'order-2'),
      ).purchase;
      must(await engine.credits.confirm(paid.id));

      // Newest first, one line per account, under a header.
      const list = tollgate(['accounts', 'list'], env);
      expect(list.status, list.stderr).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^id\s+created \(UTC\)\s+name\s+email\s+external id$/);
      expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual([boltId, acmeId]);
      expect(lines[1]).toContain('Bolt Studio');
      expect(lines[1]).toContain('crm-2');

      // Found by email, as JSON the shape GET /v1/accounts answers.
      const found = tollgate(['accounts', 'list', '--email', 'ops@acme.test', '--json'], env);
      expect(found.status, found.stderr).toBe(0);
      expect(JSON.parse(found.stdout)).toMatchObject({
        data: [{ id: acmeId, name: 'Acme Films', email: 'ops@acme.test' }],
        next_cursor: null,
      });

      const pending = tollgate(['purchases', 'list', '--status', 'pending'], env);
      expect(pending.status, pending.stderr).toBe(0);
      const rows = pending.stdout.trim().split('\n');
      expect(rows).toHaveLength(2);
      expect(rows[1]!.split(/\s{2,}/)).toEqual([
        waiting.id,
        expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        boltId,
        'pending',
        '2000',
        '20.00',
        'customer',
      ]);

      // Mistakes: exit 2, one line saying what is wrong, and nothing created.
      const typo = tollgate(['accounts', 'create', 'Typo Co', '--emial', 'x@y.test'], env);
      expect(typo.status).toBe(2);
      expect(typo.stderr).toContain('unknown option --emial');
      const noValue = tollgate(['accounts', 'list', '--email'], env);
      expect(noValue.status).toBe(2);
      expect(noValue.stderr).toContain('option --email needs a value');
      const badStatus = tollgate(['purchases', 'list', '--status', 'waiting'], env);
      expect(badStatus.status).toBe(2);
      expect(badStatus.stderr).toContain('--status must be one of pending, paid, failed');
      const sub = tollgate(['accounts', 'lst'], env);
      expect(sub.status).toBe(2);
      expect(sub.stderr).toContain('unknown subcommand lst (one of create, list)');
      expect(must(await engine.accounts.list({ limit: 10 })).data.map((a) => a.name)).toEqual([
        'Bolt Studio',
        'Acme Films',
      ]);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
