import { postOrFail, SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import { type Context, fail, read } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import { postedBalance } from '../kernel/ledger.ts';
import { paysFor } from '../kernel/lots.ts';
import type { Lot, UsageVoid } from '../kernel/model.ts';
import type { Tx } from '../kernel/ports.ts';
import { startOfHour } from '../kernel/time.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';

/**
 * Corrections: a voided usage event stays stored; its void takes it out of the hourly rollup (so
 * summaries and spend leave it out), out of `unbilled` at once for what was not billed yet, and
 * the next billing run gives back what was billed, by a transfer of its own (`void_<event id>`),
 * returning those credits to the lots they came from. Voiding twice changes nothing.
 */

const REASON_MAX_CHARS = 500;

/**
 * Voids one usage event. Refusals, first wins: `reason` (1 to 500 characters), `not_found`
 * (no such event, or older than the dedupe window on a store that forgets old ids). A void of an
 * event voided before answers that void, whatever the reason given.
 * @example await voidUsageEvent(ctx, 'evt-1', 'reported twice by a retry loop')
 */
export async function voidUsageEvent(
  ctx: Context,
  eventId: string,
  rawReason: unknown,
): Promise<Result<UsageVoid>> {
  const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
  if (reason.length < 1 || reason.length > REASON_MAX_CHARS)
    return invalidField('reason', `is required, 1 to ${REASON_MAX_CHARS} characters`);
  const event = await read(ctx, (tx) => tx.usage.findEvent(eventId));
  if (!event) return refuse('not_found', `no usage event ${eventId}`);
  return balanceUnit(ctx, async (tx) => {
    // The account's lock: a billing run of this account waits, or ran before; never both halves.
    await tx.accounts.lock(event.accountId);
    const done = await tx.voids.get(eventId);
    if (done) return done;
    // Read again under the lock: a billing run may have billed it since.
    const stored = await tx.usage.findEvent(eventId);
    const billed = stored !== undefined && stored.billedAtMs !== null;
    const v = {
      eventId,
      accountId: event.accountId,
      apiKeyId: event.apiKeyId,
      model: event.model,
      timestampMs: event.timestampMs,
      hourMs: startOfHour(event.timestampMs),
      quantityMinor: event.quantityMinor,
      creditsMinor: event.creditsMinor,
      reason,
      voidedAtMs: ctx.clock.nowMs(),
    };
    const reversal = await tx.voids.takeOut(v, billed);
    const voided: UsageVoid = { ...v, reversalMinor: reversal, reversedAtMs: null, reversalTransferId: null };
    await tx.voids.insert(voided);
    return voided;
  });
}

/** The void of an event, if it was voided. */
export async function getVoid(ctx: Context, eventId: string): Promise<Result<UsageVoid>> {
  const v = await read(ctx, (tx) => tx.voids.get(eventId));
  return v ? ok(v) : refuse('not_found', `usage event ${eventId} is not voided`);
}

/**
 * Inside a billing unit of work that holds these accounts' locks: gives back the billed part of
 * their voids not given back yet, one transfer per void, its credits returned to the lots.
 * Answers the credits given back per account.
 */
export async function postReversals(
  ctx: Context,
  tx: Tx,
  accountIds: string[],
  nowMs: number,
): Promise<Map<string, bigint>> {
  const pending = await tx.voids.pendingReversals(accountIds);
  const perAccount = new Map<string, bigint>();
  if (pending.length === 0) return perAccount;
  const postedBefore = new Map<string, bigint>();
  for (const accountId of new Set(pending.map((v) => v.accountId))) {
    const ledger = await tx.ledger.getAccount(accountId);
    if (!ledger) fail(refuse('not_found', `no account ${accountId}`));
    postedBefore.set(accountId, postedBalance(ledger));
  }
  await postOrFail(
    tx,
    pending.map((v) => ({
      id: `void_${v.eventId}`,
      debitAccountId: SYSTEM_ACCOUNTS.usage,
      creditAccountId: v.accountId,
      amount: v.reversalMinor,
      code: 'usage_void',
      metadata: { event_id: v.eventId, hour: new Date(v.hourMs).toISOString() },
      force: true,
    })),
    nowMs,
  );
  for (const v of pending) perAccount.set(v.accountId, (perAccount.get(v.accountId) ?? 0n) + v.reversalMinor);
  for (const accountId of perAccount.keys())
    await returnToLots(
      ctx,
      tx,
      accountId,
      pending.filter((v) => v.accountId === accountId),
      postedBefore.get(accountId)!,
    );
  await tx.voids.markReversed(
    pending.map((v) => ({ eventId: v.eventId, transferId: `void_${v.eventId}` })),
    nowMs,
  );
  return perAccount;
}

/**
 * Credits given back, void by void (oldest first), go to the lots that may pay for the voided
 * event's model and that usage burned: scoped ones first (usage of a model burns the lots scoped
 * to it first, at equal priority), each group in reverse burn order, each lot up to what usage
 * took from it, never what a refund took, which was paid back (a balance in debt first pays off
 * the debt: lots keep `max(posted, 0)` together when nothing is scoped). A lot that has expired
 * since takes nothing: what no lot can take becomes an unscoped lot of its own, without expiry,
 * so nothing given back is lost to an expiry that already happened. One read and one write of
 * the account's lots, whatever the number of voids.
 */
async function returnToLots(
  ctx: Context,
  tx: Tx,
  accountId: string,
  voids: Pick<UsageVoid, 'model' | 'eventId' | 'reversalMinor'>[],
  postedBefore: bigint,
): Promise<void> {
  const floor = (n: bigint) => (n > 0n ? n : 0n);
  const now = ctx.clock.nowMs();
  const refillable = await tx.lots.listRefillable(accountId, now);
  const changed = new Map<string, bigint>();
  const own: Lot[] = [];
  let posted = postedBefore;
  for (const v of voids) {
    let left = floor(posted + v.reversalMinor) - floor(posted);
    posted += v.reversalMinor;
    const mayPay = refillable.filter((l) => paysFor(l, v.model));
    for (const lot of [
      ...mayPay.filter((l) => l.models !== null),
      ...mayPay.filter((l) => l.models === null),
    ]) {
      if (left <= 0n) break;
      // Up to what usage took from it: credits refunded from a lot never come back to it.
      const put = lot.usedMinor < left ? lot.usedMinor : left;
      lot.usedMinor -= put;
      lot.remainingMinor += put;
      changed.set(lot.id, lot.remainingMinor);
      left -= put;
    }
    if (left > 0n)
      own.push({
        id: ctx.ids.newId('lot'),
        accountId,
        source: 'void',
        sourceId: `void_${v.eventId}`,
        creditsMinor: left,
        remainingMinor: left,
        priority: ctx.config.purchasePriority,
        expiresAtMs: null,
        createdAtMs: now,
        models: null,
      });
  }
  if (changed.size > 0)
    await tx.lots.setRemaining([...changed].map(([id, remainingMinor]) => ({ id, remainingMinor })));
  for (const lot of own) await tx.lots.insert(lot);
}
