import { formatAmount, parseAmount, parseCredits } from '../kernel/amount.ts';
import { balanceIn } from '../kernel/balance.ts';
import { type Context, read } from '../kernel/context.ts';
import { formatMoney, minorUnits } from '../kernel/currency.ts';
import { invalidField, ok, type Result } from '../kernel/errors.ts';
import type { AutoTopUp, Purchase } from '../kernel/model.ts';
import type { Tx } from '../kernel/ports.ts';
import { startOfUtcDay, startOfUtcMonth } from '../kernel/time.ts';
import { quoteFor } from '../prices/index.ts';
import { emit } from '../webhooks/index.ts';

/**
 * Auto top-up: when an account's `available` falls below its threshold, one purchase of the set
 * credits starts, in the same transaction as the change that crossed it. The rules, in order:
 * nothing while an auto top-up of the account is pending (a unique index makes that hold across
 * processes); nothing that would take the month's paid and pending auto top-ups past the monthly
 * maximum (announced once a month as `auto_top_up.failed`, reason `monthly_max_reached`); nothing
 * after the first attempt and 3 retries failed today. `manual` leaves the purchase to the operator;
 * Stripe charges the saved card off-session after the commit (src/core/credits/auto-top-up-charges.ts).
 */

/** Attempts a day: the first one and 3 retries. */
export const AUTO_TOP_UP_ATTEMPTS_PER_DAY = 4;

/**
 * Auto top-up settings of an account as given (`{ threshold, credits, monthly_max_total,
 * provider }`, or null to turn it off). A provider that pays by itself (Stripe) is accepted once
 * the account has a payment method saved there; `manual` leaves a pending purchase for the
 * operator. Refusals, first wins: shape, `threshold`, `credits` (a purchase within the payment
 * range), `monthly_max_total` (USD, at least one purchase), `provider` (unknown, then no saved
 * payment method).
 * @example await parseAutoTopUp(ctx, 'acc_1', { threshold: '100', credits: '1000', monthly_max_total: '30.00', provider: 'manual' })
 */
export async function parseAutoTopUp(
  ctx: Context,
  accountId: string,
  raw: unknown,
): Promise<Result<AutoTopUp | null>> {
  if (raw === null) return ok(null);
  if (typeof raw !== 'object' || Array.isArray(raw))
    return invalidField('auto_top_up', 'must be { threshold, credits, monthly_max_total, provider } or null');
  const r = raw as Record<string, unknown>;
  const { scales, maxCreditsMinor } = ctx.config;
  const threshold = parseCredits(r.threshold, scales.credits, maxCreditsMinor, 'auto_top_up.threshold', {
    allowZero: true,
  });
  if (!threshold.ok) return threshold;
  const account = await read(ctx, (tx) => tx.accounts.get(accountId));
  const q = quoteFor(ctx.config, account, r.credits, ctx.clock.nowMs());
  if (!q.ok) return { ...q, message: `auto_top_up.credits: ${q.message}` };
  const units = minorUnits(q.value.currency) ?? 2;
  // One top-up must lift an account at zero over the threshold, or each would start the next.
  if (q.value.creditsMinor <= threshold.value)
    return invalidField(
      'auto_top_up.credits',
      `must be more than the threshold (${formatAmount(threshold.value, scales.credits)}), so one top-up lifts available over it`,
    );
  const max = parseAmount(r.monthly_max_total, units, 'auto_top_up.monthly_max_total');
  if (!max.ok) return max;
  if (max.value < q.value.totalMinor)
    return invalidField(
      'auto_top_up.monthly_max_total',
      `must be at least one top-up's total (${formatMoney(q.value.totalMinor, q.value.currency)} ${q.value.currency})`,
    );
  if (typeof r.provider !== 'string' || !Object.hasOwn(ctx.payments, r.provider))
    return invalidField('auto_top_up.provider', `must be one of: ${Object.keys(ctx.payments).join(', ')}`);
  if (r.provider !== 'manual') {
    const provider = r.provider;
    const saved = ctx.payments[provider]!.chargeSaved
      ? await read(ctx, (tx) => tx.paymentCustomers.get(accountId, provider))
      : undefined;
    if (!saved?.paymentMethodRef)
      return invalidField(
        'auto_top_up.provider',
        `${provider} needs a payment method saved first: a purchase through ${provider} with save_payment_method: true`,
      );
  }
  return ok({
    thresholdMinor: threshold.value,
    creditsMinor: q.value.creditsMinor,
    monthlyMaxTotalMinor: max.value,
    provider: r.provider,
  });
}

/**
 * Inside the unit of work that changed these accounts' balances: starts the auto top-ups due
 * (pending purchases, `origin: "auto_top_up"`), and answers those a provider is to charge after
 * the commit (`chargeAutoTopUps`): the new ones, and a pending one whose off-session charge never
 * reached the provider (no `providerRef`), which is tried again.
 */
export async function startAutoTopUps(
  ctx: Context,
  tx: Tx,
  accounts: { accountId: string; autoTopUp: AutoTopUp }[],
): Promise<Purchase[]> {
  const started: Purchase[] = [];
  const now = ctx.clock.nowMs();
  for (const { accountId, autoTopUp: cfg } of accounts) {
    const balance = await balanceIn(tx, accountId);
    if (!balance || balance.available >= cfg.thresholdMinor) continue;
    const monthStart = startOfUtcMonth(now);
    const recent = await tx.purchases.autoTopUpsSince(accountId, monthStart);
    const pending = recent.find((p) => p.status === 'pending');
    if (pending) {
      if (pending.providerRef === null && ctx.payments[pending.provider]?.chargeSaved) started.push(pending);
      continue;
    }
    const buyer = await tx.accounts.get(accountId);
    const q = quoteFor(ctx.config, buyer, formatAmount(cfg.creditsMinor, ctx.config.scales.credits), now);
    if (!q.ok) continue; // the price changed since it was set: the settings say why when read again
    const paid = recent.filter((p) => p.status === 'paid').reduce((sum, p) => sum + p.totalMinor, 0n);
    if (paid + q.value.totalMinor > cfg.monthlyMaxTotalMinor) {
      if (await tx.spend.claimNotice(`auto_top_up_max:${accountId}`, monthStart, now))
        await emit(ctx, tx, 'auto_top_up.failed', {
          account_id: accountId,
          reason: 'monthly_max_reached',
          monthly_max_total: formatMoney(cfg.monthlyMaxTotalMinor, q.value.currency),
          paid_this_month: formatMoney(paid, q.value.currency),
          currency: q.value.currency,
        });
      continue;
    }
    const failedToday = recent.filter((p) => p.status === 'failed' && p.createdAtMs >= startOfUtcDay(now));
    if (failedToday.length >= AUTO_TOP_UP_ATTEMPTS_PER_DAY) continue;
    const id = ctx.ids.newId('pur');
    const purchase: Purchase = {
      id,
      accountId,
      idempotencyKey: `auto_top_up:${id}`,
      requestFingerprint: JSON.stringify([q.value.creditsMinor.toString(), cfg.provider]),
      ...q.value,
      provider: cfg.provider,
      status: 'pending',
      providerRef: null,
      checkoutUrl: null,
      invoiceId: null,
      createdAtMs: now,
      resolvedAtMs: null,
      origin: 'auto_top_up',
    };
    if (await tx.purchases.insertAutoTopUp(purchase)) started.push(purchase);
  }
  return started;
}

/** After a failed auto top-up: the operator's app and the customer hear of it. */
export async function announceAutoTopUpFailed(ctx: Context, tx: Tx, purchase: Purchase, reason: string) {
  await emit(ctx, tx, 'auto_top_up.failed', {
    account_id: purchase.accountId,
    purchase_id: purchase.id,
    reason,
    total: formatMoney(purchase.totalMinor, purchase.currency),
    currency: purchase.currency ?? 'USD',
  });
}
