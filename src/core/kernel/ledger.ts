/**
 * The double-entry credit ledger, as pure functions. A transfer debits one account and credits
 * another of the same asset; it never changes once written. Pending transfers (holds) reserve
 * the debit side until they are posted (up to the held amount), voided, or expired.
 *
 * Every account's balance is `credits - debits`, so across an asset the balances sum to zero.
 */

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';
export type Resolution = 'posted' | 'voided' | 'expired';

export interface LedgerAccount {
  id: string;
  asset: string;
  /** `customer` accounts keep a floor; `system` accounts (issuance, usage, breakage) have none. */
  kind: 'customer' | 'system';
  /** How far below zero the account may go; `null` means no floor at all. */
  overdraftMinor: bigint | null;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export interface Transfer {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  asset: string;
  amount: bigint;
  pendingId: string | null;
  timeoutAtMs: number | null;
  /** Why the transfer exists: `purchase`, `usage`, `hold`, `refund`, `breakage`, `grant`, `reversal`... */
  code: string;
  metadata: Record<string, string> | null;
  /** Canonical form of the request that created it, compared on retries. */
  fingerprint: string;
  createdAtMs: number;
}

export interface TransferInput {
  id: string;
  kind?: TransferKind;
  debitAccountId?: string;
  creditAccountId?: string;
  amount: bigint;
  pendingId?: string;
  timeoutSeconds?: number;
  code: string;
  metadata?: Record<string, string>;
  /** Skip the floor check: for usage that was already consumed and must be billed. */
  force?: boolean;
  /** With `void_pending`: record the resolution as an expiry (only past the deadline). */
  expire?: boolean;
}

export type LedgerRefusalCode =
  | 'idempotency_conflict'
  | 'account_not_found'
  | 'asset_mismatch'
  | 'same_account'
  | 'invalid_amount'
  | 'insufficient_credits'
  | 'pending_not_found'
  | 'already_resolved'
  | 'pending_expired'
  | 'not_expired'
  | 'exceeds_pending'
  | 'amount_out_of_range'
  | 'batch_failed';

export type TransferResult =
  | { id: string; status: 'created' | 'exists'; transfer: Transfer }
  | { id: string; status: 'refused'; code: LedgerRefusalCode; message: string };

/** What a batch needs from storage: the accounts it touches, transfers it names, and their resolutions. */
export interface LedgerView {
  accounts: Map<string, LedgerAccount>;
  transfers: Map<string, Transfer>;
  resolutions: Map<string, Resolution>;
}

/** The writes of a batch that was accepted whole. */
export interface LedgerPlan {
  transfers: Transfer[];
  resolutions: { pendingId: string; resolution: Resolution; transferId: string }[];
  accounts: LedgerAccount[];
}

/**
 * The largest amount or running total the ledger stores: a signed 64-bit integer (SQLite INTEGER,
 * PostgreSQL bigint). A transfer whose amount or resulting totals would pass it is refused, so no
 * accepted batch can fail later in the driver.
 */
export const MAX_LEDGER_MINOR = 2n ** 63n - 1n;

const withinRange = (a: LedgerAccount): boolean =>
  a.debitsPosted <= MAX_LEDGER_MINOR &&
  a.creditsPosted <= MAX_LEDGER_MINOR &&
  a.debitsPending <= MAX_LEDGER_MINOR &&
  a.creditsPending <= MAX_LEDGER_MINOR;

/** Balances of one account as shown to a customer (credit-normal). */
export const postedBalance = (a: LedgerAccount): bigint => a.creditsPosted - a.debitsPosted;

/** Posted minus what holds reserve. */
export const spendableBalance = (a: LedgerAccount): bigint => postedBalance(a) - a.debitsPending;

export function fingerprintOf(input: TransferInput): string {
  return JSON.stringify([
    input.kind ?? 'posted',
    input.debitAccountId ?? null,
    input.creditAccountId ?? null,
    input.amount.toString(),
    input.pendingId ?? null,
    input.timeoutSeconds ?? null,
    input.code,
    input.metadata ?? null,
    Boolean(input.expire),
  ]);
}

/** The ids of everything a batch reads, so storage can load it in one step. */
export function idsToLoad(inputs: TransferInput[]): { transferIds: string[]; accountIds: string[] } {
  const transferIds = new Set<string>();
  const accountIds = new Set<string>();
  for (const input of inputs) {
    transferIds.add(input.id);
    if (input.pendingId) transferIds.add(input.pendingId);
    if (input.debitAccountId) accountIds.add(input.debitAccountId);
    if (input.creditAccountId) accountIds.add(input.creditAccountId);
  }
  return { transferIds: [...transferIds], accountIds: [...accountIds] };
}

type Step = { ok: true; transfer: Transfer } | { ok: false; code: LedgerRefusalCode; message: string };

const fail = (code: LedgerRefusalCode, message: string): Step => ({ ok: false, code, message });

/**
 * Decides a batch of transfers against a view of storage. The batch is all or nothing: if any
 * item is refused, `plan` is null and the items that would have been created answer `batch_failed`.
 * Items see the effects of earlier items of the same batch.
 *
 * @example
 * const { results, plan } = planTransfers([{ id: 't1', debitAccountId: 'a', creditAccountId: 'b', amount: 5n, code: 'grant' }], view, now);
 */
export function planTransfers(
  inputs: TransferInput[],
  view: LedgerView,
  nowMs: number,
): { results: TransferResult[]; plan: LedgerPlan | null } {
  const accounts = new Map<string, LedgerAccount>();
  const account = (id: string): LedgerAccount | undefined => {
    let a = accounts.get(id);
    if (!a) {
      const stored = view.accounts.get(id);
      if (!stored) return undefined;
      a = { ...stored };
      accounts.set(id, a);
    }
    return a;
  };
  const transfers = new Map(view.transfers);
  const resolutions = new Map(view.resolutions);
  const plan: LedgerPlan = { transfers: [], resolutions: [], accounts: [] };
  const steps: { input: TransferInput; step: Step; existed: boolean }[] = [];
  let failed = false;

  for (const input of inputs) {
    const fingerprint = fingerprintOf(input);
    const existing = transfers.get(input.id);
    if (existing) {
      const same = existing.fingerprint === fingerprint;
      if (!same) failed = true;
      steps.push({
        input,
        existed: true,
        step: same
          ? { ok: true, transfer: existing }
          : fail('idempotency_conflict', `transfer ${input.id} exists with a different body`),
      });
      continue;
    }
    let step = decide(input, fingerprint);
    if (
      step.ok &&
      ![step.transfer.debitAccountId, step.transfer.creditAccountId].every((id) => withinRange(account(id)!))
    )
      step = fail('amount_out_of_range', `transfer ${input.id} would take a balance past the ledger's range`);
    if (!step.ok) failed = true;
    else transfers.set(input.id, step.transfer);
    steps.push({ input, step, existed: false });
  }

  const results: TransferResult[] = steps.map(({ input, step, existed }) => {
    if (!step.ok) return { id: input.id, status: 'refused', code: step.code, message: step.message };
    if (existed) return { id: input.id, status: 'exists', transfer: step.transfer };
    if (failed) {
      return {
        id: input.id,
        status: 'refused',
        code: 'batch_failed',
        message: 'another transfer of the batch was refused',
      };
    }
    return { id: input.id, status: 'created', transfer: step.transfer };
  });
  if (failed) return { results, plan: null };
  plan.accounts = [...accounts.values()];
  return { results, plan };

  function decide(input: TransferInput, fingerprint: string): Step {
    const kind = input.kind ?? 'posted';
    if (input.amount < 0n || (input.amount === 0n && kind !== 'void_pending')) {
      return fail('invalid_amount', 'amount must be positive');
    }
    if (input.amount > MAX_LEDGER_MINOR)
      return fail('amount_out_of_range', 'amount is past the ledger range');
    const base = {
      id: input.id,
      kind,
      code: input.code,
      metadata: input.metadata ?? null,
      fingerprint,
      createdAtMs: nowMs,
    };
    if (kind === 'post_pending' || kind === 'void_pending') {
      const pending = input.pendingId ? transfers.get(input.pendingId) : undefined;
      if (pending?.kind !== 'pending')
        return fail('pending_not_found', `no pending transfer ${input.pendingId}`);
      const resolved = resolutions.get(pending.id);
      if (resolved) return fail('already_resolved', `pending transfer ${pending.id} is already ${resolved}`);
      const expired = pending.timeoutAtMs !== null && nowMs >= pending.timeoutAtMs;
      if (input.expire && !expired)
        return fail('not_expired', `pending transfer ${pending.id} has not expired`);
      if (!input.expire && expired)
        return fail('pending_expired', `pending transfer ${pending.id} has expired`);
      if (kind === 'post_pending' && input.amount > pending.amount) {
        return fail('exceeds_pending', 'amount exceeds the pending amount');
      }
      const debit = account(pending.debitAccountId)!;
      const credit = account(pending.creditAccountId)!;
      debit.debitsPending -= pending.amount;
      credit.creditsPending -= pending.amount;
      const amount = kind === 'post_pending' ? input.amount : 0n;
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
      const resolution: Resolution = kind === 'post_pending' ? 'posted' : input.expire ? 'expired' : 'voided';
      resolutions.set(pending.id, resolution);
      const transfer: Transfer = {
        ...base,
        debitAccountId: pending.debitAccountId,
        creditAccountId: pending.creditAccountId,
        asset: pending.asset,
        amount,
        pendingId: pending.id,
        timeoutAtMs: null,
      };
      plan.transfers.push(transfer);
      plan.resolutions.push({ pendingId: pending.id, resolution, transferId: input.id });
      return { ok: true, transfer };
    }
    if (!input.debitAccountId || !input.creditAccountId)
      return fail('account_not_found', 'both accounts are required');
    if (input.debitAccountId === input.creditAccountId)
      return fail('same_account', 'debit and credit accounts are the same');
    const debit = account(input.debitAccountId);
    const credit = account(input.creditAccountId);
    if (!debit) return fail('account_not_found', `no ledger account ${input.debitAccountId}`);
    if (!credit) return fail('account_not_found', `no ledger account ${input.creditAccountId}`);
    if (debit.asset !== credit.asset) return fail('asset_mismatch', 'accounts hold different assets');
    if (
      !input.force &&
      debit.overdraftMinor !== null &&
      spendableBalance(debit) - input.amount < -debit.overdraftMinor
    ) {
      return fail('insufficient_credits', `account ${debit.id} lacks the funds`);
    }
    if (kind === 'pending') {
      debit.debitsPending += input.amount;
      credit.creditsPending += input.amount;
    } else {
      debit.debitsPosted += input.amount;
      credit.creditsPosted += input.amount;
    }
    const transfer: Transfer = {
      ...base,
      debitAccountId: debit.id,
      creditAccountId: credit.id,
      asset: debit.asset,
      amount: input.amount,
      pendingId: null,
      timeoutAtMs: kind === 'pending' && input.timeoutSeconds ? nowMs + input.timeoutSeconds * 1000 : null,
    };
    plan.transfers.push(transfer);
    return { ok: true, transfer };
  }
}
