import { raw } from 'hono/html';
import { Decimal } from '../../core/kernel/amount.ts';
import type { CreditNote, Invoice, Purchase } from '../../core/kernel/model.ts';
import { ratePercent } from '../../core/prices/index.ts';
import { PostForm } from './layout.tsx';

/**
 * A whole number with thousands grouped, as the portal shows amounts people read or type.
 * @example grouped('1500000.5') // '1,500,000.5'
 */
export function grouped(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? g : `${g}.${fraction}`;
}

/**
 * The fewest and most whole credits one purchase may buy: those whose quoted total is inside the
 * payment range. Found by asking `accepts` (the quote, where the range is decided) around the
 * estimate from the price and tax, so this never restates how a total is rounded.
 * @example creditRange((n) => engine.credits.quote(String(n)).ok, '0.01', '0', 1000n, 1000000n) // { min: 1000n, max: 1000000n }
 */
export function creditRange(
  accepts: (credits: bigint) => boolean,
  price: string,
  taxRate: string,
  minUsdMinor: bigint,
  maxUsdMinor: bigint,
): { min: bigint; max: bigint } | null {
  const perCredit = new Decimal(price).mul(new Decimal(1).plus(taxRate));
  const estimate = (usdMinor: bigint, rounding: typeof Decimal.ROUND_CEIL | typeof Decimal.ROUND_FLOOR) =>
    BigInt(new Decimal(usdMinor.toString()).div(100).div(perCredit).toFixed(0, rounding));
  let min = estimate(minUsdMinor, Decimal.ROUND_CEIL);
  if (min < 1n) min = 1n;
  for (let i = 0; i < 20 && !accepts(min); i++) min++;
  while (min > 1n && accepts(min - 1n)) min--;
  let max = estimate(maxUsdMinor, Decimal.ROUND_FLOOR);
  for (let i = 0; i < 20 && max > min && !accepts(max); i++) max--;
  for (let i = 0; i < 20 && accepts(max + 1n); i++) max++;
  return accepts(min) && accepts(max) ? { min, max } : null;
}

/**
 * The purchase range as the customer reads it: in credits first, then the payment bounds.
 * @example rangeSentence({ min: 1000n, max: 1000000n }, '10.00', '10000.00') // 'Buy 1,000 to 1,000,000 credits at a time (one payment is $10.00 to $10,000.00).'
 */
export function rangeSentence(
  range: { min: bigint; max: bigint } | null,
  min: string,
  max: string,
  currency = 'USD',
): string {
  const what = range
    ? `Buy ${grouped(range.min.toString())} to ${grouped(range.max.toString())} credits at a time`
    : 'Buy credits';
  return `${what} (one payment is ${moneyText(grouped(min), currency)} to ${moneyText(grouped(max), currency)}).`;
}

/** An amount as the portal writes it: `$12.34` in US dollars, `12.34 EUR` in another currency. */
export const moneyText = (amount: string, currency: string): string =>
  currency === 'USD' ? `$${amount}` : `${amount} ${currency}`;

/** A few round amounts to buy with one click: the minimum and 2, 5 and 10 times it, within the range. */
export function quickAmounts(range: { min: bigint; max: bigint }): bigint[] {
  const magnitude = 10n ** BigInt(range.min.toString().length - 1);
  const base = ((range.min + magnitude - 1n) / magnitude) * magnitude;
  return [1n, 2n, 5n, 10n].map((m) => base * m).filter((n) => n >= range.min && n <= range.max);
}

/** The balance, line by line, in credits and what they are worth at the current price. */
export function BalanceTable(p: {
  rows: { label: string; credits: string; usd: string; testId?: string; sign?: string }[];
}) {
  const [first, ...rest] = p.rows;
  return (
    <table class="balance-table" data-testid="balance-table">
      <thead>
        <tr>
          <th scope="col">
            <span class="sr-only">Line</span>
          </th>
          <th scope="col" class="num">
            Credits
          </th>
          <th scope="col" class="num">
            Value
          </th>
        </tr>
      </thead>
      <tbody>
        {first && (
          <tr>
            <th scope="row" style="color:var(--ink)">
              {first.label}
            </th>
            <td class="num">
              <strong data-testid={first.testId} style="font-size:24px">
                {first.credits}
              </strong>
            </td>
            <td class="num">
              <strong>{first.usd}</strong>
            </td>
          </tr>
        )}
        {rest.map((r) => (
          <tr>
            <th scope="row" style="font-weight:400">
              {r.label}
            </th>
            <td class="num" data-testid={r.testId}>
              {r.sign ?? ''}
              {r.credits}
            </td>
            <td class="num">
              {r.sign ?? ''}
              {r.usd}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Add Credits: the range in credits, a few quick amounts, the total as the customer types, errors as errors. */
export function AddCredits(p: {
  csrf: string;
  idempotencyKey: string;
  /** ISO 4217 code the account buys in. */
  currency: string;
  price: string;
  taxRate: string;
  range: { min: bigint; max: bigint } | null;
  min: string;
  max: string;
  /** What was typed when the purchase was refused. */
  draft: string;
  error: boolean;
}) {
  const rangeText = rangeSentence(p.range, p.min, p.max, p.currency);
  const script = `
const input = document.getElementById('credits'), out = document.getElementById('total'), buy = document.getElementById('buy');
const RANGE = ${JSON.stringify(rangeText)};
let seq = 0;
function say(text, bad) { out.textContent = text; out.className = bad ? 'error-text' : ''; input.setAttribute('aria-invalid', bad ? 'true' : 'false'); buy.disabled = bad || !input.value.trim(); }
async function update() {
  const n = ++seq, v = input.value.trim();
  if (!v) { say('Enter the credits you need.', false); return; }
  const r = await fetch('/portal/api/quote?credits=' + encodeURIComponent(v));
  const q = await r.json();
  if (n !== seq) return;
  const m = (a) => q.currency === 'USD' ? '$' + a : a + ' ' + q.currency;
  if (r.ok) say('Total: ' + m(q.total) + ' for ' + q.credits_grouped + ' credits (subtotal ' + m(q.subtotal) + ', tax ' + m(q.tax) + ')', false);
  else if (q.error.code === 'payment_out_of_range') say(v + ' credits would be ' + q.error.message.replace(/^.*this one is /, '') + '. ' + RANGE, true);
  else say('Enter a whole number of credits, such as 1,500. ' + RANGE, true);
}
for (const b of document.querySelectorAll('[data-credits]')) b.addEventListener('click', () => { input.value = b.dataset.credits; update(); input.focus(); });
input.addEventListener('input', update); update();`;
  const presets = p.range ? quickAmounts(p.range) : [];
  return (
    <section aria-labelledby="add-h">
      <h2 id="add-h">Add credits</h2>
      <p class="muted">
        {p.price} per credit{Number(p.taxRate) !== 0 ? `, plus ${ratePercent(p.taxRate)} tax` : ''}.{' '}
        <span data-testid="credit-range">{rangeText}</span>
      </p>
      <PostForm action="/portal/billing/purchase" csrf={p.csrf}>
        <input type="hidden" name="idempotency_key" value={p.idempotencyKey} />
        {presets.length > 0 && (
          <fieldset class="row" style="gap:8px;margin:0 0 10px;border:0;padding:0">
            <legend class="sr-only">Quick amounts</legend>
            {presets.map((n) => (
              <button type="button" class="chip" data-credits={grouped(n.toString())}>
                {grouped(n.toString())} credits
              </button>
            ))}
          </fieldset>
        )}
        <div class="row">
          <div>
            <label for="credits">Credits you need</label>
            <input
              id="credits"
              name="credits"
              inputmode="decimal"
              autocomplete="off"
              required
              placeholder="1,500"
              value={p.draft}
              aria-invalid={p.error ? 'true' : undefined}
              aria-describedby="total"
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
  );
}

/**
 * One document's downloads: the PDF, the Factur-X PDF (the PDF with its e-invoice inside, for
 * French and German accounting software) and the EN 16931 e-invoice in UBL and in CII.
 */
function Downloads(p: { kind: 'invoices' | 'credit_notes'; id: string; number: string; label: string }) {
  const base = `/portal/${p.kind}/${p.id}`;
  // Each link's name says what it gives and of which document ("PDF of invoice INV-2026-000001");
  // only the first is a plain PDF, so "the PDF" of a row is one link.
  const of = `of ${p.label.toLowerCase()} ${p.number}`;
  return (
    <span class="downloads" data-document={p.number}>
      <span class="muted">
        {p.label} {p.number}:{' '}
      </span>
      <a href={`${base}/pdf`} download aria-label={`PDF ${of}`}>
        PDF
      </a>
      {' · '}
      <a href={`${base}/facturx`} download aria-label={`Factur-X ${of}`}>
        Factur-X
      </a>
      {' · '}
      <a href={`${base}/ubl`} download aria-label={`UBL e-invoice ${of}`}>
        UBL
      </a>
      {' · '}
      <a href={`${base}/cii`} download aria-label={`CII e-invoice ${of}`}>
        CII
      </a>
    </span>
  );
}

const STATE: Record<Purchase['status'], string> = {
  paid: 'Paid',
  pending: 'Pending payment',
  failed: 'Failed',
};

/** Every purchase, newest first, with its state; a paid one with its invoice and credit notes, each as PDF, Factur-X, UBL and CII. */
export function BillingHistory(p: {
  purchases: Purchase[];
  invoices: Invoice[];
  creditNotes: CreditNote[];
  time: (ms: number | null) => string;
  credits: (m: bigint) => string;
  /** An amount as read: `$12.34`, `12.34 EUR` (each purchase in its own currency). */
  money: (m: bigint, currency?: string) => string;
}) {
  const invoiceOf = new Map(p.invoices.map((i) => [i.id, i]));
  const notesOf = new Map<string, CreditNote[]>();
  for (const n of p.creditNotes) notesOf.set(n.purchaseId, [...(notesOf.get(n.purchaseId) ?? []), n]);
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">Billing history</h2>
      <table class="stack" data-testid="history">
        <thead>
          <tr>
            <th scope="col">Date (UTC)</th>
            <th scope="col" class="num">
              Credits
            </th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col">Invoice</th>
          </tr>
        </thead>
        <tbody>
          {p.purchases.map((x) => {
            const invoice = x.invoiceId ? invoiceOf.get(x.invoiceId) : undefined;
            return (
              <tr data-purchase={x.id} data-status={x.status}>
                <td class="lead">{p.time(x.createdAtMs)}</td>
                <td data-label="Credits" class="num">
                  {grouped(p.credits(x.creditsMinor))}
                </td>
                <td data-label="Total" class="num">
                  {p.money(x.totalMinor, x.currency)}
                </td>
                <td data-label="Status">
                  <span>
                    <span class={`badge ${x.status}`}>{STATE[x.status]}</span>
                    {x.origin === 'auto_top_up' && <span class="muted"> automatic top-up</span>}
                  </span>
                </td>
                <td data-label="Invoice">
                  {invoice ? (
                    <span class="documents">
                      <Downloads kind="invoices" id={invoice.id} number={invoice.number} label="Invoice" />
                      {(notesOf.get(x.id) ?? []).map((n) => (
                        <Downloads kind="credit_notes" id={n.id} number={n.number} label="Credit note" />
                      ))}
                    </span>
                  ) : (
                    <span class="muted">{x.status === 'pending' ? 'once paid' : 'none'}</span>
                  )}
                </td>
              </tr>
            );
          })}
          {p.purchases.length === 0 && (
            <tr>
              <td colspan={5} class="muted">
                No purchases yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
