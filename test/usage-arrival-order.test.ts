import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.ts';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import type { RatedEvent } from '../src/core/kernel/model.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const NOW = T0 + 2 * HOUR;

function event(id: string, accountId: string, ts: number, model = 'm'): RatedEvent {
  return {
    id,
    accountId,
    apiKeyId: null,
    model,
    quantityMinor: 1_000_000n,
    creditsMinor: 5n,
    timestampMs: ts,
    hourMs: ts - (ts % HOUR),
    properties: null,
    fingerprint: `${accountId}/${model}/${ts}`,
  };
}

const file = () => join(mkdtempSync(join(tmpdir(), 'tollgate-arrival-')), 'usage.db');
const open = (database: string, usageIndexEvery: number) =>
  SqliteStorage.open({ database, dedupeWindowMs: 40 * 86_400_000, nowMs: NOW, usageIndexEvery });

/** Every record of the account, read page by page. */
async function pageAll(s: SqliteStorage, accountId: string, limit: number, model?: string) {
  const seen: string[] = [];
  let after: { timestampMs: number; id: string } | undefined;
  for (;;) {
    const page = await s.usageRecords({
      accountId,
      fromMs: T0 - HOUR,
      toMs: NOW,
      limit,
      ...(after ? { after } : {}),
      ...(model ? { model } : {}),
    });
    seen.push(...page.map((r) => `${r.timestampMs}/${r.id}`));
    if (page.length < limit) return seen;
    const last = page.at(-1)!;
    after = { timestampMs: last.timestampMs, id: last.id };
  }
}

describe('SQLite usage in arrival order, indexed by account in bulk', () => {
  it('pages every account in (timestamp, id) order across the account index and its tail', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.record({
              id: fc.integer({ min: 0, max: 60 }).map((n) => `e${n}`),
              account: fc.constantFrom('acc_a', 'acc_b', 'acc_c'),
              // Client clocks out of order, many events in one millisecond.
              ts: fc.integer({ min: 0, max: 40 }).map((n) => T0 + n * 7),
              model: fc.constantFrom('m', 'n'),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        async (batches, indexEvery, limit) => {
          const path = file();
          let s = await open(path, indexEvery);
          const model = new Map<string, { account: string; ts: number; model: string }>();
          for (const batch of batches) {
            const statuses = await s.ingestUsage(
              batch.map((e) => event(e.id, e.account, e.ts, e.model)),
              { durability: 'normal', receivedMs: NOW },
            );
            batch.forEach((e, i) => {
              const known = model.get(e.id);
              const same =
                known && known.account === e.account && known.ts === e.ts && known.model === e.model;
              expect(statuses[i]).toBe(known ? (same ? 'duplicate' : 'conflict') : 'accepted');
              if (!known) model.set(e.id, { account: e.account, ts: e.ts, model: e.model });
            });
          }
          // Reopened: the id index is rebuilt from the arrival order.
          await s.close();
          s = await open(path, indexEvery);
          for (const [id, e] of [...model].slice(0, 3)) {
            const [again] = await s.ingestUsage([event(id, e.account, e.ts, e.model)], {
              durability: 'normal',
            });
            expect(again).toBe('duplicate');
          }
          for (const account of ['acc_a', 'acc_b', 'acc_c']) {
            const expected = [...model]
              .filter(([, e]) => e.account === account)
              .sort(([ia, a], [ib, b]) => a.ts - b.ts || (ia < ib ? -1 : 1))
              .map(([id, e]) => `${e.ts}/${id}`);
            expect(await pageAll(s, account, limit)).toEqual(expected);
            const onlyN = [...model]
              .filter(([, e]) => e.account === account && e.model === 'n')
              .sort(([ia, a], [ib, b]) => a.ts - b.ts || (ia < ib ? -1 : 1))
              .map(([id, e]) => `${e.ts}/${id}`);
            expect(await pageAll(s, account, limit, 'n')).toEqual(onlyN);
          }
          await s.close();
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 40) },
    );
  });

  it('stores a large batch with repeats inside it and from before, each answered in order', async () => {
    const s = await open(file(), 100);
    const first = Array.from({ length: 60 }, (_, i) => event(`p${i}`, 'acc_a', T0 + i));
    expect(new Set(await s.ingestUsage(first, { durability: 'normal' }))).toEqual(new Set(['accepted']));
    const batch = Array.from({ length: 237 }, (_, i) =>
      i % 40 === 7
        ? event(`p${i % 60}`, 'acc_a', T0 + (i % 60))
        : event(`q${i % 200}`, 'acc_b', T0 + (i % 200)),
    );
    const statuses = await s.ingestUsage(batch, { durability: 'normal' });
    batch.forEach((e, i) => {
      const expected = e.id.startsWith('p')
        ? 'duplicate'
        : i >= 200 && i % 40 !== 7
          ? 'duplicate'
          : 'accepted';
      expect(statuses[i], `${i} ${e.id}`).toBe(expected);
    });
    const b = await pageAll(s, 'acc_b', 1000);
    const accepted = new Set(batch.filter((e) => e.id.startsWith('q')).map((e) => e.id));
    expect(b).toHaveLength(accepted.size);
    expect(await pageAll(s, 'acc_a', 1000)).toHaveLength(60);
    await s.close();
  });

  it('migrates a store keyed by (timestamp, id) without losing or reordering an event', async () => {
    const path = file();
    const db = new Database(path);
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) });
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '004'));
    const old = await new Migrator({
      db: kysely,
      provider: { getMigrations: async () => before },
    }).migrateToLatest();
    expect(old.error).toBeUndefined();
    const insert = db.prepare(
      `INSERT INTO usage_events (ts_ms, id, account_id, api_key_id, model, quantity_minor, credits_minor, properties, fingerprint)
       VALUES (?, ?, ?, NULL, 'm', 1000000, 5, NULL, ?)`,
    );
    for (let i = 0; i < 50; i++)
      insert.run(T0 + ((i * 37) % 50) * 1000, `old${i}`, i % 2 ? 'acc_a' : 'acc_b', `f${i}`);
    await kysely.destroy();

    const s = await open(path, 8);
    const a = await pageAll(s, 'acc_a', 7);
    expect(a).toHaveLength(25);
    expect([...a].sort((x, y) => Number(x.split('/')[0]) - Number(y.split('/')[0]))).toEqual(a);
    // Ids stored before the migration are still known.
    const [again] = await s.ingestUsage([{ ...event('old1', 'acc_a', T0), fingerprint: 'other' }], {
      durability: 'normal',
    });
    expect(again).toBe('conflict');
    const [fresh] = await s.ingestUsage([event('new1', 'acc_a', T0 + 10)], { durability: 'normal' });
    expect(fresh).toBe('accepted');
    expect(await pageAll(s, 'acc_a', 100)).toHaveLength(26);
    await s.close();
  });
});
