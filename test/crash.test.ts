import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { client, startServer } from './server-process.ts';

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const ADMIN = 'crash-test-admin-token-of-32-characters';

describe('crashes under mixed load', () => {
  it(`loses nothing acknowledged across ${KILLS} SIGKILLs, and the next billing run is right`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-crash-'));
    const env = { TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN };
    const events = new Set<string>();
    const paid = new Map<string, string>();
    const captured = new Map<string, string>();
    const keys = new Map<string, string>();
    let accountId = '';
    let seq = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const server = await startServer(env);
      const api = client(server.url, ADMIN);
      if (!accountId) {
        accountId = (await api('POST', '/v1/accounts', { name: 'Acme' })).body.id;
        await api('POST', `/v1/accounts/${accountId}/credit_grants`, {
          credits: '1000000',
          reason: 'crash test',
        });
      }
      let running = true;
      const safe = <T>(p: Promise<T>) => p.catch(() => null);
      const ingest = async () => {
        while (running) {
          const id = `evt_${kill}_${seq++}`;
          // An hour back, so the final billing run can bill every one of them.
          const r = await safe(
            api('POST', '/v1/usage_events', {
              events: [
                {
                  id,
                  account_id: accountId,
                  model: 'image-1024',
                  quantity: '1',
                  timestamp: new Date(Date.now() - 3_600_000).toISOString(),
                },
              ],
            }),
          );
          if (r?.status === 200 && r.body.results[0].status === 'accepted') events.add(id);
        }
      };
      const purchase = async () => {
        while (running) {
          const p = await safe(
            api(
              'POST',
              `/v1/accounts/${accountId}/credit_purchases`,
              { credits: '1000', provider: 'manual' },
              { 'idempotency-key': `p${kill}_${seq++}` },
            ),
          );
          if (p?.status !== 201) continue;
          const c = await safe(api('POST', `/v1/credit_purchases/${p.body.id}/confirm`));
          if (c?.status === 200) paid.set(p.body.id, c.body.invoice_id);
        }
      };
      const hold = async () => {
        while (running) {
          const h = await safe(
            api('POST', `/v1/accounts/${accountId}/holds`, { credits: '3', ttl_seconds: 600 }),
          );
          if (h?.status !== 201) continue;
          const c = await safe(api('POST', `/v1/holds/${h.body.id}/capture`, { credits: '2' }));
          if (c?.status === 200) captured.set(h.body.id, 'captured');
        }
      };
      const key = async () => {
        while (running) {
          const k = await safe(api('POST', `/v1/accounts/${accountId}/api_keys`, { nickname: `k${seq++}` }));
          if (k?.status === 201) keys.set(k.body.id, 'active');
          else if (k?.status === 409) {
            const active = [...keys].find(([, s]) => s === 'active');
            if (!active) continue;
            const s = await safe(api('POST', `/v1/api_keys/${active[0]}/suspend`));
            if (s?.status === 200) keys.set(active[0], 'suspended');
          }
        }
      };
      const load = [ingest(), ingest(), ingest(), purchase(), hold(), key()];
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 500)));
      server.child.kill('SIGKILL');
      running = false;
      await server.exited;
      await Promise.all(load);

      // After each kill: every acknowledged write is there, and nothing is half-written.
      const storage = await SqliteStorage.open({
        database: join(dataDir, 'tollgate.db'),
        dedupeWindowMs: 0,
        nowMs: Date.now(),
      });
      const audit = await storage.audit();
      expect(audit.mismatchedAccounts).toEqual([]);
      expect(audit.assetSums.every((s) => s.sum === 0n)).toBe(true);
      const db = storage.connection.db;
      const stored = new Set(db.prepare('SELECT id FROM usage_events').pluck(true).all() as string[]);
      expect([...events].filter((id) => !stored.has(id))).toEqual([]);
      for (const [purchaseId, invoiceId] of paid) {
        expect(
          db.prepare('SELECT status || invoice_id FROM purchases WHERE id = ?').pluck(true).get(purchaseId),
        ).toBe(`paid${invoiceId}`);
      }
      const halfPaid = db
        .prepare(
          `SELECT count(*) FROM purchases p LEFT JOIN invoices i ON i.purchase_id = p.id WHERE (p.status = 'paid') != (i.id IS NOT NULL)`,
        )
        .pluck(true)
        .get();
      expect(halfPaid).toBe(0n);
      for (const holdId of captured.keys())
        expect(db.prepare('SELECT status FROM holds WHERE id = ?').pluck(true).get(holdId)).toBe('captured');
      for (const [keyId, status] of keys) {
        const now = db.prepare('SELECT status FROM api_keys WHERE id = ?').pluck(true).get(keyId);
        // A suspension may have committed without its answer arriving; never the other way round.
        expect(status === 'active' ? ['active', 'suspended'] : ['suspended']).toContain(now);
      }
      expect(
        db.prepare(`SELECT count(*) FROM api_keys WHERE status = 'active'`).pluck(true).get(),
      ).toBeLessThanOrEqual(10n);
      await storage.close();
    }

    // The next billing run bills every stored event exactly once.
    const server = await startServer(env);
    const api = client(server.url, ADMIN);
    const run = await api('POST', '/v1/billing_runs', {});
    expect(run.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const storage = await SqliteStorage.open({
      database: join(dataDir, 'tollgate.db'),
      dedupeWindowMs: 0,
      nowMs: Date.now(),
    });
    const db = storage.connection.db;
    const eventCredits = db
      .prepare('SELECT coalesce(sum(credits_minor), 0) FROM usage_events')
      .pluck(true)
      .get() as bigint;
    const billed = db
      .prepare(`SELECT coalesce(sum(amount), 0) FROM transfers WHERE code = 'usage'`)
      .pluck(true)
      .get() as bigint;
    const unbilledClosed = db
      .prepare('SELECT coalesce(sum(credits_minor - billed_minor), 0) FROM usage_rollup WHERE hour_ms < ?')
      .pluck(true)
      .get(Date.now() - (Date.now() % 3_600_000)) as bigint;
    const unbilledOpen = db
      .prepare('SELECT coalesce(sum(credits_minor - billed_minor), 0) FROM usage_rollup')
      .pluck(true)
      .get() as bigint;
    expect(unbilledClosed).toBe(0n);
    expect(billed + unbilledOpen).toBe(eventCredits);
    expect((await storage.audit()).mismatchedAccounts).toEqual([]);
    await storage.close();
    const writes = events.size + paid.size + captured.size + keys.size;
    console.log(
      `crash: ${KILLS} SIGKILLs survived; ${writes} acknowledged writes checked (${events.size} events, ${paid.size} confirmations, ${captured.size} captures, ${keys.size} keys)`,
    );
    expect(events.size).toBeGreaterThan(KILLS);
  }, 300_000);
});
