import { formatAmount } from '../kernel/amount.ts';
import { type Context, read, unit } from '../kernel/context.ts';
import { formatMoney, minorUnits } from '../kernel/currency.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Purchase } from '../kernel/model.ts';
import type { PaymentNotice, PaymentProvider } from '../kernel/payments.ts';
import { emit } from '../webhooks/index.ts';
import { confirmPurchase, failPurchase } from './credits.ts';

/**
 * Why a verified notice settled no purchase, in order of precedence (the first that holds is
 * the one reported). `not_confirmable`: it matched, but confirming was refused (a bug, never
 * expected), so the money is reported rather than left to the provider's retries.
 */
export type UnmatchedReason =
  | 'unknown_session'
  | 'other_provider'
  | 'other_purchase'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'not_confirmable';

/**
 * Which purchase a verified notice settles, or why none. The purchase is the one whose own
 * checkout, or off-session charge (Stripe PaymentIntent), the provider reports on (found by its
 * `providerRef`); the purchase id the notice names proves nothing alone (whoever opens a Stripe
 * Payment Link chooses it) and must agree.
 * A payment must be exactly the purchase's total, in its currency; a failure needs no amount.
 * @example matchNotice('stripe', notice, await tx.purchases.findByProviderRef('stripe', ref))
 */
export function matchNotice(
  provider: string,
  notice: PaymentNotice,
  purchase: Purchase | undefined,
): { ok: true; purchase: Purchase } | { ok: false; reason: UnmatchedReason } {
  if (!purchase || notice.providerRef === null) return { ok: false, reason: 'unknown_session' };
  if (purchase.provider !== provider) return { ok: false, reason: 'other_provider' };
  if (notice.purchaseId !== null && notice.purchaseId !== purchase.id)
    return { ok: false, reason: 'other_purchase' };
  if (notice.outcome === 'paid') {
    if (notice.amountMinor !== purchase.totalMinor) return { ok: false, reason: 'amount_mismatch' };
    if (notice.currency?.toLowerCase() !== (purchase.currency ?? 'USD').toLowerCase())
      return { ok: false, reason: 'currency_mismatch' };
  }
  return { ok: true, purchase };
}

/**
 * Handles a payment provider's webhook: verifies it, then confirms or fails the one purchase
 * it matches (see `matchNotice`). A matched payment confirms even a failed purchase: the money
 * was received for exactly that purchase, and no paid payment goes without its credits. A
 * payment that matches nothing is not applied: it is acknowledged (the provider must not retry
 * it forever) and recorded for the operator as `payment.unmatched`. A failure that matches
 * nothing is acknowledged only: no money moved. A notice of a payment not yet recorded on its
 * auto top-up (the off-session charge's answer is still on its way) is answered `unavailable`, so
 * the provider sends it again. A paid checkout that saved the payer's payment method records it
 * on the account, for auto top-ups (`unavailable` while the provider cannot say which it is).
 * @example await handlePaymentNotice(ctx, 'stripe', rawBody, { 'stripe-signature': sig })
 */
export async function handlePaymentNotice(
  ctx: Context,
  provider: string,
  rawBody: string,
  headers: Record<string, string | undefined>,
): Promise<Result<{ received: true }>> {
  const p = ctx.payments[provider];
  if (!p?.parseWebhook) return refuse('not_found', `no webhook for provider ${provider}`);
  const parsed = p.parseWebhook(rawBody, headers);
  if (!parsed.ok) return parsed;
  const notice = parsed.value;
  const received = ok({ received: true as const });
  if (notice.outcome === 'ignored') return received;
  const ref = notice.providerRef;
  const purchase = ref ? await read(ctx, (tx) => tx.purchases.findByProviderRef(provider, ref)) : undefined;
  if (!purchase && notice.purchaseId !== null) {
    const named = await read(ctx, (tx) => tx.purchases.get(notice.purchaseId!));
    if (named?.origin === 'auto_top_up' && named.provider === provider && named.providerRef === null)
      return refuse('unavailable', `the payment of purchase ${named.id} is still being recorded; retry`);
  }
  const match = matchNotice(provider, notice, purchase);
  if (!match.ok) {
    if (notice.outcome !== 'paid') return received;
    const recorded = await recordUnmatched(ctx, provider, notice, purchase, match.reason);
    return recorded.ok ? received : recorded;
  }
  if (notice.outcome === 'failed') {
    const r = await failPurchase(ctx, match.purchase.id, {
      by: 'provider',
      ...(notice.failureReason ? { reason: notice.failureReason } : {}),
    });
    // A failure reported for a purchase already paid changes nothing.
    return r.ok || r.code === 'invalid_state' ? received : r;
  }
  // A purchase already paid (a replayed notice) needs no card: nothing is confirmed again.
  const card = match.purchase.status === 'paid' ? null : await cardOf(p, notice);
  const r = await confirmPurchase(ctx, match.purchase.id, { by: 'provider', ...(card ? { card } : {}) });
  if (r.ok) {
    if (!notice.saving) return received;
    const saved = await savePaymentMethod(ctx, provider, r.value.accountId, notice.saving);
    return saved.ok ? received : saved;
  }
  if (r.code === 'unavailable') return r; // the provider retries later
  const recorded = await recordUnmatched(ctx, provider, notice, purchase, 'not_confirmable');
  return recorded.ok ? received : recorded;
}

/**
 * The card that paid, for the invoice, read before the confirming transaction (a network call
 * never holds the database). Not known (not a card, or the provider unreachable): the invoice
 * names the provider without a card.
 */
async function cardOf(
  p: PaymentProvider,
  notice: PaymentNotice,
): Promise<{ brand: string; last4: string } | null> {
  if (!p.cardOf || !notice.paymentRef) return null;
  try {
    return await p.cardOf(notice.paymentRef);
  } catch {
    return null;
  }
}

/**
 * Records the payment method a paid saving checkout left on the account's customer: only on that
 * customer (the one tollgate created for the account), as the provider reports it.
 */
async function savePaymentMethod(
  ctx: Context,
  provider: string,
  accountId: string,
  saving: { customerRef: string; paymentRef: string },
): Promise<Result<void>> {
  const p = ctx.payments[provider]!;
  const customer = await read(ctx, (tx) => tx.paymentCustomers.get(accountId, provider));
  if (!p.savedPaymentMethod || customer?.customerRef !== saving.customerRef) return ok(undefined);
  let method: string | null;
  try {
    method = await p.savedPaymentMethod(saving);
  } catch {
    return refuse('unavailable', `${provider} could not be reached to read the saved payment method; retry`);
  }
  if (method === null) return ok(undefined);
  const saved = method;
  await ctx.storage.transaction((tx) =>
    tx.paymentCustomers.setPaymentMethod(accountId, provider, saved, ctx.clock.nowMs()),
  );
  return ok(undefined);
}

/**
 * `payment.unmatched` data: `amount` is a decimal string in the notice's currency (ISO 4217 minor
 * units), or the provider's minor units as it reported them for a currency ISO 4217 does not know.
 */
async function recordUnmatched(
  ctx: Context,
  provider: string,
  notice: PaymentNotice,
  purchase: Purchase | undefined,
  reason: UnmatchedReason,
): Promise<Result<void>> {
  const amount =
    notice.amountMinor === null
      ? null
      : minorUnits(notice.currency?.toUpperCase() ?? '') !== undefined
        ? formatMoney(notice.amountMinor, notice.currency!.toUpperCase())
        : notice.amountMinor.toString();
  const data = {
    provider,
    provider_ref: notice.providerRef,
    purchase_id: notice.purchaseId ?? purchase?.id ?? null,
    amount,
    currency: notice.currency,
    reason,
  };
  return unit(ctx, (tx) => emit(ctx, tx, 'payment.unmatched', data));
}
