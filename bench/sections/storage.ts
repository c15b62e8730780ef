/** Storage and library: ingest beside raw SQLite as the store grows, verification, reads of a large store. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createTollgate } from '../../src/index.ts';
import { type BenchContext, medianNote, middle, percentile, type Row, rate, rowsOf } from '../lib.ts';
import {
  baselineA,
  baselineMixed,
  DAY,
  engineWithKey,
  fill,
  HOUR,
  libraryIngest,
  makeAccounts,
  makeKey,
  mixedIngest,
  openStore,
  type Store,
} from '../workloads.ts';

/** The row the PostgreSQL section sets its library figure beside. */
export const LIBRARY_EMPTY =
  'Library ingest, empty store (random UUIDv4 ids, batches of 1000, synchronous NORMAL)';

const require_ = createRequire(import.meta.url);

/** SHA-256 of a secret-sized string, per second: the least a verification does. */
function benchHash(count: number): number {
  const { hash } = require_('node:crypto');
  const t0 = performance.now();
  for (let i = 0; i < count; i++) hash('sha256', 'tg_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'buffer');
  return rate(count, performance.now() - t0);
}

export async function run(ctx: BenchContext): Promise<Row[]> {
  const { n, tmp } = ctx;
  const { rows, add } = rowsOf(ctx);
  ctx.log('\n## Storage and library');
  // Warm-up on a throwaway store, so the first measured figure is not the JIT compiler's.
  const warm = await engineWithKey('warm-up');
  await libraryIngest(warm.engine, warm.key.id, n(50_000));
  for (let i = 0; i < 100_000; i++) await warm.engine.keys.verify(warm.key.secret);
  await warm.engine.close();
  baselineA(tmp, n(50_000));
  // Headline figures are the median of three runs, each on a store of its own: single runs on a
  // shared machine swing by a quarter.
  const aRuns = [baselineA(tmp, n(200_000)), baselineA(tmp, n(200_000)), baselineA(tmp, n(200_000))];
  const baseA = middle(aRuns);
  add({
    name: 'Baseline A: raw better-sqlite3 inserts, 1000 rows/commit, time-ordered keys, WAL NORMAL',
    value: baseA,
    unit: 'rows/s',
    note: medianNote(aRuns),
  });
  const store = await openStore(join(tmp, 'library.db'));
  const { engine } = store;
  const accounts = await makeAccounts(engine, 1000);
  const key = await makeKey(engine, accounts[0]!, 'bench');
  const measure = n(200_000);
  const emptyRuns = [await libraryIngest(engine, key.id, measure)];
  for (let i = 0; i < 2; i++) {
    const fresh = await engineWithKey('bench', join(tmp, `library-${i}.db`));
    emptyRuns.push(await libraryIngest(fresh.engine, fresh.key.id, measure));
    await fresh.engine.close();
  }
  const empty = middle(emptyRuns);
  const vsA = { name: 'A', value: baseA };
  add({
    name: LIBRARY_EMPTY,
    value: empty,
    unit: 'events/s',
    baseline: vsA,
    target: '>= 100,000/s and >= 0.5 x A',
    met: empty >= 100_000 && empty >= 0.5 * baseA,
    note: medianNote(emptyRuns),
  });
  const now = Date.now();
  // History is filled in time order, as it arrives in life: each fill covers a later stretch.
  await fill(store, accounts, n(1_000_000) - measure, now - 30 * DAY, now - 27 * DAY);
  // Three consecutive runs each (the store grows by them), the median reported.
  const threeRuns = async () => [
    await libraryIngest(engine, key.id, measure),
    await libraryIngest(engine, key.id, measure),
    await libraryIngest(engine, key.id, measure),
  ];
  const at1mRuns = await threeRuns();
  add({
    name: `Library ingest, ${(n(1_000_000) / 1e6).toFixed(1)}M events stored`,
    value: middle(at1mRuns),
    unit: 'events/s',
    baseline: { name: 'empty store', value: empty },
    note: medianNote(at1mRuns),
  });
  await fill(store, accounts, n(5_000_000) - n(1_000_000) - 3 * measure, now - 27 * DAY, now - 15 * DAY);
  const at5mRuns = await threeRuns();
  const at5m = middle(at5mRuns);
  add({
    name: `Library ingest, ${(n(5_000_000) / 1e6).toFixed(1)}M events stored`,
    value: at5m,
    unit: 'events/s',
    baseline: { name: 'empty store', value: empty },
    target: '>= 0.8 x empty store',
    met: at5m >= 0.8 * empty,
    note: medianNote(at5mRuns),
  });
  // Mixed traffic on the same store, its 1,000 accounts, now that it holds 5M events.
  const mixedAt5m = await mixedIngest(engine, accounts, measure);

  // Mixed traffic on a store of its own, beside the conventional layout in raw SQLite.
  const mixedEngine = await createTollgate({ database: join(tmp, 'mixed.db') });
  const mixed = await mixedIngest(mixedEngine, await makeAccounts(mixedEngine, 1000), measure);
  await mixedEngine.close();
  const rawMixed = baselineMixed(tmp, measure);
  const rawAppend = baselineMixed(tmp, measure, 'append');
  add({
    name: 'Baseline A-append: raw better-sqlite3 appending the same mixed rows to a table with no index',
    value: rawAppend,
    unit: 'rows/s',
    baseline: vsA,
  });
  add({
    name: 'Baseline A-mixed: raw better-sqlite3, the same mixed traffic, table keyed by (timestamp, id) + (account, timestamp) index',
    value: rawMixed,
    unit: 'rows/s',
    baseline: vsA,
  });
  add({
    name: 'Library ingest, mixed traffic (1,000 accounts interleaved, timestamps spread over 2 s, batches of 1000)',
    value: mixed,
    unit: 'events/s',
    baseline: { name: 'A-append', value: rawAppend },
    target: '>= 0.5 x A-append and >= 150,000/s',
    met: mixed >= 0.5 * rawAppend && mixed >= 150_000,
    note: `${(mixed / rawMixed).toFixed(2)} x A-mixed, ${(mixed / baseA).toFixed(2)} x A`,
  });
  add({
    name: `Library ingest, the same mixed traffic, ${(n(5_000_000) / 1e6).toFixed(1)}M events stored`,
    value: mixedAt5m,
    unit: 'events/s',
    baseline: { name: 'mixed traffic, empty store', value: mixed },
    target: '>= 0.8 x empty store',
    met: mixedAt5m >= 0.8 * mixed,
  });

  // In-process verification: the hottest read.
  const grant = await engine.credits.grant(accounts[0]!, { credits: '1000000', reason: 'bench' });
  if (!grant.ok) throw new Error(grant.message);
  const verifies = n(500_000);
  const t0 = performance.now();
  for (let i = 0; i < verifies; i++) await engine.keys.verify(key.secret);
  const perSec = rate(verifies, performance.now() - t0);
  add({
    name: 'Key verification in process (cached)',
    value: perSec,
    unit: 'verifications/s',
    baseline: { name: 'SHA-256 of the secret alone', value: benchHash(verifies) },
    target: '>= 200,000/s',
    met: perSec >= 200_000,
  });

  await fill(store, accounts, n(10_000_000) - n(5_000_000) - 3 * measure, now - 15 * DAY, now - HOUR);
  for (const row of await reads(ctx, store, accounts, now)) add(row);
  await engine.close();
  return rows;
}

/** Reads of one account in the filled store: the 30-day summary, and pages of records. */
async function reads(ctx: BenchContext, store: Store, accounts: string[], now: number): Promise<Row[]> {
  const { engine } = store;
  const range = { from: new Date(now - 30 * DAY).toISOString(), to: new Date(now).toISOString() };
  const times: number[] = [];
  const plain: number[] = [];
  const account = accounts[5]!;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await engine.usage.summary({
      accountId: account,
      ...range,
      granularity: i % 2 ? 'day' : 'hour',
      groupBy: 'model',
    });
    if (!r.ok) throw new Error(r.message);
    times.push(performance.now() - t);
    const t2 = performance.now();
    await engine.accounts.get(account);
    plain.push(performance.now() - t2);
  }
  times.sort((a, b) => a - b);
  plain.sort((a, b) => a - b);
  const oneRow = {
    name: 'GET account (one row) median ms',
    value: Math.round(percentile(plain, 50) * 1000) / 1000,
  };
  const p99 = Math.round(percentile(times, 99) * 100) / 100;

  // Usage records of one account, a page of 100 at a time from a cursor, in the same store.
  const pages: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await engine.usage.records({
      accountId: accounts[(i % 50) + 10]!,
      ...range,
      limit: '100',
      ...(cursor && i % 2 ? { cursor } : {}),
    });
    if (!r.ok) throw new Error(r.message);
    pages.push(performance.now() - t);
    cursor = r.value.nextCursor ?? undefined;
  }
  pages.sort((a, b) => a - b);
  return [
    {
      name: `30-day usage summary, one account, ${(ctx.n(10_000_000) / 1e6).toFixed(1)}M events stored: median`,
      value: Math.round(percentile(times, 50) * 100) / 100,
      unit: 'ms',
      baseline: oneRow,
    },
    { name: '30-day usage summary: p99', value: p99, unit: 'ms', target: '< 50 ms', met: p99 < 50 },
    {
      name: 'Usage records, a page of 100 for one account (first pages and cursor pages), same store: median',
      value: Math.round(percentile(pages, 50) * 100) / 100,
      unit: 'ms',
      note: `p99 ${Math.round(percentile(pages, 99) * 100) / 100} ms`,
      baseline: oneRow,
    },
  ];
}
