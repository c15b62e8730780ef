import { type Context, read } from '../kernel/context.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Transfer } from '../kernel/ledger.ts';
import type { UsageVoid } from '../kernel/model.ts';
import type { UsageBilling, UsageHour } from '../kernel/ports.ts';
import { HOUR_MS } from '../kernel/time.ts';

/** A ledger transfer and, for usage billing and its corrections, what it covers. */
export interface TransferTrace {
  transfer: Transfer;
  /**
   * A billing transfer (`usage`): its account and hour, the rows (key x model) it billed with the
   * credits it took from each, and that hour's usage per key and model as it stands.
   */
  usage?: { accountId: string; hourMs: number; billed: UsageBilling[]; groups: UsageHour[] };
  /** A give-back of a voided event (`usage_void`): the void. */
  void?: UsageVoid;
}

/**
 * Traces a transfer back to what it bills: for a billing transfer the account, the UTC hour, the
 * rows (API key x model) it billed and the credits it took from each, and the usage of that hour
 * per key and model (events, quantity, credits). The events are the usage records of that hour
 * whose `billing_transfer_id` is this transfer; each keeps the credits and the price-book entry
 * it was rated at when ingested, so a changed price book never re-rates it. For a give-back: the
 * voided event.
 * @example const t = await traceTransfer(ctx, 'usage_acc_1_1764666000000_0')
 */
export async function traceTransfer(ctx: Context, id: string): Promise<Result<TransferTrace>> {
  const transfer = (await read(ctx, (tx) => tx.ledger.loadView([id], []))).transfers.get(id);
  if (!transfer) return refuse('not_found', `no transfer ${id}`);
  if (transfer.code === 'usage' && transfer.metadata?.hour) {
    const hourMs = Date.parse(transfer.metadata.hour);
    const accountId = transfer.debitAccountId;
    const groups = await ctx.storage.usageHours({ accountId, fromMs: hourMs, toMs: hourMs + HOUR_MS });
    const billed = await read(ctx, (tx) => tx.usage.billingsOf(id));
    return ok({ transfer, usage: { accountId, hourMs, billed, groups } });
  }
  if (transfer.code === 'usage_void' && transfer.metadata?.event_id) {
    const eventId = transfer.metadata.event_id;
    const v = await read(ctx, (tx) => tx.voids.get(eventId));
    return ok(v ? { transfer, void: v } : { transfer });
  }
  return ok({ transfer });
}
