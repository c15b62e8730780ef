import type { UsageRecord } from '../../core/kernel/model.ts';
import type { RecordsQuery } from '../../core/kernel/ports.ts';
import { startOfHour } from '../../core/kernel/time.ts';
import { toUsageRecord } from '../sql/sql-usage-rows.ts';
import { num, type Row, type SqliteConnection, str } from './sqlite-connection.ts';

/**
 * Records of one account in (timestamp, id) order past the cursor (backwards when `newestFirst`):
 * from `usage_account_index`, and from the unindexed tail (events past `indexedSeq`, a few
 * thousand at most, scanned), merged. Reads at most `limit` rows of each, whatever the range holds.
 * @example accountRecords(c, indexedSeq, { accountId: 'acc_1', fromMs, toMs, limit: 100 })
 */
export function accountRecords(c: SqliteConnection, indexedSeq: number, q: RecordsQuery): UsageRecord[] {
  const newest = q.newestFirst === true;
  const order = newest ? 'DESC' : 'ASC';
  const past = newest ? '<' : '>';
  const filters = [q.apiKeyId ?? null, q.apiKeyId ?? null, q.model ?? null, q.model ?? null];
  /** Rows at the cursor's millisecond past its id, or else in [fromMs, toMs). */
  const indexed = (
    fromMs: number,
    toMs: number,
    sameMs: { ts: number; id: string } | null,
    limit: number,
  ): Row[] =>
    sameMs
      ? (c
          .stmt(
            `SELECT e.* FROM usage_account_index x JOIN usage_events e ON e.seq = x.seq
             WHERE x.account_id = ? AND x.ts_ms = ? AND x.id ${past} ?
               AND (? IS NULL OR e.api_key_id = ?) AND (? IS NULL OR e.model = ?)
             ORDER BY x.ts_ms ${order}, x.id ${order} LIMIT ?`,
          )
          .all(q.accountId, sameMs.ts, sameMs.id, ...filters, limit) as Row[])
      : (c
          .stmt(
            `SELECT e.* FROM usage_account_index x JOIN usage_events e ON e.seq = x.seq
             WHERE x.account_id = ? AND x.ts_ms >= ? AND x.ts_ms < ?
               AND (? IS NULL OR e.api_key_id = ?) AND (? IS NULL OR e.model = ?)
             ORDER BY x.ts_ms ${order}, x.id ${order} LIMIT ?`,
          )
          .all(q.accountId, fromMs, toMs, ...filters, limit) as Row[]);
  const tail = (
    fromMs: number,
    toMs: number,
    sameMs: { ts: number; id: string } | null,
    limit: number,
  ): Row[] =>
    c
      .stmt(
        `SELECT * FROM usage_events WHERE seq > ? AND account_id = ?
           AND (CASE WHEN ? IS NULL THEN ts_ms >= ? AND ts_ms < ? ELSE ts_ms = ? AND id ${past} ? END)
           AND (? IS NULL OR api_key_id = ?) AND (? IS NULL OR model = ?)
         ORDER BY ts_ms ${order}, id ${order} LIMIT ?`,
      )
      .all(
        indexedSeq,
        q.accountId,
        sameMs ? 1 : null,
        fromMs,
        toMs,
        sameMs?.ts ?? null,
        sameMs?.id ?? null,
        ...filters,
        limit,
      ) as Row[];
  const both = (
    fromMs: number,
    toMs: number,
    sameMs: { ts: number; id: string } | null,
    limit: number,
  ): Row[] =>
    mergeByTime(indexed(fromMs, toMs, sameMs, limit), tail(fromMs, toMs, sameMs, limit), limit, newest);

  const rows: Row[] = [];
  let fromMs = q.fromMs;
  let toMs = q.toMs;
  if (q.after) {
    // Two ranges instead of an OR, so paging stays linear even when many events share a millisecond.
    if (q.after.timestampMs >= q.fromMs && q.after.timestampMs < q.toMs)
      rows.push(...both(fromMs, toMs, { ts: q.after.timestampMs, id: q.after.id }, q.limit));
    if (newest) toMs = Math.min(toMs, q.after.timestampMs);
    else fromMs = Math.max(fromMs, q.after.timestampMs + 1);
  }
  if (rows.length < q.limit && fromMs < toMs) rows.push(...both(fromMs, toMs, null, q.limit - rows.length));
  return withBillings(c, q.accountId, rows);
}

/**
 * Rows of one account's events as records, each with the billing that billed it: the first
 * billing of its rollup row (hour, key, model) that had seen its arrival number (`seq`).
 */
export function withBillings(c: SqliteConnection, accountId: string, rows: Row[]): UsageRecord[] {
  if (rows.length === 0) return [];
  let minHour = Number.POSITIVE_INFINITY;
  let maxHour = 0;
  for (const r of rows) {
    const h = startOfHour(num(r.ts_ms));
    if (h < minHour) minHour = h;
    if (h > maxHour) maxHour = h;
  }
  const billings = new Map<string, Row[]>();
  const read = c
    .stmt(
      `SELECT hour_ms, api_key_id, model, through_seq, transfer_id, billed_at_ms FROM usage_billings
       WHERE account_id = ? AND hour_ms >= ? AND hour_ms <= ? ORDER BY hour_ms, api_key_id, model, n`,
    )
    .all(accountId, minHour, maxHour) as Row[];
  for (const b of read) {
    const key = `${num(b.hour_ms)}\u0000${str(b.api_key_id)}\u0000${str(b.model)}`;
    const list = billings.get(key);
    if (list) list.push(b);
    else billings.set(key, [b]);
  }
  return rows.map((r) => {
    const key = `${startOfHour(num(r.ts_ms))}\u0000${r.api_key_id ?? ''}\u0000${str(r.model)}`;
    const seq = num(r.seq);
    const b = billings.get(key)?.find((x) => num(x.through_seq) >= seq);
    return toUsageRecord(b ? { ...r, billed_at_ms: b.billed_at_ms, billing_transfer_id: b.transfer_id } : r);
  });
}

/** The first `limit` rows of two lists each in (ts_ms, id) order (or both reversed), in that order. */
function mergeByTime(a: Row[], b: Row[], limit: number, reversed: boolean): Row[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Row[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && before(x, y) !== reversed)) {
      out.push(x!);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Event ids are printable ASCII, so JavaScript's order is SQLite's binary order. */
function before(x: Row, y: Row): boolean {
  const tx = num(x.ts_ms);
  const ty = num(y.ts_ms);
  return tx < ty || (tx === ty && str(x.id) < str(y.id));
}
