import { postTransfers } from '../kernel/chart.ts';
import type { Context } from '../kernel/context.ts';
import type { TransferInput } from '../kernel/ledger.ts';
import { deferredRevenue, journalLines, journalRange, reportCurrency } from './finance-reports.ts';
import { traceTransfer } from './trace.ts';

/**
 * The reports feature's slice of the engine: finance reports from the ledger and the lot journal,
 * and the ledger itself for operators (a transfer traced, the invariants checked).
 * @example const { reports, ledger } = reportsSlice(ctx)
 */
export function reportsSlice(ctx: Context) {
  return {
    /** Finance reports, from the ledger and the lot journal (core/reports/finance-reports.ts). */
    reports: {
      /** The liability of paid, unspent credits at cost over a month (`YYYY-MM`), rolled forward. */
      deferredRevenue: (month: unknown, currency?: unknown) => deferredRevenue(ctx, month, currency),
      /** Checks `from` and `to` of a journal export. */
      journalRange,
      /** Checks the `currency` of a report (the default currency when not given). */
      currency: (raw: unknown) => reportCurrency(ctx, raw),
      /** Every transfer in [from, to) with its value at cost, oldest first, a page per read. */
      journal: (fromMs: number, toMs: number) => journalLines(ctx, fromMs, toMs),
    },
    ledger: {
      post: (inputs: TransferInput[]) => postTransfers(ctx, inputs),
      /** A transfer and, for usage billing and its give-backs, what it covers. */
      trace: (id: string) => traceTransfer(ctx, id),
      audit: () => ctx.storage.audit(),
    },
  };
}
