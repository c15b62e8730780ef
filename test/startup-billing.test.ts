import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { ADMIN, HOUR, ManualClock, must } from './helpers.ts';
import { client, startServer } from './server-process.ts';

describe('the standalone server with an account that cannot be billed', () => {
  it('starts, serves, bills everyone else at its catch-up run, and names the account it left', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-startup-'));
    const file = join(dataDir, 'tollgate.db');
    // Usage of two hours ago, written through the library; one account's rows then corrupted
    // behind its back to totals no request can produce (past the ledger's 64-bit range together).
    const now = Date.now();
    const engine = await createTollgate({ database: file });
    const good = must(await engine.accounts.create({ name: 'Good' }));
    const bad = must(await engine.accounts.create({ name: 'Bad' }));
    const at = (h: number) => new Date(now - h * HOUR).toISOString();
    const event = (id: string, accountId: string, h: number) => ({
      id,
      account_id: accountId,
      model: 'video-custom',
      quantity: '1',
      credits: '5',
      timestamp: at(h),
    });
    await engine.usage.ingest([event('g', good.id, 2), event('b1', bad.id, 2), event('b2', bad.id, 3)]);
    await engine.close();
    const db = new Database(file);
    db.prepare('UPDATE usage_rollup SET credits_minor = 4611686018427387904 WHERE account_id = ?').run(
      bad.id,
    );
    db.close();

    const server = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    try {
      const call = client(server.url, ADMIN);
      expect((await call('GET', '/healthz')).status).toBe(200);
      expect((await call('GET', `/v1/accounts/${good.id}/balance`)).body).toMatchObject({
        posted: '-5',
        unbilled: '0',
      });
      expect(server.output()).toContain('1 account(s) left for the next run');
      // A run by hand answers which account it left, and the server lives on.
      const run = await call('POST', '/v1/billing_runs', {});
      expect(run.status).toBe(200);
      expect(run.body.failed_accounts.map((f: { account_id: string }) => f.account_id)).toEqual([bad.id]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('the standalone server with an allowance whose month is not granted yet', () => {
  it("grants the current month at start (the catch-up of the 1st's run), once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-allowance-'));
    const file = join(dataDir, 'tollgate.db');
    // Made last month (its grant then: last month's), with the library on a clock of its own.
    const now = new Date();
    const lastMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15);
    const engine = await createTollgate({ database: file, clock: new ManualClock(lastMonth) });
    const acc = must(await engine.accounts.create({ name: 'Free tier' }));
    must(await engine.allowances.create(acc.id, { credits: '10', period: 'month', reason: 'free tier' }));
    await engine.close();

    for (let start = 0; start < 2; start++) {
      const server = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
      try {
        const call = client(server.url, ADMIN);
        // Last month's 10 (expired, not swept yet) and this month's 10, granted once over two starts.
        expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({ posted: '20' });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
  });
});
