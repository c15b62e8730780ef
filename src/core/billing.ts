import { formatAmount } from './amount.ts';
import type { Context } from './context.ts';
import { burnLots } from './credits.ts';
import type { TransferInput } from './ledger.ts';
import { postOrFail, SYSTEM_ACCOUNTS } from './transfers.ts';
import { emit } from './webhooks.ts';

export const HOUR_MS = 3_600_000;

export const startOfHour = (ms: number): number => ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);

export interface BillingRunResult {
  hours: number;
  accounts: number;
  creditsMinor: bigint;
  throughMs: number;
}

/**
 * Bills every closed UTC hour before `throughMs` (default: the current hour's start) that has
 * unbilled usage: per account and hour one ledger transfer, then the hour is marked billed, all in
 * one transaction. Running again changes nothing; late usage for a billed hour is billed by the
 * next run (its transfer id carries what was billed before, so retries stay idempotent).
 * Consumed usage is billed even past zero: the account may go negative.
 */
export async function runBilling(ctx: Context, throughMs?: number): Promise<BillingRunResult> {
  const currentHour = startOfHour(ctx.clock.nowMs());
  const through = throughMs === undefined ? currentHour : Math.min(startOfHour(throughMs), currentHour);
  const started = ctx.clock.nowMs();
  const result = await ctx.storage.transaction(async (tx) => {
    const now = ctx.clock.nowMs();
    const unbilled = await tx.usage.listUnbilled(through);
    const transfers: TransferInput[] = unbilled.map((h) => ({
      id: `usage_${h.accountId}_${h.hourMs}_${h.billedBeforeMinor}`,
      debitAccountId: h.accountId,
      creditAccountId: SYSTEM_ACCOUNTS.usage,
      amount: h.creditsMinor,
      code: 'usage',
      metadata: { hour: new Date(h.hourMs).toISOString() },
      force: true,
    }));
    if (transfers.length > 0) await postOrFail(tx, transfers, now);
    const perAccount = new Map<string, bigint>();
    for (const h of unbilled)
      perAccount.set(h.accountId, (perAccount.get(h.accountId) ?? 0n) + h.creditsMinor);
    for (const [accountId, amount] of perAccount) await burnLots(tx, accountId, amount);
    await tx.usage.markBilled(unbilled);
    let creditsMinor = 0n;
    for (const v of perAccount.values()) creditsMinor += v;
    const run = {
      hours: new Set(unbilled.map((h) => h.hourMs)).size,
      accounts: perAccount.size,
      creditsMinor,
      throughMs: through,
    };
    if (unbilled.length > 0) {
      await emit(ctx, tx, 'billing_run.completed', {
        hours: run.hours,
        accounts: run.accounts,
        credits: formatAmount(creditsMinor, ctx.config.scales.credits),
        through: new Date(through).toISOString(),
      });
    }
    return run;
  });
  const done = ctx.clock.nowMs();
  ctx.observer.billingRun?.({
    hours: result.hours,
    accounts: result.accounts,
    ms: done - started,
    atMs: done,
  });
  return result;
}
