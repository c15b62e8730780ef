/**
 * `npm run bench`: sizes metering on this machine. Every figure stands beside a baseline measured
 * in the same run, with the ratio, because absolute times drift on shared machines.
 * BENCH_SCALE=0.1 runs a quick, smaller version.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { RatedEvent } from '../src/core/model.ts';
import { createTollgate, type Engine } from '../src/index.ts';
import { type LoadResult, load, percentile, ROOT, type Row, rate, startChild } from './lib.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const n = (x: number) => Math.max(1000, Math.round((x * SCALE) / 1000) * 1000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const rows: Row[] = [];
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const tmp = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
const log = (s: string) => process.stdout.write(`${s}\n`);

function add(row: Row) {
  rows.push(row);
  const base = row.baseline
    ? `  (baseline ${row.baseline.name}: ${row.baseline.value.toLocaleString('en')}, ratio ${(row.value / row.baseline.value).toFixed(2)})`
    : '';
  log(
    `  ${row.name}: ${row.value.toLocaleString('en')} ${row.unit}${base}${row.target ? `  target ${row.target}: ${row.met ? 'met' : 'MISSED'}` : ''}`,
  );
}

/**
 * Raw better-sqlite3 inserts of the event row shape, one statement prepared once, 1000 rows a
 * commit, WAL with synchronous NORMAL; rows are built before the clock starts, as for the library
 * figures. `accountIndex` adds the (account, timestamp) index, with the library's 64 MiB page
 * cache so that index stays in memory.
 */
function rawInserts(
  name: string,
  count: number,
  accountIndex: boolean,
  row: (batch: number, i: number, now: number) => unknown[],
): number {
  const db = new Database(join(tmp, `${name}-${randomUUID()}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (accountIndex) db.pragma('cache_size = -65536');
  db.exec(`CREATE TABLE usage_events (ts_ms INTEGER NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL, api_key_id TEXT,
    model TEXT NOT NULL, quantity_minor INTEGER NOT NULL, credits_minor INTEGER NOT NULL, properties TEXT, fingerprint TEXT NOT NULL,
    PRIMARY KEY (ts_ms, id)) WITHOUT ROWID`);
  if (accountIndex) db.exec('CREATE INDEX usage_events_account ON usage_events (account_id, ts_ms)');
  const insert = db.prepare('INSERT INTO usage_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const commit = db.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(...r);
  });
  const now = Date.now();
  const batches = Array.from({ length: count / 1000 }, (_, b) =>
    Array.from({ length: 1000 }, (_, i) => row(b, i, now)),
  );
  const t0 = performance.now();
  for (const batch of batches) commit(batch);
  const r = rate(count, performance.now() - t0);
  db.close();
  return r;
}

/** The row tollgate stores: account and key ids of the same length, a 16-hex-digit content fingerprint. */
const eventRow = (ts: number, accountId: string, keyId: string | null) => [
  ts,
  randomUUID(),
  accountId,
  keyId,
  'image-1024',
  1_000_000,
  2_000_000,
  null,
  (ts % 1e15).toString(16).padStart(16, '0'),
];

/** Baseline A: one account, time-ordered keys. */
const baselineA = (count: number) =>
  rawInserts('baseline-a', count, false, (b, i, now) =>
    eventRow(now + b * 10 + (i % 10), 'acc_0354TLWCzMh0PETYnAU9aW', 'key_0354TLWOHyKuaMVp2RRkPh'),
  );

/** Batches of 1000 through the public API, random UUIDv4 ids, priced and rolled up. */
async function libraryIngest(engine: Engine, keyId: string, count: number): Promise<number> {
  // The caller's work (UUIDs, JSON-shaped events) is done before the clock starts: the figure is
  // tollgate's. Timestamps are the arrival time of each batch, as in life.
  const start = Date.now();
  const batches = Array.from({ length: count / 1000 }, (_, b) =>
    Array.from({ length: 1000 }, () => ({
      id: randomUUID(),
      api_key_id: keyId,
      model: 'image-1024',
      quantity: '1',
      timestamp: new Date(start + b * 5).toISOString(),
    })),
  );
  const t0 = performance.now();
  for (const batch of batches) {
    const results = await engine.usage.ingest(batch);
    if (results[0]!.status !== 'accepted') throw new Error(JSON.stringify(results[0]));
  }
  return rate(count, performance.now() - t0);
}

/**
 * Mixed traffic, as a platform sees it: events of 1,000 accounts interleaved, each batch from
 * clients whose clocks and buffers spread its timestamps over 2 seconds.
 */
async function mixedIngest(engine: Engine, accounts: string[], count: number): Promise<number> {
  const start = Date.now();
  const batches = Array.from({ length: count / 1000 }, (_, b) =>
    Array.from({ length: 1000 }, (_, i) => ({
      id: randomUUID(),
      account_id: accounts[(b * 7919 + i * 104_729) % accounts.length]!,
      model: 'image-1024',
      quantity: '1',
      timestamp: new Date(start + b * 5 - Math.floor(Math.random() * 2000)).toISOString(),
    })),
  );
  const t0 = performance.now();
  for (const batch of batches) {
    const results = await engine.usage.ingest(batch);
    if (results[0]!.status !== 'accepted') throw new Error(JSON.stringify(results[0]));
  }
  return rate(count, performance.now() - t0);
}

/**
 * Baseline A-mixed: raw better-sqlite3 storing the mixed traffic in the conventional layout, a
 * table keyed by (timestamp, id) with an (account, timestamp) index: what a store ordered by
 * event time pays when accounts and client clocks mix.
 */
const baselineMixed = (count: number) =>
  rawInserts('baseline-mixed', count, true, (b, i, now) =>
    eventRow(
      now + b * 5 - Math.floor(Math.random() * 2000),
      `acc_0354TLWCzMh0PETYnA${String((b * 7919 + i * 104_729) % 1000).padStart(4, '0')}`,
      null,
    ),
  );

/** Events per fill commit: history is loaded in large commits, like an import. */
const FILL_BATCH = 25_000;

/** Fills the store straight through the storage port with pre-rated events spread over a time range. */
async function fill(engine: Engine, accounts: string[], count: number, fromMs: number, toMs: number) {
  const storage = engine.context.storage;
  const step = (toMs - fromMs) / count;
  const models = ['video-4s-720p', 'video-8s-1080p', 'image-1024', 'tokens-1k'];
  for (let b = 0; b < count / FILL_BATCH; b++) {
    const batch: RatedEvent[] = [];
    for (let i = 0; i < FILL_BATCH; i++) {
      const k = b * FILL_BATCH + i;
      const ts = Math.floor(fromMs + k * step);
      const accountId = accounts[k % accounts.length]!;
      batch.push({
        id: randomUUID(),
        accountId,
        apiKeyId: null,
        model: models[k % 4]!,
        quantityMinor: 1_000_000n,
        creditsMinor: 2_000_000n,
        timestampMs: ts,
        hourMs: ts - (ts % HOUR),
        properties: null,
        fingerprint: `f${k}`,
      });
    }
    await storage.ingestUsage(batch, { durability: 'normal' });
  }
  // A quiet moment after the import: the WAL is checkpointed, so the measurement that follows
  // does not pay the import's checkpoint debt.
  (storage as { connection?: { db: { pragma(s: string): unknown } } }).connection?.db.pragma(
    'wal_checkpoint(TRUNCATE)',
  );
}

async function makeAccounts(engine: Engine, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await engine.accounts.create({ name: `bench ${i}` });
    if (!r.ok) throw new Error(r.message);
    ids.push(r.value.id);
  }
  return ids;
}

async function storageSection() {
  log('\n## Storage and library');
  // Warm-up on a throwaway store, so the first measured figure is not the JIT compiler's.
  const warm = await createTollgate({});
  const [warmAccount] = await makeAccounts(warm, 1);
  const warmKey = await warm.keys.create(warmAccount!, 'warm-up');
  if (!warmKey.ok) throw new Error(warmKey.message);
  await libraryIngest(warm, warmKey.value.key.id, n(50_000));
  for (let i = 0; i < 100_000; i++) await warm.keys.verify(warmKey.value.secret);
  await warm.close();
  baselineA(n(50_000));
  // Headline figures are the median of three runs, each on a store of its own: single runs on a
  // shared machine swing by a quarter.
  const aRuns = [baselineA(n(200_000)), baselineA(n(200_000)), baselineA(n(200_000))];
  const baseA = middle(aRuns);
  add({
    name: 'Baseline A: raw better-sqlite3 inserts, 1000 rows/commit, time-ordered keys, WAL NORMAL',
    value: baseA,
    unit: 'rows/s',
    note: `median of ${aRuns.map((x) => x.toLocaleString('en')).join(' / ')}`,
  });
  const engine = await createTollgate({ database: join(tmp, 'library.db') });
  const accounts = await makeAccounts(engine, 1000);
  const key = await engine.keys.create(accounts[0]!, 'bench');
  if (!key.ok) throw new Error(key.message);
  const measure = n(200_000);
  const emptyRuns = [await libraryIngest(engine, key.value.key.id, measure)];
  for (let i = 0; i < 2; i++) {
    const fresh = await createTollgate({ database: join(tmp, `library-${i}.db`) });
    const [freshAccount] = await makeAccounts(fresh, 1);
    const freshKey = await fresh.keys.create(freshAccount!, 'bench');
    if (!freshKey.ok) throw new Error(freshKey.message);
    emptyRuns.push(await libraryIngest(fresh, freshKey.value.key.id, measure));
    await fresh.close();
  }
  const empty = middle(emptyRuns);
  sqliteLibraryIngest = empty;
  const vsA = { name: 'A', value: baseA };
  add({
    name: 'Library ingest, empty store (random UUIDv4 ids, batches of 1000, synchronous NORMAL)',
    value: empty,
    unit: 'events/s',
    baseline: vsA,
    target: '>= 100,000/s and >= 0.5 x A',
    met: empty >= 100_000 && empty >= 0.5 * baseA,
    note: `median of ${emptyRuns.map((x) => x.toLocaleString('en')).join(' / ')}`,
  });
  const now = Date.now();
  // History is filled in time order, as it arrives in life: each fill covers a later stretch.
  await fill(engine, accounts, n(1_000_000) - measure, now - 30 * DAY, now - 27 * DAY);
  // Three consecutive runs each (the store grows by them), the median reported.
  const threeRuns = async () => [
    await libraryIngest(engine, key.value.key.id, measure),
    await libraryIngest(engine, key.value.key.id, measure),
    await libraryIngest(engine, key.value.key.id, measure),
  ];
  const at1mRuns = await threeRuns();
  const at1m = middle(at1mRuns);
  add({
    name: `Library ingest, ${(n(1_000_000) / 1e6).toFixed(1)}M events stored`,
    value: at1m,
    unit: 'events/s',
    baseline: { name: 'empty store', value: empty },
    note: `median of ${at1mRuns.map((x) => x.toLocaleString('en')).join(' / ')}`,
  });
  await fill(engine, accounts, n(5_000_000) - n(1_000_000) - 3 * measure, now - 27 * DAY, now - 15 * DAY);
  const at5mRuns = await threeRuns();
  const at5m = middle(at5mRuns);
  add({
    name: `Library ingest, ${(n(5_000_000) / 1e6).toFixed(1)}M events stored`,
    value: at5m,
    unit: 'events/s',
    baseline: { name: 'empty store', value: empty },
    target: '>= 0.8 x empty store',
    met: at5m >= 0.8 * empty,
    note: `median of ${at5mRuns.map((x) => x.toLocaleString('en')).join(' / ')}`,
  });

  // Mixed traffic on a store of its own, beside the conventional layout in raw SQLite.
  const mixedEngine = await createTollgate({ database: join(tmp, 'mixed.db') });
  const mixedAccounts = await makeAccounts(mixedEngine, 1000);
  const mixed = await mixedIngest(mixedEngine, mixedAccounts, measure);
  await mixedEngine.close();
  const rawMixed = baselineMixed(measure);
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
    baseline: { name: 'A-mixed', value: rawMixed },
    note: `${(mixed / baseA).toFixed(2)} x A`,
  });

  // In-process verification: the hottest read.
  const secret = key.value.secret;
  const grant = await engine.credits.grant(accounts[0]!, { credits: '1000000', reason: 'bench' });
  if (!grant.ok) throw new Error(grant.message);
  const verifies = n(500_000);
  const t0 = performance.now();
  for (let i = 0; i < verifies; i++) await engine.keys.verify(secret);
  const perSec = rate(verifies, performance.now() - t0);
  const hashes = benchHash(verifies);
  add({
    name: 'Key verification in process (cached)',
    value: perSec,
    unit: 'verifications/s',
    baseline: { name: 'SHA-256 of the secret alone', value: hashes },
    target: '>= 200,000/s',
    met: perSec >= 200_000,
  });

  // 30-day summary for one account in a store of 10M events.
  await fill(engine, accounts, n(10_000_000) - n(5_000_000) - 3 * measure, now - 15 * DAY, now - HOUR);
  const times: number[] = [];
  const plain: number[] = [];
  const account = accounts[5]!;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await engine.usage.summary({
      accountId: account,
      from: new Date(now - 30 * DAY).toISOString(),
      to: new Date(now).toISOString(),
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
  const p99 = Math.round(percentile(times, 99) * 100) / 100;
  add({
    name: `30-day usage summary, one account, ${(n(10_000_000) / 1e6).toFixed(1)}M events stored: median`,
    value: Math.round(percentile(times, 50) * 100) / 100,
    unit: 'ms',
    baseline: {
      name: 'GET account (one row) median ms',
      value: Math.round(percentile(plain, 50) * 1000) / 1000,
    },
  });
  add({ name: '30-day usage summary: p99', value: p99, unit: 'ms', target: '< 50 ms', met: p99 < 50 });

  // Usage records of one account, a page of 100 at a time from a cursor, in the same store.
  const pages: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await engine.usage.records({
      accountId: accounts[(i % 50) + 10]!,
      from: new Date(now - 30 * DAY).toISOString(),
      to: new Date(now).toISOString(),
      limit: '100',
      ...(cursor && i % 2 ? { cursor } : {}),
    });
    if (!r.ok) throw new Error(r.message);
    pages.push(performance.now() - t);
    cursor = r.value.nextCursor ?? undefined;
  }
  pages.sort((a, b) => a - b);
  add({
    name: 'Usage records, a page of 100 for one account (first pages and cursor pages), same store: median',
    value: Math.round(percentile(pages, 50) * 100) / 100,
    unit: 'ms',
    note: `p99 ${Math.round(percentile(pages, 99) * 100) / 100} ms`,
    baseline: {
      name: 'GET account (one row) median ms',
      value: Math.round(percentile(plain, 50) * 1000) / 1000,
    },
  });
  await engine.close();
}

function benchHash(count: number): number {
  const { hash } = require_('node:crypto');
  const t0 = performance.now();
  for (let i = 0; i < count; i++) hash('sha256', 'tg_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'buffer');
  return rate(count, performance.now() - t0);
}

import { createRequire } from 'node:module';

const require_ = createRequire(import.meta.url);

async function billingSection() {
  log('\n## Billing');
  const engine = await createTollgate({ database: join(tmp, 'billing.db') });
  const accounts = await makeAccounts(engine, 1000);
  const hour = Date.now() - (Date.now() % HOUR) - HOUR;
  const count = n(1_000_000);
  await fill(engine, accounts, count, hour, hour + HOUR - 1);
  const t0 = performance.now();
  const r = await engine.billing.run();
  const ms = Math.round(performance.now() - t0);
  if (r.accounts !== accounts.length) throw new Error(`billed ${r.accounts} accounts`);
  const t1 = performance.now();
  await engine.billing.run();
  const again = Math.round((performance.now() - t1) * 10) / 10;
  add({
    name: `Billing run over one hour holding ${(count / 1e6).toFixed(1)}M events (${r.accounts} accounts)`,
    value: ms,
    unit: 'ms',
    baseline: { name: 'the same run again, nothing left to bill (ms)', value: again },
    target: '< 2000 ms',
    met: ms < 2000,
  });
  await engine.close();
}

/** The run with the median requests/s of several. */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((x, y) => x.rps - y.rps)[Math.floor(runs.length / 2)]!;
}

const ROUNDS = 3;

async function httpSection() {
  log('\n## HTTP (autocannon in this process; each server in its own process)');
  log(`  ${ROUNDS} interleaved rounds (hello-world, verification, single-event ingest), 4 s each; medians`);
  const hello = await startChild('bench/hello-server.ts');
  const dataDir = join(tmp, 'http');
  mkdirSync(dataDir);
  const token = 'bench-token';
  const server = await startChild('src/server.ts', {
    TOLLGATE_DATA_DIR: dataDir,
    TOLLGATE_ADMIN_TOKEN: token,
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) =>
    (
      await fetch(server.url + path, { method: 'POST', headers, body: JSON.stringify(body) })
    ).json() as Promise<any>;
  const acc = await post('/v1/accounts', { name: 'bench' });
  const key = await post(`/v1/accounts/${acc.id}/api_keys`, { nickname: 'bench' });
  await post(`/v1/accounts/${acc.id}/credit_grants`, { credits: '100000000', reason: 'bench' });

  const helloRun = (duration: number) =>
    load({ url: `${hello.url}/hello`, method: 'POST', connections: 64, duration });
  const verifyRun = (duration: number) =>
    load({
      url: `${server.url}/v1/api_keys/verify`,
      method: 'POST',
      headers,
      body: JSON.stringify({ key: key.secret }),
      connections: 64,
      duration,
    });
  const singleRun = (duration: number) =>
    load({
      url: server.url,
      connections: 64,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/v1/usage_events',
          headers,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              events: [
                {
                  id: randomUUID(),
                  api_key_id: key.id,
                  model: 'image-1024',
                  quantity: '1',
                  timestamp: new Date().toISOString(),
                },
              ],
            }),
          }),
        },
      ],
    });
  // Warm-up of every route, then the rounds.
  await helloRun(2);
  await verifyRun(2);
  await singleRun(2);
  const runs = { b: [] as LoadResult[], verify: [] as LoadResult[], single: [] as LoadResult[] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.b.push(await helloRun(4));
    runs.verify.push(await verifyRun(4));
    runs.single.push(await singleRun(4));
  }
  const baseB2 = await load({
    url: `${hello.url}/echo`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: 'tg_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG' }),
    connections: 64,
    duration: 4,
  });
  await hello.stop();
  const baseB = median(runs.b);
  const verify = median(runs.verify);
  const single = median(runs.single);
  const spread = (xs: LoadResult[]) => xs.map((x) => x.rps.toLocaleString('en')).join(' / ');
  add({
    name: 'Baseline B: Hono hello-world, 64 connections',
    value: baseB.rps,
    unit: 'req/s',
    note: `p50 ${baseB.p50} ms, p99 ${baseB.p99} ms; rounds ${spread(runs.b)}`,
  });
  add({
    name: 'Baseline B2: Hono route that reads and parses a small JSON body, 64 connections',
    value: baseB2.rps,
    unit: 'req/s',
    baseline: { name: 'B', value: baseB.rps },
    note: `p50 ${baseB2.p50} ms, p99 ${baseB2.p99} ms`,
  });
  const vsB = { name: 'B', value: baseB.rps };
  baselineB = baseB.rps;
  add({
    name: 'HTTP ingest, one event per request, 64 connections (group commit)',
    value: single.rps,
    unit: 'req/s',
    baseline: vsB,
    target: '>= 0.6 x B',
    met: single.rps >= 0.6 * baseB.rps && runs.single.every((x) => x.non2xx === 0),
    note: `p50 ${single.p50} ms, p99 ${single.p99} ms, non-2xx ${runs.single.reduce((t, x) => t + x.non2xx, 0)}; rounds ${spread(runs.single)}; ${(single.rps / baseB2.rps).toFixed(2)} x B2`,
  });
  add({
    name: 'HTTP key verification, 64 connections',
    value: verify.rps,
    unit: 'req/s',
    baseline: vsB,
    target: '>= 0.7 x B, p99 < 10 ms',
    met: verify.rps >= 0.7 * baseB.rps && verify.p99 < 10 && runs.verify.every((x) => x.non2xx === 0),
    note: `p50 ${verify.p50} ms, p99 ${verify.p99} ms; rounds ${spread(runs.verify)}; ${(verify.rps / baseB2.rps).toFixed(2)} x B2`,
  });

  let seq = 0;
  const batch = await load({
    url: server.url,
    connections: 8,
    requests: [
      {
        method: 'POST',
        path: '/v1/usage_events',
        headers,
        setupRequest: (req) => {
          const ts = new Date().toISOString();
          const events = [];
          for (let i = 0; i < 1000; i++)
            events.push({
              id: `b${seq++}-${randomUUID()}`,
              api_key_id: key.id,
              model: 'image-1024',
              quantity: '1',
              timestamp: ts,
            });
          return { ...req, body: JSON.stringify({ events }) };
        },
      },
    ],
  });
  add({
    name: 'Peak memory (RSS) of the tollgate server process during the HTTP runs',
    value: server.peakRssMb(),
    unit: 'MB',
  });
  await server.stop();
  // Baseline: the same batches through the library in this process, no HTTP.
  const lib = await createTollgate({ database: join(tmp, 'http-baseline.db') });
  const [libAccount] = await makeAccounts(lib, 1);
  const libKey = await lib.keys.create(libAccount!, 'bench');
  if (!libKey.ok) throw new Error(libKey.message);
  const inProcess = await libraryIngest(lib, libKey.value.key.id, n(100_000));
  await lib.close();
  add({
    name: 'HTTP ingest, 1000 events per request, 8 connections',
    value: batch.rps * 1000,
    unit: 'events/s',
    baseline: { name: 'the same batches through the library in process', value: inProcess },
    target: '>= 100,000 events/s',
    met: batch.rps * 1000 >= 100_000 && batch.non2xx === 0,
    note: `p50 ${batch.p50} ms, p99 ${batch.p99} ms`,
  });
}

let baselineB = 0;
let sqliteLibraryIngest = 0;

/** PostgreSQL: the same library ingest and HTTP verification, beside a raw pg baseline. */
async function postgresSection() {
  const url = process.env.TOLLGATE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  log(`\n## PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')})`);
  const schema = `tg_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const pgClient = new pg.Client({ connectionString: url });
  try {
    await pgClient.connect();
  } catch (e) {
    log(`  skipped: cannot reach PostgreSQL (${(e as Error).message})`);
    return;
  }
  try {
    await pgClient.query(`CREATE SCHEMA ${schema}`);
    await pgClient.query(`SET search_path = ${schema}`);
    await pgClient.query(`CREATE TABLE raw_events (ts_ms bigint NOT NULL, id text PRIMARY KEY, account_id text NOT NULL, api_key_id text, model text NOT NULL,
      quantity_minor bigint NOT NULL, credits_minor bigint NOT NULL, properties text, fingerprint text NOT NULL)`);
    const count = n(100_000);
    const t0 = performance.now();
    for (let b = 0; b < count / 1000; b++) {
      const ids = Array.from({ length: 1000 }, () => randomUUID());
      const now = Date.now();
      await pgClient.query(
        `INSERT INTO raw_events SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])`,
        [
          ids.map(() => now),
          ids,
          ids.map(() => 'acc_bench'),
          ids.map(() => 'key_bench'),
          ids.map(() => 'image-1024'),
          ids.map(() => 1_000_000),
          ids.map(() => 2_000_000),
          ids.map(() => null),
          ids.map(() => 'f'),
        ],
      );
    }
    const raw = rate(count, performance.now() - t0);
    add({
      name: 'Baseline P: raw pg, one multi-row INSERT (unnest) of 1000 rows a commit, unique random ids',
      value: raw,
      unit: 'rows/s',
    });
    const engine = await createTollgate({ database: { postgres: url, schema } });
    const [account] = await makeAccounts(engine, 1);
    const key = await engine.keys.create(account!, 'bench');
    if (!key.ok) throw new Error(key.message);
    const ingest = await libraryIngest(engine, key.value.key.id, count);
    add({
      name: 'Library ingest on PostgreSQL (random UUIDv4 ids, batches of 1000, synchronous_commit off)',
      value: ingest,
      unit: 'events/s',
      baseline: { name: 'P', value: raw },
      note: sqliteLibraryIngest ? `SQLite in this run: ${sqliteLibraryIngest.toLocaleString('en')}/s` : '',
    });
    await engine.close();

    const server = await startChild('src/server.ts', {
      TOLLGATE_DATA_DIR: join(tmp, 'pg-http'),
      TOLLGATE_ADMIN_TOKEN: 'bench-token',
      TOLLGATE_DATABASE_URL: url,
      TOLLGATE_DATABASE_SCHEMA: schema,
    });
    const headers = { authorization: 'Bearer bench-token', 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) =>
      (
        await fetch(server.url + path, { method: 'POST', headers, body: JSON.stringify(body) })
      ).json() as Promise<any>;
    const acc = await post('/v1/accounts', { name: 'bench' });
    const k = await post(`/v1/accounts/${acc.id}/api_keys`, { nickname: 'bench' });
    await post(`/v1/accounts/${acc.id}/credit_grants`, { credits: '1000000', reason: 'bench' });
    const verify = await load({
      url: `${server.url}/v1/api_keys/verify`,
      method: 'POST',
      headers,
      body: JSON.stringify({ key: k.secret }),
      connections: 64,
    });
    add({
      name: 'HTTP key verification on PostgreSQL, 64 connections (cache expires every 1 s)',
      value: verify.rps,
      unit: 'req/s',
      ...(baselineB ? { baseline: { name: 'B', value: baselineB } } : {}),
      note: `p50 ${verify.p50} ms, p99 ${verify.p99} ms`,
    });
    await server.stop();
  } finally {
    await pgClient.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pgClient.end();
  }
}

async function main() {
  const started = performance.now();
  log(`# tollgate benchmark — ${new Date().toISOString()}`);
  log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; scale ${SCALE}`,
  );
  log('durability: usage ingest commits with synchronous=NORMAL (WAL); money moves with FULL');
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'storage') await storageSection();
  if (!only || only === 'billing') await billingSection();
  if (!only || only === 'http') await httpSection();
  if (!only || only === 'postgres') await postgresSection();
  const seconds = Math.round((performance.now() - started) / 1000);
  const md = [
    `# tollgate benchmark`,
    '',
    `${new Date().toISOString()} · ${cpus().length} x ${cpus()[0]?.model} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · scale ${SCALE} · ${seconds} s`,
    '',
    'Durability: usage events commit with synchronous=NORMAL (WAL); purchases, holds and billing with FULL.',
    '',
    '| measure | value | baseline (same run) | ratio | target | |',
    '| --- | ---: | --- | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.value.toLocaleString('en')} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${r.baseline.value.toLocaleString('en')}` : ''} | ${r.baseline ? (r.value / r.baseline.value).toFixed(2) : ''} | ${r.target ?? ''} | ${r.target ? (r.met ? 'met' : '**missed**') : ''} |`,
    ),
    '',
  ].join('\n');
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  // Only a full run replaces the report of record; a partial or scaled-down one is written beside it.
  const name = !only && SCALE === 1 ? 'latest' : 'partial';
  writeFileSync(join(ROOT, `bench/results/${name}.md`), md);
  writeFileSync(
    join(ROOT, `bench/results/${name}.json`),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        scale: SCALE,
        seconds,
        cpus: cpus().length,
        node: process.version,
        rows,
      },
      null,
      2,
    ),
  );
  log(`\n${md}`);
}

await main();
