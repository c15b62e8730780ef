import { formatAmount } from './amount.ts';
import { announceAutoTopUpFailed } from './auto-top-up.ts';
import { type Context, fail, read, unit } from './context.ts';
import { type Result, refuse } from './errors.ts';
import type { Purchase } from './model.ts';

/**
 * After the commit that started them: charges auto top-ups off-session through their provider
 * (Stripe: a PaymentIntent on the saved card). Called without waiting and never rejects: the
 * change that crossed the threshold is not held by the provider. Per purchase, after its charge:
 * - the provider took it: its payment is the purchase's `providerRef`, and the signed notice of
 *   that payment alone confirms it (src/core/payment-notices.ts);
 * - declined, or the card wants its holder (`requires_action`): the purchase fails, announced as
 *   `auto_top_up.failed` with the provider's reason; the next balance change below the threshold
 *   starts another (at most 3 retries a day);
 * - the provider could not be reached: the purchase stays pending without `providerRef`, and the
 *   next balance change below the threshold charges it again. The provider dedupes on the
 *   purchase id, so a charge that did reach it is answered again, never made twice.
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
  const credits = formatAmount(purchase.creditsMinor, ctx.config.scales.credits);
  let charged: Awaited<ReturnType<NonNullable<typeof provider.chargeSaved>>>;
  try {
    charged = await provider.chargeSaved({
      purchaseId: purchase.id,
      accountId: purchase.accountId,
      customerRef: saved.customerRef,
      paymentMethodRef: saved.paymentMethodRef,
      totalMinor: purchase.totalMinor,
      currency: 'usd',
      description: `${credits} credits (auto top-up)`,
    });
  } catch {
    return; // not reached: pending without providerRef, charged again on the next balance change
  }
  if (charged.providerRef) await recordProviderRef(ctx, purchase, charged.providerRef, null);
  if (charged.outcome === 'failed') await markPurchaseFailed(ctx, purchase.id, charged.reason);
}

/**
 * Records the provider's reference (and checkout URL) of a purchase still pending without one; a
 * concurrent retry or a failure in between is not written over. Answers the purchase as stored.
 */
export async function recordProviderRef(
  ctx: Context,
  purchase: Purchase,
  providerRef: string | null,
  checkoutUrl: string | null,
): Promise<Purchase> {
  return ctx.storage.transaction(async (tx) => {
    const current = await tx.purchases.get(purchase.id);
    if (current?.status !== 'pending' || current.providerRef !== null) return current ?? purchase;
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
