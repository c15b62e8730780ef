/** Storage ports of money: the ledger, purchases, invoices, lots, holds, payment customers and the lot journal. */

import type { LedgerAccount, LedgerPlan, LedgerView } from '../ledger.ts';
import type { Allowance, CreditNote, Hold, Invoice, Lot, Purchase, PurchaseStatus } from '../model.ts';

/** Ledger reads and writes inside a unit of work. */
export interface LedgerRepo {
  insertAccounts(accounts: LedgerAccount[]): Promise<void>;
  /** The accounts and transfers named, plus the resolutions of the pending transfers among them. */
  loadView(transferIds: string[], accountIds: string[]): Promise<LedgerView>;
  apply(plan: LedgerPlan): Promise<void>;
  getAccount(id: string): Promise<LedgerAccount | undefined>;
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
  /** Lots with credits left, in burn order: priority, scoped before unscoped, soonest expiry (none last), oldest. */
  listOpen(accountId: string): Promise<Lot[]>;
  /** Whether the account has a scoped lot with credits left (a probe of a partial index). */
  hasScoped(accountId: string): Promise<boolean>;
  /** Whether any account has a scoped lot with credits left. */
  anyScoped(): Promise<boolean>;
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
  /** Its purchase's subtotal, in minor units of `currency`. */
  costMinor: bigint;
  currency: string;
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

/** Monthly allowances of credits. */
export interface AllowanceRepo {
  insert(a: Allowance): Promise<void>;
  get(id: string): Promise<Allowance | undefined>;
  /** An account's allowances, oldest first. */
  list(accountId: string): Promise<Allowance[]>;
  /** Marks it ended at `atMs` unless it ended before. */
  end(id: string, atMs: number): Promise<void>;
  /**
   * Allowances due a grant in the month starting at `monthStartMs`: created before `beforeMs`,
   * not ended before the month started; by id after the cursor.
   */
  listDue(monthStartMs: number, beforeMs: number, limit: number, afterId?: string): Promise<Allowance[]>;
}
