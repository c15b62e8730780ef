import type { UsageRecord } from '../../core/model.ts';
import type { UsageHour } from '../../core/ports.ts';
import { big, num, type Row, str, strOrNull } from './sql-connection.ts';

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
});

/** A `usage_rollup` row as an hour of usage (`''` is the rollup's "no key"). */
export const toUsageHour = (r: Row): UsageHour => ({
  hourMs: num(r.hour_ms),
  apiKeyId: str(r.api_key_id) || null,
  model: str(r.model),
  events: big(r.events),
  quantityMinor: big(r.quantity_minor),
  creditsMinor: big(r.credits_minor),
});
