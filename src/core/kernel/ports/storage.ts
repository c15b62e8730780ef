/** The storage port itself: a unit of work's repositories (`Tx`) and the storage that runs units. */

import type { IngestStatus, RatedEvent, UsageRecord } from '../model.ts';
import type { AccountRepo, AuditRepo, IdempotencyRepo, KeyRepo, OperatorRepo, PortalRepo } from './access.ts';
import type {
  AllowanceRepo,
  FinanceRepo,
  HoldRepo,
  InvoiceRepo,
  LedgerRepo,
  LotRepo,
  PaymentCustomerRepo,
  PurchaseRepo,
} from './money.ts';
import type { PriceRepo } from './prices.ts';
import type { SpendRepo } from './spend.ts';
import type { DisputeRepo, RecordsQuery, UsageHour, UsageQuery, UsageRepo, VoidRepo } from './usage.ts';
import type { WebhookRepo } from './webhooks.ts';

/** Everything one unit of work may touch. */
export interface Tx {
  ledger: LedgerRepo;
  accounts: AccountRepo;
  keys: KeyRepo;
  purchases: PurchaseRepo;
  invoices: InvoiceRepo;
  lots: LotRepo;
  holds: HoldRepo;
  usage: UsageRepo;
  webhooks: WebhookRepo;
  portal: PortalRepo;
  operators: OperatorRepo;
  audit: AuditRepo;
  idempotency: IdempotencyRepo;
  spend: SpendRepo;
  paymentCustomers: PaymentCustomerRepo;
  voids: VoidRepo;
  disputes: DisputeRepo;
  finance: FinanceRepo;
  prices: PriceRepo;
  allowances: AllowanceRepo;
}

export type Durability = 'full' | 'normal';

/** The storage port: units of work, plus the few hot or bulk paths that need a shape of their own. */
export interface Storage {
  /** True when several processes share the store (their changes bypass this process's caches). */
  readonly shared?: boolean;
  /**
   * Runs `fn` in one transaction: everything it writes commits together or not at all.
   * `durability: 'full'` (the default) survives power loss once it resolves.
   */
  transaction<T>(
    fn: (tx: Tx) => Promise<T>,
    options?: { durability?: Durability; readOnly?: boolean },
  ): Promise<T>;
  /** Stores rated events, deduplicating by id, and keeps the hourly rollup and unbilled totals. One commit. */
  ingestUsage(
    events: RatedEvent[],
    options: {
      durability: Durability;
      inTransaction?: (tx: Tx, accountIds: string[]) => Promise<void>;
      /** When the events arrived (kept by stores that order events by arrival). */
      receivedMs?: number;
    },
  ): Promise<IngestStatus[]>;
  /** The hourly rollup rows of one account over a range of hours. */
  usageHours(query: UsageQuery): Promise<UsageHour[]>;
  /**
   * Records in (timestamp, id) order past the cursor `after`, at most `limit`; `newestFirst`
   * walks backwards (`after` is then the last record seen, newer than those answered). Each is a
   * bounded read of the account's index, whatever the range holds.
   */
  usageRecords(query: RecordsQuery): Promise<UsageRecord[]>;
  /** Checks of the ledger's invariants, for tests and operators: per asset the sum of balances, and accounts whose balance differs from their entries. */
  audit(): Promise<{ assetSums: { asset: string; sum: bigint }[]; mismatchedAccounts: string[] }>;
  close(): Promise<void>;
}
