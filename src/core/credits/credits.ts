import { formatAmount, parseCredits } from '../kernel/amount.ts';
import { lotsSpendIn } from '../kernel/balance.ts';
import { noteScoped } from '../kernel/cache.ts';
import { postOrFail, SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import { type Context, fail, read, unit } from '../kernel/context.ts';
import { formatMoney } from '../kernel/currency.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import { postedBalance } from '../kernel/ledger.ts';
import { burn, parseModels, paysFor } from '../kernel/lots.ts';
import type { CreditNote, Invoice, InvoiceSnapshot, Lot, Purchase } from '../kernel/model.ts';
import type { Tx } from '../kernel/ports.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { quoteFor } from '../prices/index.ts';
import { emit } from '../webhooks/index.ts';
import { markPurchaseFailed, recordProviderRef, stopChargeThenFail } from './auto-top-up-charges.ts';
import { invoiceSnapshot, nationalVat, numbering } from './invoices.ts';

export interface PurchaseInput {
  credits: unknown;
  provider: unknown;
  /** Save the payer's payment method for auto top-ups (providers that charge off-session). */
  save_payment_method?: unknown;
  /** The models the credits will pay for (scoped credits); absent: any model. */
  models?: unknown;
}

/**
 * Creates a pending purchase. The same idempotency key with the same body answers the same
 * purchase; with another body, `idempotency_conflict`. No credits move until it is confirmed.
 * The provider's checkout is started after the purchase is stored; when the provider cannot be
 * reached the answer is `unavailable` and the purchase is kept: a retry with the same key starts
 * its checkout (the provider dedupes on the purchase id) and it can still be paid.
 * With `save_payment_method: true` the checkout saves the payer's payment method on the account's
 * customer at the provider (created on first need), for off-session auto top-ups.
 * With `models`, the lot made when it is paid pays only for those models.
 * Refusals, first wins: `validation_failed` (key, provider, save_payment_method, models, credits);
 * `payment_out_of_range`;
 * `not_found`; `idempotency_conflict`; `unavailable`.
 */
export async function createPurchase(
  ctx: Context,
  accountId: string,
  input: PurchaseInput,
  idempotencyKey: string,
): Promise<Result<{ purchase: Purchase; created: boolean }>> {
  if (idempotencyKey.length < 1 || idempotencyKey.length > 255) {
    return invalidField('Idempotency-Key', 'header is required, 1 to 255 characters');
  }
  if (typeof input.provider !== 'string' || !Object.hasOwn(ctx.payments, input.provider)) {
    return invalidField('provider', `must be one of: ${Object.keys(ctx.payments).join(', ')}`);
  }
  const provider = ctx.payments[input.provider]!;
  const save = input.save_payment_method ?? false;
  if (typeof save !== 'boolean') return invalidField('save_payment_method', 'must be true or false');
  if (save && !(provider.chargeSaved && provider.createCustomer))
    return invalidField('save_payment_method', `${provider.name} cannot save a payment method`);
  const models = parseModels(input.models);
  if (!models.ok) return models;
  // In the buyer's currency, taxed by the rule of seller and buyer: frozen into the purchase, so
  // its invoice says what this quote said.
  const buyer = await read(ctx, (tx) => tx.accounts.get(accountId));
  const q = quoteFor(ctx.config, buyer, input.credits, ctx.clock.nowMs());
  if (!q.ok) return q;
  const fingerprint = JSON.stringify([
    q.value.creditsMinor.toString(),
    provider.name,
    q.value.currency,
    ...(save ? ['save_payment_method'] : []),
    ...(models.value ? [{ models: models.value }] : []),
  ]);
  const result = await unit(ctx, async (tx) => {
    if (!(await tx.accounts.lock(accountId))) fail(refuse('not_found', `no account ${accountId}`));
    const existing = await tx.purchases.findByIdempotencyKey(accountId, idempotencyKey);
    if (existing) {
      if (existing.requestFingerprint !== fingerprint) {
        fail(refuse('idempotency_conflict', 'this Idempotency-Key was used with a different body'));
      }
      return { purchase: existing, created: false };
    }
    const purchase: Purchase = {
      id: ctx.ids.newId('pur'),
      accountId,
      idempotencyKey,
      requestFingerprint: fingerprint,
      ...q.value,
      provider: provider.name,
      status: 'pending',
      providerRef: null,
      checkoutUrl: null,
      invoiceId: null,
      createdAtMs: ctx.clock.nowMs(),
      resolvedAtMs: null,
      origin: 'customer',
      models: models.value,
    };
    await tx.purchases.insert(purchase);
    return { purchase, created: true };
  });
  if (!result.ok) return result;
  const { purchase, created } = result.value;
  // Started on the first call, and again on a retry while the purchase has no checkout yet.
  if (purchase.status !== 'pending' || purchase.providerRef !== null) return result;
  const started = await startCheckout(ctx, purchase, save);
  return started.ok ? ok({ purchase: started.value, created }) : started;
}

/**
 * The account's customer at the purchase's provider, created and recorded on first need (outside
 * any transaction; the provider dedupes on the account id). Undefined when it cannot be reached.
 */
async function customerFor(ctx: Context, purchase: Purchase): Promise<string | undefined> {
  const { accountId, provider } = purchase;
  const [known, account] = await read(ctx, (tx) =>
    Promise.all([tx.paymentCustomers.get(accountId, provider), tx.accounts.get(accountId)]),
  );
  if (known) return known.customerRef;
  let customerRef: string;
  try {
    customerRef = await ctx.payments[provider]!.createCustomer!({
      accountId,
      name: account!.name,
      email: account!.email,
    });
  } catch {
    return undefined;
  }
  const recorded = await ctx.storage.transaction((tx) =>
    tx.paymentCustomers.insertCustomer({ accountId, provider, customerRef }, ctx.clock.nowMs()),
  );
  return recorded.customerRef;
}

/**
 * Starts the provider's checkout of a pending purchase and records its reference and URL. Called
 * outside any transaction: a network call never holds the database. The request depends on the
 * stored purchase only, so a retry sends the same one (the provider's idempotency key is the
 * purchase id). Refusal: `unavailable`, the provider could not be reached (the purchase is kept).
 */
async function startCheckout(ctx: Context, purchase: Purchase, save: boolean): Promise<Result<Purchase>> {
  const credits = formatAmount(purchase.creditsMinor, ctx.config.scales.credits);
  const unreachable = refuse(
    'unavailable',
    `${purchase.provider} could not start the checkout of purchase ${purchase.id} (unreachable or failing); the purchase is kept: retry with the same Idempotency-Key`,
  );
  const customerRef = save ? await customerFor(ctx, purchase) : undefined;
  if (save && !customerRef) return unreachable;
  let checkout: { providerRef: string | null; checkoutUrl: string | null };
  try {
    checkout = await ctx.payments[purchase.provider]!.startCheckout({
      purchaseId: purchase.id,
      accountId: purchase.accountId,
      credits,
      totalMinor: purchase.totalMinor,
      currency: (purchase.currency ?? 'USD').toLowerCase(),
      description: `${credits} credits`,
      ...(customerRef ? { saveFor: { customerRef } } : {}),
    });
  } catch {
    return unreachable;
  }
  if (!checkout.providerRef && !checkout.checkoutUrl) return ok(purchase);
  return ok(await recordProviderRef(ctx, purchase, checkout.providerRef, checkout.checkoutUrl));
}

export async function getPurchase(ctx: Context, id: string): Promise<Result<Purchase>> {
  const p = await read(ctx, (tx) => tx.purchases.get(id));
  return p ? ok(p) : refuse('not_found', `no purchase ${id}`);
}

/**
 * Adds a lot; a negative balance (usage billed past zero) is paid off from an unscoped one first.
 * A scoped lot keeps all its credits for its models (the debt may be another model's): the
 * balances net the debt against it instead (`spendOfLots`: available stays below zero).
 */
async function addLot(ctx: Context, tx: Tx, lot: Lot, balanceBeforeMinor: bigint): Promise<void> {
  const debt = balanceBeforeMinor < 0n && lot.models === null ? -balanceBeforeMinor : 0n;
  if (lot.models !== null) noteScoped(ctx.cache);
  lot.remainingMinor = lot.creditsMinor > debt ? lot.creditsMinor - debt : 0n;
  await tx.lots.insert(lot);
}

/**
 * Confirms a payment. In one transaction: posts the credits, creates the lot, takes the next
 * invoice number and freezes the invoice. Confirming again answers the same invoice.
 * `by: 'operator'` (the default, `/confirm`) confirms only `manual` purchases, only while pending;
 * `by: 'provider'` is a verified, matched payment notice (src/core/credits/payment-notices.ts) and also
 * confirms a failed purchase: the money was received for it, so its credits are owed.
 * Refusals, first wins: `not_found`; `invalid_state` (not manual, by the operator); `invalid_state`
 * (not pending, or failed and by the operator).
 * @example await confirmPurchase(ctx, 'pur_123', { by: 'provider' })
 */
export async function confirmPurchase(
  ctx: Context,
  purchaseId: string,
  options: { by: 'operator' | 'provider'; card?: { brand: string; last4: string } } = { by: 'operator' },
): Promise<Result<Purchase>> {
  let warn: (() => void) | undefined;
  const result = await balanceUnit(ctx, async (tx) => {
    const found = await tx.purchases.get(purchaseId);
    if (!found) fail(refuse('not_found', `no purchase ${purchaseId}`));
    if (options.by === 'operator' && found.provider !== 'manual')
      fail(
        refuse(
          'invalid_state',
          `purchase ${purchaseId} is paid through ${found.provider}: it is confirmed by the provider's signed webhook, not by /confirm`,
        ),
      );
    // Lock the account, then read the purchase again: another process may have settled it meanwhile.
    const account = await tx.accounts.lock(found.accountId);
    const purchase = (await tx.purchases.get(purchaseId))!;
    if (purchase.status === 'paid') return purchase;
    const confirmable =
      purchase.status === 'pending' || (purchase.status === 'failed' && options.by === 'provider');
    if (!confirmable) fail(refuse('invalid_state', `purchase ${purchaseId} is ${purchase.status}`));
    const now = ctx.clock.nowMs();
    const before = await tx.ledger.getAccount(purchase.accountId);
    await postOrFail(
      tx,
      [
        {
          id: `purchase_${purchase.id}`,
          debitAccountId: SYSTEM_ACCOUNTS.issued,
          creditAccountId: purchase.accountId,
          amount: purchase.creditsMinor,
          code: 'purchase',
          metadata: { purchase_id: purchase.id },
        },
      ],
      now,
    );
    await addLot(
      ctx,
      tx,
      {
        id: ctx.ids.newId('lot'),
        accountId: purchase.accountId,
        source: 'purchase',
        sourceId: purchase.id,
        creditsMinor: purchase.creditsMinor,
        remainingMinor: 0n,
        priority: ctx.config.purchasePriority,
        expiresAtMs: null,
        createdAtMs: now,
        models: purchase.models ?? null,
      },
      postedBalance(before!),
    );
    const { series, render } = numbering(ctx.config.invoiceNumberFormat, now);
    const number = render(await tx.invoices.nextNumber(series));
    const currency = purchase.currency ?? 'USD';
    const national = await vatInNationalCurrency(ctx, tx, number, currency, purchase.taxMinor, now);
    const invoice: Invoice = {
      id: ctx.ids.newId('inv'),
      number,
      purchaseId: purchase.id,
      accountId: purchase.accountId,
      issuedAtMs: now,
      creditsMinor: purchase.creditsMinor,
      totalMinor: purchase.totalMinor,
      currency,
      snapshot: invoiceSnapshot(
        ctx.config,
        number,
        now,
        account!,
        purchase,
        options.card ? { card_brand: options.card.brand, card_last4: options.card.last4 } : {},
        national.value,
      ),
    };
    warn = national.warn;
    await tx.invoices.insertInvoice(invoice);
    const paid: Purchase = { ...purchase, status: 'paid', invoiceId: invoice.id, resolvedAtMs: now };
    await tx.purchases.update(paid);
    await emit(ctx, tx, 'credit_purchase.paid', {
      purchase_id: paid.id,
      account_id: paid.accountId,
      credits: formatAmount(paid.creditsMinor, ctx.config.scales.credits),
      total: formatMoney(paid.totalMinor, currency),
      currency,
      invoice_id: invoice.id,
    });
    await emit(ctx, tx, 'invoice.issued', {
      invoice_id: invoice.id,
      number: invoice.number,
      account_id: invoice.accountId,
      purchase_id: paid.id,
      total: formatMoney(invoice.totalMinor, currency),
      currency,
    });
    return paid;
  });
  if (result.ok) warn?.();
  return result;
}

/**
 * Marks a pending purchase failed: no credits, no invoice number. Failing again is a no-op.
 * By the operator, the provider's checkout is closed first (Stripe: the session expires), so no
 * payment can arrive for a purchase already failed. By the provider (its notice that the payment
 * failed or expired), nothing is left to close. A failed auto top-up is announced with `reason`
 * (default `payment_failed`).
 * Refusals, first wins: `not_found`; `invalid_state` (paid); `unavailable` (the provider could not
 * be reached: nothing changed); `invalid_state` (the customer paid first: the webhook confirms it).
 * @example await failPurchase(ctx, 'pur_123')
 */
export async function failPurchase(
  ctx: Context,
  purchaseId: string,
  options: { by: 'operator' | 'provider'; reason?: string } = { by: 'operator' },
): Promise<Result<Purchase>> {
  const current = await read(ctx, (tx) => tx.purchases.get(purchaseId));
  if (!current) return refuse('not_found', `no purchase ${purchaseId}`);
  if (current.status === 'failed') return ok(current);
  if (current.status !== 'pending')
    return refuse('invalid_state', `purchase ${purchaseId} is ${current.status}`);
  const provider = ctx.payments[current.provider];
  if (current.origin === 'auto_top_up')
    return stopChargeThenFail(ctx, purchaseId, {
      by: options.by,
      reason: options.reason ?? 'payment_failed',
    });
  if (options.by === 'operator' && current.providerRef && provider?.cancelCheckout) {
    // The provider is called outside the transaction, before the purchase is marked failed: a
    // network call never holds the database, and a failed purchase never has a payable checkout.
    let closed: 'cancelled' | 'already_paid';
    try {
      closed = await provider.cancelCheckout(current.providerRef);
    } catch {
      return refuse(
        'unavailable',
        `${current.provider} could not be reached to close the checkout of purchase ${purchaseId}; nothing changed, try again`,
      );
    }
    if (closed === 'already_paid')
      return refuse(
        'invalid_state',
        `purchase ${purchaseId}: the payment already completed; its webhook will confirm it`,
      );
  }
  return markPurchaseFailed(ctx, purchaseId, options.reason ?? 'payment_failed');
}

export interface GrantInput {
  credits: unknown;
  reason: unknown;
  expiresAtMs?: number | null;
  priority?: number;
  /** The models the credits pay for (scoped credits); absent or null: any model. */
  models?: unknown;
}

/**
 * Promotional credits: a lot with optional expiry, no invoice; with `models`, scoped to them.
 * Refusals, first wins: `validation_failed` (credits, reason, models, expires_at); `not_found`.
 */
export async function grantCredits(ctx: Context, accountId: string, input: GrantInput): Promise<Result<Lot>> {
  const credits = parseCredits(
    input.credits,
    ctx.config.scales.credits,
    ctx.config.maxCreditsMinor,
    'credits',
  );
  if (!credits.ok) return credits;
  if (typeof input.reason !== 'string' || input.reason.trim().length < 1 || input.reason.length > 500) {
    return invalidField('reason', 'is required, 1 to 500 characters');
  }
  const models = parseModels(input.models);
  if (!models.ok) return models;
  const now = ctx.clock.nowMs();
  if (input.expiresAtMs != null && input.expiresAtMs <= now)
    return invalidField('expires_at', 'must be in the future');
  const result = await balanceUnit(ctx, async (tx) => {
    if (!(await tx.accounts.lock(accountId))) fail(refuse('not_found', `no account ${accountId}`));
    return (await grantIn(ctx, tx, {
      accountId,
      sourceId: ctx.ids.newId('grant'),
      creditsMinor: credits.value,
      reason: String(input.reason).trim(),
      priority: input.priority ?? ctx.config.grantPriority,
      expiresAtMs: input.expiresAtMs ?? null,
      models: models.value,
    }))!;
  });
  return result;
}

/**
 * Inside a unit of work holding the account's lock: posts a grant and adds its lot, unless a lot
 * of that source exists (a grant with a deterministic source id, an allowance's month, is made
 * once: undefined then). The transfer's id is the source id.
 */
export async function grantIn(
  ctx: Context,
  tx: Tx,
  g: {
    accountId: string;
    sourceId: string;
    creditsMinor: bigint;
    reason: string;
    priority: number;
    expiresAtMs: number | null;
    models: string[] | null;
    metadata?: Record<string, string>;
  },
): Promise<Lot | undefined> {
  if (await tx.lots.findBySource(g.sourceId)) return undefined;
  const now = ctx.clock.nowMs();
  const before = await tx.ledger.getAccount(g.accountId);
  const lot: Lot = {
    id: ctx.ids.newId('lot'),
    accountId: g.accountId,
    source: 'grant',
    sourceId: g.sourceId,
    creditsMinor: g.creditsMinor,
    remainingMinor: 0n,
    priority: g.priority,
    expiresAtMs: g.expiresAtMs,
    createdAtMs: now,
    models: g.models,
  };
  await postOrFail(
    tx,
    [
      {
        id: lot.sourceId,
        debitAccountId: SYSTEM_ACCOUNTS.issued,
        creditAccountId: g.accountId,
        amount: g.creditsMinor,
        code: 'grant',
        metadata: { reason: g.reason, ...g.metadata },
      },
    ],
    now,
  );
  await addLot(ctx, tx, lot, postedBalance(before!));
  return lot;
}

/**
 * Burns consumed credits from an account's lots: each model's amount (models in name order, as
 * `spendOfLots` reckons) from the lots that may pay for it, in burn order; the amount of `null`
 * (a hold's capture: a use of no model) from unscoped lots only, last. What no lot covers stays
 * a debt of the account (its balance below zero).
 * @example await burnLots(tx, 'acc_1', new Map([['video-8s', 5_000_000n]]))
 */
export async function burnLots(
  tx: Tx,
  accountId: string,
  uses: ReadonlyMap<string | null, bigint>,
): Promise<void> {
  const lots = await tx.lots.listOpen(accountId);
  const touched = new Map<string, bigint>();
  const models = [...uses.keys()].filter((m): m is string => m !== null).sort();
  for (const model of [...models, null]) {
    const amount = uses.get(model);
    if (!amount || amount <= 0n) continue;
    const { updates } = burn(
      lots.filter((l) => paysFor(l, model)),
      amount,
    );
    for (const u of updates) {
      touched.set(u.id, u.remainingMinor);
      lots.find((l) => l.id === u.id)!.remainingMinor = u.remainingMinor;
    }
  }
  if (touched.size > 0)
    await tx.lots.setRemaining([...touched].map(([id, remainingMinor]) => ({ id, remainingMinor })));
}

/**
 * Moves what is unspent of expired lots to the breakage account. Unspent, as for a refund: what
 * remains once the account's consumed-but-unbilled and held credits have burned its lots in burn
 * order. The reserved part stays in the lot for the usage it covers; if a hold is released later,
 * the next sweep takes it. Each account is swept in its own unit of work, under its lock.
 */
export async function expireLots(ctx: Context): Promise<{ lots: number; creditsMinor: bigint }> {
  let lots = 0;
  let creditsMinor = 0n;
  const now = ctx.clock.nowMs();
  let after: { expiresAtMs: number; id: string } | undefined;
  for (;;) {
    const page = await read(ctx, (tx) => tx.lots.listExpired(now, 200, after));
    for (const accountId of new Set(page.map((l) => l.accountId))) {
      // Each account alone: one that cannot be swept (a refusal) is left for the next sweep.
      const swept = await balanceUnit(ctx, async (tx) => {
        await tx.accounts.lock(accountId);
        const { lots: open, unspent } = (await lotsSpendIn(tx, accountId))!;
        let sum = 0n;
        let n = 0;
        for (const lot of open) {
          const take = unspent.get(lot.id) ?? 0n;
          if (lot.expiresAtMs === null || lot.expiresAtMs > now || take <= 0n) continue;
          await postOrFail(
            tx,
            [
              {
                // What remained before is part of the id: a lot may be swept again after a release.
                id: `breakage_${lot.id}_${lot.remainingMinor}`,
                debitAccountId: lot.accountId,
                creditAccountId: SYSTEM_ACCOUNTS.breakage,
                amount: take,
                code: 'breakage',
                metadata: { lot_id: lot.id },
                force: true,
              },
            ],
            now,
          );
          await tx.lots.setRemaining([{ id: lot.id, remainingMinor: lot.remainingMinor - take }]);
          sum += take;
          n++;
        }
        return { n, sum };
      });
      if (!swept.ok) continue;
      lots += swept.value.n;
      creditsMinor += swept.value.sum;
    }
    const last = page[page.length - 1];
    if (!last || page.length < 200) return { lots, creditsMinor };
    after = { expiresAtMs: last.expiresAtMs!, id: last.id };
  }
}

/**
 * The VAT of a document in the seller's national currency (`nationalVat`), at the rates the
 * operator stored; without a rate for its day the document is issued all the same (money was
 * received), and the operator hears of it: webhook `invoice.exchange_rate_missing` and a log line.
 */
export async function vatInNationalCurrency(
  ctx: Context,
  tx: Tx,
  number: string,
  currency: string,
  taxMinor: bigint,
  now: number,
): Promise<{ value: InvoiceSnapshot['national_vat']; warn?: () => void }> {
  const day = new Date(now).toISOString().slice(0, 10);
  const national = nationalVat(ctx.config, currency, taxMinor, now, await tx.prices.ratesOn(day));
  if (!national.missing || !national.value) return { value: national.value };
  const missing = { number, currency, national: national.value.currency, day };
  await emit(ctx, tx, 'invoice.exchange_rate_missing', missing);
  // The log line once the document is committed (the caller calls it then).
  return { value: national.value, warn: () => ctx.observer.exchangeRateMissing?.(missing) };
}

export type { CreditNote };
