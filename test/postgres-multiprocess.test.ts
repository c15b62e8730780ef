import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../src/adapters/postgres/postgres-storage.ts';
import { client, type RunningServer, startServer } from './server-process.ts';

const url = process.env.TOLLGATE_PG_URL;
const ADMIN = 'pg-multi-admin-token-of-32-characters';

if (!url)
  console.log('SKIPPED: TOLLGATE_PG_URL is not set, so the multi-process PostgreSQL test did not run');

(url ? describe : describe.skip)('four server processes on one PostgreSQL database', () => {
  it('hold every invariant under concurrent confirmations, holds, ingest, key creation and billing', async () => {
    const schema = `tg_multi_${randomBytes(6).toString('hex')}`;
    const env = {
      TOLLGATE_DATABASE_URL: url!,
      TOLLGATE_DATABASE_SCHEMA: schema,
      TOLLGATE_ADMIN_TOKEN: ADMIN,
    };
    // The first process migrates; the others start once the schema is there.
    const servers: RunningServer[] = [
      await startServer({ ...env, TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tg-pg-')) }),
    ];
    servers.push(
      ...(await Promise.all(
        [1, 2, 3].map(() =>
          startServer({ ...env, TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tg-pg-')) }),
        ),
      )),
    );
    const apis = servers.map((s) => client(s.url, ADMIN));
    const any = (i: number) => apis[i % apis.length]!;
    try {
      const a = (await any(0)('POST', '/v1/accounts', { name: 'A' })).body;
      const b = (await any(1)('POST', '/v1/accounts', { name: 'B' })).body;
      await any(2)('POST', `/v1/accounts/${a.id}/credit_grants`, { credits: '1000000', reason: 'x' });
      const purchases = [];
      for (let i = 0; i < 12; i++)
        purchases.push(
          (
            await any(i)(
              'POST',
              `/v1/accounts/${a.id}/credit_purchases`,
              { credits: '1000', provider: 'manual' },
              { 'idempotency-key': `p${i}` },
            )
          ).body,
        );
      const hour = Date.now() - (Date.now() % 3_600_000) - 3_600_000;
      const events = Array.from({ length: 1200 }, (_, i) => ({
        id: `evt_${i}`,
        account_id: a.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: new Date(hour + i * 1000).toISOString(),
      }));

      const [confirmations, keys, ingest, holds] = await Promise.all([
        // Each purchase confirmed by all four processes at once.
        Promise.all(
          purchases.flatMap((p) => apis.map((api) => api('POST', `/v1/credit_purchases/${p.id}/confirm`))),
        ),
        // 20 key creations for one account, spread over the processes, at a limit of 10.
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            any(i)('POST', `/v1/accounts/${b.id}/api_keys`, { nickname: `k${i}` }),
          ),
        ),
        // Every event sent twice, to two different processes.
        Promise.all(
          Array.from({ length: 24 }, (_, chunk) => {
            const batch = events.slice((chunk % 12) * 100, (chunk % 12) * 100 + 100);
            return any(chunk)('POST', '/v1/usage_events', { events: batch });
          }),
        ),
        // 40 holds of 30,000 credits against 1,012,000 credits.
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            any(i)('POST', `/v1/accounts/${a.id}/holds`, { credits: '30000', ttl_seconds: 600 }),
          ),
        ),
      ]);
      expect(confirmations.every((r) => r.status === 200)).toBe(true);
      for (const p of purchases)
        expect(
          new Set(confirmations.filter((r) => r.body.id === p.id).map((r) => r.body.invoice_id)).size,
        ).toBe(1);
      expect(keys.filter((r) => r.status === 201)).toHaveLength(10);
      expect(
        keys.filter((r) => r.status === 409 && r.body.error.code === 'api_key_limit_reached'),
      ).toHaveLength(10);
      const statuses = ingest.flatMap((r) => r.body.results.map((x: { status: string }) => x.status));
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1200);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(1200);
      expect(holds.filter((r) => r.status === 201).length).toBeLessThanOrEqual(33);
      expect(holds.every((r) => r.status === 201 || r.body.error.code === 'insufficient_credits')).toBe(true);

      // Two processes bill at the same moment: each hour once.
      const runs = await Promise.all([
        any(0)('POST', '/v1/billing_runs', {}),
        any(1)('POST', '/v1/billing_runs', {}),
      ]);
      expect(runs.map((r) => r.status)).toEqual([200, 200]);
      expect(runs.reduce((t, r) => t + Number(r.body.credits), 0)).toBe(2400);

      // A key suspended through one process stops verifying in another within the cache bound (1 s).
      const key = keys.find((r) => r.status === 201)!.body;
      await any(3)('POST', `/v1/accounts/${b.id}/credit_grants`, { credits: '10', reason: 'x' });
      await any(3)('POST', '/v1/api_keys/verify', { key: key.secret });
      await any(0)('POST', `/v1/api_keys/${key.id}/suspend`);
      const suspendedAt = Date.now();
      let code = '';
      while (code !== 'suspended' && Date.now() - suspendedAt < 5000)
        code = (await any(3)('POST', '/v1/api_keys/verify', { key: key.secret })).body.code;
      expect(code).toBe('suspended');
      // The cache bound is 1 s; the margin is for the verification requests themselves on a busy machine.
      expect(Date.now() - suspendedAt).toBeLessThan(2500);

      const storage = await PostgresStorage.open({ url: url!, schema });
      const audit = await storage.audit();
      expect(audit.mismatchedAccounts).toEqual([]);
      expect(audit.assetSums.every((s) => s.sum === 0n)).toBe(true);
      const numbers = (await storage.query('SELECT number FROM invoices ORDER BY number')).map(
        (r) => r.number,
      );
      expect(numbers).toEqual(
        Array.from(
          { length: 12 },
          (_, i) => `INV-${new Date().getUTCFullYear()}-${String(i + 1).padStart(6, '0')}`,
        ),
      );
      const [floor] = await storage.query(
        `SELECT min(credits_posted - debits_posted - debits_pending) AS m FROM ledger_accounts WHERE kind = 'customer'`,
      );
      expect(BigInt(floor!.m as bigint) >= 0n).toBe(true);
      const [usage] = await storage.query(`SELECT count(*) AS n, sum(credits_minor) AS c FROM usage_events`);
      expect(BigInt(usage!.n as bigint)).toBe(1200n);
      const [billed] = await storage.query(`SELECT sum(amount) AS s FROM transfers WHERE code = 'usage'`);
      expect(BigInt(billed!.s as string)).toBe(BigInt(usage!.c as string));
      const [active] = await storage.query(`SELECT count(*) AS n FROM api_keys WHERE status = 'active'`);
      expect(BigInt(active!.n as bigint)).toBeLessThanOrEqual(10n);
      await storage.close();
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }, 120_000);
});
