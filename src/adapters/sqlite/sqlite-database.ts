/**
 * The subset of a SQLite driver tollgate uses, declared here so that public options and the
 * adapter's types do not depend on better-sqlite3 (whose `Database` satisfies it), in the way
 * Kysely declares its `SqliteDatabase`. It is also what Kysely's `SqliteDialect` asks for.
 * @example const storage = await SqliteStorage.open({ database: new Database('t.db'), ... });
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** 64-bit integers come back as `bigint`: money is never a float. */
  defaultSafeIntegers(on?: boolean): unknown;
  readonly inTransaction: boolean;
  close(): void;
}

/** A prepared statement of a `SqliteDatabase`. */
export interface SqliteStatement {
  /** Whether it answers rows. */
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Answer the first column instead of the row (a mode of the statement, kept until changed). */
  pluck(on?: boolean): this;
  /** Answer rows as arrays of values (a mode of the statement, kept until changed). */
  raw(on?: boolean): this;
}
