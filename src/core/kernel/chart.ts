import type { Context } from './context.ts';
import { fail } from './context.ts';
import { type ErrorCode, refuse } from './errors.ts';
import {
  idsToLoad,
  type LedgerAccount,
  type LedgerRefusalCode,
  planTransfers,
  type Transfer,
  type TransferInput,
  type TransferResult,
} from './ledger.ts';
import type { Tx } from './ports.ts';
import { balanceUnit } from './unit-of-work.ts';

/** The system accounts of the credits asset. */
export const SYSTEM_ACCOUNTS = {
  /** Source of every credit sold or granted; its balance is minus the credits in circulation. */
  issued: 'sys_credits_issued',
  /** Where consumed credits go. */
  usage: 'sys_credits_usage',
  /** Where expired credits go. */
  breakage: 'sys_credits_breakage',
} as const;

export const CREDITS = 'credits';

export const systemAccounts = (): LedgerAccount[] =>
  Object.values(SYSTEM_ACCOUNTS).map((id) => ({
    id,
    asset: CREDITS,
    kind: 'system',
    overdraftMinor: null,
    debitsPosted: 0n,
    creditsPosted: 0n,
    debitsPending: 0n,
    creditsPending: 0n,
  }));

const CODE_OF: Record<LedgerRefusalCode, ErrorCode> = {
  idempotency_conflict: 'idempotency_conflict',
  account_not_found: 'not_found',
  pending_not_found: 'not_found',
  asset_mismatch: 'validation_failed',
  same_account: 'validation_failed',
  invalid_amount: 'validation_failed',
  exceeds_pending: 'validation_failed',
  amount_out_of_range: 'amount_out_of_range',
  insufficient_credits: 'insufficient_credits',
  already_resolved: 'invalid_state',
  pending_expired: 'invalid_state',
  not_expired: 'invalid_state',
  batch_failed: 'invalid_state',
};

/** The API error code for a ledger refusal. */
export const errorCodeOf = (code: LedgerRefusalCode): ErrorCode => CODE_OF[code];

/** Plans and applies a batch inside the caller's unit of work (which notes the accounts it touches). */
export async function postIn(
  tx: Tx,
  inputs: TransferInput[],
  nowMs: number,
): Promise<{ results: TransferResult[]; applied: boolean }> {
  const { transferIds, accountIds } = idsToLoad(inputs);
  const view = await tx.ledger.loadView(transferIds, accountIds);
  const { results, plan } = planTransfers(inputs, view, nowMs);
  if (plan) await tx.ledger.apply(plan);
  return { results, applied: plan !== null };
}

/** Posts a batch that must succeed whole, or aborts the unit of work with the first refusal. */
export async function postOrFail(tx: Tx, inputs: TransferInput[], nowMs: number): Promise<Transfer[]> {
  const { results } = await postIn(tx, inputs, nowMs);
  const transfers: Transfer[] = [];
  for (const r of results) {
    if (r.status === 'refused') {
      if (r.code !== 'batch_failed') fail(refuse(errorCodeOf(r.code), r.message));
      continue;
    }
    transfers.push(r.transfer);
  }
  return transfers;
}

/**
 * Posts a batch of transfers in one transaction, all or nothing, answering per item.
 * @example await postTransfers(ctx, [{ id: 'tr_1', debitAccountId: a, creditAccountId: b, amount: 100n, code: 'adjustment' }])
 */
export async function postTransfers(ctx: Context, inputs: TransferInput[]): Promise<TransferResult[]> {
  // Refused items are answers, not a refusal of the unit of work: it always commits (or throws).
  const r = await balanceUnit(ctx, async (tx) => (await postIn(tx, inputs, ctx.clock.nowMs())).results);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}
