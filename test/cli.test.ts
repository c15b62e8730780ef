import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTollgate, type Engine } from '../src/index.ts';
import { type DatabaseOption, freshPgSchema, HOUR, must } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const PG_URL = process.env.TOLLGATE_PG_URL;

const tollgate = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/tollgate.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, TOLLGATE_DATABASE_URL: '', TOLLGATE_DATABASE_SCHEMA: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

interface Case {
  name: string;
  /** The environment the operator sets, and the same store opened by a library. */
  setup(dataDir: string): { env: Record<string, string>; database: DatabaseOption };
}

const CASES: Case[] = [
  {
    name: 'SQLite',
    setup: (dataDir) => ({ env: {}, database: join(dataDir, 'tollgate.db') }),
  },
  ...(PG_URL
    ? [
        {
          name: 'PostgreSQL',
          setup: () => {
            const schema = freshPgSchema('cli');
            return {
              env: { TOLLGATE_DATABASE_URL: PG_URL, TOLLGATE_DATABASE_SCHEMA: schema },
              database: { postgres: PG_URL, schema },
            };
          },
        },
      ]
    : []),
];
if (!PG_URL) console.log('SKIPPED: TOLLGATE_PG_URL is not set, so the CLI ran on SQLite only');

async function withEngine<T>(database: DatabaseOption, use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createTollgate({ database });
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}

describe.each(CASES)('the tollgate command on $name', (c) => {
  it('migrates, creates accounts and keys, and bills on the store the server uses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
    const { env: storeEnv, database } = c.setup(dataDir);
    const env = { TOLLGATE_DATA_DIR: dataDir, ...storeEnv };

    const migrate = tollgate(['migrate'], env);
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain(`migrated ${c.name}`);
    expect(migrate.stdout).not.toContain('postgres@');

    const created = tollgate(['accounts', 'create', 'Acme', '--email', 'billing@acme.test'], env);
    expect(created.status, created.stderr).toBe(0);
    const accountId = created.stdout.trim();
    const key = tollgate(['keys', 'create', accountId, 'prod'], env);
    expect(key.status, key.stderr).toBe(0);

    // A library opening the same store sees what the command wrote, and records an hour of usage.
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    await withEngine(database, async (engine) => {
      expect(must(await engine.accounts.get(accountId))).toMatchObject({
        name: 'Acme',
        email: 'billing@acme.test',
      });
      expect(must(await engine.keys.list(accountId)).map((k) => k.nickname)).toEqual(['prod']);
      must(await engine.credits.grant(accountId, { credits: '100', reason: 'trial' }));
      const r = await engine.usage.ingest([
        {
          id: 'e1',
          account_id: accountId,
          model: 'image-1024',
          quantity: '3',
          timestamp: new Date(hourStart + 60_000).toISOString(),
        },
      ]);
      expect(r[0]!.status).toBe('accepted');
    });

    const bill = tollgate(['bill', '--through', new Date(hourStart + HOUR).toISOString()], env);
    expect(bill.status, bill.stderr).toBe(0);
    expect(bill.stdout).toContain('for 1 account(s): 6 credits');
    await withEngine(database, async (engine) => {
      expect(must(await engine.accounts.balance(accountId)).posted).toBe(94_000_000n);
      // Each change is in the audit log, by the user who ran the command.
      const lines = (await engine.audit.list(100)).data;
      expect(lines.map((l) => [l.actor.kind, l.actor.name, l.action])).toEqual(
        ['accounts create', 'keys create', 'bill'].map((a) => [
          'cli',
          `cli:${userInfo().username}`,
          `cli: ${a}`,
        ]),
      );
    });

    // On PostgreSQL nothing goes to a SQLite file in the data folder.
    expect(existsSync(join(dataDir, 'tollgate.db'))).toBe(c.name === 'SQLite');
  }, 120_000);

  it('refuses a mistyped flag or a stray argument, printing no id, and backs up or points to pg_dump', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
    const env = { TOLLGATE_DATA_DIR: dataDir, ...c.setup(dataDir).env };
    expect(tollgate(['migrate'], env).status).toBe(0);

    const typo = tollgate(['accounts', 'create', 'Acme', '--emial', 'billing@acme.test'], env);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown option --emial');
    expect(typo.stderr).toContain('--email');
    expect(typo.stdout).toBe('');
    const extra = tollgate(['accounts', 'create', 'Acme', 'Corp'], env);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toContain('"Corp"');
    expect(extra.stdout).toBe('');

    const backup = tollgate(['backup', join(dataDir, 'copy.db')], env);
    if (c.name === 'PostgreSQL') {
      expect(backup.status).not.toBe(0);
      expect(backup.stderr).toContain('pg_dump');
      expect(existsSync(join(dataDir, 'copy.db'))).toBe(false);
    } else {
      expect(backup.status, backup.stderr).toBe(0);
      expect(existsSync(join(dataDir, 'copy.db'))).toBe(true);
    }
  }, 120_000);
});
