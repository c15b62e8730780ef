import type { UsageVoid } from '../../core/kernel/model.ts';
import type { VoidRepo } from '../../core/kernel/ports.ts';
import {
  big,
  chunks,
  inList,
  num,
  numOrNull,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
} from './sql-connection.ts';

const COLUMNS = `event_id, account_id, api_key_id, model, ts_ms, hour_ms, quantity_minor, credits_minor, reason,
  voided_at_ms, reversal_minor, reversed_at_ms, reversal_transfer_id`;

const toVoid = (r: Row): UsageVoid => ({
  eventId: str(r.event_id),
  accountId: str(r.account_id),
  apiKeyId: strOrNull(r.api_key_id),
  model: str(r.model),
  timestampMs: num(r.ts_ms),
  hourMs: num(r.hour_ms),
  quantityMinor: big(r.quantity_minor),
  creditsMinor: big(r.credits_minor),
  reason: str(r.reason),
  voidedAtMs: num(r.voided_at_ms),
  reversalMinor: big(r.reversal_minor),
  reversedAtMs: numOrNull(r.reversed_at_ms),
  reversalTransferId: strOrNull(r.reversal_transfer_id),
});

export class SqlVoidRepo implements VoidRepo {
  constructor(private readonly c: SqlConnection) {}

  async get(eventId: string): Promise<UsageVoid | undefined> {
    const row = (await this.c.stmt(`SELECT ${COLUMNS} FROM usage_voids WHERE event_id = ?`).get(eventId)) as
      | Row
      | undefined;
    return row && toVoid(row);
  }

  async getMany(eventIds: string[]): Promise<Map<string, UsageVoid>> {
    const out = new Map<string, UsageVoid>();
    for (const part of chunks(eventIds)) {
      const ids = inList(part);
      const rows = (await this.c
        .stmt(`SELECT ${COLUMNS} FROM usage_voids WHERE event_id IN (${ids.marks})`)
        .all(...ids.values)) as Row[];
      for (const r of rows) out.set(str(r.event_id), toVoid(r));
    }
    return out;
  }

  async insert(v: UsageVoid): Promise<void> {
    await this.c
      .stmt(`INSERT INTO usage_voids (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        v.eventId,
        v.accountId,
        v.apiKeyId,
        v.model,
        v.timestampMs,
        v.hourMs,
        v.quantityMinor,
        v.creditsMinor,
        v.reason,
        v.voidedAtMs,
        v.reversalMinor,
        v.reversedAtMs,
        v.reversalTransferId,
      );
  }

  async takeOut(
    v: Pick<UsageVoid, 'accountId' | 'apiKeyId' | 'model' | 'hourMs' | 'quantityMinor' | 'creditsMinor'>,
    billed: boolean,
  ): Promise<bigint> {
    const key = [v.accountId, v.hourMs, v.apiKeyId ?? '', v.model] as const;
    const row = (await this.c
      .stmt(
        `SELECT credits_minor, billed_minor FROM usage_rollup
         WHERE account_id = ? AND hour_ms = ? AND api_key_id = ? AND model = ?${this.c.forUpdate}`,
      )
      .get(...key)) as Row | undefined;
    if (!row) throw new Error(`usage rollup row missing for a stored event of ${v.accountId}`);
    const min = (a: bigint, b: bigint) => (a < b ? a : b);
    const rowBilled = big(row.billed_minor);
    const gap = big(row.credits_minor) - rowBilled;
    // Exactly the event's own part; the bounds only matter for rows voided before billings were
    // recorded per event (migration 010), whose voids took the unbilled part first.
    const unbilled = billed ? v.creditsMinor - min(v.creditsMinor, rowBilled) : min(v.creditsMinor, gap);
    const reversal = v.creditsMinor - unbilled;
    await this.c
      .stmt(
        `UPDATE usage_rollup SET events = events - 1, quantity_minor = quantity_minor - ?,
           credits_minor = credits_minor - ?, billed_minor = billed_minor - ?
         WHERE account_id = ? AND hour_ms = ? AND api_key_id = ? AND model = ?`,
      )
      .run(v.quantityMinor, v.creditsMinor, reversal, ...key);
    if (unbilled > 0n)
      await this.c
        .stmt('UPDATE account_usage SET unbilled_minor = unbilled_minor - ? WHERE account_id = ?')
        .run(unbilled, v.accountId);
    return reversal;
  }

  async accountsToReverse(): Promise<string[]> {
    return (await this.c
      .stmt(
        'SELECT DISTINCT account_id FROM usage_voids WHERE reversal_minor > 0 AND reversed_at_ms IS NULL ORDER BY account_id',
      )
      .pluck(true)
      .all()) as string[];
  }

  async pendingReversals(accountIds: string[]): Promise<UsageVoid[]> {
    const out: UsageVoid[] = [];
    for (const part of chunks(accountIds)) {
      const ids = inList(part);
      const rows = (await this.c
        .stmt(
          `SELECT ${COLUMNS} FROM usage_voids
           WHERE account_id IN (${ids.marks}) AND reversal_minor > 0 AND reversed_at_ms IS NULL
           ORDER BY voided_at_ms, event_id`,
        )
        .all(...ids.values)) as Row[];
      out.push(...rows.map(toVoid));
    }
    return out;
  }

  async markReversed(reversed: { eventId: string; transferId: string }[], atMs: number): Promise<void> {
    const mark = this.c.stmt(
      'UPDATE usage_voids SET reversed_at_ms = ?, reversal_transfer_id = ? WHERE event_id = ? AND reversed_at_ms IS NULL',
    );
    // Few per run (voids are corrections, not traffic).
    for (const r of reversed) await mark.run(atMs, r.transferId, r.eventId);
  }

  async reversedByHour(accountIds: string[]): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    for (const part of chunks(accountIds)) {
      const ids = inList(part);
      const rows = (await this.c
        .stmt(
          `SELECT account_id, hour_ms, SUM(reversal_minor) AS reversed FROM usage_voids
           WHERE account_id IN (${ids.marks}) AND reversal_minor > 0 GROUP BY account_id, hour_ms`,
        )
        .all(...ids.values)) as Row[];
      for (const r of rows) out.set(`${str(r.account_id)}|${num(r.hour_ms)}`, big(r.reversed));
    }
    return out;
  }
}
