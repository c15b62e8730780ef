import { formatAmount } from '../kernel/amount.ts';
import { type BalanceListener, type Context, fail, read, unit } from '../kernel/context.ts';
import { type Result, refuse } from '../kernel/errors.ts';
import type { Purchase } from '../kernel/model.ts';
import { CHARGE_FOUND_AFTER_MS, type SavedChargeOutcome } from '../kernel/payments.ts';
import { withAutoTopUp } from '../spend/index.ts';
import { announceAutoTopUpFailed, startAutoTopUps } from './auto-top-up.ts';

/**
 * After the commit that started them: charges auto top-ups off-session through their provider
 * (Stripe: a PaymentIntent on the saved card). Called without waiting and never rejects: the
 * change that crossed the threshold is not held by the provider. Per purchase, after its charge:
 * - the provider took it: its payment is the purchase's `providerRef`, and the signed notice of
 *   that payment alone confirms it (src/core/credits/payment-notices.ts);
 * - declined, or the card wants its holder (`requires_action`): the purchase fails, announced as
 *   `auto_top_up.failed` with the provider's reason; the next balance change below the threshold
 *   starts another (at most 3 retries a day);
 * - the provider could not be reached: the purchase stays pending without `providerRef`, and the
 *   next balance change below the threshold charges it again. A charge that did reach the provider
 *   is never made twice: within a minute the provider's idempotency key (the purchase id) answers
 *   it again; later it is first looked for by the purchase (`findCharge`), since Stripe forgets
 *   idempotency keys after 24 hours.
 * A failed charge is stopped before its purchase fails (`stopChargeThenFail`), so no failed top-up
 * takes money later or escapes the monthly maximum.
 * Purchases of providers that cannot charge (manual) are left to the operator.
 * @example void chargeAutoTopUps(ctx, started)
 */
export async function chargeAutoTopUps(ctx: Context, purchases: readonly Purchase[]): Promise<void> {
  await Promise.all(purchases.map((p) => chargeOne(ctx, p).catch(() => undefined)));
}

async function chargeOne(ctx: Context, started: Purchase): Promise<void> {
  const provider = ctx.payments[started.provider];
  if (!provider?.chargeSaved) return;
  const [purchase, saved] = await read(ctx, (tx) =>
    Promise.all([tx.purchases.get(started.id), tx.paymentCustomers.get(started.accountId, started.provider)]),
  );
  if (purchase?.status !== 'pending' || purchase.providerRef !== null) return;
  if (!saved?.paymentMethodRef) {
    await markPurchaseFailed(ctx, purchase.id, 'no_saved_payment_method');
    return;
  }
  // Tried before, past the search index's lag: the charge is first looked for by the purchase, so
  // a charge whose answer was lost is never made a second time once the provider forgot its key.
  if (provider.findCharge && ctx.clock.nowMs() - purchase.createdAtMs >= CHARGE_FOUND_AFTER_MS) {
    let found: SavedChargeOutcome | null;
    try {
      found = await provider.findCharge(purchase.id);
    } catch {
      return; // not reached: tried again on the next balance change
    }
    if (found) return settleCharge(ctx, purchase, found);
  }
  const credits = formatAmount(purchase.creditsMinor, ctx.config.scales.credits);
  let charged: SavedChargeOutcome;
  try {
    charged = await provider.chargeSaved({
      purchaseId: purchase.id,
      accountId: purchase.accountId,
      customerRef: saved.customerRef,
      paymentMethodRef: saved.paymentMethodRef,
      totalMinor: purchase.totalMinor,
      currency: (purchase.currency ?? 'USD').toLowerCase(),
      description: `${credits} credits (auto top-up)`,
    });
  } catch {
    return; // not reached: pending without providerRef, charged again on the next balance change
  }
  await settleCharge(ctx, purchase, charged);
}

/**
 * What a charge answered, recorded: its payment on the purchase (also on one the operator failed
 * meanwhile, whose charge is then stopped, so a payment that still went through matches and is
 * credited), and a failed charge fails the purchase once it is stopped.
 */
async function settleCharge(ctx: Context, purchase: Purchase, charged: SavedChargeOutcome): Promise<void> {
  if (charged.providerRef) {
    const stored = await recordProviderRef(ctx, purchase, charged.providerRef, null);
    if (stored.status === 'failed' && charged.outcome === 'pending') {
      await ctx.payments[purchase.provider]?.cancelCharge?.(charged.providerRef).catch(() => undefined);
      return;
    }
  }
  if (charged.outcome === 'failed')
    await stopChargeThenFail(ctx, purchase.id, { by: 'provider', reason: charged.reason });
}

/**
 * Fails a pending auto top-up once its off-session charge can no longer succeed (Stripe: its
 * PaymentIntent is cancelled first), so a failed top-up never takes money later and never counts
 * toward the monthly maximum. The operator's charge without a recorded payment (its answer was
 * lost) is looked for by the purchase. Refusals: those of `markPurchaseFailed`; `unavailable` (the
 * provider could not be reached, or the charge may still be on its way: nothing changed);
 * `invalid_state` (the payment went through, or is processing: its notice settles it).
 */
export async function stopChargeThenFail(
  ctx: Context,
  purchaseId: string,
  options: { by: 'operator' | 'provider'; reason: string },
): Promise<Result<Purchase>> {
  const purchase = await read(ctx, (tx) => tx.purchases.get(purchaseId));
  const provider = purchase && ctx.payments[purchase.provider];
  if (purchase?.status !== 'pending' || !provider?.cancelCharge)
    return markPurchaseFailed(ctx, purchaseId, options.reason);
  let ref = purchase.providerRef;
  let stopped: 'cancelled' | 'already_paid' | 'processing' | null = null;
  try {
    if (ref === null && options.by === 'operator' && provider.findCharge) {
      if (ctx.clock.nowMs() - purchase.createdAtMs < CHARGE_FOUND_AFTER_MS)
        return refuse(
          'unavailable',
          `the charge of purchase ${purchaseId} may still be on its way to ${purchase.provider}; nothing changed, try again in a minute`,
        );
      ref = (await provider.findCharge(purchaseId))?.providerRef ?? null;
    }
    if (ref !== null) stopped = await provider.cancelCharge(ref);
  } catch {
    return refuse(
      'unavailable',
      `${purchase.provider} could not be reached to stop the charge of purchase ${purchaseId}; nothing changed, try again`,
    );
  }
  if (ref !== null && purchase.providerRef === null) await recordProviderRef(ctx, purchase, ref, null);
  if (stopped === 'already_paid' || stopped === 'processing')
    return refuse(
      'invalid_state',
      `purchase ${purchaseId}: the payment ${stopped === 'processing' ? 'is processing' : 'already completed'}; its webhook will settle it`,
    );
  return markPurchaseFailed(ctx, purchaseId, options.reason);
}

/**
 * Records the provider's reference (and checkout URL) of a purchase without one, also one failed
 * meanwhile (a payment that still went through then matches it and is credited); a concurrent
 * retry is not written over. Answers the purchase as stored.
 */
export async function recordProviderRef(
  ctx: Context,
  purchase: Purchase,
  providerRef: string | null,
  checkoutUrl: string | null,
): Promise<Purchase> {
  return ctx.storage.transaction(async (tx) => {
    const current = await tx.purchases.get(purchase.id);
    if (!current || current.status === 'paid' || current.providerRef !== null) return current ?? purchase;
    const updated = { ...current, providerRef, checkoutUrl };
    await tx.purchases.update(updated);
    return updated;
  });
}

/**
 * Marks a pending purchase failed (failed already: answered as it is); a failed auto top-up is
 * announced as `auto_top_up.failed` with `reason`. Refusals: `not_found`; `invalid_state` (paid).
 */
export function markPurchaseFailed(
  ctx: Context,
  purchaseId: string,
  reason: string,
): Promise<Result<Purchase>> {
  return unit(ctx, async (tx) => {
    const found = await tx.purchases.get(purchaseId);
    if (!found) fail(refuse('not_found', `no purchase ${purchaseId}`));
    await tx.accounts.lock(found.accountId);
    const purchase = (await tx.purchases.get(purchaseId))!;
    if (purchase.status === 'failed') return purchase;
    if (purchase.status !== 'pending')
      fail(refuse('invalid_state', `purchase ${purchaseId} is ${purchase.status}`));
    const failed: Purchase = { ...purchase, status: 'failed', resolvedAtMs: ctx.clock.nowMs() };
    await tx.purchases.update(failed);
    if (failed.origin === 'auto_top_up') await announceAutoTopUpFailed(ctx, tx, failed, reason);
    return failed;
  });
}

/**
 * Auto top-ups as a listener of every change of a balance or of an account's settings (registered
 * in core/engine.ts): the top-ups due start in the change's transaction, and their providers
 * charge them once it committed, not awaited.
 */
export const autoTopUpListener: BalanceListener = {
  name: 'auto top-up',
  inTransaction: async (ctx, tx, change) => {
    const due = await withAutoTopUp(
      ctx,
      tx,
      new Set([...change.accountIds, ...change.settingsOf]),
      change.settingsOf,
    );
    const started = due.length > 0 ? await startAutoTopUps(ctx, tx, due) : [];
    return started.length > 0 ? () => void chargeAutoTopUps(ctx, started) : undefined;
  },
};
