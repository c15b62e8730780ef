/** Storage ports of spend controls: credits used per period, limits and their notices. */
import type { AutoTopUp, SpendLimit } from '../model.ts';

/** Credits used per period, from the hourly rollup, and the periods whose limit was announced. */
export interface SpendRepo {
  /** Credits used by an account since each start (usage billed and unbilled, captured holds), in all and per key. */
  spent(accountId: string, sinceMs: number[]): Promise<SpentSince[]>;
  /** The spend limits (caps and budgets) set on an account and on its keys that are not deleted. */
  limitsOf(accountId: string): Promise<SpendControls>;
  /** Whether any account or key has a limit or a budget, or any account an auto top-up, at all. */
  anyLimits(): Promise<boolean>;
  /** Records that a scope's limit was announced for a period; false when it already was. */
  claimNotice(scopeId: string, periodStartMs: number, atMs: number): Promise<boolean>;
}

/**
 * What an account has set to control its spending: its limits, its keys' limits (each the
 * operator's cap and the customer's budget, those set: all apply), its auto top-up.
 */
export interface SpendControls {
  account: SpendLimit[];
  keys: Map<string, SpendLimit[]>;
  autoTopUp: AutoTopUp | null;
}

/** Credits used since `sinceMs`: in all, and per API key (usage without a key counts in `total` only). */
export interface SpentSince {
  sinceMs: number;
  total: bigint;
  byKey: Map<string, bigint>;
}
