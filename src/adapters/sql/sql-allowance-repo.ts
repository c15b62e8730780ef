import type { Allowance } from '../../core/kernel/model.ts';
import type { AllowanceRepo } from '../../core/kernel/ports.ts';
import { big, num, numOrNull, type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const toAllowance = (r: Row): Allowance => {
  const models = strOrNull(r.models);
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    creditsMinor: big(r.credits_minor),
    period: str(r.period) as Allowance['period'],
    reason: str(r.reason),
    models: models === null ? null : (JSON.parse(models) as string[]),
    createdAtMs: num(r.created_at_ms),
    endedAtMs: numOrNull(r.ended_at_ms),
  };
};

/** Allowances in table `credit_allowances` (migration 019). */
export class SqlAllowanceRepo implements AllowanceRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(a: Allowance): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO credit_allowances (id, account_id, credits_minor, period, reason, models, created_at_ms, ended_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.accountId,
        a.creditsMinor,
        a.period,
        a.reason,
        a.models ? JSON.stringify(a.models) : null,
        a.createdAtMs,
        a.endedAtMs,
      );
  }

  async get(id: string): Promise<Allowance | undefined> {
    const row = (await this.c.stmt('SELECT * FROM credit_allowances WHERE id = ?').get(id)) as
      | Row
      | undefined;
    return row && toAllowance(row);
  }

  async list(accountId: string): Promise<Allowance[]> {
    const rows = (await this.c
      .stmt('SELECT * FROM credit_allowances WHERE account_id = ? ORDER BY created_at_ms, id')
      .all(accountId)) as Row[];
    return rows.map(toAllowance);
  }

  async end(id: string, atMs: number): Promise<void> {
    await this.c
      .stmt('UPDATE credit_allowances SET ended_at_ms = ? WHERE id = ? AND ended_at_ms IS NULL')
      .run(atMs, id);
  }

  async listDue(
    monthStartMs: number,
    beforeMs: number,
    limit: number,
    afterId?: string,
  ): Promise<Allowance[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM credit_allowances
         WHERE created_at_ms < ? AND (ended_at_ms IS NULL OR ended_at_ms > ?) AND id > ?
         ORDER BY id LIMIT ?`,
      )
      .all(beforeMs, monthStartMs, afterId ?? '', limit)) as Row[];
    return rows.map(toAllowance);
  }
}
