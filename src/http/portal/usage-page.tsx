import type { Context } from 'hono';
import { formatAmount } from '../../core/kernel/amount.ts';
import { currencyOf, defaultCurrency, formatMoney } from '../../core/kernel/currency.ts';
import type { UsageDispute } from '../../core/kernel/model.ts';
import { DAY_MS, HOUR_MS, parseTimeParam } from '../../core/kernel/time.ts';
import { creditsValue, ratingOf } from '../../core/prices/index.ts';
import type { RecordView, SummaryBucket } from '../../core/usage/index.ts';
import { QUANTITY_SCALE } from '../../core/usage/index.ts';
import { statusOf } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import { csvResponse } from '../routes/usage.ts';
import { grouped, moneyText } from './billing-parts.tsx';
import type { Flash, Portal } from './kit.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';
import { ratingText } from './pricing-page.tsx';
import { Chart, COLORS, dayLabel } from './usage-chart.tsx';
import { bucketStarts, decodeBefore, newestRecords } from './usage-records.ts';

/** The Usage page: totals for the period, credits per hour or day as a chart, the records newest first, the CSV. */
export function usageRoutes(app: AppType, p: Portal): void {
  const { engine, s } = p;
  const usageQuery = (c: Context) => {
    const now = engine.clock.nowMs();
    const today = new Date(now).toISOString().slice(0, 10);
    const from = c.req.query('from') || new Date(now - 6 * DAY_MS).toISOString().slice(0, 10);
    const to = c.req.query('to') || today;
    const asked = c.req.query('granularity');
    return {
      from,
      to,
      // One day reads per hour unless asked otherwise: a single day-bar says nothing.
      granularity: (asked === 'hour' || asked === 'day' ? asked : from === to ? 'hour' : 'day') as
        | 'hour'
        | 'day',
      groupBy: c.req.query('group_by') === 'api_key' ? 'api_key' : 'model',
    };
  };
  /** The instants of a day range (`to` inclusive), or null when either end is not a real date. */
  const range = (q: { from: string; to: string }) => {
    const day = (d: string) => (d.length === 10 ? parseTimeParam(d) : Number.NaN);
    const from = day(q.from);
    const to = day(q.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return null;
    return { from: new Date(from).toISOString(), to: new Date(to + DAY_MS).toISOString() };
  };
  const BAD_RANGE = 'From and To must be dates such as 2026-11-25.';
  app.get('/portal/usage', p.guard, async (c) => {
    const f = await p.frame(c);
    const account = await engine.accounts.get(f.accountId);
    const cur =
      currencyOf(engine.config, account.ok ? account.value.currency : null) ?? defaultCurrency(engine.config);
    const flash = p.takeFlash(c);
    const q = usageQuery(c);
    const csvHref = `/portal/usage.csv?${new URLSearchParams({ from: q.from, to: q.to })}`;
    const quantity = (m: bigint) => formatAmount(m, QUANTITY_SCALE);
    const keys = await engine.keys.list(f.accountId);
    const nicknames = new Map((keys.ok ? keys.value : []).map((k) => [k.id, k.nickname]));
    const keyName = (id: string | null | undefined) =>
      id ? (nicknames.get(id) ?? `deleted key ${id.slice(-6)}`) : 'no key (account)';
    const base = {
      ...f,
      query: q,
      csvHref,
      quantity,
      keyName,
      // The value of credits in the account's currency (`$1.23`, `1.23 EUR`).
      usd: (m: bigint) =>
        moneyText(grouped(formatMoney(creditsValue(engine.config, m, cur), cur.code)), cur.code),
      currency: cur.code,
      disputes: [] as UsageDispute[],
      ...(flash ? { flash } : {}),
    };
    const r = range(q);
    if (!r)
      return c.html(
        <UsagePage {...base} starts={[]} buckets={[]} records={[]} nextCursor={null} error={BAD_RANGE} />,
        400,
      );
    const summary = await engine.usage.summary({
      accountId: f.accountId,
      ...r,
      granularity: q.granularity,
      groupBy: q.groupBy,
    });
    // One hour of a one-day range, when a bar of the hourly chart was clicked.
    const hour = c.req.query('hour');
    const oneHour =
      hour && /^([01]\d|2[0-3])$/.test(hour) && q.from === q.to
        ? Date.parse(`${q.from}T${hour}:00:00Z`)
        : null;
    const within = oneHour
      ? { fromMs: oneHour, toMs: oneHour + HOUR_MS }
      : { fromMs: Date.parse(r.from), toMs: Date.parse(r.to) };
    const page = await newestRecords(
      engine,
      { accountId: f.accountId, ...within },
      decodeBefore(c.req.query('before')),
      50,
    );
    const failed = !summary.ok ? summary : page.error;
    const disputes = await engine.usage.disputes({ accountId: f.accountId, limit: 20 });
    return c.html(
      <UsagePage
        {...base}
        disputes={disputes.data}
        starts={bucketStarts(Date.parse(r.from), Date.parse(r.to), q.granularity)}
        buckets={summary.ok ? summary.value : []}
        records={page.records}
        nextCursor={page.next}
        {...(oneHour !== null ? { hour: oneHour } : {})}
        {...(failed ? { error: failed.message } : {})}
      />,
      failed ? statusOf(failed.code as Parameters<typeof statusOf>[0]) : 200,
    );
  });
  // A customer flags a record as wrong; the operator hears it and voids or rejects it.
  app.post(
    '/portal/usage/disputes',
    p.guard,
    p.change('dispute usage', async (c) => {
      const { accountId } = await p.frame(c);
      const form = p.form(c);
      const back = String(form.back ?? '/portal/usage');
      const to = back.startsWith('/portal/usage') ? back : '/portal/usage';
      const r = await engine.usage.dispute(accountId, String(form.event_id ?? ''), String(form.reason ?? ''));
      if (!r.ok)
        return p.redirect(c, to, { kind: 'error', text: p.refusalText(r, { reason: 'The reason' }) });
      return p.redirect(c, to, {
        kind: 'notice',
        text: 'Your dispute is sent: it is listed below, with the answer once it is reviewed.',
      });
    }),
  );
  app.get('/portal/usage.csv', p.guard, async (c) => {
    const { accountId } = await p.frame(c);
    const r = range(usageQuery(c));
    if (!r) return p.page(c, 400, 'Usage', BAD_RANGE);
    return csvResponse(c, engine, s, { accountId, ...r });
  });
}

function UsagePage(p: UsageProps) {
  const open = new Set(p.disputes.filter((d) => d.status === 'open').map((d) => d.eventId));
  const byKey = p.query.groupBy === 'api_key';
  const groupOf = (b: SummaryBucket) => (byKey ? p.keyName(b.apiKeyId) : (b.model ?? ''));
  // What the period cost, and on what: the groups by credits, largest first.
  const totals = { credits: 0n, events: 0n };
  const perGroup = new Map<string, { credits: bigint; events: bigint }>();
  for (const b of p.buckets) {
    totals.credits += b.creditsMinor;
    totals.events += b.events;
    const g = perGroup.get(groupOf(b)) ?? { credits: 0n, events: 0n };
    g.credits += b.creditsMinor;
    g.events += b.events;
    perGroup.set(groupOf(b), g);
  }
  const groups = [...perGroup.entries()].sort((a, b) => (b[1].credits > a[1].credits ? 1 : -1));
  // The chart's colors follow the groups' names, so a model keeps its color whatever it cost.
  const chartGroups = [...perGroup.keys()].sort();
  const period =
    p.query.from === p.query.to
      ? dayLabel(Date.parse(p.query.from))
      : `${dayLabel(Date.parse(p.query.from))} to ${dayLabel(Date.parse(p.query.to))}`;
  // A bar opens its bucket's records: a day's per hour, an hour's on their own.
  const bucketHref = (startMs: number) => {
    const start = new Date(startMs).toISOString();
    const day = start.slice(0, 10);
    const params = new URLSearchParams({
      from: day,
      to: day,
      granularity: 'hour',
      group_by: p.query.groupBy,
    });
    if (p.query.granularity === 'hour') params.set('hour', start.slice(11, 13));
    return `/portal/usage?${params}#records-h`;
  };
  const wholeRange = {
    from: p.query.from,
    to: p.query.to,
    granularity: p.query.granularity,
    group_by: p.query.groupBy,
  };
  const here = {
    ...wholeRange,
    ...(p.hour !== undefined ? { hour: new Date(p.hour).toISOString().slice(11, 13) } : {}),
  };
  const back = `/portal/usage?${new URLSearchParams(here)}`;
  return (
    <Layout title="Usage" tab="usage" supportEmail={p.supportEmail} frame={p}>
      {p.flash && (
        <p
          class={`notice ${p.flash.kind === 'error' ? 'error' : 'ok'}`}
          role={p.flash.kind === 'error' ? 'alert' : 'status'}
          data-testid="usage-message"
        >
          {p.flash.text}
        </p>
      )}
      <RangeForm p={p} byKey={byKey} />
      <Overview
        p={p}
        period={period}
        byKey={byKey}
        groups={groups}
        chartGroups={chartGroups}
        totals={totals}
      />
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">Credits per {p.query.granularity} (UTC)</h2>
        <Chart
          starts={p.starts}
          granularity={p.query.granularity}
          buckets={p.buckets}
          groupOf={groupOf}
          groups={chartGroups}
          credits={p.credits}
          href={bucketHref}
        />
        {groups.length === 0 && <p class="muted">No usage in this range.</p>}
      </section>
      <Records p={p} period={period} wholeRange={wholeRange} here={here} back={back} open={open} />
      <Disputes p={p} />
    </Layout>
  );
}

/** What the Usage page shows. */
type UsageProps = Frame & {
  query: { from: string; to: string; granularity: 'hour' | 'day'; groupBy: string };
  starts: number[];
  buckets: SummaryBucket[];
  records: RecordView[];
  nextCursor: string | null;
  /** The one hour whose records are shown, when a bar of an hourly chart was clicked. */
  hour?: number;
  csvHref: string;
  quantity: (m: bigint) => string;
  keyName: (id: string | null | undefined) => string;
  usd: (m: bigint) => string;
  /** ISO 4217 code the account buys in. */
  currency: string;
  error?: string;
  flash?: Flash;
  disputes: UsageDispute[];
};

/** The range, granularity and grouping the page shows, as a GET form. */
function RangeForm({ p, byKey }: { p: UsageProps; byKey: boolean }) {
  return (
    <section>
      <form method="get" action="/portal/usage" class="row">
        <div>
          <label for="from">From (UTC)</label>
          <input id="from" name="from" type="date" value={p.query.from} />
        </div>
        <div>
          <label for="to">To (UTC, inclusive)</label>
          <input id="to" name="to" type="date" value={p.query.to} />
        </div>
        <div>
          <label for="granularity">Per</label>
          <select id="granularity" name="granularity">
            <option value="hour" selected={p.query.granularity === 'hour'}>
              hour
            </option>
            <option value="day" selected={p.query.granularity === 'day'}>
              day
            </option>
          </select>
        </div>
        <div>
          <label for="group_by">By</label>
          <select id="group_by" name="group_by">
            <option value="model" selected={!byKey}>
              model
            </option>
            <option value="api_key" selected={byKey}>
              API key
            </option>
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {p.error && (
        <p class="notice error" role="alert">
          {p.error}
        </p>
      )}
    </section>
  );
}

/** What the period cost, and on what: totals, then the groups by credits, largest first. */
function Overview({
  p,
  period,
  byKey,
  groups,
  chartGroups,
  totals,
}: {
  p: UsageProps;
  period: string;
  byKey: boolean;
  groups: [string, { credits: bigint; events: bigint }][];
  chartGroups: string[];
  totals: { credits: bigint; events: bigint };
}) {
  const share = (m: bigint) =>
    totals.credits === 0n ? '' : `${(Number((m * 1000n) / totals.credits) / 10).toFixed(1)} %`;
  return (
    <section aria-labelledby="overview-h">
      <h2 id="overview-h">
        Overview <span class="muted">{period} (UTC)</span>
      </h2>
      <div class="stats">
        <div class="stat">
          <span>Credits used</span>
          <strong data-testid="total-credits">{grouped(p.credits(totals.credits))}</strong>
        </div>
        <div class="stat">
          <span>Cost ({p.currency})</span>
          <strong data-testid="total-usd">{p.usd(totals.credits)}</strong>
        </div>
        <div class="stat">
          <span>Events</span>
          <strong data-testid="total-events">{grouped(totals.events.toString())}</strong>
        </div>
      </div>
      {groups.length > 0 && (
        <table data-testid="breakdown">
          <thead>
            <tr>
              <th scope="col">{byKey ? 'API key' : 'Model'}</th>
              <th scope="col" class="num hide-narrow">
                Events
              </th>
              <th scope="col" class="num">
                Credits
              </th>
              <th scope="col" class="num hide-narrow">
                {p.currency}
              </th>
              <th scope="col" class="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map(([g, t]) => (
              <tr>
                <td class="lead">
                  <span
                    aria-hidden="true"
                    style={`display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;background:${COLORS[chartGroups.indexOf(g) % COLORS.length]}`}
                  />
                  {g}
                </td>
                <td data-label="Events" class="num hide-narrow">
                  {grouped(t.events.toString())}
                </td>
                <td data-label="Credits" class="num">
                  {grouped(p.credits(t.credits))}
                </td>
                <td data-label={p.currency} class="num hide-narrow">
                  {p.usd(t.credits)}
                </td>
                <td data-label="Share" class="num">
                  {share(t.credits)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The records, newest first, each with its billing and a way to dispute it; a page at a time. */
/** How a record was rated, in words; empty for an event that carried its own credits. */
const rating = (r: RecordView) => {
  const lines = ratingOf(r.unitPrice, r.quantities, formatAmount(r.quantityMinor, QUANTITY_SCALE));
  return lines ? ratingText(lines) : '';
};

function Records({
  p,
  period,
  wholeRange,
  here,
  back,
  open,
}: {
  p: UsageProps;
  period: string;
  wholeRange: Record<string, string>;
  here: Record<string, string>;
  back: string;
  open: Set<string>;
}) {
  return (
    <section aria-labelledby="records-h">
      <h2 id="records-h">Detailed records, newest first</h2>
      <p class="row" style="justify-content:space-between;align-items:center">
        <span class="muted">
          {p.hour !== undefined ? (
            <>
              {dayLabel(p.hour)}, {new Date(p.hour).toISOString().slice(11, 16)} UTC only ·{' '}
              <a href={`/portal/usage?${new URLSearchParams(wholeRange)}#records-h`}>the whole day</a>
            </>
          ) : (
            `${period} (UTC)`
          )}
        </span>
        <a href={p.csvHref} download>
          Download CSV
        </a>
      </p>
      <table data-testid="records" class="stack records">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Event</th>
            <th scope="col">Model</th>
            <th scope="col">API key</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Credits
            </th>
            <th scope="col">Dispute</th>
          </tr>
        </thead>
        <tbody>
          {p.records.map((r) => (
            <tr data-event={r.id} data-status={r.status}>
              <td class="lead r-time">{p.time(r.timestampMs)}</td>
              <td data-label="Event" class="r-event">
                <span>
                  <code>{r.id}</code>
                  {r.status === 'voided' && <span class="muted"> · voided: {r.voidReason}</span>}
                </span>
              </td>
              <td data-label="Model" class="r-model">
                {r.model}
                {rating(r) && (
                  <span class="muted r-rating" data-testid="rating">
                    {' '}
                    · {rating(r)}
                  </span>
                )}
              </td>
              <td data-label="API key" class="r-key">
                {p.keyName(r.apiKeyId)}
              </td>
              <td data-label="Quantity" class="num r-qty">
                {p.quantity(r.quantityMinor)}
              </td>
              <td data-label="Credits" class="num r-credits" data-credits={p.credits(r.creditsMinor)}>
                {r.status === 'voided' ? <s>{p.credits(r.creditsMinor)}</s> : p.credits(r.creditsMinor)}
                <span class="muted r-billed">
                  {' '}
                  {r.billedAtMs !== null
                    ? `billed ${p.time(r.billedAtMs)}`
                    : r.status === 'voided'
                      ? 'never billed'
                      : 'not billed yet'}
                </span>
              </td>
              <td class="actions r-act">
                {r.status === 'voided' ? (
                  ''
                ) : open.has(r.id) ? (
                  <span class="muted">Disputed</span>
                ) : (
                  <details>
                    <summary>Dispute</summary>
                    <PostForm action="/portal/usage/disputes" csrf={p.csrf}>
                      <input type="hidden" name="event_id" value={r.id} />
                      <input type="hidden" name="back" value={back} />
                      <label for={`reason-${r.id}`}>What is wrong?</label>
                      <input id={`reason-${r.id}`} name="reason" maxlength={500} required />
                      <button type="submit">Send</button>
                    </PostForm>
                  </details>
                )}
              </td>
            </tr>
          ))}
          {p.records.length === 0 && (
            <tr>
              <td colspan={7} class="muted">
                No usage in this range.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {p.nextCursor && (
        <p>
          <a href={`/portal/usage?${new URLSearchParams({ ...here, before: p.nextCursor })}#records-h`}>
            Older records
          </a>
        </p>
      )}
    </section>
  );
}

/** The customer's disputes and their answers. */
function Disputes({ p }: { p: UsageProps }) {
  return (
    <section aria-labelledby="disputes-h">
      <h2 id="disputes-h">Disputes</h2>
      {p.disputes.length === 0 ? (
        <p class="muted">No disputed records. Use Dispute on a record above if a charge looks wrong.</p>
      ) : (
        <div class="scroll">
          <table data-testid="disputes" class="stack">
            <thead>
              <tr>
                <th scope="col">Opened (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Your reason</th>
                <th scope="col">State</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {p.disputes.map((d) => (
                <tr>
                  <td data-label="Opened">{p.time(d.createdAtMs)}</td>
                  <td data-label="Event">{d.eventId}</td>
                  <td data-label="Your reason">{d.reason}</td>
                  <td data-label="State">
                    {d.status === 'open'
                      ? 'Open: under review'
                      : d.outcome === 'void'
                        ? 'Resolved: voided, credits returned'
                        : 'Resolved: charge stands'}
                  </td>
                  <td data-label="Answer">{d.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
