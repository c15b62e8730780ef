/**
 * The ports the core needs from the outside world. Storage ports are async and coarse: one
 * method is one step of a use case. Adapters live in `src/adapters`.
 */
import type { LedgerAccount, LedgerPlan, LedgerView } from './ledger.ts';
import type {
  Account,
  ApiKey,
  ApiKeyStatus,
  AuditEntry,
  AutoTopUp,
  CreditNote,
  Hold,
  IngestStatus,
  Invoice,
  InvoiceSnapshot,
  KeptAnswer,
  KeptRequest,
  Lot,
  OperatorToken,
  OutboxEvent,
  Purchase,
  PurchaseStatus,
  RatedEvent,
  SpendLimit,
  UsageDispute,
  UsageRecord,
  UsageVoid,
  WebhookDelivery,
  WebhookEndpoint,
} from './model.ts';

/** The time, injected so tests replay exactly. */
export interface Clock {
  nowMs(): number;
}

/** Identifiers and secrets, injected for the same reason. */
export interface IdSource {
  /** A prefixed, time-sortable, opaque id: `acc_...`. */
  newId(prefix: string): string;
  /** `prefix` followed by at least 32 random bytes in base62. */
  newSecret(prefix: string): string;
  /** SHA-256 of a secret, hex. */
  hashSecret(secret: string): string;
  /** A uniform random number in [0, 1), for retry jitter. */
  fraction(): number;
}

/** Ledger reads and writes inside a unit of work. */
export interface LedgerRepo {
  insertAccounts(accounts: LedgerAccount[]): Promise<void>;
  /** The accounts and transfers named, plus the resolutions of the pending transfers among them. */
  loadView(transferIds: string[], accountIds: string[]): Promise<LedgerView>;
  apply(plan: LedgerPlan): Promise<void>;
  getAccount(id: string): Promise<LedgerAccount | undefined>;
}

export interface AccountRepo {
  insert(account: Account): Promise<void>;
  get(id: string): Promise<Account | undefined>;
  /** Reads the account and, where storage has concurrent writers, locks it to the end of the unit of work. */
  lock(id: string): Promise<Account | undefined>;
  /** Locks several accounts, in id order, in one step (see `lock`). */
  lockMany(ids: string[]): Promise<void>;
  findByExternalId(externalId: string): Promise<Account | undefined>;
  update(account: Account): Promise<void>;
  /** Accounts newest first (created, then id), after the cursor account; only those with this email or external id if given. */
  list(filter: { email?: string; externalId?: string; limit: number; afterId?: string }): Promise<Account[]>;
}

export interface KeyRepo {
  insert(key: ApiKey): Promise<void>;
  get(id: string): Promise<ApiKey | undefined>;
  countActive(accountId: string): Promise<number>;
  setStatus(id: string, status: ApiKeyStatus, atMs: number): Promise<void>;
  /** Writes the nickname and spend limit. */
  update(key: ApiKey): Promise<void>;
  list(accountId: string): Promise<ApiKey[]>;
  findByHash(secretHash: string): Promise<ApiKey | undefined>;
  /** Writes `last_used_at` for many keys at once. */
  touch(lastUsed: { id: string; atMs: number }[]): Promise<void>;
}

export interface PurchaseRepo {
  insert(purchase: Purchase): Promise<void>;
  get(id: string): Promise<Purchase | undefined>;
  findByIdempotencyKey(accountId: string, key: string): Promise<Purchase | undefined>;
  findByProviderRef(provider: string, ref: string): Promise<Purchase | undefined>;
  /** An account's purchases, newest first. */
  list(accountId: string, limit: number): Promise<Purchase[]>;
  update(purchase: Purchase): Promise<void>;
  /** Every account's purchases, newest first, after the cursor purchase; of one status if given. */
  listAll(filter: { status?: PurchaseStatus; limit: number; afterId?: string }): Promise<Purchase[]>;
  /** Inserts an auto top-up unless the account already has one pending; true when inserted. */
  insertAutoTopUp(purchase: Purchase): Promise<boolean>;
  /** An account's auto top-ups created since `sinceMs`, oldest first. */
  autoTopUpsSince(accountId: string, sinceMs: number): Promise<Purchase[]>;
}

export interface InvoiceRepo {
  /** Takes the next number of a series (1, 2, 3...). Never a sequence: it rolls back with the unit of work. */
  nextNumber(series: string): Promise<number>;
  insertInvoice(invoice: Invoice): Promise<void>;
  getInvoice(id: string): Promise<Invoice | undefined>;
  listInvoices(accountId: string): Promise<Invoice[]>;
  insertCreditNote(note: CreditNote): Promise<void>;
  getCreditNote(id: string): Promise<CreditNote | undefined>;
  listCreditNotes(filter: { accountId?: string; purchaseId?: string }): Promise<CreditNote[]>;
}

export interface LotRepo {
  insert(lot: Lot): Promise<void>;
  /** Lots with credits left, in burn order: priority, soonest expiry (none last), oldest. */
  listOpen(accountId: string): Promise<Lot[]>;
  findBySource(sourceId: string): Promise<Lot | undefined>;
  setRemaining(updates: { id: string; remainingMinor: bigint }[]): Promise<void>;
  /**
   * Lots not expired at `nowMs` that usage has burned credits of, in reverse burn order, each with
   * `usedMinor`: what usage took from it and was not given back (not what refunds or expiry took).
   */
  listRefillable(accountId: string, nowMs: number): Promise<(Lot & { usedMinor: bigint })[]>;
  /** Lots past their expiry with credits left, by expiry then id, after the cursor. */
  listExpired(nowMs: number, limit: number, after?: { expiresAtMs: number; id: string }): Promise<Lot[]>;
}

export interface HoldRepo {
  insert(hold: Hold): Promise<void>;
  get(id: string): Promise<Hold | undefined>;
  update(hold: Hold): Promise<void>;
  listExpired(nowMs: number, limit: number): Promise<Hold[]>;
  /** Credits the pending holds made for this key reserve. */
  pendingOfKey(apiKeyId: string): Promise<bigint>;
}

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

export interface DueDelivery {
  delivery: WebhookDelivery;
  event: OutboxEvent;
  endpoint: WebhookEndpoint;
}

export interface WebhookRepo {
  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** Endpoints not deleted, oldest first. */
  listEndpoints(): Promise<WebhookEndpoint[]>;
  deleteEndpoint(id: string, atMs: number): Promise<void>;
  setSecret(id: string, secret: string): Promise<void>;
  insertEvent(event: OutboxEvent, deliveries: WebhookDelivery[]): Promise<void>;
  /**
   * Claims pending deliveries whose next attempt is due (endpoints not deleted), oldest first:
   * their next attempt moves to `leaseUntilMs`, so no other process takes them meanwhile.
   */
  claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<DueDelivery[]>;
  updateDelivery(delivery: WebhookDelivery): Promise<void>;
  listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  getAlertState(accountId: string): Promise<string | null>;
  setAlertState(accountId: string, state: string | null): Promise<void>;
}

export interface PortalSession {
  accountId: string;
  csrf: string;
  expiresAtMs: number;
}

export interface PortalRepo {
  insertLink(link: { tokenHash: string; accountId: string; expiresAtMs: number }): Promise<void>;
  /** The account of an unused, unexpired link, leaving the link as it is. */
  findLink(tokenHash: string, nowMs: number): Promise<string | undefined>;
  /** Removes an unused, unexpired link and answers its account; a link opens once. */
  takeLink(tokenHash: string, nowMs: number): Promise<string | undefined>;
  insertSession(session: PortalSession & { tokenHash: string; createdAtMs: number }): Promise<void>;
  getSession(tokenHash: string): Promise<PortalSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Removes the links and sessions expired at `nowMs`. */
  purgeExpired(nowMs: number): Promise<void>;
}

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

/** Operator tokens; only hashes of their secrets are stored. */
export interface OperatorRepo {
  insert(token: OperatorToken): Promise<void>;
  get(id: string): Promise<OperatorToken | undefined>;
  /** Every token, revoked ones included, oldest first. */
  list(): Promise<OperatorToken[]>;
  revoke(id: string, atMs: number): Promise<void>;
}

/** The audit log: appended to, never edited. */
export interface AuditRepo {
  /** Appends lines; a line whose id is stored already is left as it is. */
  append(entries: AuditEntry[]): Promise<void>;
  /** Entries in the order they were appended, after the one with the cursor id. */
  list(limit: number, afterId?: string): Promise<AuditEntry[]>;
}

/** A payment provider's customer of an account, and the payment method saved on it, if any. */
export interface PaymentCustomer {
  accountId: string;
  provider: string;
  /** The provider's customer (Stripe `cus_...`). */
  customerRef: string;
  /** The payment method saved for off-session charges (Stripe `pm_...`); null until one is saved. */
  paymentMethodRef: string | null;
}

/** Customers and saved payment methods, one per account and provider. */
export interface PaymentCustomerRepo {
  get(accountId: string, provider: string): Promise<PaymentCustomer | undefined>;
  /** Records the customer unless the account already has one there; answers the one recorded. */
  insertCustomer(
    customer: { accountId: string; provider: string; customerRef: string },
    atMs: number,
  ): Promise<PaymentCustomer>;
  /** Records the saved payment method on the account's customer of that provider. */
  setPaymentMethod(
    accountId: string,
    provider: string,
    paymentMethodRef: string,
    atMs: number,
  ): Promise<void>;
}

/** One change of a lot's credits, as the lot journal records it (see core/kernel/lot-journal.ts). */
export interface LotMovement {
  id: string;
  lotId: string;
  accountId: string;
  /** The ledger transfer that moved the credits; null for a debt a new lot paid off (usage billed earlier). */
  transferId: string | null;
  kind: LotMovementKind;
  /** The change of the lot's remaining credits: positive in, negative out. */
  creditsMinor: bigint;
  atMs: number;
}

/** Bought, granted, used (or given back: positive), refunded, expired. */
export type LotMovementKind = 'purchased' | 'granted' | 'consumed' | 'refunded' | 'expired';

/** What a lot was bought for: a purchase's credits and subtotal (USD minor units); grants and give-backs cost 0. */
export interface LotCost {
  lotId: string;
  creditsMinor: bigint;
  costMinor: bigint;
}

/** A ledger transfer as the journal export lists it. */
export interface JournalTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  kind: string;
  code: string;
  metadata: Record<string, string> | null;
  createdAtMs: number;
}

/** The lot journal and the reads finance reports make of it and of the ledger. */
export interface FinanceRepo {
  insertMovements(rows: LotMovement[]): Promise<void>;
  /** Per lot, the sum of its movements before `beforeMs` (its remaining credits then). */
  remainingBefore(beforeMs: number): Promise<Map<string, bigint>>;
  /** Movements in [fromMs, toMs), by time then id. */
  movementsBetween(fromMs: number, toMs: number): Promise<LotMovement[]>;
  /** The movements these transfers caused, each with its lot's credits just before it (movements by time, then id). */
  movementsOfTransfers(transferIds: string[]): Promise<(LotMovement & { remainingBeforeMinor: bigint })[]>;
  /** Costs of the lots bought by a purchase, among these. */
  lotCosts(lotIds: string[]): Promise<Map<string, LotCost>>;
  /** Transfers created in [fromMs, toMs), by time then id, after the cursor. */
  transfersBetween(
    fromMs: number,
    toMs: number,
    limit: number,
    after?: { createdAtMs: number; id: string },
  ): Promise<JournalTransfer[]>;
}

/** What a unit of work does, in its own transaction, for the request it runs for (core/kernel/retries.ts). */
export interface RequestHook {
  inTransaction(tx: Tx, value: unknown): Promise<void>;
}

/**
 * Which request, if any, the running code works for: a port, since following a request across
 * awaits is the runtime's business (the server gives an AsyncLocalStorage; the default knows none).
 */
export interface RequestScopes {
  current(): RequestHook | undefined;
  run<T>(hook: RequestHook, fn: () => Promise<T>): Promise<T>;
}

/** Kept requests by caller and `Idempotency-Key` (API.md "Retries: every change happens once"). */
export interface IdempotencyRepo {
  /** Stores the claim unless the caller's key is stored already; answers the row as it is after. */
  claim(row: KeptRequest): Promise<KeptRequest>;
  /**
   * Takes over a claim from `fromOwner` (whose lease ran out) while no answer is kept: true when
   * this call won it (a compare-and-set, so of two retries at once one runs).
   */
  takeOver(
    scope: string,
    key: string,
    fromOwner: string,
    owner: string,
    leaseUntilMs: number,
  ): Promise<boolean>;
  /** Marks the change committed, in the change's own transaction (while `owner` holds the claim). */
  committed(scope: string, key: string, owner: string, atMs: number, targetId: string | null): Promise<void>;
  /** Keeps the answer of the request `owner` ran. */
  keep(scope: string, key: string, owner: string, answer: KeptAnswer): Promise<void>;
  /** Gives the claim up with no answer kept: deleted if nothing committed, else left for its twin to report. */
  release(scope: string, key: string, owner: string): Promise<void>;
  /** Deletes kept requests created before `beforeMs`; answers how many. */
  purge(beforeMs: number): Promise<number>;
}

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
}

export type Durability = 'full' | 'normal';

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

/** A page of an account's records: see `StoragePort.usageRecords`. */
export type RecordsQuery = UsageQuery & {
  after?: { timestampMs: number; id: string };
  limit: number;
  newestFirst?: boolean;
};

/** Renders a frozen invoice or credit note as a document (PDF). */
export interface InvoiceRenderer {
  render(snapshot: InvoiceSnapshot): Promise<Uint8Array>;
}

/** Sends one signed webhook request (Standard Webhooks headers); never throws. */
export interface WebhookSender {
  send(request: {
    url: string;
    id: string;
    timestampSeconds: number;
    body: string;
    secret: string;
  }): Promise<{
    ok: boolean;
    status: number | null;
    error: string | null;
  }>;
  /**
   * Why `url` may not be an endpoint (its host resolves to an address the sender refuses), or
   * null. Asked when an endpoint is created, if `webhookPublicTargetsOnly`; optional.
   */
  checkTarget?(url: string): Promise<string | null>;
}

/** What a verified sign-in says about the person. */
export interface Identity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** Standalone sign-in to the customer portal (OpenID Connect: Google by default, any issuer). */
export interface SignInProvider {
  /** Where to send the browser, and the state to keep (in a cookie) until it comes back. */
  start(redirectUri: string): Promise<{ url: string; state: string }>;
  /** Checks the answer the browser brings back against the kept state. */
  finish(currentUrl: string, state: string): Promise<Identity>;
}
