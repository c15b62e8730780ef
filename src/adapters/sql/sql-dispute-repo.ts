import type { UsageDispute } from '../../core/kernel/model.ts';
import type { DisputeRepo } from '../../core/kernel/ports.ts';
import { num, numOrNull, type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const COLUMNS = 'id, account_id, event_id, reason, status, outcome, note, created_at_ms, resolved_at_ms';

const toDispute = (r: Row): UsageDispute => ({
  id: str(r.id),
  accountId: str(r.account_id),
  eventId: str(r.event_id),
  reason: str(r.reason),
  status: str(r.status) as UsageDispute['status'],
  outcome: strOrNull(r.outcome) as UsageDispute['outcome'],
  note: strOrNull(r.note),
  createdAtMs: num(r.created_at_ms),
  resolvedAtMs: numOrNull(r.resolved_at_ms),
});

export class SqlDisputeRepo implements DisputeRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(d: UsageDispute): Promise<boolean> {
    const row = await this.c
      .stmt(
        `INSERT INTO usage_disputes (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      )
      .get(
        d.id,
        d.accountId,
        d.eventId,
        d.reason,
        d.status,
        d.outcome,
        d.note,
        d.createdAtMs,
        d.resolvedAtMs,
      );
    return row !== undefined;
  }

  async get(id: string): Promise<UsageDispute | undefined> {
    const row = (await this.c.stmt(`SELECT ${COLUMNS} FROM usage_disputes WHERE id = ?`).get(id)) as
      | Row
      | undefined;
    return row && toDispute(row);
  }

  async openForEvent(eventId: string): Promise<UsageDispute | undefined> {
    const row = (await this.c
      .stmt(`SELECT ${COLUMNS} FROM usage_disputes WHERE event_id = ? AND status = 'open'`)
      .get(eventId)) as Row | undefined;
    return row && toDispute(row);
  }

  async list(f: {
    status?: UsageDispute['status'];
    accountId?: string;
    limit: number;
    afterId?: string;
  }): Promise<UsageDispute[]> {
    const rows = (await this.c
      .stmt(
        `SELECT ${COLUMNS} FROM usage_disputes d WHERE (CAST(? AS TEXT) IS NULL OR d.status = ?)
           AND (CAST(? AS TEXT) IS NULL OR d.account_id = ?)
           AND (CAST(? AS TEXT) IS NULL OR (d.created_at_ms, d.id) < (SELECT c.created_at_ms, c.id FROM usage_disputes c WHERE c.id = ?))
         ORDER BY d.created_at_ms DESC, d.id DESC LIMIT ?`,
      )
      .all(
        f.status ?? null,
        f.status ?? null,
        f.accountId ?? null,
        f.accountId ?? null,
        f.afterId ?? null,
        f.afterId ?? null,
        f.limit,
      )) as Row[];
    return rows.map(toDispute);
  }

  async resolve(id: string, outcome: 'void' | 'reject', note: string, atMs: number): Promise<void> {
    await this.c
      .stmt(
        `UPDATE usage_disputes SET status = 'resolved', outcome = ?, note = ?, resolved_at_ms = ? WHERE id = ? AND status = 'open'`,
      )
      .run(outcome, note, atMs, id);
  }
}
