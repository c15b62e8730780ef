import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { type Context, read } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { UsageRecord, UsageVoid } from '../kernel/model.ts';
import type { RecordsQuery, UsageQuery } from '../kernel/ports.ts';
import { DAY_MS, isoUtc, parseTimeParam, startOfHour, startOfUtcDay } from '../kernel/time.ts';
import { explainRated, type PriceState } from '../prices/index.ts';

const MAX_RANGE_MS = 400 * DAY_MS;

export interface SummaryInput {
  accountId: string;
  from?: string;
  to?: string;
  granularity?: string;
  groupBy?: string;
  tz?: string;
  apiKeyId?: string;
  model?: string;
}

export interface SummaryBucket {
  start: string;
  model?: string;
  apiKeyId?: string | null;
  events: bigint;
  quantityMinor: bigint;
  creditsMinor: bigint;
}

function parseTime(value: string | undefined, field: string): Result<number | undefined> {
  if (value === undefined || value === '') return ok(undefined);
  const ms = parseTimeParam(value);
  if (Number.isNaN(ms)) {
    return invalidField(field, 'must be an ISO 8601 time such as 2026-11-25T13:00:00Z');
  }
  return ok(ms);
}

/** Resolves and checks a [from, to) range; defaults to the last `defaultSpanMs` before now. */
export function resolveRange(
  ctx: Context,
  from: string | undefined,
  to: string | undefined,
  defaultSpanMs: number,
): Result<{ fromMs: number; toMs: number }> {
  const f = parseTime(from, 'from');
  if (!f.ok) return f;
  const t = parseTime(to, 'to');
  if (!t.ok) return t;
  const toMs = t.value ?? ctx.clock.nowMs() + 1;
  const fromMs = f.value ?? toMs - defaultSpanMs;
  if (fromMs >= toMs) return invalidField('from', 'must be before to');
  if (toMs - fromMs > MAX_RANGE_MS) return invalidField('to', 'the range is longer than 400 days');
  return ok({ fromMs, toMs });
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Usage per hour or day, optionally per model or key, from the hourly rollup. Buckets are UTC
 * unless `tz` names an IANA zone: then a day runs from local midnight to local midnight (23 or 25
 * hours across daylight-saving changes) and `start` carries the local offset.
 */
export async function usageSummary(ctx: Context, input: SummaryInput): Promise<Result<SummaryBucket[]>> {
  const granularity = input.granularity ?? 'hour';
  if (granularity !== 'hour' && granularity !== 'day')
    return invalidField('granularity', 'must be hour or day');
  const groupBy = input.groupBy ?? null;
  if (groupBy !== null && groupBy !== 'model' && groupBy !== 'api_key')
    return invalidField('group_by', 'must be model or api_key');
  const tz = input.tz || 'UTC';
  if (!validZone(tz)) return invalidField('tz', 'must be an IANA time zone such as Europe/Paris');
  const range = resolveRange(ctx, input.from, input.to, granularity === 'hour' ? DAY_MS : 30 * DAY_MS);
  if (!range.ok) return range;
  if (!(await ctx.storage.transaction((tx) => tx.accounts.get(input.accountId), { readOnly: true }))) {
    return refuse('not_found', `no account ${input.accountId}`);
  }
  const query: UsageQuery = { accountId: input.accountId, ...range.value };
  if (input.apiKeyId) query.apiKeyId = input.apiKeyId;
  if (input.model) query.model = input.model;
  const hours = await ctx.storage.usageHours({
    ...query,
    fromMs: startOf(range.value.fromMs, granularity, tz),
  });
  const buckets = new Map<string, SummaryBucket>();
  for (const h of hours) {
    const startMs = startOf(h.hourMs, granularity, tz);
    const group = groupBy === 'model' ? h.model : groupBy === 'api_key' ? (h.apiKeyId ?? '') : '';
    const key = `${startMs}\u0000${group}`;
    let b = buckets.get(key);
    if (!b) {
      b = { start: label(startMs, tz), events: 0n, quantityMinor: 0n, creditsMinor: 0n };
      if (groupBy === 'model') b.model = h.model;
      if (groupBy === 'api_key') b.apiKeyId = h.apiKeyId;
      buckets.set(key, b);
    }
    b.events += h.events;
    b.quantityMinor += h.quantityMinor;
    b.creditsMinor += h.creditsMinor;
  }
  return ok([...buckets.values()]);
}

function startOf(ms: number, granularity: 'hour' | 'day', tz: string): number {
  if (granularity === 'hour') return startOfHour(ms);
  if (tz === 'UTC') return startOfUtcDay(ms);
  return fromZonedTime(`${formatInTimeZone(ms, tz, 'yyyy-MM-dd')}T00:00:00`, tz).getTime();
}

const label = (ms: number, tz: string): string =>
  tz === 'UTC' ? isoUtc(ms) : formatInTimeZone(ms, tz, "yyyy-MM-dd'T'HH:mm:ssXXX");

export interface RecordsInput {
  accountId: string;
  from?: string;
  to?: string;
  apiKeyId?: string;
  model?: string;
  limit?: string;
  cursor?: string;
  /** Newest first (the portal's order): the cursor then walks back in time. */
  newestFirst?: boolean;
}

const encodeCursor = (r: UsageRecord): string =>
  Buffer.from(`${r.timestampMs}:${r.id}`).toString('base64url');

function decodeCursor(cursor: string): { timestampMs: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const at = text.indexOf(':');
  const ts = Number(text.slice(0, at));
  return at > 0 && Number.isSafeInteger(ts) ? { timestampMs: ts, id: text.slice(at + 1) } : undefined;
}

/** Detailed usage records in time order, with cursor pagination. */
/** A usage record as answers show it: with its status, and when and why it was voided. */
export type RecordView = UsageRecord & { contractId: string | null } & (
    | { status: 'accepted' }
    | { status: 'voided'; voidedAtMs: number; voidReason: string }
  );

export async function usageRecords(
  ctx: Context,
  prices: PriceState,
  input: RecordsInput,
): Promise<Result<{ records: RecordView[]; nextCursor: string | null }>> {
  const limit = input.limit === undefined ? 100 : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return invalidField('limit', 'must be a whole number from 1 to 1000');
  const range = resolveRange(ctx, input.from, input.to, 30 * DAY_MS);
  if (!range.ok) return range;
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  if (input.cursor && !after) return invalidField('cursor', 'is not a cursor this API gave');
  if (!(await ctx.storage.transaction((tx) => tx.accounts.get(input.accountId), { readOnly: true }))) {
    return refuse('not_found', `no account ${input.accountId}`);
  }
  const query: RecordsQuery = {
    accountId: input.accountId,
    ...range.value,
    limit: limit + 1,
    ...(after ? { after } : {}),
    ...(input.newestFirst ? { newestFirst: true } : {}),
  };
  if (input.apiKeyId) query.apiKeyId = input.apiKeyId;
  if (input.model) query.model = input.model;
  const rows = await ctx.storage.usageRecords(query);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const voids =
    page.length > 0
      ? await read(ctx, (tx) => tx.voids.getMany(page.map((r) => r.id)))
      : new Map<string, UsageVoid>();
  const records: RecordView[] = (await explainRated(ctx, prices, page)).map((r) => {
    const v = voids.get(r.id);
    if (!v) return { ...r, status: 'accepted' };
    // Voided before it was billed: no billing ever took its credits (a later one saw it voided).
    const billing = v.reversalMinor > 0n ? {} : { billedAtMs: null, billingTransferId: null };
    return { ...r, ...billing, status: 'voided', voidedAtMs: v.voidedAtMs, voidReason: v.reason };
  });
  return ok({ records, nextCursor: more ? encodeCursor(records[records.length - 1]!) : null });
}

/** Every record of a range, page by page, so an export of millions of rows holds one page in memory. */
export async function* allUsageRecords(
  ctx: Context,
  prices: PriceState,
  input: RecordsInput,
): AsyncGenerator<RecordView> {
  let cursor: string | undefined = input.cursor;
  for (;;) {
    const page = await usageRecords(ctx, prices, { ...input, limit: '1000', ...(cursor ? { cursor } : {}) });
    if (!page.ok) return;
    yield* page.value.records;
    if (!page.value.nextCursor) return;
    cursor = page.value.nextCursor;
  }
}
