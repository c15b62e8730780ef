import { type LedgerAccount, postedBalance } from './ledger.ts';
import type { Tx } from './ports.ts';

/** Balances of an account in credit minor units. `available = posted - pending - unbilled`. */
export interface Balance {
  posted: bigint;
  pending: bigint;
  unbilled: bigint;
  available: bigint;
}

/**
 * The one definition of an account's balances: posted (the ledger), pending (held), unbilled
 * (metered, not yet billed) and what is available to spend.
 * @example balanceOf(ledgerAccount, 5_000_000n).available
 */
export function balanceOf(ledger: LedgerAccount, unbilledMinor: bigint): Balance {
  const posted = postedBalance(ledger);
  return {
    posted,
    pending: ledger.debitsPending,
    unbilled: unbilledMinor,
    available: posted - ledger.debitsPending - unbilledMinor,
  };
}

/** Credits already spoken for: consumed but not billed, and held. Lots must keep them. */
export const reservedOf = (b: Balance): bigint => b.pending + b.unbilled;

/** An account's balances as this unit of work sees them; undefined for an unknown account. */
export async function balanceIn(tx: Tx, accountId: string): Promise<Balance | undefined> {
  const ledger = await tx.ledger.getAccount(accountId);
  if (!ledger) return undefined;
  return balanceOf(ledger, await tx.usage.unbilled(accountId));
}
