import type { PoolClient } from 'pg';
import type { SqlConnection, SqlStatement } from '../sql/sql-connection.ts';

/**
 * `?` placeholders to PostgreSQL's `$1, $2, ...`. A `?` inside a quoted literal or identifier
 * ('...', "...") is left as it is, so SQL text cannot be broken by what a literal holds.
 * @example toPg("SELECT '?' AS q, x FROM t WHERE id = ?") // "SELECT '?' AS q, x FROM t WHERE id = $1"
 */
export function toPg(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null; // a doubled quote closes and reopens: the same text results
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === '?' ? `$${++n}` : ch;
  }
  return out;
}

/** The shared repositories' connection over one PostgreSQL client, inside one unit of work. */
export class PgTxConnection implements SqlConnection {
  readonly forUpdate = ' FOR UPDATE';
  private readonly cache = new Map<string, string>();

  constructor(readonly client: PoolClient) {}

  stmt(sql: string): SqlStatement {
    let text = this.cache.get(sql);
    if (!text) {
      text = toPg(sql);
      this.cache.set(sql, text);
    }
    const q = text;
    const client = this.client;
    const statement = (pluck: boolean): SqlStatement => ({
      run: async (...params: unknown[]) => (await client.query(q, params)).rowCount,
      get: async (...params: unknown[]) => {
        const r = await client.query(q, params);
        const row = r.rows[0] as Record<string, unknown> | undefined;
        return pluck && row ? Object.values(row)[0] : row;
      },
      all: async (...params: unknown[]) => {
        const r = await client.query(q, params);
        return pluck ? r.rows.map((row) => Object.values(row as Record<string, unknown>)[0]) : r.rows;
      },
      pluck: () => statement(true),
    });
    return statement(false);
  }
}
