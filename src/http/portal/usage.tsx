import type { Context } from 'hono';
import { formatAmount } from '../../core/amount.ts';
import { QUANTITY_SCALE } from '../../core/metering.ts';
import type { UsageDispute } from '../../core/model.ts';
import { DAY_MS, HOUR_MS, parseTimeParam } from '../../core/timestamp.ts';
import type { RecordView, SummaryBucket } from '../../core/usage-views.ts';
import { statusOf } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import { csvResponse } from '../routes/usage.ts';
import type { Portal } from './common.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';
import { Chart } from './usage-chart.tsx';

/** The Usage page: credits per hour or day as a chart, the records in pages, and the CSV. */
export function usageRoutes(app: AppType, p: Portal): void {
  const { engine, s } = p;
  const usageQuery = (c: Context) => {
    const today = new Date().toISOString().slice(0, 10);
    const from = c.req.query('from') || new Date(Date.now() - 6 * DAY_MS).toISOString().slice(0, 10);
    const to = c.req.query('to') || today;
    return {
      from,
      to,
      granularity: c.req.query('granularity') === 'hour' ? 'hour' : 'day',
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
    const q = usageQuery(c);
    const csvHref = `/portal/usage.csv?${new URLSearchParams({ from: q.from, to: q.to })}`;
    const quantity = (m: bigint) => formatAmount(m, QUANTITY_SCALE);
    const r = range(q);
    if (!r)
      return c.html(
        <UsagePage
          {...f}
          query={q}
          buckets={[]}
          records={[]}
          disputes={[]}
          nextCursor={null}
          csvHref={csvHref}
          quantity={quantity}
          error={BAD_RANGE}
        />,
        400,
      );
    const summary = await engine.usage.summary({
      accountId: f.accountId,
      ...r,
      granularity: q.granularity,
      groupBy: q.groupBy,
    });
    const cursor = c.req.query('cursor');
    // One hour of a one-day range, when a bar of the hourly chart was clicked.
    const hour = c.req.query('hour');
    const oneHour =
      hour && /^([01]\d|2[0-3])$/.test(hour) && q.from === q.to
        ? {
            from: `${q.from}T${hour}:00:00Z`,
            to: new Date(Date.parse(`${q.from}T${hour}:00:00Z`) + HOUR_MS).toISOString(),
          }
        : null;
    const records = await engine.usage.records({
      accountId: f.accountId,
      ...(oneHour ?? r),
      limit: '50',
      ...(cursor ? { cursor } : {}),
    });
    const failed = !summary.ok ? summary : !records.ok ? records : undefined;
    const disputes = await engine.usage.disputes({ accountId: f.accountId, limit: 20 });
    const disputeError = c.req.query('dispute_error');
    return c.html(
      <UsagePage
        {...f}
        disputes={disputes.data}
        {...(disputeError ? { disputeError } : {})}
        query={q}
        buckets={summary.ok ? summary.value : []}
        records={records.ok ? records.value.records : []}
        nextCursor={records.ok ? records.value.nextCursor : null}
        csvHref={csvHref}
        quantity={quantity}
        {...(failed ? { error: failed.message } : {})}
      />,
      failed ? statusOf(failed.code) : 200,
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
      if (!r.ok) {
        const sep = to.includes('?') ? '&' : '?';
        return c.redirect(
          `${to}${sep}dispute_error=${encodeURIComponent(p.refusalText(r, { reason: 'The reason' }))}`,
          303,
        );
      }
      p.target(c, r.value.id);
      return c.redirect(to, 303);
    }),
  );
  app.get('/portal/usage.csv', p.guard, async (c) => {
    const { accountId } = await p.frame(c);
    const r = range(usageQuery(c));
    if (!r) return p.page(c, 400, 'Usage', BAD_RANGE);
    return csvResponse(c, engine, s, { accountId, ...r });
  });
}

function UsagePage(
  p: Frame & {
    query: { from: string; to: string; granularity: string; groupBy: string };
    buckets: SummaryBucket[];
    records: RecordView[];
    nextCursor: string | null;
    csvHref: string;
    quantity: (m: bigint) => string;
    error?: string;
    disputes: UsageDispute[];
    disputeError?: string;
  },
) {
  const open = new Set(p.disputes.filter((d) => d.status === 'open').map((d) => d.eventId));
  // A bar opens its bucket's records: a day's per hour, an hour's on their own.
  const bucketHref = (start: string) => {
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
  const back = `/portal/usage?${new URLSearchParams({ from: p.query.from, to: p.query.to })}`;
  return (
    <Layout title="Usage" tab="usage" supportEmail={p.supportEmail} frame={p}>
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
              <option value="model" selected={p.query.groupBy === 'model'}>
                model
              </option>
              <option value="api_key" selected={p.query.groupBy === 'api_key'}>
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
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">Credits per {p.query.granularity} (UTC)</h2>
        <Chart buckets={p.buckets} groupBy={p.query.groupBy} credits={p.credits} href={bucketHref} />
      </section>
      <section aria-labelledby="records-h">
        <h2 id="records-h">Detailed records</h2>
        <p>
          <a href={p.csvHref} download>
            Download CSV
          </a>
        </p>
        <div class="scroll">
          <table data-testid="records" class="stack">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Model</th>
                <th scope="col">API key</th>
                <th scope="col">Quantity</th>
                <th scope="col">Credits</th>
                <th scope="col">Dispute</th>
              </tr>
            </thead>
            <tbody>
              {p.records.map((r) => (
                <tr>
                  <td data-label="Time">{p.time(r.timestampMs)}</td>
                  <td data-label="Event">
                    {r.id}
                    {r.status === 'voided' && <span class="muted"> · voided: {r.voidReason}</span>}
                  </td>
                  <td data-label="Model">{r.model}</td>
                  <td data-label="API key">{r.apiKeyId ?? ''}</td>
                  <td data-label="Quantity">{p.quantity(r.quantityMinor)}</td>
                  <td data-label="Credits">
                    {r.status === 'voided' ? <s>{p.credits(r.creditsMinor)}</s> : p.credits(r.creditsMinor)}
                  </td>
                  <td>
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
        </div>
        {p.nextCursor && (
          <p>
            <a
              href={`/portal/usage?${new URLSearchParams({ from: p.query.from, to: p.query.to, granularity: p.query.granularity, group_by: p.query.groupBy, cursor: p.nextCursor })}`}
            >
              Next page
            </a>
          </p>
        )}
      </section>
      <section aria-labelledby="disputes-h">
        <h2 id="disputes-h">Disputes</h2>
        {p.disputeError && (
          <p class="error" role="alert">
            {p.disputeError}
          </p>
        )}
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
    </Layout>
  );
}
