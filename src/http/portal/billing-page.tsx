import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { AccountPatch } from '../../core/access/index.ts';
import type { BillingDetails } from '../../core/kernel/billing-details.ts';
import { currenciesOf, currencyOf, defaultCurrency, formatMoney } from '../../core/kernel/currency.ts';
import type {
  Account,
  AutoTopUp,
  CreditNote,
  Invoice,
  Purchase,
  SpendLimit,
} from '../../core/kernel/model.ts';
import { creditsValue, quote, taxFor } from '../../core/prices/index.ts';
import { errorResponse } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import { pdfAnswer, xmlAnswer } from '../routes/einvoices.ts';
import {
  BILLING_DETAILS_LABELS,
  BillingDetailsSection,
  billingDetailsPatch,
} from './billing-details-form.tsx';
import {
  AddCredits,
  BalanceTable,
  BillingHistory,
  creditRange,
  grouped,
  moneyText,
  rangeSentence,
} from './billing-parts.tsx';
import { formNumber, type Portal } from './kit.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';
import { AmountInput, LimitForm, spentText } from './spend-forms.tsx';

/**
 * The provider of auto top-ups set in the portal: the only one the engine can charge without the
 * customer today (a pending purchase for the operator).
 */
const AUTO_TOP_UP_PROVIDER = 'manual';

/** The form's names for the fields a refusal may name. */
const FIELD_LABELS: Record<string, string> = {
  'spend_budget.credits': 'The limit',
  'auto_top_up.threshold': 'The threshold',
  credits: 'The credits to buy',
  'auto_top_up.monthly_max_total': 'The monthly maximum',
  ...BILLING_DETAILS_LABELS,
};

/**
 * How long the credits last, in words: days, or hours under two days; nothing without a rate.
 * @example runwayText(3 * 86_400) // "At your current rate your credits last about 3 days."
 */
export function runwayText(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds === 0) return 'Your credits have run out.';
  const DAY = 86_400;
  if (seconds >= 2 * DAY)
    return `At your current rate your credits last about ${Math.floor(seconds / DAY)} days.`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 1) return 'At your current rate your credits run out within the hour.';
  return `At your current rate your credits last about ${hours} hour${hours === 1 ? '' : 's'}.`;
}

/** The Billing page: the balance and its runway, Add Credits with a live quote, spend controls, invoices as PDF. */
export function billingRoutes(app: AppType, p: Portal): void {
  const { engine, s } = p;
  const provider =
    p.options.provider ?? (engine.credits.providers().includes('stripe') ? 'stripe' : 'manual');
  // The fewest and most credits one purchase buys, from the price, the buyer's tax rate (0 for a
  // reverse charge) and the payment bounds: one range per rate, worked out once.
  const ranges = new Map<string, ReturnType<typeof creditRange>>();
  /** The currency an account buys in (the default one if its own is no longer sold). */
  const currencyFor = (account: Account | null) =>
    currencyOf(engine.config, account?.currency) ?? defaultCurrency(engine.config);
  const rangeFor = (account: Account | null) => {
    const rate = account ? taxFor(engine.config, account, engine.clock.nowMs()).rate : engine.config.taxRate;
    const cur = currencyFor(account);
    const key = `${cur.code} ${rate}`;
    if (!ranges.has(key))
      ranges.set(
        key,
        creditRange(
          (n) => quote(engine.config, n.toString(), rate, cur).ok,
          cur.creditPrice,
          rate,
          cur.paymentMinMinor,
          cur.paymentMaxMinor,
        ),
      );
    return ranges.get(key)!;
  };
  /** An amount in a currency as the page reads it (`$12.34`, `12.34 EUR`). */
  const money = (m: bigint, code: string) => moneyText(formatMoney(m, code), code);
  const accountOf = async (id: string) => {
    const a = await engine.accounts.get(id);
    return a.ok ? a.value : null;
  };
  /** The purchase range of an account as a sentence, in its currency. */
  const rangeText = async (accountId: string) => {
    const account = await accountOf(accountId);
    const cur = currencyFor(account);
    return rangeSentence(
      rangeFor(account),
      formatMoney(cur.paymentMinMinor, cur.code),
      formatMoney(cur.paymentMaxMinor, cur.code),
      cur.code,
    );
  };
  const render = async (
    c: Context,
    message?: { kind: 'notice' | 'error'; text: string },
    status = 200,
    draft: Record<string, unknown> = {},
  ) => {
    const f = await p.frame(c);
    // What the last form's redirect left: its outcome, and what was typed when it was refused.
    const flash = p.takeFlash(c);
    if (flash) {
      message = { kind: flash.kind, text: flash.text };
      draft = flash.draft ?? {};
    }
    const [balance, invoices, account, spend, purchases, creditNotes] = await Promise.all([
      engine.accounts.balanceWithRunway(f.accountId),
      engine.invoices.list(f.accountId),
      engine.accounts.get(f.accountId),
      engine.accounts.spend(f.accountId),
      engine.credits.listPurchases(f.accountId),
      engine.invoices.listCreditNotes(f.accountId),
    ]);
    const b = balance.ok ? balance.value : { posted: 0n, pending: 0n, unbilled: 0n, runwaySeconds: null };
    const cur = currencyFor(account.ok ? account.value : null);
    return c.html(
      <BillingPage
        {...f}
        {...(message ? { message } : {})}
        draft={draft}
        balance={[
          { label: 'Available now', minor: b.posted - b.pending - b.unbilled, testId: 'available' },
          { label: 'On the account', minor: b.posted, testId: 'posted' },
          { label: 'Held for jobs in progress', minor: b.pending, testId: 'held', sign: '− ' },
          { label: 'Usage not yet billed', minor: b.unbilled, testId: 'unbilled', sign: '− ' },
        ].map((r) => ({
          ...r,
          credits: s.credits(r.minor),
          usd: money(creditsValue(engine.config, r.minor, cur), cur.code),
        }))}
        purchases={purchases.ok ? purchases.value : []}
        range={rangeFor(account.ok ? account.value : null)}
        runwaySeconds={b.runwaySeconds}
        spendLimit={account.ok ? (account.value.spendBudget ?? null) : null}
        spendCap={account.ok ? account.value.spendLimit : null}
        bindingLimit={spend?.limit ?? null}
        spentMinor={spend?.spentMinor ?? null}
        autoTopUp={account.ok ? account.value.autoTopUp : null}
        billingDetails={account.ok ? (account.value.billingDetails ?? null) : null}
        lastTopUp={(purchases.ok ? purchases.value : []).find((x) => x.origin === 'auto_top_up') ?? null}
        invoices={invoices.ok ? invoices.value : []}
        creditNotes={creditNotes.ok ? creditNotes.value : []}
        price={moneyText(cur.creditPrice, cur.code)}
        currency={cur.code}
        // A choice of currency while nothing is paid yet and more than one is sold.
        currencies={
          (invoices.ok ? invoices.value : []).length === 0
            ? currenciesOf(engine.config).map((x) => x.code)
            : []
        }
        // The buyer's rate: none for an EU business abroad (reverse charge).
        taxRate={
          account.ok ? taxFor(engine.config, account.value, engine.clock.nowMs()).rate : engine.config.taxRate
        }
        min={formatMoney(cur.paymentMinMinor, cur.code)}
        max={formatMoney(cur.paymentMaxMinor, cur.code)}
        idempotencyKey={`portal_${randomUUID()}`}
        usd={(m: bigint) => formatMoney(m, cur.code)}
        money={(m: bigint, code?: string) => money(m, code ?? cur.code)}
      />,
      status as 200,
    );
  };
  const SAVED: Record<string, string> = {
    limit: 'Your spend limit is saved.',
    auto_top_up: 'Your automatic top-up is saved.',
    details: 'Your billing details are saved: your next invoices show them.',
    currency: 'Your currency is saved: prices and payments are in it.',
  };
  app.get('/portal/billing', p.guard, (c) => {
    const saved = SAVED[c.req.query('saved') ?? ''];
    if (saved) return render(c, { kind: 'notice', text: saved });
    return render(
      c,
      c.req.query('paid')
        ? { kind: 'notice', text: 'Thank you: your credits appear as soon as the payment is confirmed.' }
        : undefined,
    );
  });
  /** A change of the account's settings, then back to the page with what was saved. */
  const onAccount = (path: string, action: string, saved: string, patch: (c: Context) => AccountPatch) =>
    app.post(
      path,
      p.guard,
      p.change(action, async (c) => {
        const { accountId } = await p.frame(c);
        const r = await engine.accounts.update(accountId, patch(c));
        // Refused: back to the page, with what was typed still in the form.
        if (!r.ok)
          return p.redirect(c, '/portal/billing', {
            kind: 'error',
            text: p.refusalText(r, FIELD_LABELS),
            draft: typed(c),
          });
        return p.redirect(c, `/portal/billing?saved=${saved}`);
      }),
    );
  /** A field of the form; amounts may be typed grouped ("1,500"). */
  const field = (c: Context, name: string) => formNumber(String(p.form(c)[name] ?? ''));
  /** The credits of the live quote, as typed. */
  const typedCredits = (c: Context) => formNumber(c.req.query('credits') ?? '');
  /** What the customer typed (not the token), to fill the form again after a refusal. */
  const typed = (c: Context) =>
    Object.fromEntries(
      Object.entries(p.form(c))
        .filter(([k, v]) => typeof v === 'string' && !k.startsWith('_') && k !== 'idempotency_key')
        .map(([k, v]) => [k, String(v).slice(0, 300)]),
    );
  // The customer sets their own budget; the operator's cap (`spend_limit`) is not theirs to change.
  onAccount('/portal/billing/limit', 'set account spend limit', 'limit', (c) => ({
    spendBudget: { credits: field(c, 'credits'), period: field(c, 'period') },
  }));
  onAccount('/portal/billing/details', 'set billing details', 'details', (c) =>
    billingDetailsPatch(p.form(c)),
  );
  onAccount('/portal/billing/limit/remove', 'remove account spend limit', 'limit', () => ({
    spendBudget: null,
  }));
  onAccount('/portal/billing/auto_top_up', 'set auto top-up', 'auto_top_up', (c) => ({
    autoTopUp: {
      threshold: field(c, 'threshold'),
      credits: field(c, 'top_up_credits'),
      monthly_max_total: field(c, 'monthly_max_total'),
      provider: AUTO_TOP_UP_PROVIDER,
    },
  }));
  // The customer picks the currency they pay in, until their first paid purchase (then it is fixed).
  onAccount('/portal/billing/currency', 'set currency', 'currency', (c) => ({
    currency: String(p.form(c).currency ?? ''),
  }));
  onAccount('/portal/billing/auto_top_up/remove', 'turn off auto top-up', 'auto_top_up', () => ({
    autoTopUp: null,
  }));
  /** The portal sells whole credits, as its form says: a fraction is refused before any price. */
  const WHOLE_CREDITS = 'Enter a whole number of credits, such as 1,500.';
  const whole = (text: string) => /^\d+$/.test(text);
  app.get('/portal/api/quote', p.guard, async (c) => {
    if (!whole(typedCredits(c))) return errorResponse(c, 'validation_failed', WHOLE_CREDITS);
    const q = await engine.credits.quoteFor((await p.frame(c)).accountId, typedCredits(c));
    if (!q.ok) return errorResponse(c, q.code, q.message);
    return c.json({
      credits: s.credits(q.value.creditsMinor),
      credits_grouped: grouped(s.credits(q.value.creditsMinor)),
      subtotal: formatMoney(q.value.subtotalMinor, q.value.currency),
      tax: formatMoney(q.value.taxMinor, q.value.currency),
      total: formatMoney(q.value.totalMinor, q.value.currency),
      currency: q.value.currency,
    });
  });
  app.post(
    '/portal/billing/purchase',
    p.guard,
    p.change('buy credits', async (c) => {
      const { accountId } = await p.frame(c);
      const f = p.form(c);
      if (!whole(formNumber(String(f.credits ?? ''))))
        return p.redirect(c, '/portal/billing', {
          kind: 'error',
          text: WHOLE_CREDITS,
          draft: { credits: String(f.credits ?? '').slice(0, 40) },
        });
      const r = await engine.credits.purchase(
        accountId,
        { credits: formNumber(String(f.credits ?? '')), provider },
        String(f.idempotency_key ?? ''),
      );
      if (!r.ok)
        return p.redirect(c, '/portal/billing', {
          kind: 'error',
          // Out of range: what it would cost, and the range in credits (the core says it in USD).
          text:
            r.code === 'payment_out_of_range'
              ? `${String(f.credits ?? '').trim()} credits would be ${r.message.replace(/^.*this one is /, '')}. ${await rangeText(accountId)}`
              : p.refusalText(r, FIELD_LABELS),
          draft: { credits: String(f.credits ?? '').slice(0, 40) },
        });
      if (r.value.purchase.checkoutUrl) return c.redirect(r.value.purchase.checkoutUrl, 303);
      // Redirected: a reload shows the page, it buys nothing again.
      return p.redirect(c, '/portal/billing', {
        kind: 'notice',
        text: `Purchase of ${grouped(s.credits(r.value.purchase.creditsMinor))} credits (${money(r.value.purchase.totalMinor, r.value.purchase.currency ?? 'USD')}) received: it is listed below as pending, and the credits appear once the payment is confirmed.`,
      });
    }),
  );
  // Each document of the billing history, in each form it is offered in: only the signed-in
  // account's own (another account's, or one that does not exist, is the same 404).
  for (const kind of ['invoices', 'credit_notes'] as const)
    app.get(`/portal/${kind}/:id/:download{pdf|facturx|ubl|cii}`, p.guard, async (c) => {
      const { accountId } = await p.frame(c);
      const id = c.req.param('id');
      const doc =
        kind === 'invoices' ? await engine.invoices.get(id) : await engine.invoices.getCreditNote(id);
      if (!doc.ok || doc.value.accountId !== accountId)
        return p.page(c, 404, 'Not found', kind === 'invoices' ? 'No such invoice.' : 'No such credit note.');
      const download = c.req.param('download');
      if (download === 'ubl' || download === 'cii') return c.body(...xmlAnswer(engine, doc.value, download));
      return c.body(...(await pdfAnswer(engine, doc.value, download === 'facturx' ? 'facturx' : 'pdf')));
    });
}

function BillingPage(
  p: Frame & {
    balance: { label: string; credits: string; usd: string; testId: string; sign?: string }[];
    purchases: Purchase[];
    range: { min: bigint; max: bigint } | null;
    runwaySeconds: number | null;
    /** The customer's own limit. */
    spendLimit: SpendLimit | null;
    /** The operator's cap. */
    spendCap: SpendLimit | null;
    /** The one of the two with the least left, which `spentMinor` counts against. */
    bindingLimit: SpendLimit | null;
    spentMinor: bigint | null;
    autoTopUp: AutoTopUp | null;
    billingDetails: BillingDetails | null;
    lastTopUp: Purchase | null;
    /** What a refused form held, to fill it again. */
    draft: Record<string, unknown>;
    invoices: Invoice[];
    creditNotes: CreditNote[];
    price: string;
    currency: string;
    currencies: string[];
    taxRate: string;
    min: string;
    max: string;
    idempotencyKey: string;
    message?: { kind: 'notice' | 'error'; text: string };
    usd: (m: bigint) => string;
    money: (m: bigint, currency?: string) => string;
  },
) {
  return (
    <Layout title="Billing" tab="billing" supportEmail={p.supportEmail} frame={p}>
      {p.lastTopUp?.status === 'failed' && (
        <p class="notice error" role="alert" data-testid="top-up-failed">
          Your automatic top-up of {p.money(p.lastTopUp.totalMinor, p.lastTopUp.currency)} failed on{' '}
          {p.time(p.lastTopUp.resolvedAtMs ?? p.lastTopUp.createdAtMs)} UTC.{' '}
          <a href="#add-h">Buy credits by hand</a> to keep your keys working.
        </p>
      )}
      <section aria-labelledby="balance-h">
        <h2 id="balance-h">Balance</h2>
        <BalanceTable rows={p.balance} />
        <p class="muted">
          Available is what is on the account minus credits held for jobs in progress and usage not yet billed
          (billing runs every hour, UTC). Value at {p.price} a credit.
        </p>
        {runwayText(p.runwaySeconds) && <p data-testid="runway">{runwayText(p.runwaySeconds)}</p>}
      </section>
      {p.message && (
        <p
          class={`notice ${p.message.kind === 'error' ? 'error' : 'ok'}`}
          role={p.message.kind === 'error' ? 'alert' : 'status'}
          data-testid="billing-message"
        >
          {p.message.text}
        </p>
      )}
      {p.currencies.length > 1 && (
        <section aria-labelledby="currency-h">
          <h2 id="currency-h">Currency</h2>
          <PostForm action="/portal/billing/currency" csrf={p.csrf}>
            <p>
              <label for="currency">You pay in</label>{' '}
              <select id="currency" name="currency" data-testid="currency">
                {p.currencies.map((code) => (
                  <option value={code} selected={code === p.currency}>
                    {code}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" class="secondary">
                Save
              </button>
            </p>
            <p class="muted">It is fixed once your first purchase is paid.</p>
          </PostForm>
        </section>
      )}
      <AddCredits
        csrf={p.csrf}
        idempotencyKey={p.idempotencyKey}
        currency={p.currency}
        price={p.price}
        taxRate={p.taxRate}
        range={p.range}
        min={p.min}
        max={p.max}
        draft={typeof p.draft.credits === 'string' ? p.draft.credits : ''}
        error={p.message?.kind === 'error' && typeof p.draft.credits === 'string'}
      />
      <section aria-labelledby="limit-h">
        <h2 id="limit-h">Spend limit</h2>
        <p data-testid="account-spent">{spentText(p.credits, p.spentMinor, p.bindingLimit)}</p>
        <p class="muted">
          Once the credits used in the UTC day or month reach the limit, every key of the account is refused
          until the next one begins. Each key can also have its own limit on the API Keys page.
        </p>
        <LimitForm
          action="/portal/billing/limit"
          csrf={p.csrf}
          id="account-limit"
          subject="the account"
          limit={p.spendLimit}
          cap={p.spendCap}
          credits={p.credits}
        />
      </section>
      <AutoTopUpSection {...p} />
      <BillingDetailsSection csrf={p.csrf} details={p.billingDetails} draft={p.draft} />
      <BillingHistory
        purchases={p.purchases}
        invoices={p.invoices}
        creditNotes={p.creditNotes}
        time={p.time}
        credits={p.credits}
        money={p.money}
      />
    </Layout>
  );
}

/** The fields of the auto top-up form, by their names in the POST. */
const TOP_UP_FIELDS = [
  {
    name: 'threshold',
    label: 'When available falls below (credits)',
    placeholder: '500',
    current: (a: AutoTopUp, f: Formats) => f.credits(a.thresholdMinor),
  },
  {
    name: 'top_up_credits',
    label: 'Buy (credits)',
    placeholder: '2000',
    current: (a: AutoTopUp, f: Formats) => f.credits(a.creditsMinor),
  },
  {
    name: 'monthly_max_total',
    label: 'At most a month (in your currency)',
    placeholder: '100.00',
    current: (a: AutoTopUp, f: Formats) => f.usd(a.monthlyMaxTotalMinor),
  },
] as const;

type Formats = { credits: (m: bigint) => string; usd: (m: bigint) => string };

/** Auto top-up: its settings, the last one started and how it ended. */
function AutoTopUpSection(p: {
  csrf: string;
  draft: Record<string, unknown>;
  autoTopUp: AutoTopUp | null;
  lastTopUp: Purchase | null;
  credits: (m: bigint) => string;
  usd: (m: bigint) => string;
  money: (m: bigint, currency?: string) => string;
  time: (ms: number | null) => string;
}) {
  const a = p.autoTopUp;
  const last = p.lastTopUp;
  const value = (name: string, current: string) => {
    const typed = p.draft[name];
    return typeof typed === 'string' ? typed : current;
  };
  const WHEN = { pending: 'pending since', paid: 'paid on', failed: 'failed on' } as const;
  return (
    <section aria-labelledby="top-up-h">
      <h2 id="top-up-h">Automatic top-up</h2>
      <p data-testid="top-up-settings">
        {a
          ? `On: when fewer than ${p.credits(a.thresholdMinor)} credits are available, buy ${p.credits(a.creditsMinor)} credits, up to ${p.money(a.monthlyMaxTotalMinor)} a month.`
          : 'Off.'}
      </p>
      {last && (
        <p data-testid="last-top-up">
          Last automatic top-up: {p.credits(last.creditsMinor)} credits,{' '}
          {p.money(last.totalMinor, last.currency)}, <strong>{last.status}</strong>{' '}
          <span class="muted">
            ({WHEN[last.status]} {p.time(last.status === 'pending' ? last.createdAtMs : last.resolvedAtMs)}{' '}
            UTC)
          </span>
        </p>
      )}
      <p class="muted">
        Each top-up is a purchase with its invoice; its credits are added once the payment is confirmed.
      </p>
      <div class="row">
        <PostForm action="/portal/billing/auto_top_up" csrf={p.csrf}>
          <div class="row">
            {TOP_UP_FIELDS.map((f) => (
              <AmountInput
                id={`top-up-${f.name}`}
                name={f.name}
                label={f.label}
                value={value(f.name, a ? f.current(a, p) : '')}
                placeholder={f.placeholder}
                size={10}
              />
            ))}
            <button type="submit">{a ? 'Save automatic top-up' : 'Turn on automatic top-up'}</button>
          </div>
        </PostForm>
        {a && (
          <PostForm action="/portal/billing/auto_top_up/remove" csrf={p.csrf}>
            <button type="submit" class="secondary">
              Turn off
            </button>
          </PostForm>
        )}
      </div>
    </section>
  );
}
