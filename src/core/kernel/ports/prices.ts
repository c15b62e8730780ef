import type { Contract, PriceVersion } from '../model.ts';

/** Versions of the rate card and accounts' contracts. */
export interface PriceRepo {
  /** False when a version with that `effectiveAtMs` exists already. */
  insertVersion(v: PriceVersion): Promise<boolean>;
  /** Every version, oldest `effectiveAtMs` first (a card has few). */
  listVersions(): Promise<PriceVersion[]>;
  insertContract(c: Contract): Promise<void>;
  getContract(id: string): Promise<Contract | undefined>;
  /** One account's contracts, or every account's (rating keeps them in memory), by start. */
  listContracts(accountId?: string): Promise<Contract[]>;
  setContractEnd(id: string, endsAtMs: number): Promise<void>;
}
