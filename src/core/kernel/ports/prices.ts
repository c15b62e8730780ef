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
  /** Stores one day's rates of a base (replacing the currencies it names). */
  putRates(r: { day: string; base: string; rates: Record<string, string> }, atMs: number): Promise<void>;
  /** For each base, the rates of the latest day at or before `day` (latest first). */
  ratesOn(day: string): Promise<{ day: string; base: string; rates: Record<string, string> }[]>;
}
