import { type Context, fail, read, unit } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { UsageDispute } from '../kernel/model.ts';
import { emit } from '../webhooks/index.ts';
import { voidUsageEvent } from './voids.ts';

/**
 * Disputes: a customer flags one of their usage records as wrong, with a reason; the operator
 * hears it (`usage.disputed`), then voids the event (its credits come back as for any void) or
 * rejects the dispute, with a note the customer sees. One open dispute per event.
 */

const TEXT_MAX_CHARS = 500;

const text = (raw: unknown, field: string): Result<string> => {
  const v = typeof raw === 'string' ? raw.trim() : '';
  return v.length < 1 || v.length > TEXT_MAX_CHARS
    ? invalidField(field, `is required, 1 to ${TEXT_MAX_CHARS} characters`)
    : ok(v);
};

/**
 * Opens a dispute of one of the account's usage records. Refusals, first wins: `reason`;
 * `not_found` (no such event of this account); `invalid_state` (already voided). Disputing an
 * event again while its dispute is open answers that dispute.
 */
export async function openDispute(
  ctx: Context,
  accountId: string,
  eventId: string,
  rawReason: unknown,
): Promise<Result<UsageDispute>> {
  const reason = text(rawReason, 'reason');
  if (!reason.ok) return reason;
  const event = await read(ctx, (tx) => tx.usage.findEvent(eventId));
  if (!event || event.accountId !== accountId) return refuse('not_found', `no usage event ${eventId}`);
  return unit(ctx, async (tx) => {
    if (await tx.voids.get(eventId))
      fail(refuse('invalid_state', `usage event ${eventId} is already voided`));
    const open = await tx.disputes.openForEvent(eventId);
    if (open) return open;
    const dispute: UsageDispute = {
      id: ctx.ids.newId('dsp'),
      accountId,
      eventId,
      reason: reason.value,
      status: 'open',
      outcome: null,
      note: null,
      createdAtMs: ctx.clock.nowMs(),
      resolvedAtMs: null,
    };
    if (!(await tx.disputes.insert(dispute))) return (await tx.disputes.openForEvent(eventId))!;
    await emit(ctx, tx, 'usage.disputed', {
      dispute_id: dispute.id,
      account_id: accountId,
      event_id: eventId,
      reason: dispute.reason,
      credits: event.creditsMinor.toString(),
      scale: ctx.config.scales.credits,
    });
    return dispute;
  });
}

/**
 * Resolves a dispute: `void` voids its event (the credits come back), `reject` leaves it; the
 * note is shown to the customer. Resolving again answers the resolution, whatever is asked.
 */
export async function resolveDispute(
  ctx: Context,
  id: string,
  outcome: unknown,
  rawNote: unknown,
): Promise<Result<UsageDispute>> {
  if (outcome !== 'void' && outcome !== 'reject')
    return invalidField('outcome', 'must be "void" or "reject"');
  const note = text(rawNote, 'note');
  if (!note.ok) return note;
  const dispute = await read(ctx, (tx) => tx.disputes.get(id));
  if (!dispute) return refuse('not_found', `no usage dispute ${id}`);
  if (dispute.status === 'resolved') return ok(dispute);
  // The void first (idempotent): if marking the dispute fails after it, a retry finds it voided.
  if (outcome === 'void') {
    const voided = await voidUsageEvent(ctx, dispute.eventId, `dispute ${id}: ${note.value}`);
    if (!voided.ok) return voided;
  }
  const r = await unit(ctx, async (tx) => {
    await tx.disputes.resolve(id, outcome, note.value, ctx.clock.nowMs());
    return (await tx.disputes.get(id))!;
  });
  return r;
}

/** Disputes, newest first, a page at a time. */
export async function listDisputes(
  ctx: Context,
  q: { status?: UsageDispute['status']; accountId?: string; limit: number; cursor?: string },
): Promise<{ data: UsageDispute[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, Math.trunc(q.limit)), 500);
  const rows = await read(ctx, (tx) =>
    tx.disputes.list({
      limit: limit + 1,
      ...(q.status ? { status: q.status } : {}),
      ...(q.accountId ? { accountId: q.accountId } : {}),
      ...(q.cursor ? { afterId: q.cursor } : {}),
    }),
  );
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.id : null };
}
