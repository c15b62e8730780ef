/**
 * The little of a SQL connection the shared repositories use, so one implementation serves
 * SQLite (statements prepared once, answered synchronously) and PostgreSQL (one client per unit
 * of work, answered asynchronously). Placeholders are `?`; each dialect maps them.
 */
export interface SqlStatement {
  /** Runs it; answers the number of rows changed. */
  run(...params: unknown[]): Promise<unknown>;
  /** The first row (or value, plucked), or undefined. */
  get(...params: unknown[]): Promise<unknown>;
  /** Every row (or value, plucked). */
  all(...params: unknown[]): Promise<unknown[]>;
  /** Answer the first column instead of the row. */
  pluck(on: true): SqlStatement;
}

export interface SqlConnection {
  stmt(sql: string): SqlStatement;
  /** ` FOR UPDATE` where the database has concurrent writers; empty for SQLite (one writer). */
  readonly forUpdate: string;
}

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => Number(v as bigint);
export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v as bigint);
export const big = (v: unknown): bigint => BigInt(v as bigint);
export const bigOrNull = (v: unknown): bigint | null =>
  v === null || v === undefined ? null : BigInt(v as bigint);
export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null => (v ?? null) as string | null;
