import type { Dimension, RateEntry } from '../../core/kernel/model.ts';
import type { RatingLine } from '../../core/prices/index.ts';
import type { AppType } from '../routes/common.ts';
import { grouped } from './billing-parts.tsx';
import type { Portal } from './kit.tsx';
import { type Frame, Layout } from './layout.tsx';

/** `1000000` as `1M`, `1000` as `1K`: how prices per many units read. */
export function perText(per: string): string {
  if (per === '1') return '';
  const m = /^(\d+?)(0{3,})$/.exec(per);
  if (m) {
    const zeros = m[2]!.length;
    if (zeros % 3 === 0) return ` / ${m[1]}${['', 'K', 'M', 'B', 'T'][zeros / 3] ?? `e${zeros}`}`;
  }
  return ` / ${grouped(per)}`;
}

const unitName = (dimension: string) => (dimension === 'quantity' ? 'units' : dimension.replaceAll('_', ' '));

/** How a record was rated: `1,200 input tokens x 2.5 credits / 1M + 350 output tokens x 10 credits / 1M`. */
export function ratingText(lines: RatingLine[]): string {
  // Dimensions the event did not use say nothing (unless it used none).
  const used = lines.filter((l) => l.quantity !== '0');
  return (used.length > 0 ? used : lines)
    .map((l) =>
      l.dimension === 'quantity'
        ? `${grouped(l.quantity)} × ${grouped(l.credits)} credits ${l.per === '1' ? 'a unit' : `per ${grouped(l.per)} units`}`
        : `${grouped(l.quantity)} ${unitName(l.dimension)} × ${grouped(l.credits)} credits${perText(l.per)}`,
    )
    .join(' + ');
}

/** A price as the table shows it beside its dimension: `2.5 credits each` or `2.5 credits per 1,000,000`. */
const priceText = (d: Dimension) =>
  `${grouped(d.credits)} credits ${d.per === '1' ? 'each' : `per ${grouped(d.per)}`}`;

/** The Pricing page: the account's prices in effect (its contract applied) and the next version. */
export function pricingRoutes(app: AppType, p: Portal): void {
  const { engine } = p;
  app.get('/portal/pricing', p.guard, async (c) => {
    const f = await p.frame(c);
    const now = engine.clock.nowMs();
    const current = await engine.prices.at({ accountId: f.accountId });
    const next = engine.prices.next(now);
    const upcoming = next
      ? await engine.prices.at({ accountId: f.accountId, at: new Date(next.effectiveAtMs).toISOString() })
      : undefined;
    return c.html(
      <PricingPage
        {...f}
        models={current.ok ? current.value.models : []}
        contract={current.ok && current.value.contract ? current.value.contract : null}
        next={
          upcoming?.ok ? { atMs: upcoming.value.version.effectiveAtMs, models: upcoming.value.models } : null
        }
      />,
    );
  });
}

function PriceTable(p: { models: RateEntry[]; testid: string }) {
  return (
    <table data-testid={p.testid} class="stack">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Priced by</th>
          <th scope="col">Price</th>
        </tr>
      </thead>
      <tbody>
        {p.models.flatMap((m) =>
          m.dimensions.map((d, i) => (
            <tr data-model={m.model} data-dimension={d.name}>
              <td class="lead">{i === 0 ? m.model : ''}</td>
              <td data-label="Priced by">
                {d.name === 'quantity' ? 'each use' : unitName(d.name)}
                {d.whole ? '' : d.name === 'quantity' ? '' : ' (fractions count)'}
              </td>
              <td data-label="Price">{priceText(d)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function PricingPage(
  p: Frame & {
    models: RateEntry[];
    contract: { discountPercent: string | null; endsAtMs: number | null } | null;
    next: { atMs: number; models: RateEntry[] } | null;
  },
) {
  return (
    <Layout title="Pricing" tab="pricing" supportEmail={p.supportEmail} frame={p}>
      <p>
        What each use of a model costs you now, in credits. An event with several quantities (input and output
        tokens, say) costs the sum of each quantity at its price, rounded once to the millionth of a credit.
      </p>
      {p.contract && (
        <p class="notice" data-testid="contract">
          Your contract's prices are shown
          {p.contract.discountPercent
            ? ` (${p.contract.discountPercent} % off the list price where it sets no price of its own)`
            : ''}
          {p.contract.endsAtMs !== null ? `, until ${p.time(p.contract.endsAtMs)}` : ''}.
        </p>
      )}
      <PriceTable models={p.models} testid="prices" />
      <h2>Next price change</h2>
      {p.next ? (
        <section data-testid="next-prices">
          <p>
            From <strong>{p.time(p.next.atMs)}</strong> (UTC), usage is priced as follows; usage before then
            keeps its price.
          </p>
          <PriceTable models={p.next.models} testid="next-prices-table" />
        </section>
      ) : (
        <p class="muted" data-testid="no-next-prices">
          No price change is scheduled.
        </p>
      )}
    </Layout>
  );
}
