import { type Context, read } from '../kernel/context.ts';
import { explainRated, type PriceState } from '../prices/index.ts';
import { runBilling } from './billing.ts';
import { listDisputes, openDispute, resolveDispute } from './disputes.ts';
import { drainUsage, ingestUsage, type MeteringState } from './metering.ts';
import {
  allUsageRecords,
  type RecordsInput,
  type SummaryInput,
  usageRecords,
  usageSummary,
} from './usage-views.ts';
import { voidUsageEvent } from './voids.ts';

/**
 * The usage feature's slice of the engine: metering (the group commit's queue), records and
 * summaries, voids and disputes, and hourly billing, run one at a time. `close` drains both.
 * @example const { usage, billing, close } = usageSlice(ctx, deps.config)
 */
export function usageSlice(ctx: Context, prices: PriceState) {
  const metering: MeteringState = {
    prices,
    priced: new WeakMap(),
    pricedCount: 0,
    queue: [],
    scheduled: false,
    knownAccounts: new Set(),
  };
  let billingChain: Promise<unknown> = Promise.resolve();
  return {
    usage: {
      ingest: (events: unknown[]) => ingestUsage(ctx, metering, events),
      summary: (input: SummaryInput) => usageSummary(ctx, input),
      records: (input: RecordsInput) => usageRecords(ctx, prices, input),
      allRecords: (input: RecordsInput) => allUsageRecords(ctx, prices, input),
      drain: () => drainUsage(ctx, metering),
      /** A stored event by its id (within the dedupe window), or undefined. */
      event: async (id: string) => {
        const found = await read(ctx, (tx) => tx.usage.findEvent(id));
        return found && (await explainRated(ctx, prices, [found]))[0];
      },
      /** Voids one event (a correction): see `core/usage/voids.ts`. */
      void: (eventId: string, reason: unknown) => voidUsageEvent(ctx, eventId, reason),
      /** A customer flags one of their records as wrong (see `core/usage/disputes.ts`). */
      dispute: (accountId: string, eventId: string, reason: unknown) =>
        openDispute(ctx, accountId, eventId, reason),
      resolveDispute: (id: string, outcome: unknown, note: unknown) => resolveDispute(ctx, id, outcome, note),
      disputes: (q: { status?: 'open' | 'resolved'; accountId?: string; limit: number; cursor?: string }) =>
        listDisputes(ctx, q),
    },
    billing: {
      /** Bills closed hours; runs one at a time, and `close()` waits for a running one. */
      run: (throughMs?: number) => {
        const run = billingChain.then(() => runBilling(ctx, throughMs));
        billingChain = run.catch(() => undefined);
        return run;
      },
    },
    /** Waits for a running billing run, then writes the queued usage. */
    async close() {
      await billingChain;
      await drainUsage(ctx, metering);
    },
  };
}
