import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { IngestStatus, RatedEvent, UsageRecord } from '../../core/kernel/model.ts';
import type {
  Durability,
  RecordsQuery,
  SpendControls,
  SpendRepo,
  SpentSince,
  Storage,
  Tx,
  UsageHour,
  UsageQuery,
} from '../../core/kernel/ports.ts';
import { auditLedger } from '../sql/sql-ledger-repo.ts';
import { sqlRepos } from '../sql/sql-repos.ts';
import { type Settle, SqliteConnection, SqliteSql } from './sqlite-connection.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import type { SqliteRollup } from './sqlite-rollup.ts';
import { SqliteUsage } from './sqlite-usage.ts';

export interface SqliteStorageOptions {
  /** A file path, `':memory:'`, or an open database (better-sqlite3's satisfies `SqliteDatabase`). */
  database: string | SqliteDatabase;
  /** Events whose timestamp is older than this can no longer be accepted; their ids need no index. */
  dedupeWindowMs: number;
  nowMs: number;
  /** Usage events are indexed by account this many at a time (default 16,384; tests use a few). */
  usageIndexEvery?: number;
}

/** The embedded default storage: one SQLite file in WAL mode. */
export class SqliteStorage implements Storage {
  private readonly tx: Tx;
  private readonly usage: SqliteUsage;
  private readonly sql: SqliteSql;

  private constructor(
    private readonly c: SqliteConnection,
    usageIndexEvery: number | undefined,
    dedupeWindowMs: number,
  ) {
    this.usage = new SqliteUsage(c, usageIndexEvery, dedupeWindowMs);
    this.sql = new SqliteSql(c);
    const repos = sqlRepos(this.sql);
    this.tx = { ...repos, spend: new SqliteSpendRepo(repos.spend, this.usage.rollup), usage: this.usage };
    const rollup = this.usage.rollup;
    this.settled = { run: () => rollup.settle(), mode: 'must' };
    this.settledForReads = { run: () => rollup.settle(), mode: 'try' };
  }

  /**
   * Every unit of work but ingest starts with the rollup complete (see `SqliteRollup`): the rollup
   * this storage keeps in memory is written first. A read goes on without it when that fails.
   */
  private readonly settled: Settle;
  private readonly settledForReads: Settle;

  /** Opens the database, runs pending migrations and rebuilds the usage-id index. */
  static async open(options: SqliteStorageOptions): Promise<SqliteStorage> {
    // A new file's folder is created (`./data/tollgate.db` on a fresh checkout); SQLite creates only the file.
    if (typeof options.database === 'string' && isFilePath(options.database))
      mkdirSync(dirname(options.database), { recursive: true });
    const c =
      typeof options.database === 'string'
        ? SqliteConnection.open(options.database)
        : new SqliteConnection(options.database);
    await c.migrate();
    const storage = new SqliteStorage(c, options.usageIndexEvery, options.dedupeWindowMs);
    storage.usage.loadRecentIds(options.nowMs - options.dedupeWindowMs);
    // Events a crash left out of the rollup are added now, not at the first request.
    await c.exclusive(async () => undefined, storage.settled);
    return storage;
  }

  transaction<T>(
    fn: (tx: Tx) => Promise<T>,
    options?: { durability?: Durability; readOnly?: boolean },
  ): Promise<T> {
    // A read holds the connection (no unit of work can interleave) but takes no write lock.
    if (options?.readOnly) return this.c.exclusive(() => fn(this.tx), this.settledForReads);
    return this.c.transaction(options?.durability ?? 'full', () => fn(this.tx), { settle: this.settled });
  }

  ingestUsage(
    events: RatedEvent[],
    options: {
      durability: Durability;
      inTransaction?: (tx: Tx, accountIds: string[]) => Promise<void>;
      receivedMs?: number;
    },
  ): Promise<IngestStatus[]> {
    const hook = options.inTransaction;
    return this.usage.ingest(
      events,
      options.durability,
      hook && ((accountIds) => hook(this.tx, accountIds)),
      options.receivedMs,
    );
  }

  usageHours(query: UsageQuery): Promise<UsageHour[]> {
    return this.c.exclusive(async () => this.usage.hours(query), this.settledForReads);
  }

  usageRecords(query: RecordsQuery): Promise<UsageRecord[]> {
    return this.c.exclusive(async () => this.usage.records(query), this.settledForReads);
  }

  audit(): Promise<{ assetSums: { asset: string; sum: bigint }[]; mismatchedAccounts: string[] }> {
    return this.c.exclusive(() => auditLedger(this.sql), this.settledForReads);
  }

  /**
   * A consistent online backup of the database file at `source` into `target`, with SQLite's
   * backup API on a read-only connection: the server may go on writing meanwhile.
   */
  static async backupFile(source: string, target: string): Promise<number> {
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      // The copy holds what the database holds: readable by its owner only (as the data folder's
      // files are), from the moment it exists, and again if it existed with other permissions.
      closeSync(openSync(target, 'a', 0o600));
      chmodSync(target, 0o600);
      return (await db.backup(target)).totalPages;
    } finally {
      db.close();
    }
  }

  /** Bytes of the in-memory usage-id index (dedupe), for the process's own metrics and tests. */
  get usageIdIndexBytes(): number {
    return this.usage.recentIdsBytes;
  }

  /** The underlying connection, for the adapter's own tools (backup, benchmarks). */
  get connection(): SqliteConnection {
    return this.c;
  }

  /** Writes the rollup kept in memory (were it to fail, the next start adds it from the events), then closes. */
  async close(): Promise<void> {
    await this.c.exclusive(async () => undefined, this.settled).catch(() => undefined);
    return this.c.close();
  }
}

/** A path on disk, not `':memory:'`, an empty name (a temporary database) or a `file:` URI. */
const isFilePath = (name: string): boolean => name !== '' && name !== ':memory:' && !name.startsWith('file:');

/**
 * The spend repository on SQLite: credits used are read from the rollup tables, so inside an
 * ingest transaction the batch this storage keeps in memory is written first.
 */
class SqliteSpendRepo implements SpendRepo {
  constructor(
    private readonly inner: SpendRepo,
    private readonly rollup: SqliteRollup,
  ) {}

  spent(accountId: string, sinceMs: number[]): Promise<SpentSince[]> {
    this.rollup.writeInFlight();
    return this.inner.spent(accountId, sinceMs);
  }

  limitsOf(accountId: string): Promise<SpendControls> {
    return this.inner.limitsOf(accountId);
  }

  anyLimits(): Promise<boolean> {
    return this.inner.anyLimits();
  }

  claimNotice(scopeId: string, periodStartMs: number, atMs: number): Promise<boolean> {
    return this.inner.claimNotice(scopeId, periodStartMs, atMs);
  }
}
