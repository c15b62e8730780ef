import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Durability } from '../../core/kernel/ports.ts';
import type { SqlConnection, SqlStatement } from '../sql/sql-connection.ts';
import { migrateToLatest } from '../sql/sql-migrate.ts';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.ts';
import { sqliteFault } from './sqlite-faults.ts';

/** A step that runs before a unit of work, holding the connection: `must` succeed, or `try` (reads). */
export interface Settle {
  run: () => void;
  mode: 'must' | 'try';
}

/**
 * One SQLite connection shared by Kysely (migrations, ordinary reads) and statements prepared once
 * for the hot paths. Every use goes through Kysely's connection mutex, so an open transaction is
 * never interleaved with another unit of work.
 */
export class SqliteConnection {
  /** One writer at a time (BEGIN IMMEDIATE): no row locks needed. */
  readonly forUpdate = '';
  readonly kysely: Kysely<any>;
  private readonly statements = new Map<string, SqliteStatement>();
  private synchronous: Durability | null = null;
  constructor(readonly db: SqliteDatabase) {
    db.defaultSafeIntegers(true);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache: index inserts of a busy event table stay in memory between commits.
    db.pragma('cache_size = -65536');
    this.setDurability('full');
    this.kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) });
  }

  static open(path: string): SqliteConnection {
    return new SqliteConnection(new Database(path));
  }

  /** A statement prepared once and kept. */
  stmt(sql: string): SqliteStatement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * WAL with synchronous=FULL flushes the log at every commit (survives power loss); NORMAL may
   * lose the last commits on power loss but never corrupts. A FULL commit also flushes every
   * NORMAL commit before it, so the order of commits is kept.
   */
  setDurability(durability: Durability): void {
    if (this.synchronous === durability) return;
    this.db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.synchronous = durability;
  }

  /**
   * Holds the connection for `fn`, with no other unit of work in between. `settle` (the storage's
   * step that completes what it keeps in memory: the usage rollup) runs first, holding the
   * connection: `must` fails the unit if it fails; `try` (reads) goes on without it, so a full
   * disk that refuses its write does not refuse reads.
   */
  exclusive<T>(fn: () => Promise<T>, settle: Settle | null = null): Promise<T> {
    // A full disk or failing I/O leaves this edge as `StorageUnavailable`, never as SQLite's text.
    return this.kysely
      .connection()
      .execute(() => {
        // A rollback that failed before (the disk full or failing) left its transaction open: no
        // unit of work may read or build on what it wrote.
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        if (settle?.mode === 'try') {
          try {
            settle.run();
          } catch {
            // The reads that depend on it add what is kept in memory (see `SqliteRollup.kept`).
          }
        } else settle?.run();
        return fn();
      })
      .catch((error: unknown) => {
        throw sqliteFault(error);
      });
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction at the given durability; rolls back if it throws.
   * `afterCommit` runs once the commit succeeded, still holding the connection; `settle` as for
   * `exclusive`.
   */
  transaction<T>(
    durability: Durability,
    fn: () => Promise<T>,
    options: { settle?: Settle | null; afterCommit?: () => void } = {},
  ): Promise<T> {
    return this.exclusive(async () => {
      this.setDurability(durability);
      this.db.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await fn();
        this.db.exec('COMMIT');
      } catch (error) {
        try {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
        } catch {
          // The first error is the one to answer; the next unit of work rolls back again.
        }
        throw error;
      }
      options.afterCommit?.();
      return result;
    }, options.settle ?? null);
  }

  migrate(): Promise<string[]> {
    return migrateToLatest(this.kysely);
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}

/**
 * The shared repositories' view of the connection: the same statements, prepared once, answered
 * as promises like every other dialect's (SQLite answers at once; the promise costs a microtask).
 */
export class SqliteSql implements SqlConnection {
  readonly forUpdate = '';
  private readonly wrapped = new Map<string, SqlStatement>();

  constructor(private readonly c: SqliteConnection) {}

  stmt(sql: string): SqlStatement {
    let w = this.wrapped.get(sql);
    if (!w) {
      const s = this.c.stmt(sql);
      // better-sqlite3's pluck mode belongs to the prepared statement: set it at every call.
      const of = (plucked: boolean): SqlStatement => ({
        run: async (...params) => s.run(...params).changes,
        get: async (...params) => s.pluck(plucked).get(...params),
        all: async (...params) => s.pluck(plucked).all(...params),
        pluck: () => of(true),
      });
      w = of(false);
      this.wrapped.set(sql, w);
    }
    return w;
  }
}

export { big, bigOrNull, num, numOrNull, type Row, str, strOrNull } from '../sql/sql-connection.ts';
