import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { formatAmount } from '../../core/kernel/amount.ts';
import { formatMoney } from '../../core/kernel/currency.ts';
import type { JournalLine } from '../../core/reports/index.ts';
import { csvAnswer, csvCell } from '../csv.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, on, plainRoute, rawRoute } from './common.ts';

const CURRENCY = z
  .string()
  .max(3)
  .optional()
  .openapi({ description: 'ISO 4217; default: the default currency', example: 'EUR' });
const MonthQuery = z.object({ month: z.string().max(7).openapi({ example: '2026-12' }), currency: CURRENCY });
const RangeQuery = z.object({
  from: z.string().max(40).openapi({ example: '2026-12-01' }),
  to: z.string().max(40).openapi({ example: '2027-01-01' }),
  currency: CURRENCY,
});

/** Finance reports: deferred revenue per month, and the ledger as a double-entry journal (CSV). */
export function reportRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [getReportsDeferredRevenue, getReportsJournalCsv]) register(app, engine, s);
}

function getReportsDeferredRevenue(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/reports/deferred_revenue',
      'The liability of paid, unspent credits at cost over a month, rolled forward',
      MonthQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const r = unwrap(await engine.reports.deferredRevenue(q.month, q.currency));
      const money = (m: bigint) => formatMoney(m, r.currency);
      return c.json(
        {
          month: r.month,
          currency: r.currency,
          opening: money(r.openingMinor),
          purchased: money(r.purchasedMinor),
          consumed: money(r.consumedMinor),
          refunded: money(r.refundedMinor),
          expired: money(r.expiredMinor),
          closing: money(r.closingMinor),
        },
        200,
      );
    },
  );
}

function getReportsJournalCsv(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    rawRoute(
      'get',
      '/v1/reports/journal.csv',
      'Every ledger transfer in [from, to) as a double-entry line, with its value at cost (CSV, streamed)',
      'csv',
      RangeQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const { fromMs, toMs } = unwrap(engine.reports.journalRange(q.from, q.to));
      // One currency per journal (the default unless ?currency=): its lines and those worth nothing at cost.
      const only = unwrap(engine.reports.currency(q.currency));
      const lines = engine.reports.journal(fromMs, toMs);
      // The first page is read before the answer starts: a failing store is a 503, not a cut CSV.
      const first = await lines.next();
      const csvLine = (t: JournalLine) => {
        const meta = t.metadata
          ? Object.entries(t.metadata)
              .map(([k, v]) => ` ${k}=${v}`)
              .join('')
          : '';
        const reference = `${t.code}${t.kind === 'posted' ? '' : ` (${t.kind})`}${meta}`;
        return `${s.time(t.createdAtMs)},${csvCell(t.id)},${csvCell(t.debitAccountId)},${csvCell(t.creditAccountId)},${s.credits(t.amount)},${formatMoney(t.valueMinor, t.currency ?? only)},${csvCell(reference)}\n`;
      };
      async function* rows() {
        const keep = (t: JournalLine) => t.currency === null || t.currency === only;
        if (first.done) return;
        if (keep(first.value)) yield csvLine(first.value);
        for await (const t of lines) if (keep(t)) yield csvLine(t);
      }
      return csvAnswer(
        c,
        'journal.csv',
        `date,transfer_id,debit_account,credit_account,credits,${only.toLowerCase()}_value,reference\n`,
        rows(),
      );
    },
  );
}
