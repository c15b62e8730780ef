import { startAutoTopUps } from '../credits/auto-top-up.ts';
import { chargeAutoTopUps } from '../credits/auto-top-up-charges.ts';
import { announceRunway, announceSpendLimits, dropSpent } from '../spend/spend.ts';
import { checkBalanceAlerts } from '../webhooks/webhooks.ts';
import { dropBalances } from './cache.ts';
import { type Context, unit } from './context.ts';
import type { Result } from './errors.ts';
import { journaled } from './lot-journal.ts';
import type { Purchase } from './model.ts';
import type { Durability, Tx } from './ports.ts';

/**
 * A unit of work that changes balances. `fn` names each account whose balance it changes in
 * `changed`; what must follow every such change happens here, once, so no use case can forget it:
 * balance alerts are raised inside the transaction (they commit with the change, or not at all),
 * spend limits reached and a runway running short are announced in the same transaction, an auto
 * top-up due is started in it (at most one in flight) and charged by its provider after the
 * commit, and cached balances and spend counters are dropped after it. Every change of a lot's
 * credits is journaled with the transfer that caused it (core/kernel/lot-journal.ts).
 * A refusal (`fail`) rolls everything back and comes back as the result.
 * @example balanceUnit(ctx, async (tx, changed) => { ...post...; changed.add(accountId); return note })
 */
export async function balanceUnit<T>(
  ctx: Context,
  fn: (tx: Tx, changed: Set<string>) => Promise<T>,
  durability: Durability = 'full',
): Promise<Result<T>> {
  const changed = new Set<string>();
  const after = afterBalanceChange(ctx);
  const result = await unit(
    ctx,
    async (tx) => {
      changed.clear(); // a retried unit of work starts over
      // Every change of a lot's credits is journaled with its transfer, for finance reports.
      const journal = journaled(ctx, tx);
      const value = await fn(journal.tx, changed);
      await journal.flush();
      await after.inTransaction(tx, changed);
      return value;
    },
    durability,
  );
  if (result.ok) after.afterCommit(changed);
  return result;
}

/**
 * The two steps themselves, for the paths that open their transaction another way (the usage
 * group commit goes through its own storage call, for speed): one pair per unit of work, since
 * what the transaction started (auto top-ups) is what the commit hands to the provider. A
 * transaction tried again replaces what its earlier attempt started.
 * @example const after = afterBalanceChange(ctx); ...inTransaction: after.inTransaction...; after.afterCommit(ids)
 */
export function afterBalanceChange(ctx: Context) {
  let topUps: Purchase[] = [];
  return {
    inTransaction: async (tx: Tx, accountIds: Iterable<string>): Promise<void> => {
      const ids = [...accountIds];
      await checkBalanceAlerts(ctx, tx, ids);
      const withTopUp = await announceSpendLimits(ctx, tx, ids);
      await announceRunway(ctx, tx, ids);
      topUps = withTopUp.length > 0 ? await startAutoTopUps(ctx, tx, withTopUp) : [];
    },
    afterCommit: (accountIds: Iterable<string>): void => {
      const ids = [...accountIds];
      dropBalances(ctx.cache, ids);
      dropSpent(ctx, ids);
      // Not awaited: the change that crossed the threshold does not wait for the provider.
      if (topUps.length > 0) void chargeAutoTopUps(ctx, topUps);
    },
  };
}
