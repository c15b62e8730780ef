import { type LedgerAccount, postedBalance } from './ledger.ts';
import { type SpendLot, spendOfLots } from './lots.ts';
import type { Tx } from './ports.ts';

/**
 * Balances of an account in credit minor units. `available = posted - pending - unbilled - what
 * scoped lots keep` is what any model can use; `availableByModel` answers, for each model scoped
 * lots with credits left pay for, what that model can use (see `spendOfLots`).
 */
export interface Balance {
  posted: bigint;
  pending: bigint;
  unbilled: bigint;
  available: bigint;
  /** Empty for an account without scoped credits left. */
  availableByModel: ReadonlyMap<string, bigint>;
}

/** What `balanceOf` needs of an account with scoped credits: its open lots and unbilled usage per model. */
export interface ScopedState {
  /** Every open lot of the account, in burn order (an unscoped lot of higher priority burns first). */
  lots: readonly SpendLot[];
  unbilledByModel: ReadonlyMap<string, bigint>;
}

const NO_MODELS: ReadonlyMap<string, bigint> = new Map();

/**
 * The one definition of an account's balances: posted (the ledger), pending (held), unbilled
 * (metered, not yet billed) and what is available to spend, for any model and per model.
 * Without scoped lots (`scoped` absent) it is `posted - pending - unbilled`, with no lot read.
 * @example balanceOf(ledgerAccount, 5_000_000n).available
 */
export function balanceOf(ledger: LedgerAccount, unbilledMinor: bigint, scoped?: ScopedState): Balance {
  const posted = postedBalance(ledger);
  if (!scoped?.lots.some((l) => l.models !== null))
    return {
      posted,
      pending: ledger.debitsPending,
      unbilled: unbilledMinor,
      available: posted - ledger.debitsPending - unbilledMinor,
      availableByModel: NO_MODELS,
    };
  const spend = spendOfLots(scoped.lots, posted, {
    pendingMinor: ledger.debitsPending,
    unbilledMinor,
    unbilledByModel: scoped.unbilledByModel,
  });
  return {
    posted,
    pending: ledger.debitsPending,
    unbilled: unbilledMinor,
    available: spend.available,
    availableByModel: spend.availableByModel,
  };
}

/** What a use of `model` can spend: its scoped credits with what any model can use. */
export function availableFor(b: Balance, model: string | null | undefined): bigint {
  return (model != null ? b.availableByModel.get(model) : undefined) ?? b.available;
}

/** Credits already spoken for: consumed but not billed, and held. Lots must keep them. */
export const reservedOf = (b: Balance): bigint => b.pending + b.unbilled;

/**
 * An account's open lots and unbilled usage per model, when it has scoped credits left (one probe
 * of a partial index otherwise); undefined without.
 */
export async function scopedStateIn(tx: Tx, accountId: string): Promise<ScopedState | undefined> {
  if (!(await tx.lots.hasScoped(accountId))) return undefined;
  const [lots, unbilledByModel] = await Promise.all([
    tx.lots.listOpen(accountId),
    tx.usage.unbilledByModel(accountId),
  ]);
  return { lots, unbilledByModel };
}

/**
 * An account's balances as this unit of work sees them; undefined for an unknown account.
 * `scoped: false` skips the scoped lots (the caller knows no lot of the store is scoped).
 */
export async function balanceIn(
  tx: Tx,
  accountId: string,
  options: { scoped?: boolean } = {},
): Promise<Balance | undefined> {
  const ledger = await tx.ledger.getAccount(accountId);
  if (!ledger) return undefined;
  const unbilled = await tx.usage.unbilled(accountId);
  const scoped = options.scoped === false ? undefined : await scopedStateIn(tx, accountId);
  return balanceOf(ledger, unbilled, scoped);
}

/**
 * An account's open lots (burn order) with what each keeps once its unbilled usage and holds have
 * burned them (`spendOfLots`), for a refund or an expiry under the account's lock; undefined for an
 * unknown account.
 * @example const s = await lotsSpendIn(tx, 'acc_1'); s.unspent.get(lot.id)
 */
export async function lotsSpendIn(tx: Tx, accountId: string) {
  const ledger = await tx.ledger.getAccount(accountId);
  if (!ledger) return undefined;
  const lots = await tx.lots.listOpen(accountId);
  const unbilledMinor = await tx.usage.unbilled(accountId);
  const unbilledByModel = lots.some((l) => l.models !== null)
    ? await tx.usage.unbilledByModel(accountId)
    : new Map<string, bigint>();
  const posted = postedBalance(ledger);
  const spend = spendOfLots(lots, posted, {
    pendingMinor: ledger.debitsPending,
    unbilledMinor,
    unbilledByModel,
  });
  return { lots, posted, pending: ledger.debitsPending, unbilled: unbilledMinor, ...spend };
}
