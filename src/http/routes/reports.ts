import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { formatAmount } from '../../core/kernel/amount.ts';
import type { JournalLine } from '../../core/reports/index.ts';
import { csvAnswer, csvCell } from '../csv.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, on, plainRoute, rawRoute } from './common.ts';

const MonthQuery = z.object({ month: z.string().max(7).openapi({ example: '2026-12' }) });
const RangeQuery = z.object({
  from: z.string().max(40).openapi({ example: '2026-12-01' }),
  to: z.string().max(40).openapi({ example: '2027-01-01' }),
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
      const r = unwrap(await engine.reports.deferredRevenue(c.req.valid('query').month));
      return c.json(
        {
          month: r.month,
          currency: 'USD',
          opening: s.usd(r.openingMinor),
          purchased: s.usd(r.purchasedMinor),
          consumed: s.usd(r.consumedMinor),
          refunded: s.usd(r.refundedMinor),
          expired: s.usd(r.expiredMinor),
          closing: s.usd(r.closingMinor),
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
        return `${s.time(t.createdAtMs)},${csvCell(t.id)},${csvCell(t.debitAccountId)},${csvCell(t.creditAccountId)},${s.credits(t.amount)},${formatAmount(t.valueMinor, engine.config.scales.usd, true)},${csvCell(reference)}\n`;
      };
      async function* rows() {
        if (first.done) return;
        yield csvLine(first.value);
        for await (const t of lines) yield csvLine(t);
      }
      return csvAnswer(
        c,
        'journal.csv',
        'date,transfer_id,debit_account,credit_account,credits,usd_value,reference\n',
        rows(),
      );
    },
  );
}
