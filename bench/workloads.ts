/** The work the sections measure and the stores they measure it on, built the same way by each. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RatedEvent } from '../src/core/kernel/model.ts';
import { createTollgate, type Engine, type TollgateOptions } from '../src/index.ts';
import { rate } from './lib.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Raw better-sqlite3 inserts of the event row shape, one statement prepared once, 1000 rows a
 * commit, WAL with synchronous NORMAL; rows are built before the clock starts, as for the library
 * figures. Layouts: `time`, keyed by (timestamp, id); `time+account`, plus the (account,
 * timestamp) index, with the library's 64 MiB page cache so that index stays in memory; `append`,
 * a plain table with no index at all (rows land at its end: the limit of appending).
 */
function rawInserts(
  path: string,
  count: number,
  layout: 'time' | 'time+account' | 'append',
  row: (batch: number, i: number, now: number) => unknown[],
): number {
  const accountIndex = layout === 'time+account';
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (accountIndex) db.pragma('cache_size = -65536');
  db.exec(`CREATE TABLE usage_events (ts_ms INTEGER NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL, api_key_id TEXT,
    model TEXT NOT NULL, quantity_minor INTEGER NOT NULL, credits_minor INTEGER NOT NULL, properties TEXT, fingerprint TEXT NOT NULL
    ${layout === 'append' ? ')' : ', PRIMARY KEY (ts_ms, id)) WITHOUT ROWID'}`);
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

/** Baseline A: one account, time-ordered keys; rows/s. */
export const baselineA = (dir: string, count: number) =>
  rawInserts(join(dir, `baseline-a-${randomUUID()}.db`), count, 'time', (b, i, now) =>
    eventRow(now + b * 10 + (i % 10), 'acc_0354TLWCzMh0PETYnAU9aW', 'key_0354TLWOHyKuaMVp2RRkPh'),
  );

/**
 * Baseline A-mixed: raw better-sqlite3 storing the mixed traffic in the conventional layout, a
 * table keyed by (timestamp, id) with an (account, timestamp) index: what a store ordered by
 * event time pays when accounts and client clocks mix.
 */
export const baselineMixed = (
  dir: string,
  count: number,
  layout: 'time+account' | 'append' = 'time+account',
) =>
  rawInserts(join(dir, `baseline-mixed-${randomUUID()}.db`), count, layout, (b, i, now) =>
    eventRow(
      now + b * 5 - Math.floor(Math.random() * 2000),
      `acc_0354TLWCzMh0PETYnA${String((b * 7919 + i * 104_729) % 1000).padStart(4, '0')}`,
      null,
    ),
  );

/** Events/s of batches through the public API; the batches are built by the caller, before the clock starts. */
async function timedIngest(engine: Engine, batches: unknown[][]): Promise<number> {
  const t0 = performance.now();
  for (const batch of batches) {
    const results = await engine.usage.ingest(batch);
    if (results[0]!.status !== 'accepted') throw new Error(JSON.stringify(results[0]));
  }
  return rate(batches.length * 1000, performance.now() - t0);
}

/** Batches of 1000 through the public API, random UUIDv4 ids, priced and rolled up. */
export function libraryIngest(engine: Engine, keyId: string, count: number): Promise<number> {
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
  return timedIngest(engine, batches);
}

/**
 * Mixed traffic, as a platform sees it: events of 1,000 accounts interleaved, each batch from
 * clients whose clocks and buffers spread its timestamps over 2 seconds.
 */
export function mixedIngest(engine: Engine, accounts: string[], count: number): Promise<number> {
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
  return timedIngest(engine, batches);
}

/**
 * Mixed traffic of the rate card: every other event a three-dimension `chat-large` call (input,
 * cached and output tokens, varying as prompts do), the rest one-dimension images. `dimensions: 1`
 * sends the same accounts and timing with images only, the figure it is compared with.
 */
export function ratedIngest(
  engine: Engine,
  accounts: string[],
  count: number,
  dimensions: 1 | 3,
): Promise<number> {
  const start = Date.now();
  const batches = Array.from({ length: count / 1000 }, (_, b) =>
    Array.from({ length: 1000 }, (_, i) => {
      const common = {
        id: randomUUID(),
        account_id: accounts[(b * 7919 + i * 104_729) % accounts.length]!,
        timestamp: new Date(start + b * 5 - Math.floor(Math.random() * 2000)).toISOString(),
      };
      return dimensions === 3 && i % 2 === 0
        ? {
            ...common,
            model: 'chat-large',
            quantities: {
              input_tokens: String(200 + ((b * 31 + i * 17) % 4000)),
              cached_input_tokens: String((b * 7 + i) % 1000),
              output_tokens: String(50 + ((b * 13 + i * 3) % 900)),
            },
          }
        : { ...common, model: 'image-1024', quantity: '1' };
    }),
  );
  return timedIngest(engine, batches);
}

export async function makeAccounts(engine: Engine, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await engine.accounts.create({ name: `bench ${i}` });
    if (!r.ok) throw new Error(r.message);
    ids.push(r.value.id);
  }
  return ids;
}

/** An API key of the account, with its secret. */
export async function makeKey(engine: Engine, accountId: string, nickname: string) {
  const key = await engine.keys.create(accountId, nickname);
  if (!key.ok) throw new Error(key.message);
  return { id: key.value.key.id, secret: key.value.secret };
}

/** A fresh engine (on `database`, in memory by default) with one account and a key of it. */
export async function engineWithKey(nickname: string, database?: TollgateOptions['database']) {
  const engine = await createTollgate(database ? { database } : {});
  const [account] = await makeAccounts(engine, 1);
  return { engine, key: await makeKey(engine, account!, nickname) };
}

/** An engine on a SQLite file, and the bench's own handle on that file (for WAL checkpoints). */
export interface Store {
  engine: Engine;
  db: Database.Database;
}

/** Opens a store through the public `database` option, which takes an open better-sqlite3 handle. */
export async function openStore(path: string): Promise<Store> {
  const db = new Database(path);
  return { engine: await createTollgate({ database: db }), db };
}

/** Events per fill commit: history is loaded in large commits, like an import. */
const FILL_BATCH = 25_000;

/** Fills the store straight through the storage port with pre-rated events spread over a time range. */
export async function fill(store: Store, accounts: string[], count: number, fromMs: number, toMs: number) {
  // Through `engine.storage`, the store documented beside the engine for tools like this one: the
  // history the figures stand on goes in as pre-rated events in commits of 25,000, like an import.
  // `engine.usage.ingest` would take events this old (the late window is 35 days), but it rates,
  // fingerprints and alert-checks each one again and commits at most 10,000 at a time: a different
  // store under the recorded figures, and a slower fill.
  const storage = store.engine.storage;
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
  store.db.pragma('wal_checkpoint(TRUNCATE)');
}
