import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Engine } from '../../core/engine.ts';
import { formatAmount } from '../../core/kernel/amount.ts';
import type { UsageDispute, UsageRecord } from '../../core/kernel/model.ts';
import { HOUR_MS, parseTimeParam } from '../../core/kernel/time.ts';
import { quantitiesOf, ratingOf } from '../../core/prices/index.ts';
import type { RecordsInput } from '../../core/usage/index.ts';
import { QUANTITY_SCALE } from '../../core/usage/index.ts';
import { csvAnswer, csvCell } from '../csv.ts';
import { ApiError, unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, jsonRoute, on, plainRoute, rawRoute } from './common.ts';

// Documented values only (`.openapi`): the core checks them and answers its own messages.
const From = z.string().max(40).optional().openapi({ description: 'Start, inclusive (ISO 8601)' });
const To = z.string().max(40).optional().openapi({ description: 'End, exclusive (ISO 8601)' });

const SummaryQuery = z.object({
  from: From,
  to: To,
  granularity: z
    .string()
    .max(10)
    .optional()
    .openapi({ enum: ['hour', 'day'], description: 'Bucket size' }),
  group_by: z
    .string()
    .max(10)
    .optional()
    .openapi({ enum: ['model', 'api_key'], description: 'One bucket per model or per key' }),
  tz: z.string().max(64).optional().openapi({ description: 'IANA zone of the buckets, default UTC' }),
  api_key_id: z.string().max(64).optional(),
  model: z.string().max(128).optional(),
});

const RecordsQuery = z.object({
  from: From,
  to: To,
  api_key_id: z.string().max(64).optional(),
  model: z.string().max(128).optional(),
  limit: z.string().max(10).optional().openapi({ description: 'Records per page, 1 to 1000 (default 100)' }),
  cursor: z.string().max(300).optional().openapi({ description: 'The next_cursor of the previous page' }),
});

export function usageRoutes(app: AppType, engine: Engine, s: Serializers): void {
  const a = answersOf(s);
  for (const register of [
    getUsageDisputes,
    postUsageDisputesIdResolve,
    getTransfersId,
    postUsageEventsIdVoid,
    getAccountsIdUsageSummary,
    getAccountsIdUsageRecords,
    getAccountsIdUsageRecordsCsv,
    postBillingRuns,
  ])
    register(app, engine, s, a);
}

/** What this resource's operations answer, from the serializers. */
function answersOf(s: Serializers) {
  const quantity = (m: bigint) => formatAmount(m, QUANTITY_SCALE);
  const record = (r: UsageRecord & { status?: string; voidedAtMs?: number; voidReason?: string }) => ({
    id: r.id,
    status: r.status ?? 'accepted',
    ...(r.voidedAtMs !== undefined ? { voided_at: s.time(r.voidedAtMs), void_reason: r.voidReason } : {}),
    account_id: r.accountId,
    api_key_id: r.apiKeyId,
    model: r.model,
    quantity: quantity(r.quantityMinor),
    quantities: quantitiesOf(r.quantities, quantity(r.quantityMinor)),
    credits: s.credits(r.creditsMinor),
    timestamp: s.time(r.timestampMs),
    properties: r.properties ? JSON.parse(r.properties) : null,
    unit_price: r.unitPrice,
    price_version_id: r.priceVersionId,
    contract_id: 'contractId' in r ? r.contractId : null,
    rating: ratingOf(r.unitPrice, r.quantities, quantity(r.quantityMinor)),
    billed_at: r.billedAtMs === null ? null : s.time(r.billedAtMs),
    billing_transfer_id: r.billingTransferId,
  });
  const dispute = (d: UsageDispute) => ({
    id: d.id,
    object: 'usage_dispute',
    account_id: d.accountId,
    event_id: d.eventId,
    reason: d.reason,
    status: d.status,
    outcome: d.outcome,
    note: d.note,
    created_at: s.time(d.createdAtMs),
    resolved_at: s.time(d.resolvedAtMs),
  });
  return { quantity, record, dispute };
}
type Answers = ReturnType<typeof answersOf>;

function getUsageDisputes(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { dispute } = a;
  on(
    app,
    plainRoute(
      'get',
      '/v1/usage_disputes',
      'Usage records customers disputed, newest first',
      z.object({
        status: z.enum(['open', 'resolved']).optional(),
        account_id: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(64).optional(),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const page = await engine.usage.disputes({
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.account_id ? { accountId: q.account_id } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return c.json({ data: page.data.map(dispute), next_cursor: page.nextCursor }, 200);
    },
  );
}

function postUsageDisputesIdResolve(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { dispute } = a;
  on(
    app,
    jsonRoute(
      'post',
      '/v1/usage_disputes/{id}/resolve',
      'Resolve a dispute: void its event (credits come back) or reject it, with a note the customer sees',
      z.strictObject({ outcome: z.enum(['void', 'reject']), note: z.string().max(500) }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(
        dispute(unwrap(await engine.usage.resolveDispute(c.req.valid('param').id, b.outcome, b.note))),
        200,
      );
    },
  );
}

function getTransfersId(app: AppType, engine: Engine, s: Serializers, a: Answers): void {
  const { quantity } = a;
  on(
    app,
    plainRoute('get', '/v1/transfers/{id}', 'A ledger transfer, traced to the usage it bills'),
    async (c) => {
      const t = unwrap(await engine.ledger.trace(c.req.valid('param').id));
      const x = t.transfer;
      return c.json(
        {
          id: x.id,
          object: 'transfer',
          code: x.code,
          debit_account_id: x.debitAccountId,
          credit_account_id: x.creditAccountId,
          credits: s.credits(x.amount),
          created_at: s.time(x.createdAtMs),
          metadata: x.metadata,
          ...(t.usage
            ? {
                usage: {
                  account_id: t.usage.accountId,
                  hour: s.time(t.usage.hourMs),
                  billed: t.usage.billed.map((b) => ({
                    api_key_id: b.apiKeyId,
                    model: b.model,
                    credits: s.credits(b.creditsMinor),
                    billed_at: s.time(b.billedAtMs),
                  })),
                  groups: t.usage.groups.map((g) => ({
                    api_key_id: g.apiKeyId,
                    model: g.model,
                    events: Number(g.events),
                    quantity: quantity(g.quantityMinor),
                    credits: s.credits(g.creditsMinor),
                  })),
                  records: `/v1/accounts/${t.usage.accountId}/usage/records?from=${s.time(t.usage.hourMs)}&to=${s.time(t.usage.hourMs + HOUR_MS)}`,
                },
              }
            : {}),
          ...(t.void
            ? {
                void: {
                  event_id: t.void.eventId,
                  reason: t.void.reason,
                  voided_at: s.time(t.void.voidedAtMs),
                },
              }
            : {}),
        },
        200,
      );
    },
  );
}

function postUsageEventsIdVoid(app: AppType, engine: Engine, s: Serializers, _a: Answers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/usage_events/{id}/void',
      'Void a usage event (a correction): unbilled drops at once; what was billed comes back at the next billing run',
      z.strictObject({ reason: z.string().max(500) }),
    ),
    async (c) => {
      const v = unwrap(await engine.usage.void(c.req.valid('param').id, c.req.valid('json').reason));
      return c.json(
        {
          id: v.eventId,
          status: 'voided',
          credits: s.credits(v.creditsMinor),
          voided_at: s.time(v.voidedAtMs),
          reason: v.reason,
          billed_credits: s.credits(v.reversalMinor),
          reversed_at: s.time(v.reversedAtMs),
          reversal_transfer_id: v.reversalTransferId,
        },
        200,
      );
    },
  );
}

function getAccountsIdUsageSummary(app: AppType, engine: Engine, s: Serializers, a: Answers): void {
  const { quantity } = a;
  on(
    app,
    plainRoute(
      'get',
      '/v1/accounts/{id}/usage/summary',
      'Usage per hour or day (UTC unless tz)',
      SummaryQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const buckets = unwrap(
        await engine.usage.summary({
          accountId: c.req.valid('param').id,
          ...definedOnly({
            from: q.from,
            to: q.to,
            granularity: q.granularity,
            groupBy: q.group_by,
            tz: q.tz,
            apiKeyId: q.api_key_id,
            model: q.model,
          }),
        }),
      );
      return c.json(
        {
          data: buckets.map((b) => ({
            start: b.start,
            ...(b.model !== undefined ? { model: b.model } : {}),
            ...(b.apiKeyId !== undefined ? { api_key_id: b.apiKeyId } : {}),
            events: Number(b.events),
            quantity: quantity(b.quantityMinor),
            credits: s.credits(b.creditsMinor),
          })),
        },
        200,
      );
    },
  );
}

function getAccountsIdUsageRecords(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { record } = a;
  on(
    app,
    plainRoute(
      'get',
      '/v1/accounts/{id}/usage/records',
      'Detailed usage records, cursor-paged',
      RecordsQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const page = unwrap(
        await engine.usage.records({
          accountId: c.req.valid('param').id,
          ...definedOnly({
            from: q.from,
            to: q.to,
            apiKeyId: q.api_key_id,
            model: q.model,
            limit: q.limit,
            cursor: q.cursor,
          }),
        }),
      );
      return c.json({ data: page.records.map(record), next_cursor: page.nextCursor }, 200);
    },
  );
}

function getAccountsIdUsageRecordsCsv(app: AppType, engine: Engine, s: Serializers, _a: Answers): void {
  on(
    app,
    rawRoute(
      'get',
      '/v1/accounts/{id}/usage/records.csv',
      'The same records as CSV, streamed',
      'csv',
      RecordsQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const input = {
        accountId: c.req.valid('param').id,
        ...definedOnly({ from: q.from, to: q.to, apiKeyId: q.api_key_id, model: q.model }),
      };
      return csvResponse(c, engine, s, input);
    },
  );
}

function postBillingRuns(app: AppType, engine: Engine, s: Serializers, _a: Answers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/billing_runs',
      'Bill every closed UTC hour not yet billed',
      z.strictObject({ through: z.string().max(40).optional() }),
      200,
      true,
    ),
    async (c) => {
      const { through } = c.req.valid('json') ?? {};
      let throughMs: number | undefined;
      if (through !== undefined) {
        throughMs = parseTimeParam(through);
        if (!Number.isFinite(throughMs))
          throw new ApiError('validation_failed', 'through must be an ISO 8601 time', [
            { field: 'through', message: 'must be an ISO 8601 time' },
          ]);
      }
      const r = await engine.billing.run(throughMs);
      return c.json(
        {
          hours: r.hours,
          accounts: r.accounts,
          credits: s.credits(r.creditsMinor),
          through: s.time(r.throughMs),
          failed_accounts: r.failed.map((f) => ({ account_id: f.accountId, error: f.error })),
        },
        200,
      );
    },
  );
}

/** The fields of `o` that are set (an optional field of the core's input is absent, never undefined). */
function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: { [K in keyof T]?: Exclude<T[K], undefined> } = {};
  for (const k of Object.keys(o) as (keyof T)[])
    if (o[k] !== undefined) out[k] = o[k] as Exclude<T[typeof k], undefined>;
  return out;
}

/**
 * Streams usage records as CSV, page by page, so memory stays flat however many rows there are.
 * The input (and the account) is checked before the stream starts, so errors keep their status.
 */
export async function csvResponse(
  c: Context,
  engine: Engine,
  s: Serializers,
  input: RecordsInput,
): Promise<Response> {
  const quantity = (m: bigint) => formatAmount(m, QUANTITY_SCALE);
  unwrap(await engine.usage.records({ ...input, limit: '1' }));
  async function* lines() {
    for await (const r of engine.usage.allRecords(input))
      yield `${s.time(r.timestampMs)},${csvCell(r.id)},${r.apiKeyId ?? ''},${csvCell(r.model)},${quantity(r.quantityMinor)},${s.credits(r.creditsMinor)},${r.status},${r.unitPrice ?? ''},${r.billedAtMs === null ? '' : s.time(r.billedAtMs)},${r.billingTransferId ?? ''},${r.quantities ?? ''},${r.priceVersionId ?? ''}\n`;
  }
  return csvAnswer(
    c,
    'usage.csv',
    'timestamp,id,api_key_id,model,quantity,credits,status,unit_price,billed_at,billing_transfer_id,quantities,price_version_id\n',
    lines(),
  );
}
