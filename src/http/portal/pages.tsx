import { raw } from 'hono/html';
import { NICKNAME_MAX_CHARS } from '../../core/keys.ts';
import type { ApiKey, Invoice, UsageRecord } from '../../core/model.ts';
import type { SummaryBucket } from '../../core/usage-views.ts';
import { Layout, PostForm } from './layout.tsx';

export interface Frame {
  supportEmail: string;
  csrf: string;
  available: string;
  time: (ms: number | null) => string;
  credits: (m: bigint) => string;
}

export function KeysPage(
  p: Frame & {
    keys: ApiKey[];
    maxActive: number;
    secret?: { nickname: string; value: string };
    error?: string;
  },
) {
  const active = p.keys.filter((k) => k.status === 'active').length;
  const full = active >= p.maxActive;
  return (
    <Layout title="API Keys" tab="keys" supportEmail={p.supportEmail} available={p.available}>
      {p.secret && (
        <section class="notice warn" aria-live="polite">
          <h2>Your new key "{p.secret.nickname}"</h2>
          <p>
            Copy it now: <strong>it is shown only this once</strong>. Never share it, and never put it in
            browser or mobile code; keep it on your server.
          </p>
          <code class="secret" id="new-secret" data-testid="new-secret">
            {p.secret.value}
          </code>
          <p>
            <button
              type="button"
              class="secondary"
              id="copy-secret"
              onclick="navigator.clipboard.writeText(document.getElementById('new-secret').textContent.trim()).then(()=>{this.textContent='Copied'})"
            >
              Copy key
            </button>
          </p>
        </section>
      )}
      {p.error && (
        <p class="notice error" role="alert">
          {p.error}
        </p>
      )}
      <section>
        <h2>Create a key</h2>
        {full ? (
          <p class="notice" data-testid="limit">
            You have {active} active keys, the most an account may have ({p.maxActive}). Suspend a key you no
            longer use to create another.
          </p>
        ) : (
          <PostForm action="/portal/keys" csrf={p.csrf}>
            <div class="row">
              <div>
                <label for="nickname">Nickname (required)</label>
                <input
                  id="nickname"
                  name="nickname"
                  required
                  maxlength={NICKNAME_MAX_CHARS}
                  placeholder="production server"
                />
              </div>
              <button type="submit">Create key</button>
            </div>
          </PostForm>
        )}
      </section>
      <section>
        <h2>Your keys</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Nickname</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {p.keys.map((k) => (
                <tr data-key={k.id}>
                  <td>{k.nickname}</td>
                  <td>
                    <code>{k.hint}</code>
                  </td>
                  <td>{k.status}</td>
                  <td>{p.time(k.createdAtMs)}</td>
                  <td>{k.lastUsedAtMs ? p.time(k.lastUsedAtMs) : 'never'}</td>
                  <td>
                    {k.status === 'active' ? (
                      <PostForm action={`/portal/keys/${k.id}/suspend`} csrf={p.csrf} inline>
                        <button type="submit" class="secondary" aria-label={`Suspend ${k.nickname}`}>
                          Suspend
                        </button>
                      </PostForm>
                    ) : (
                      <>
                        <PostForm action={`/portal/keys/${k.id}/activate`} csrf={p.csrf} inline>
                          <button
                            type="submit"
                            class="secondary"
                            aria-label={`Activate ${k.nickname}`}
                            disabled={full}
                          >
                            Activate
                          </button>
                        </PostForm>{' '}
                        <PostForm action={`/portal/keys/${k.id}/delete`} csrf={p.csrf} inline>
                          <button type="submit" class="danger" aria-label={`Delete ${k.nickname}`}>
                            Delete
                          </button>
                        </PostForm>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {p.keys.length === 0 && (
                <tr>
                  <td colspan={6} class="muted">
                    No keys yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <p class="muted">Only suspended keys can be deleted. A suspended key stops working at once.</p>
      </section>
    </Layout>
  );
}

export function BillingPage(
  p: Frame & {
    balance: { posted: string; pending: string; unbilled: string };
    invoices: Invoice[];
    price: string;
    taxRate: string;
    min: string;
    max: string;
    idempotencyKey: string;
    message?: { kind: 'notice' | 'error'; text: string };
    usd: (m: bigint) => string;
  },
) {
  const script = `
const input = document.getElementById('credits'), out = document.getElementById('total'), buy = document.getElementById('buy');
let seq = 0;
async function update() {
  const n = ++seq, v = input.value.trim();
  if (!v) { out.textContent = 'Enter the credits you need.'; buy.disabled = true; return; }
  const r = await fetch('/portal/api/quote?credits=' + encodeURIComponent(v));
  const q = await r.json();
  if (n !== seq) return;
  if (r.ok) { out.textContent = 'Total: $' + q.total + ' (subtotal $' + q.subtotal + ', tax $' + q.tax + ')'; buy.disabled = false; }
  else { out.textContent = q.error.code === 'payment_out_of_range' ? 'One payment must be between $${p.min} and $${p.max}. ' + q.error.message.replace(/^.*this one is/, 'This one is') + '.' : 'Enter a number of credits, such as 1500.'; buy.disabled = true; }
}
input.addEventListener('input', update); update();`;
  return (
    <Layout title="Billing" tab="billing" supportEmail={p.supportEmail} available={p.available}>
      <section aria-labelledby="balance-h">
        <h2 id="balance-h">Balance</h2>
        <p>
          <strong data-testid="available" style="font-size:28px">
            {p.available}
          </strong>{' '}
          credits available
        </p>
        <p class="muted">
          {p.balance.posted} credits on the account, minus {p.balance.pending} held for jobs in progress and{' '}
          {p.balance.unbilled} of usage not yet billed (billing runs every hour, UTC).
        </p>
      </section>
      {p.message && (
        <p
          class={`notice ${p.message.kind === 'error' ? 'error' : ''}`}
          role="status"
          data-testid="billing-message"
        >
          {p.message.text}
        </p>
      )}
      <section aria-labelledby="add-h">
        <h2 id="add-h">Add credits</h2>
        <p class="muted">
          ${p.price} per credit{p.taxRate !== '0' ? `, plus ${Number(p.taxRate) * 100} % tax` : ''}. One
          payment is between ${p.min} and ${p.max}.
        </p>
        <PostForm action="/portal/billing/purchase" csrf={p.csrf}>
          <input type="hidden" name="idempotency_key" value={p.idempotencyKey} />
          <div class="row">
            <div>
              <label for="credits">Credits you need</label>
              <input
                id="credits"
                name="credits"
                inputmode="decimal"
                autocomplete="off"
                required
                placeholder="1500"
              />
            </div>
            <button type="submit" id="buy">
              Buy credits
            </button>
          </div>
          <p id="total" aria-live="polite" data-testid="total">
            Enter the credits you need.
          </p>
        </PostForm>
        <script>{raw(script)}</script>
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">Billing history</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Date (UTC)</th>
                <th scope="col">Credits</th>
                <th scope="col">Total</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              {p.invoices.map((i) => (
                <tr>
                  <td>{i.number}</td>
                  <td>{p.time(i.issuedAtMs)}</td>
                  <td>{p.credits(i.creditsMinor)}</td>
                  <td>${p.usd(i.totalMinor)}</td>
                  <td>
                    <a href={`/portal/invoices/${i.id}/pdf`} download>
                      PDF<span class="muted"> ({i.number})</span>
                    </a>
                  </td>
                </tr>
              ))}
              {p.invoices.length === 0 && (
                <tr>
                  <td colspan={5} class="muted">
                    No purchases yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}

export function UsagePage(
  p: Frame & {
    query: { from: string; to: string; granularity: string; groupBy: string };
    buckets: SummaryBucket[];
    records: UsageRecord[];
    nextCursor: string | null;
    csvHref: string;
    quantity: (m: bigint) => string;
    error?: string;
  },
) {
  return (
    <Layout title="Usage" tab="usage" supportEmail={p.supportEmail} available={p.available}>
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
        <Chart buckets={p.buckets} groupBy={p.query.groupBy} credits={p.credits} />
      </section>
      <section aria-labelledby="records-h">
        <h2 id="records-h">Detailed records</h2>
        <p>
          <a href={p.csvHref} download>
            Download CSV
          </a>
        </p>
        <div class="scroll">
          <table data-testid="records">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Model</th>
                <th scope="col">API key</th>
                <th scope="col">Quantity</th>
                <th scope="col">Credits</th>
              </tr>
            </thead>
            <tbody>
              {p.records.map((r) => (
                <tr>
                  <td>{p.time(r.timestampMs)}</td>
                  <td>{r.id}</td>
                  <td>{r.model}</td>
                  <td>{r.apiKeyId ?? ''}</td>
                  <td>{p.quantity(r.quantityMinor)}</td>
                  <td>{p.credits(r.creditsMinor)}</td>
                </tr>
              ))}
              {p.records.length === 0 && (
                <tr>
                  <td colspan={6} class="muted">
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
    </Layout>
  );
}

const COLORS = ['#2453d6', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#0ba5ec', '#667085'];

/** Stacked bars of credits per bucket, one color per model or key, drawn on the server. */
function Chart(p: { buckets: SummaryBucket[]; groupBy: string; credits: (m: bigint) => string }) {
  const starts = [...new Set(p.buckets.map((b) => b.start))].sort();
  const groups = [
    ...new Set(p.buckets.map((b) => (p.groupBy === 'api_key' ? (b.apiKeyId ?? 'no key') : (b.model ?? '')))),
  ];
  if (starts.length === 0) return <p class="muted">No usage in this range.</p>;
  const totals = starts.map((s) =>
    p.buckets.filter((b) => b.start === s).reduce((t, b) => t + Number(b.creditsMinor), 0),
  );
  const max = Math.max(...totals, 1);
  const width = 900;
  const height = 220;
  const bar = Math.max(2, Math.floor((width - 40) / starts.length) - 2);
  return (
    <figure style="margin:0">
      <div class="scroll">
        <svg
          viewBox={`0 0 ${width} ${height + 30}`}
          width="100%"
          role="img"
          aria-label={`Credits per bucket, by ${p.groupBy === 'api_key' ? 'API key' : 'model'}`}
          data-testid="chart"
        >
          {starts.map((s, i) => {
            let y = height;
            return (
              <g>
                {groups.map((g, gi) => {
                  const b = p.buckets.find(
                    (x) =>
                      x.start === s && (p.groupBy === 'api_key' ? (x.apiKeyId ?? 'no key') : x.model) === g,
                  );
                  if (!b) return null;
                  const h = Math.max(1, Math.round((Number(b.creditsMinor) / max) * (height - 10)));
                  y -= h;
                  return (
                    <rect
                      x={30 + i * (bar + 2)}
                      y={y}
                      width={bar}
                      height={h}
                      fill={COLORS[gi % COLORS.length]}
                    >
                      <title>{`${s} · ${g}: ${p.credits(b.creditsMinor)} credits`}</title>
                    </rect>
                  );
                })}
                {(i === 0 || i === starts.length - 1) && (
                  <text x={30 + i * (bar + 2)} y={height + 16}>
                    {s.replace('T', ' ').replace(':00:00Z', ':00 UTC')}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption class="muted">
        {groups.map((g, gi) => (
          <span style="margin-right:12px">
            <span
              style={`display:inline-block;width:10px;height:10px;background:${COLORS[gi % COLORS.length]}`}
            />{' '}
            {g}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
