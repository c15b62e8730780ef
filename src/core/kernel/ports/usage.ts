/** Storage ports of usage: events and their hourly rollup, billings, voids and disputes. */
import type { UsageDispute, UsageRecord, UsageVoid } from '../model.ts';

/** An hour of one account's usage not yet posted to the ledger. */
export interface UnbilledHour {
  accountId: string;
  hourMs: number;
  creditsMinor: bigint;
  billedBeforeMinor: bigint;
  /** The rollup rows it covers, each with the credits it had when read (and locked). */
  rows: { apiKeyId: string; model: string; creditsMinor: bigint; billedMinor: bigint }[];
  /** Which events the read saw, in the store's own terms (an arrival number, a snapshot). */
  seen: string;
}

/** A billing of one rollup row: which transfer took how much of it, and when. */
export interface UsageBilling {
  accountId: string;
  hourMs: number;
  apiKeyId: string | null;
  model: string;
  creditsMinor: bigint;
  transferId: string;
  billedAtMs: number;
}

export interface UsageRepo {
  /** Usage metered but not yet posted to the ledger. */
  unbilled(accountId: string): Promise<bigint>;
  /** The same, per model (models with unbilled usage only). */
  unbilledByModel(accountId: string): Promise<Map<string, bigint>>;
  /** Accounts with usage not yet billed in hours before `beforeMs`, in id order. */
  unbilledAccounts(beforeMs: number): Promise<string[]>;
  /**
   * Closed hours before `beforeMs` with usage not yet billed, of these accounts; the rows read
   * stay locked to the end of the unit of work where writers are concurrent.
   */
  listUnbilled(beforeMs: number, accountIds: string[]): Promise<UnbilledHour[]>;
  /**
   * Marks exactly the rows of these hours billed, to the credits read, lowers unbilled totals,
   * and records which transfer billed which events (those the read saw), at `atMs`.
   */
  markBilled(hours: (UnbilledHour & { transferId: string })[], atMs: number): Promise<void>;
  /** The rows a billing transfer billed, with the credits it took from each. */
  billingsOf(transferId: string): Promise<UsageBilling[]>;
  /** A stored event by its id (within the dedupe window, where a store forgets older ids). */
  findEvent(id: string): Promise<UsageRecord | undefined>;
}

/** Usage disputes. */
export interface DisputeRepo {
  /** Inserts an open dispute unless its event has one open; true when inserted. */
  insert(d: UsageDispute): Promise<boolean>;
  get(id: string): Promise<UsageDispute | undefined>;
  openForEvent(eventId: string): Promise<UsageDispute | undefined>;
  /** Newest first, after the cursor id. */
  list(filter: {
    status?: UsageDispute['status'];
    accountId?: string;
    limit: number;
    afterId?: string;
  }): Promise<UsageDispute[]>;
  resolve(id: string, outcome: 'void' | 'reject', note: string, atMs: number): Promise<void>;
}

/** Voided usage events (the events themselves are never changed). */
export interface VoidRepo {
  get(eventId: string): Promise<UsageVoid | undefined>;
  /** The voids among these event ids. */
  getMany(eventIds: string[]): Promise<Map<string, UsageVoid>>;
  insert(v: UsageVoid): Promise<void>;
  /**
   * Takes a voided event out of its rollup row and the unbilled total, in one step: an event not
   * billed yet leaves `unbilled` at once; a billed one leaves the row's billed amount, which is
   * answered, for the next billing run to give back.
   */
  takeOut(
    v: Pick<UsageVoid, 'accountId' | 'apiKeyId' | 'model' | 'hourMs' | 'quantityMinor' | 'creditsMinor'>,
    billed: boolean,
  ): Promise<bigint>;
  /** Accounts with voids whose billed part is not given back yet. */
  accountsToReverse(): Promise<string[]>;
  /** Those voids of these accounts, oldest first. */
  pendingReversals(accountIds: string[]): Promise<UsageVoid[]>;
  markReversed(reversed: { eventId: string; transferId: string }[], atMs: number): Promise<void>;
  /** Per account and hour (`account|hour`), the billed credits voids took back: with what is billed, what was ever billed. */
  reversedByHour(accountIds: string[]): Promise<Map<string, bigint>>;
}

export interface UsageHour {
  hourMs: number;
  apiKeyId: string | null;
  model: string;
  events: bigint;
  quantityMinor: bigint;
  creditsMinor: bigint;
}

export interface UsageQuery {
  accountId: string;
  fromMs: number;
  toMs: number;
  apiKeyId?: string;
  model?: string;
}

/** A page of an account's records: see `StoragePort.usageRecords`. */
export type RecordsQuery = UsageQuery & {
  after?: { timestampMs: number; id: string };
  limit: number;
  newestFirst?: boolean;
};
