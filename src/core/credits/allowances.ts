import { parseCredits } from '../kernel/amount.ts';
import { type Context, fail, read, unit } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import { parseModels } from '../kernel/lots.ts';
import type { Allowance, Lot } from '../kernel/model.ts';
import type { Tx } from '../kernel/ports.ts';
import { startOfNextUtcMonth, startOfUtcMonth, utcMonthLabel } from '../kernel/time.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { grantIn } from './credits.ts';

/**
 * Allowances: credits granted every month, at 00:00 UTC on the 1st (the first at once), each grant
 * a lot expiring when its month ends (the next month's 1st, 00:00 UTC), scoped to the allowance's
 * models if it names any. A month's grant has the source and transfer id `<allowance id>:<YYYY-MM>`,
 * so it is made exactly once, whoever runs `grantAllowances` and however often (two processes on
 * one PostgreSQL database: the second, behind the account's lock, finds the lot made).
 */

export interface AllowanceInput {
  credits: unknown;
  period: unknown;
  reason: unknown;
  models?: unknown;
}

const REASON_MAX_CHARS = 500;

/**
 * Creates an allowance and grants its current month at once. Refusals, first wins:
 * `validation_failed` (credits, period, reason, models); `not_found`.
 * @example await createAllowance(ctx, 'acc_1', { credits: '100', period: 'month', reason: 'free tier' })
 */
export async function createAllowance(
  ctx: Context,
  accountId: string,
  input: AllowanceInput,
): Promise<Result<Allowance>> {
  const credits = parseCredits(
    input.credits,
    ctx.config.scales.credits,
    ctx.config.maxCreditsMinor,
    'credits',
  );
  if (!credits.ok) return credits;
  if (input.period !== 'month') return invalidField('period', 'must be "month"');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 1 || reason.length > REASON_MAX_CHARS)
    return invalidField('reason', `is required, 1 to ${REASON_MAX_CHARS} characters`);
  const models = parseModels(input.models);
  if (!models.ok) return models;
  return balanceUnit(ctx, async (tx) => {
    if (!(await tx.accounts.lock(accountId))) fail(refuse('not_found', `no account ${accountId}`));
    const allowance: Allowance = {
      id: ctx.ids.newId('alw'),
      accountId,
      creditsMinor: credits.value,
      period: 'month',
      reason,
      models: models.value,
      createdAtMs: ctx.clock.nowMs(),
      endedAtMs: null,
    };
    await tx.allowances.insert(allowance);
    await grantMonth(ctx, tx, allowance);
    return allowance;
  });
}

/** An account's allowances, oldest first. Refusal: `not_found`. */
export async function listAllowances(ctx: Context, accountId: string): Promise<Result<Allowance[]>> {
  const list = await read(ctx, async (tx) =>
    (await tx.accounts.get(accountId)) ? tx.allowances.list(accountId) : undefined,
  );
  return list ? ok(list) : refuse('not_found', `no account ${accountId}`);
}

/**
 * Stops an allowance: no grant for a month starting after now (this month's grant stays until it
 * expires). Ending it again answers it as ended the first time. Refusal: `not_found`.
 */
export async function endAllowance(ctx: Context, id: string): Promise<Result<Allowance>> {
  return unit(ctx, async (tx) => {
    const found = await tx.allowances.get(id);
    if (!found) fail(refuse('not_found', `no credit allowance ${id}`));
    if (found.endedAtMs === null) await tx.allowances.end(id, ctx.clock.nowMs());
    return (await tx.allowances.get(id))!;
  });
}

/**
 * Grants the current month of every allowance due it and not granted it yet, each in a unit of
 * work of its own under its account's lock (one that fails is left for the next run, and reported).
 * Run by the server at 00:00 UTC on the 1st and once at start (a catch-up); a month missed
 * entirely while nothing ran is not granted afterwards (its lot would have expired already).
 * @example const { granted } = await grantAllowances(ctx)
 */
export async function grantAllowances(
  ctx: Context,
): Promise<{ granted: number; creditsMinor: bigint; failed: { allowanceId: string; error: string }[] }> {
  const now = ctx.clock.nowMs();
  const month = startOfUtcMonth(now);
  let granted = 0;
  let creditsMinor = 0n;
  const failed: { allowanceId: string; error: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read(ctx, (tx) => tx.allowances.listDue(month, now + 1, 200, after));
    for (const a of page) {
      try {
        const r = await balanceUnit(ctx, async (tx) => {
          await tx.accounts.lock(a.accountId);
          return grantMonth(ctx, tx, a);
        });
        if (!r.ok) failed.push({ allowanceId: a.id, error: r.message });
        else if (r.value) {
          granted++;
          creditsMinor += r.value.creditsMinor;
        }
      } catch (e) {
        failed.push({ allowanceId: a.id, error: String(e) });
      }
    }
    if (page.length < 200) return { granted, creditsMinor, failed };
    after = page[page.length - 1]!.id;
  }
}

/** The id of an allowance's grant of the month holding `ms`: its lot's source and its transfer. */
export const allowanceGrantId = (allowanceId: string, ms: number): string =>
  `${allowanceId}:${utcMonthLabel(ms)}`;

/** Grants the allowance's current month unless granted: undefined then. */
function grantMonth(ctx: Context, tx: Tx, a: Allowance): Promise<Lot | undefined> {
  const now = ctx.clock.nowMs();
  return grantIn(ctx, tx, {
    accountId: a.accountId,
    sourceId: allowanceGrantId(a.id, now),
    creditsMinor: a.creditsMinor,
    reason: a.reason,
    priority: ctx.config.grantPriority,
    expiresAtMs: startOfNextUtcMonth(now),
    models: a.models,
    metadata: { allowance_id: a.id, month: utcMonthLabel(now) },
  });
}
