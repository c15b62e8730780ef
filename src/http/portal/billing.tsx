import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Invoice } from '../../core/model.ts';
import { ratePercent } from '../../core/pricing.ts';
import { errorResponse, statusOf } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import type { Portal } from './common.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';

/** The Billing page: the balance, Add Credits with a live quote, and the invoices as PDF. */
export function billingRoutes(app: AppType, p: Portal): void {
  const { engine, s } = p;
  const provider =
    p.options.provider ?? (engine.credits.providers().includes('stripe') ? 'stripe' : 'manual');
  const render = async (c: Context, message?: { kind: 'notice' | 'error'; text: string }, status = 200) => {
    const f = await p.frame(c);
    const balance = await engine.accounts.balance(f.accountId);
    const invoices = await engine.invoices.list(f.accountId);
    const b = balance.ok ? balance.value : { posted: 0n, pending: 0n, unbilled: 0n };
    return c.html(
      <BillingPage
        {...f}
        {...(message ? { message } : {})}
        balance={{
          posted: s.credits(b.posted),
          pending: s.credits(b.pending),
          unbilled: s.credits(b.unbilled),
        }}
        invoices={invoices.ok ? invoices.value : []}
        price={engine.config.creditPrice}
        taxRate={engine.config.taxRate}
        min={s.usd(engine.config.paymentMinMinor)}
        max={s.usd(engine.config.paymentMaxMinor)}
        idempotencyKey={`portal_${randomUUID()}`}
        usd={s.usd}
      />,
      status as 200,
    );
  };
  app.get('/portal/billing', p.guard, (c) =>
    render(
      c,
      c.req.query('paid')
        ? { kind: 'notice', text: 'Thank you: your credits appear as soon as the payment is confirmed.' }
        : undefined,
    ),
  );
  app.get('/portal/api/quote', p.guard, async (c) => {
    const q = engine.credits.quote(c.req.query('credits') ?? '');
    if (!q.ok) return errorResponse(c, q.code, q.message);
    return c.json({
      credits: s.credits(q.value.creditsMinor),
      subtotal: s.usd(q.value.subtotalMinor),
      tax: s.usd(q.value.taxMinor),
      total: s.usd(q.value.totalMinor),
      currency: 'USD',
    });
  });
  app.post('/portal/billing/purchase', p.guard, async (c) => {
    const { accountId } = await p.frame(c);
    const f = p.form(c);
    const r = await engine.credits.purchase(
      accountId,
      { credits: String(f.credits ?? '').trim(), provider },
      String(f.idempotency_key ?? ''),
    );
    if (!r.ok) return render(c, { kind: 'error', text: r.message }, statusOf(r.code));
    if (r.value.purchase.checkoutUrl) return c.redirect(r.value.purchase.checkoutUrl, 303);
    return render(
      c,
      {
        kind: 'notice',
        text: `Purchase of ${s.credits(r.value.purchase.creditsMinor)} credits ($${s.usd(r.value.purchase.totalMinor)}) received: the credits appear once the payment is confirmed.`,
      },
      201,
    );
  });
  app.get('/portal/invoices/:id/pdf', p.guard, async (c) => {
    const { accountId } = await p.frame(c);
    const invoice = await engine.invoices.get(c.req.param('id'));
    if (!invoice.ok || invoice.value.accountId !== accountId)
      return p.page(c, 404, 'Not found', 'No such invoice.');
    const pdf = await engine.invoices.render(invoice.value.snapshot);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${invoice.value.number}.pdf"`,
    });
  });
}

function BillingPage(
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
    <Layout title="Billing" tab="billing" supportEmail={p.supportEmail} frame={p}>
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
          ${p.price} per credit{Number(p.taxRate) !== 0 ? `, plus ${ratePercent(p.taxRate)} tax` : ''}. One
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
