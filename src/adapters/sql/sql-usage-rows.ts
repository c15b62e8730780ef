import type { UsageRecord } from '../../core/kernel/model.ts';
import type { UsageBilling, UsageHour } from '../../core/kernel/ports.ts';
import { big, num, numOrNull, type Row, str, strOrNull } from './sql-connection.ts';

/** A `usage_events` row as a record, the same on every dialect. */
export const toUsageRecord = (r: Row): UsageRecord => ({
  id: str(r.id),
  accountId: str(r.account_id),
  apiKeyId: strOrNull(r.api_key_id),
  model: str(r.model),
  quantityMinor: big(r.quantity_minor),
  creditsMinor: big(r.credits_minor),
  timestampMs: num(r.ts_ms),
  properties: strOrNull(r.properties),
  unitPrice: strOrNull(r.unit_price),
  priceVersionId: strOrNull(r.price_version_id),
  quantities: strOrNull(r.quantities),
  billedAtMs: numOrNull(r.billed_at_ms),
  billingTransferId: strOrNull(r.billing_transfer_id),
});

/** The rows a billing transfer billed (`usage_billings`), with the credits it took from each. */
export async function billingsOf(
  c: { stmt(sql: string): { all(...params: unknown[]): unknown } },
  transferId: string,
): Promise<UsageBilling[]> {
  const rows = (await c
    .stmt(
      `SELECT account_id, hour_ms, api_key_id, model, credits_minor, transfer_id, billed_at_ms FROM usage_billings
       WHERE transfer_id = ? ORDER BY api_key_id, model`,
    )
    .all(transferId)) as Row[];
  return rows.map((r) => ({
    accountId: str(r.account_id),
    hourMs: num(r.hour_ms),
    apiKeyId: str(r.api_key_id) || null,
    model: str(r.model),
    creditsMinor: big(r.credits_minor),
    transferId: str(r.transfer_id),
    billedAtMs: num(r.billed_at_ms),
  }));
}

/** A `usage_rollup` row as an hour of usage (`''` is the rollup's "no key"). */
export const toUsageHour = (r: Row): UsageHour => ({
  hourMs: num(r.hour_ms),
  apiKeyId: str(r.api_key_id) || null,
  model: str(r.model),
  events: big(r.events),
  quantityMinor: big(r.quantity_minor),
  creditsMinor: big(r.credits_minor),
});
