import { Kysely } from 'kysely';
import pg from 'pg';
import type { IngestStatus, RatedEvent, UsageRecord } from '../../core/kernel/model.ts';
import type {
  Durability,
  RecordsQuery,
  Storage,
  Tx,
  UsageHour,
  UsageQuery,
} from '../../core/kernel/ports.ts';
import type { Row } from '../sql/sql-connection.ts';
import { auditLedger } from '../sql/sql-ledger-repo.ts';
import { migrateToLatest } from '../sql/sql-migrate.ts';
import { sqlRepos } from '../sql/sql-repos.ts';
import { PgTxConnection } from './postgres-connection.ts';
import { SchemaScopedPostgresDialect } from './postgres-dialect.ts';
import { pgFault } from './postgres-faults.ts';
import { PgPool } from './postgres-pool.ts';
import { PgUsageRepo } from './postgres-usage.ts';

export interface PostgresStorageOptions {
  /**
   * `postgres://user@host:port/db`, or libpq's host list for high availability:
   * `postgres://user@host1:port1,host2:port2/db?target_session_attrs=read-write`.
   */
  url: string;
  /** A schema of its own (created if missing), e.g. one per test run. Default: the server's search_path. */
  schema?: string;
  poolSize?: number;
}

// int8 arrives as bigint, never as a float or a string.
const INT8 = 20;
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => BigInt(v) : pg.types.getTypeParser(oid, format as 'text'),
};

/** Deadlock and serialization failures are retried: the unit of work is run again from the start. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * PostgreSQL storage for several tollgate processes on one database. Concurrency: row locks
 * (`SELECT ... FOR UPDATE`) on the customer account serialise key creation at the active limit,
 * confirmations and holds of one account; ledger accounts are locked in id order before a batch
 * is planned, so balances are never lost to a race; invoice numbers come from a counter row whose
 * upsert locks it until commit (gapless); usage dedupes on a unique id index; a billing run locks
 * the rollup rows it bills, so two runs at once bill each hour once. Deadlocks (40P01) and
 * serialization failures (40001) are retried.
 */
export class PostgresStorage implements Storage {
  /** Several processes share this store: in-process caches must expire. */
  readonly shared = true;

  private constructor(
    private readonly pool: PgPool,
    private readonly kysely: Kysely<any>,
  ) {}

  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema))
      throw new Error('schema must be a plain lower-case identifier');
    const pool = new PgPool({
      url: options.url,
      max: options.poolSize ?? 10,
      // A connection that cannot be had within 5 s answers `unavailable` rather than hanging.
      acquireTimeoutMs: 5000,
      connectionTimeoutMillis: 5000,
      // Nothing waits forever: a lock not had in 15 s, or a session left idle inside a transaction
      // for 60 s (its process stuck), ends as an error (`unavailable`) and frees what it held.
      lock_timeout: 15_000,
      idle_in_transaction_session_timeout: 60_000,
      keepAlive: true,
      types,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    const kysely = new Kysely<any>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
    await migrateToLatest(kysely, options.schema ? { schema: options.schema } : {});
    return new PostgresStorage(pool, kysely);
  }

  private tx(client: pg.PoolClient): Tx {
    return { ...sqlRepos(new PgTxConnection(client)), usage: new PgUsageRepo(client) };
  }

  private async withClient<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    options: { durability?: Durability; readOnly?: boolean } = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw pgFault(error);
      });
      // A lost connection, a database restarting or a standby answering: `StorageUnavailable`.
      let faulty = false;
      try {
        // A read sees one snapshot for all its statements (a balance's ledger row and unbilled
        // total from the same moment); writes stay READ COMMITTED and serialise on row locks.
        await client.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN');
        // Like SQLite's NORMAL, which survives a crash of the process: the commit waits for this
        // server's WAL flush, so a crash or immediate restart of PostgreSQL loses nothing
        // acknowledged, but not for a synchronous standby (a failover may lose the last commits).
        if (options.durability === 'normal') await client.query('SET LOCAL synchronous_commit = local');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        const fault = pgFault(error, this.pool.isBroken(client));
        faulty = fault !== error;
        if (!faulty) await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 8) continue;
        throw fault;
      } finally {
        // A faulty connection is closed, not lent again: the next one goes through the host list.
        client.release(faulty);
      }
    }
  }

  transaction<T>(
    fn: (tx: Tx) => Promise<T>,
    options?: { durability?: Durability; readOnly?: boolean },
  ): Promise<T> {
    return this.withClient((client) => fn(this.tx(client)), options);
  }

  ingestUsage(
    events: RatedEvent[],
    options: { durability: Durability; inTransaction?: (tx: Tx, accountIds: string[]) => Promise<void> },
  ): Promise<IngestStatus[]> {
    return this.withClient(
      async (client) => {
        const { statuses, accepted } = await new PgUsageRepo(client).ingest(events);
        const accounts = [...new Set(accepted.map((e) => e.accountId))];
        if (options.inTransaction && accounts.length > 0)
          await options.inTransaction(this.tx(client), accounts);
        return statuses;
      },
      { durability: options.durability },
    );
  }

  usageHours(query: UsageQuery): Promise<UsageHour[]> {
    return this.withClient((client) => new PgUsageRepo(client).hours(query), { readOnly: true });
  }

  usageRecords(query: RecordsQuery): Promise<UsageRecord[]> {
    return this.withClient((client) => new PgUsageRepo(client).records(query), { readOnly: true });
  }

  audit(): Promise<{ assetSums: { asset: string; sum: bigint }[]; mismatchedAccounts: string[] }> {
    return this.withClient((client) => auditLedger(new PgTxConnection(client)), { readOnly: true });
  }

  /** Runs a query for tests and tools. */
  query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.pool.query(sql, params).then((r) => r.rows as Row[]);
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
