import { parseCredits } from '../kernel/amount.ts';
import { balanceIn } from '../kernel/balance.ts';
import { postOrFail, SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import { type Context, fail, read } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { Hold } from '../kernel/model.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { accountSpend, keySpend } from '../spend/index.ts';
import { burnLots } from './credits.ts';

export interface HoldInput {
  credits: unknown;
  ttlSeconds?: unknown;
  reference?: unknown;
  /**
   * Makes the create safe to retry: the same key on the same account answers the hold it made
   * (with the same body) or `idempotency_conflict` (with another body), and reserves nothing again.
   */
  idempotencyKey?: string;
  /** The API key the hold is for (the middleware's): its spend limit counts the hold while open. */
  apiKeyId?: string;
}

const MAX_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Reserves credits for a long job (a pending ledger transfer). Refused beyond the available
 * balance (posted - pending - unbilled, less scoped credits: a hold names no model, so only
 * unscoped lots pay for it). Resolves once: capture, release, or expiry.
 * @example await createHold(ctx, 'acc_1', { credits: '50', ttlSeconds: 600, idempotencyKey: 'job-42' })
 */
export async function createHold(ctx: Context, accountId: string, input: HoldInput): Promise<Result<Hold>> {
  const credits = parseCredits(
    input.credits,
    ctx.config.scales.credits,
    ctx.config.maxCreditsMinor,
    'credits',
  );
  if (!credits.ok) return credits;
  const ttl = input.ttlSeconds ?? ctx.config.defaultHoldTtlSeconds;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    return invalidField('ttl_seconds', `must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  if (input.reference != null && (typeof input.reference !== 'string' || input.reference.length > 200)) {
    return invalidField('reference', 'must be a string of at most 200 characters');
  }
  const key = input.idempotencyKey;
  if (key !== undefined && (key.length < 1 || key.length > 255))
    return invalidField('Idempotency-Key', 'must be 1 to 255 characters');
  // With a key, the hold's id is derived from account and key, and the request is fingerprinted.
  const id =
    key === undefined
      ? ctx.ids.newId('hold')
      : `hold_k${ctx.ids.hashSecret(`${accountId}\u0000${key}`).slice(0, 32)}`;
  const fingerprint =
    key === undefined ? '' : JSON.stringify([credits.value.toString(), ttl, input.reference ?? null]);
  const result = await balanceUnit(ctx, async (tx) => {
    if (!(await tx.accounts.lock(accountId))) fail(refuse('not_found', `no account ${accountId}`));
    if (key !== undefined) {
      const existing = await tx.holds.get(id);
      if (existing) {
        if (existing.accountId !== accountId || existing.fingerprint !== fingerprint)
          fail(refuse('idempotency_conflict', 'this Idempotency-Key was used with a different body'));
        return existing;
      }
    }
    // Read under the account's lock: a billing run (which moves unbilled to posted) waits for it.
    const { available, pending } = (await balanceIn(tx, accountId))!;
    if (credits.value > available)
      fail(refuse('insufficient_credits', 'the hold is larger than the available balance'));
    // What is used, what other holds reserve, and this hold: together within the account's limit,
    // and within the key's for a hold made for a key.
    const limit = await accountSpend(ctx, tx, accountId);
    if (limit && limit.spentMinor + pending + credits.value > limit.limit.creditsMinor)
      fail(
        refuse(
          'spend_limit_reached',
          `the hold would pass the account's spend limit for this ${limit.limit.period} (UTC)`,
        ),
      );
    if (input.apiKeyId !== undefined) {
      const key = await tx.keys.get(input.apiKeyId);
      if (!key || key.accountId !== accountId)
        fail(invalidField('api_key_id', `is not a key of account ${accountId}`));
      const keyLimit = await keySpend(ctx, tx, key);
      if (
        keyLimit &&
        keyLimit.spentMinor + (await tx.holds.pendingOfKey(key.id)) + credits.value >
          keyLimit.limit.creditsMinor
      )
        fail(
          refuse(
            'spend_limit_reached',
            `the hold would pass the spend limit of key ${key.id} for this ${keyLimit.limit.period} (UTC)`,
          ),
        );
    }
    const now = ctx.clock.nowMs();
    const hold: Hold = {
      id,
      accountId,
      creditsMinor: credits.value,
      reference: (input.reference as string | undefined) ?? null,
      status: 'pending',
      capturedMinor: null,
      expiresAtMs: now + ttl * 1000,
      createdAtMs: now,
      fingerprint,
      apiKeyId: input.apiKeyId ?? null,
    };
    await postOrFail(
      tx,
      [
        {
          id: hold.id,
          kind: 'pending',
          debitAccountId: accountId,
          creditAccountId: SYSTEM_ACCOUNTS.usage,
          amount: credits.value,
          timeoutSeconds: ttl,
          code: 'hold',
        },
      ],
      now,
    );
    await tx.holds.insert(hold);
    return hold;
  });
  return result;
}

export async function getHold(ctx: Context, id: string): Promise<Result<Hold>> {
  const hold = await read(ctx, (tx) => tx.holds.get(id));
  return hold ? ok(hold) : refuse('not_found', `no hold ${id}`);
}

/** Captures up to the held amount; the rest is released. Capturing the same amount again answers the same. */
export async function captureHold(ctx: Context, id: string, rawCredits: unknown): Promise<Result<Hold>> {
  const credits = parseCredits(rawCredits, ctx.config.scales.credits, ctx.config.maxCreditsMinor, 'credits');
  if (!credits.ok) return credits;
  return resolveHold(ctx, id, 'captured', credits.value);
}

export const releaseHold = (ctx: Context, id: string) => resolveHold(ctx, id, 'released', 0n);

async function resolveHold(
  ctx: Context,
  id: string,
  to: 'captured' | 'released' | 'expired',
  amount: bigint,
): Promise<Result<Hold>> {
  const result = await balanceUnit(ctx, async (tx) => {
    const found = await tx.holds.get(id);
    if (!found) fail(refuse('not_found', `no hold ${id}`));
    await tx.accounts.lock(found.accountId);
    const hold = (await tx.holds.get(id))!;
    if (hold.status === to && (to !== 'captured' || hold.capturedMinor === amount)) return hold;
    if (hold.status !== 'pending') fail(refuse('invalid_state', `hold ${id} is ${hold.status}`));
    const now = ctx.clock.nowMs();
    if (to !== 'expired' && now >= hold.expiresAtMs) fail(refuse('invalid_state', `hold ${id} has expired`));
    if (amount > hold.creditsMinor)
      fail(
        refuse('validation_failed', 'credits exceed the held amount', [
          { field: 'credits', message: 'exceeds the held amount' },
        ]),
      );
    await postOrFail(
      tx,
      [
        {
          id: `${id}_${to}`,
          kind: to === 'captured' ? 'post_pending' : 'void_pending',
          pendingId: id,
          amount,
          code: 'hold',
          expire: to === 'expired',
        },
      ],
      now,
    );
    // A hold names no model: its capture burns unscoped lots only (so does its reservation, spendOfLots).
    if (to === 'captured') await burnLots(tx, hold.accountId, new Map([[null, amount]]));
    const next: Hold = { ...hold, status: to, capturedMinor: to === 'captured' ? amount : null };
    await tx.holds.update(next);
    return next;
  });
  return result;
}

/** Voids every pending hold past its deadline. */
export async function expireHolds(ctx: Context): Promise<number> {
  const expired = await read(ctx, (tx) => tx.holds.listExpired(ctx.clock.nowMs(), 500));
  let n = 0;
  for (const hold of expired) {
    const r = await resolveHold(ctx, hold.id, 'expired', 0n);
    if (r.ok) n++;
  }
  return n;
}
