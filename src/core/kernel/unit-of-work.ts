import { dropBalances } from './cache.ts';
import { type AfterCommit, type BalanceChange, type Context, unit } from './context.ts';
import type { Result } from './errors.ts';
import { journaled } from './lot-journal.ts';
import type { Durability, Tx } from './ports.ts';

/**
 * A unit of work that changes balances (or an account's spend settings, `settingsOf`). What must
 * follow every such change happens here, once, so no use case can forget it: the accounts whose
 * balance changed are collected from the unit's postings and voids (no use case names them), the
 * listeners the features registered at wiring run inside the transaction in order (balance
 * alerts, spend limits, runway, auto top-ups: core/engine.ts), and after the commit cached
 * balances are dropped and each listener's after-commit work runs. Every change of a lot's
 * credits is journaled with the transfer that caused it (core/kernel/lot-journal.ts).
 * A refusal (`fail`) rolls everything back and comes back as the result.
 * @example balanceUnit(ctx, async (tx) => { await postOrFail(tx, [grant], now); return lot })
 */
export async function balanceUnit<T>(
  ctx: Context,
  fn: (tx: Tx) => Promise<T>,
  durability: Durability = 'full',
  settingsOf: readonly string[] = [],
): Promise<Result<T>> {
  const after = afterBalanceChange(ctx, settingsOf);
  const touched = new Set<string>();
  const result = await unit(
    ctx,
    async (tx) => {
      touched.clear(); // a retried unit of work starts over
      const journal = journaled(ctx, tx);
      const value = await fn(watched(journal.tx, touched));
      await journal.flush();
      await after.inTransaction(tx, touched);
      return value;
    },
    durability,
  );
  if (result.ok) after.afterCommit();
  return result;
}

/**
 * The two steps themselves, for the path that opens its transaction another way (the usage group
 * commit goes through its own storage call, for speed, and its storage names the accounts whose
 * unbilled usage changed): one pair per unit of work, since what a listener started in the
 * transaction (an auto top-up) is what its after-commit work hands on. A transaction tried again
 * replaces what its earlier attempt started.
 * @example const after = afterBalanceChange(ctx); ...inTransaction: after.inTransaction...; after.afterCommit(ids)
 */
export function afterBalanceChange(ctx: Context, settingsOf: readonly string[] = []) {
  let pending: AfterCommit[] = [];
  let seen: readonly string[] = [];
  return {
    inTransaction: async (tx: Tx, accountIds: Iterable<string>): Promise<void> => {
      const change: BalanceChange = { accountIds: [...accountIds], settingsOf };
      seen = change.accountIds;
      pending = [];
      for (const listener of ctx.listeners) {
        const then = await listener.inTransaction(ctx, tx, change);
        if (then) pending.push(then);
      }
    },
    /** After the commit: by default for the accounts the transaction named. */
    afterCommit: (accountIds: Iterable<string> = seen): void => {
      dropBalances(ctx.cache, accountIds);
      for (const then of pending) then();
    },
  };
}

/**
 * The unit's repositories, noting each customer account whose balance a posting or a void changes.
 * System accounts (issuance, usage, breakage) have no balance anyone reads.
 */
function watched(tx: Tx, touched: Set<string>): Tx {
  const ledger = Object.create(tx.ledger) as Tx['ledger'];
  ledger.apply = async (plan) => {
    await tx.ledger.apply(plan);
    for (const a of plan.accounts) if (a.kind === 'customer') touched.add(a.id);
  };
  const voids = Object.create(tx.voids) as Tx['voids'];
  voids.takeOut = async (v, billed) => {
    const reversal = await tx.voids.takeOut(v, billed);
    touched.add(v.accountId);
    return reversal;
  };
  const wrapped = Object.create(tx) as Tx;
  wrapped.ledger = ledger;
  wrapped.voids = voids;
  return wrapped;
}
