import type { SpendLimit } from '../../core/kernel/model.ts';
import type { SpendControls, SpendRepo, SpentSince } from '../../core/kernel/ports.ts';
import { toAutoTopUp, toLimit } from './sql-account-repos.ts';
import { big, num, type Row, type SqlConnection, str } from './sql-connection.ts';

export class SqlSpendRepo implements SpendRepo {
  constructor(private readonly c: SqlConnection) {}

  async spent(accountId: string, sinceMs: number[]): Promise<SpentSince[]> {
    if (sinceMs.length === 0) return [];
    // One pass over the account's rollup rows from the earliest start; usage without a key is ''.
    const sums = sinceMs.map((_, i) => `SUM(CASE WHEN hour_ms >= ? THEN credits_minor ELSE 0 END) AS s${i}`);
    const rows = (await this.c
      .stmt(
        `SELECT api_key_id, ${sums.join(', ')} FROM usage_rollup WHERE account_id = ? AND hour_ms >= ? GROUP BY api_key_id`,
      )
      .all(...sinceMs, accountId, Math.min(...sinceMs))) as Row[];
    // Captured holds are credits used too (of the account, not of a key), counted in the period
    // their hold was made.
    const captured = (await this.c
      .stmt(
        `SELECT ${sinceMs.map((_, i) => `SUM(CASE WHEN created_at_ms >= ? THEN captured_minor ELSE 0 END) AS s${i}`).join(', ')}
         FROM holds WHERE account_id = ? AND status = 'captured' AND created_at_ms >= ?`,
      )
      .get(...sinceMs, accountId, Math.min(...sinceMs))) as Row | undefined;
    return sinceMs.map((since, i) => {
      const byKey = new Map<string, bigint>();
      let total = big(captured?.[`s${i}`] ?? 0n);
      for (const r of rows) {
        const credits = big(r[`s${i}`] ?? 0n);
        total += credits;
        const key = str(r.api_key_id);
        if (key) byKey.set(key, credits);
      }
      return { sinceMs: since, total, byKey };
    });
  }

  async limitsOf(accountId: string): Promise<SpendControls> {
    const account = (await this.c
      .stmt(
        'SELECT spend_limit_minor, spend_limit_period, spend_budget_minor, spend_budget_period, auto_top_up FROM accounts WHERE id = ?',
      )
      .get(accountId)) as Row | undefined;
    const keys = (await this.c
      .stmt(
        `SELECT id, spend_limit_minor, spend_limit_period, spend_budget_minor, spend_budget_period FROM api_keys
         WHERE account_id = ? AND (spend_limit_minor IS NOT NULL OR spend_budget_minor IS NOT NULL) AND status != 'deleted'`,
      )
      .all(accountId)) as Row[];
    return {
      account: account ? limitsOfRow(account) : [],
      autoTopUp: account ? toAutoTopUp(account.auto_top_up) : null,
      keys: new Map(keys.map((k) => [str(k.id), limitsOfRow(k)])),
    };
  }

  async anyLimits(): Promise<boolean> {
    const row = (await this.c
      .stmt(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE spend_limit_minor IS NOT NULL OR auto_top_up IS NOT NULL LIMIT 1) a)
              + (SELECT count(*) FROM (SELECT 1 FROM api_keys WHERE spend_limit_minor IS NOT NULL LIMIT 1) k)
              + (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE spend_budget_minor IS NOT NULL LIMIT 1) ab)
              + (SELECT count(*) FROM (SELECT 1 FROM api_keys WHERE spend_budget_minor IS NOT NULL LIMIT 1) kb) AS n`,
      )
      .get()) as Row;
    return num(row.n) > 0;
  }

  async claimNotice(scopeId: string, periodStartMs: number, atMs: number): Promise<boolean> {
    const row = await this.c
      .stmt(
        'INSERT INTO spend_notices (scope_id, period_start_ms, at_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING scope_id',
      )
      .get(scopeId, periodStartMs, atMs);
    return row !== undefined;
  }
}

/** The operator's cap and the customer's budget of one row, those set. */
function limitsOfRow(r: Row): SpendLimit[] {
  return [toLimit(r), toLimit(r, 'spend_budget')].filter((l): l is SpendLimit => l !== null);
}
