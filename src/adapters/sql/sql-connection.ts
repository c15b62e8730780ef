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

/**
 * Rows per multi-row statement: one round trip for a batch on PostgreSQL, few statement texts
 * for a store that keeps them prepared, and far below both dialects' limits on parameters.
 */
export const ROWS_PER_STATEMENT = 100;

/** `items` in slices of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `(?, ?), (?, ?)`: `rows` tuples of `width` placeholders. */
export const tuples = (rows: number, width: number): string =>
  Array(rows)
    .fill(`(${Array(width).fill('?').join(', ')})`)
    .join(', ');

/**
 * `(?, CAST(? AS BIGINT)), ...`: `rows` tuples of an id and `bigints` integers, for an
 * `UPDATE ... FROM (VALUES ...) AS v` that joins on `v.column1` (both dialects name a VALUES
 * list's columns `column1`, `column2`, ...). The casts tell PostgreSQL what it cannot infer there.
 */
export const idBigintTuples = (rows: number, bigints: number): string =>
  Array(rows)
    .fill(`(?, ${Array(bigints).fill('CAST(? AS BIGINT)').join(', ')})`)
    .join(', ');

/**
 * The placeholders and values of `IN (...)` for a non-empty list, padded to a power of two by
 * repeating the last value (the answer is the same), so statements prepared by text stay few.
 * @example const ids = inList(['a', 'b', 'c']); c.stmt(`... WHERE id IN (${ids.marks})`).all(...ids.values)
 */
export function inList(values: readonly unknown[]): { marks: string; values: unknown[] } {
  let size = 1;
  while (size < values.length) size *= 2;
  const padded = [...values];
  while (padded.length < size) padded.push(values[values.length - 1]);
  return { marks: Array(size).fill('?').join(', '), values: padded };
}
