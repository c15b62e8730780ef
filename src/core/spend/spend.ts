import { parseCredits } from '../kernel/amount.ts';
import { balanceIn } from '../kernel/balance.ts';
import { type BalanceListener, type Context, read } from '../kernel/context.ts';
import { invalidField, ok, type Result } from '../kernel/errors.ts';
import type { AutoTopUp, SpendLimit } from '../kernel/model.ts';
import type { SpendControls, SpentSince, Tx } from '../kernel/ports.ts';
import type { SpendState, Spent } from '../kernel/spend-state.ts';
import { DAY_MS, startOfHour, startOfUtcDay, startOfUtcMonth } from '../kernel/time.ts';
import { emit } from '../webhooks/index.ts';

/**
 * Spend limits: credits used (billed and unbilled) per UTC day or month, per account and per key.
 * The rule lives here once: what counts, when a period starts, when a limit is reached, and when
 * it is announced. Verification reads it from memory like the balance; the unit of work drops an
 * account's counters whenever its balance changes, and announces a reached limit in the same
 * transaction as the usage that reached it.
 */

export const SPEND_PERIODS = ['day', 'month'] as const;

/**
 * A spend limit as given (`{ credits, period }`, or null to remove it). Refusals, first wins:
 * the shape, then `credits` (a positive amount, at most the configured maximum), then `period`.
 * @example parseSpendLimit(ctx, { credits: '100', period: 'day' }, 'spend_limit')
 */
export function parseSpendLimit(ctx: Context, raw: unknown, field: string): Result<SpendLimit | null> {
  if (raw === null) return ok(null);
  if (typeof raw !== 'object' || Array.isArray(raw))
    return invalidField(field, 'must be { credits, period: "day" | "month" } or null');
  const { credits, period } = raw as { credits?: unknown; period?: unknown };
  const c = parseCredits(credits, ctx.config.scales.credits, ctx.config.maxCreditsMinor, `${field}.credits`);
  if (!c.ok) return c;
  if (c.value <= 0n) return invalidField(`${field}.credits`, 'must be more than 0');
  if (!SPEND_PERIODS.includes(period as SpendLimit['period']))
    return invalidField(`${field}.period`, 'must be "day" or "month"');
  return ok({ creditsMinor: c.value, period: period as SpendLimit['period'] });
}

/** The start of the UTC period holding `nowMs`. */
export const periodStart = (period: SpendLimit['period'], nowMs: number): number =>
  period === 'day' ? startOfUtcDay(nowMs) : startOfUtcMonth(nowMs);

export const newSpendState = (): SpendState => ({ anyLimits: null, limits: new Map(), spent: new Map() });

const fresh = (ctx: Context, atMs: number) => ctx.clock.nowMs() - atMs < ctx.cache.ttlMs;

/** What one scope (the account, or a key) has used in its current period, and its limit. */
export interface SpendStatus {
  limit: SpendLimit;
  spentMinor: bigint;
  periodStartMs: number;
  reached: boolean;
}

function statusOf(limit: SpendLimit, spent: Spent, keyId: string | null): SpendStatus {
  const since = limit.period === 'day' ? spent.day : spent.month;
  const spentMinor = keyId === null ? since.total : (since.byKey.get(keyId) ?? 0n);
  return { limit, spentMinor, periodStartMs: since.sinceMs, reached: spentMinor >= limit.creditsMinor };
}

/**
 * The binding one of a scope's limits (the operator's cap and the customer's budget): the one with
 * the least left, so the lower wins; null without a limit. A hold past it passes some limit, and a
 * scope whose binding limit is not reached has none reached.
 */
function bindingStatus(
  limits: readonly SpendLimit[] | undefined,
  spent: Spent,
  keyId: string | null,
): SpendStatus | null {
  let binding: SpendStatus | null = null;
  for (const limit of limits ?? []) {
    const s = statusOf(limit, spent, keyId);
    if (!binding || s.limit.creditsMinor - s.spentMinor < binding.limit.creditsMinor - binding.spentMinor)
      binding = s;
  }
  return binding;
}

/**
 * The two limits of an account or a key as answers show them: the operator's cap (`spend_limit`)
 * and the customer's own budget (`spend_budget`); both apply, the lower wins.
 */
export const limitsOfScope = (scope: { spendLimit: SpendLimit | null; spendBudget?: SpendLimit | null }) =>
  [scope.spendLimit, scope.spendBudget ?? null].filter((l): l is SpendLimit => l !== null);

/**
 * From memory only: whether a key (and its account) may still spend, or undefined when something
 * must be read first (`loadSpend`). No limits anywhere costs one check.
 */
export function spendRefusalCached(
  ctx: Context,
  accountId: string,
  keyId: string | null,
): boolean | undefined {
  const state = ctx.spend;
  if (state.anyLimits && !state.anyLimits.value && fresh(ctx, state.anyLimits.atMs)) return false;
  const limits = state.limits.get(accountId);
  if (!limits || !fresh(ctx, limits.atMs) || !state.anyLimits) return undefined;
  const keyLimits = keyId === null ? undefined : limits.keys.get(keyId);
  if (limits.account.length === 0 && !keyLimits) return false;
  const spent = state.spent.get(accountId);
  const now = ctx.clock.nowMs();
  if (
    !spent ||
    !fresh(ctx, spent.atMs) ||
    spent.dayStartMs !== startOfUtcDay(now) ||
    spent.monthStartMs !== startOfUtcMonth(now)
  )
    return undefined;
  return reachedAny(limits, spent, keyId);
}

/** Whether the account's limit, or this key's, is reached by what `spent` says was used. */
function reachedAny(limits: SpendControls, spent: Spent, keyId: string | null): boolean {
  if (bindingStatus(limits.account, spent, null)?.reached) return true;
  return keyId !== null && bindingStatus(limits.keys.get(keyId), spent, keyId)?.reached === true;
}

/** Whether the account or this key reached its limit: from memory, or read first. */
export async function spendRefusal(ctx: Context, accountId: string, keyId: string | null): Promise<boolean> {
  const cached = spendRefusalCached(ctx, accountId, keyId);
  if (cached !== undefined) return cached;
  // Decided from what this read saw, never from memory another commit may have dropped meanwhile.
  const seen = await read(ctx, (tx) => loadSpend(ctx, tx, accountId));
  return seen !== null && reachedAny(seen.limits, seen.spent, keyId);
}

/** Reads what `spendRefusalCached` needs into memory, in one consistent read. */
export async function loadSpend(
  ctx: Context,
  tx: Tx,
  accountId: string,
): Promise<{ limits: SpendControls; spent: Spent } | null> {
  const state = ctx.spend;
  const now = ctx.clock.nowMs();
  if (!state.anyLimits || !fresh(ctx, state.anyLimits.atMs))
    state.anyLimits = { value: await tx.spend.anyLimits(), atMs: now };
  if (!state.anyLimits.value) return null;
  let limits = state.limits.get(accountId);
  if (!limits || !fresh(ctx, limits.atMs)) {
    limits = { ...(await tx.spend.limitsOf(accountId)), atMs: now };
    state.limits.set(accountId, limits);
  }
  if (limits.account.length === 0 && limits.keys.size === 0) return null;
  const dayStartMs = startOfUtcDay(now);
  const monthStartMs = startOfUtcMonth(now);
  const [day, month] = await tx.spend.spent(accountId, [dayStartMs, monthStartMs]);
  const spent = { dayStartMs, monthStartMs, day: day!, month: month!, atMs: now };
  state.spent.set(accountId, spent);
  return { limits, spent };
}

/** The account's binding limit and what it used in that period, or null with no limit (cheap then). */
export async function accountSpend(ctx: Context, tx: Tx, accountId: string): Promise<SpendStatus | null> {
  const state = ctx.spend;
  if (state.anyLimits && !state.anyLimits.value && fresh(ctx, state.anyLimits.atMs)) return null;
  return (await spendStatuses(ctx, tx, accountId)).account;
}

/** A key's binding limit and what it used in that period, read in this unit of work; null without a limit. */
export async function keySpend(
  ctx: Context,
  tx: Tx,
  key: { id: string; accountId: string; spendLimit: SpendLimit | null; spendBudget?: SpendLimit | null },
): Promise<SpendStatus | null> {
  if (!key.spendLimit && !key.spendBudget) return null;
  return (await spendStatuses(ctx, tx, key.accountId)).keys.get(key.id) ?? null;
}

/** Credits each key used in its current period (its limit's period; the UTC day without one). */
export async function keysSpent<
  K extends { id: string; accountId: string; spendLimit: SpendLimit | null; spendBudget?: SpendLimit | null },
>(ctx: Context, keys: K[]): Promise<(K & { spentMinor: bigint })[]> {
  const now = ctx.clock.nowMs();
  const starts = [startOfUtcDay(now), startOfUtcMonth(now)];
  const byAccount = new Map<string, SpentSince[]>();
  for (const accountId of new Set(keys.map((k) => k.accountId)))
    byAccount.set(accountId, await read(ctx, (tx) => tx.spend.spent(accountId, starts)));
  return keys.map((k) => {
    const [day, month] = byAccount.get(k.accountId)!;
    const since = (k.spendBudget ?? k.spendLimit)?.period === 'month' ? month! : day!;
    return { ...k, spentMinor: since.byKey.get(k.id) ?? 0n };
  });
}

/** The status of each limit of an account and its keys, read in this unit of work. */
export async function spendStatuses(
  ctx: Context,
  tx: Tx,
  accountId: string,
): Promise<{ account: SpendStatus | null; keys: Map<string, SpendStatus>; spent: Spent }> {
  const limits = await tx.spend.limitsOf(accountId);
  const now = ctx.clock.nowMs();
  const dayStartMs = startOfUtcDay(now);
  const monthStartMs = startOfUtcMonth(now);
  const [day, month] = await tx.spend.spent(accountId, [dayStartMs, monthStartMs]);
  const spent = { dayStartMs, monthStartMs, day: day!, month: month!, atMs: now };
  const keys = new Map([...limits.keys].map(([id, l]) => [id, bindingStatus(l, spent, id)!]));
  return { account: bindingStatus(limits.account, spent, null), keys, spent };
}

/** What an account has set (its limits, its keys' limits, its auto top-up), from memory while fresh. */
async function controlsOf(ctx: Context, tx: Tx, accountId: string, settingsOf: readonly string[] = []) {
  // Settings this transaction sets are read from it and never kept: it might still roll back.
  if (settingsOf.includes(accountId))
    return { ...(await tx.spend.limitsOf(accountId)), atMs: ctx.clock.nowMs() };
  const known = ctx.spend.limits.get(accountId);
  if (known && fresh(ctx, known.atMs)) return known;
  const controls = { ...(await tx.spend.limitsOf(accountId)), atMs: ctx.clock.nowMs() };
  ctx.spend.limits.set(accountId, controls);
  return controls;
}

/**
 * Inside the unit of work that changed these accounts' balances (or their limits): announces each
 * limit the change reached, once per period and scope (`spend_limit.reached`), each cap and budget.
 */
export async function announceSpendLimits(
  ctx: Context,
  tx: Tx,
  accountIds: Iterable<string>,
  settingsOf: readonly string[] = [],
): Promise<void> {
  if (!(await anyLimitsIn(ctx, tx, settingsOf))) return;
  const now = ctx.clock.nowMs();
  for (const accountId of accountIds) {
    const controls = await controlsOf(ctx, tx, accountId, settingsOf);
    if (controls.account.length === 0 && controls.keys.size === 0) continue;
    const statuses = await spendStatuses(ctx, tx, accountId);
    // Every limit of each scope, the cap and the budget: each announced when reached.
    const scopes: [string, string | null, SpendStatus | null][] = [
      ...controls.account.map((l): [string, null, SpendStatus] => [
        accountId,
        null,
        statusOf(l, statuses.spent, null),
      ]),
      ...[...controls.keys].flatMap(([id, ls]) =>
        ls.map((l): [string, string, SpendStatus] => [id, id, statusOf(l, statuses.spent, id)]),
      ),
    ];
    for (const [scopeId, keyId, s] of scopes) {
      // The period is part of the key: a day starting on the 1st and its month start together.
      if (!s?.reached || !(await tx.spend.claimNotice(`${scopeId}:${s.limit.period}`, s.periodStartMs, now)))
        continue;
      await emit(ctx, tx, 'spend_limit.reached', {
        account_id: accountId,
        api_key_id: keyId,
        period: s.limit.period,
        period_start: new Date(s.periodStartMs).toISOString(),
        limit: s.limit.creditsMinor.toString(),
        spent: s.spentMinor.toString(),
        scale: ctx.config.scales.credits,
      });
    }
  }
}

/** Whether any limit or auto top-up exists at all (from memory while fresh). */
async function anyLimitsIn(ctx: Context, tx: Tx, settingsOf: readonly string[] = []): Promise<boolean> {
  // Read in a transaction that sets settings, it is not kept (it might roll back).
  if (settingsOf.length > 0) return tx.spend.anyLimits();
  const state = ctx.spend;
  if (!state.anyLimits || !fresh(ctx, state.anyLimits.atMs))
    state.anyLimits = { value: await tx.spend.anyLimits(), atMs: ctx.clock.nowMs() };
  return state.anyLimits.value;
}

/** Of these accounts, those with an auto top-up set, and its settings, for the auto top-up listener. */
export async function withAutoTopUp(
  ctx: Context,
  tx: Tx,
  accountIds: Iterable<string>,
  settingsOf: readonly string[] = [],
): Promise<{ accountId: string; autoTopUp: AutoTopUp }[]> {
  const found: { accountId: string; autoTopUp: AutoTopUp }[] = [];
  if (!(await anyLimitsIn(ctx, tx, settingsOf))) return found;
  for (const accountId of accountIds) {
    const { autoTopUp } = await controlsOf(ctx, tx, accountId, settingsOf);
    if (autoTopUp) found.push({ accountId, autoTopUp });
  }
  return found;
}

/** After a commit that changed these accounts' balances: their counters are read again when needed. */
export function dropSpent(ctx: Context, accountIds: Iterable<string>): void {
  for (const id of accountIds) ctx.spend.spent.delete(id);
}

/**
 * Spend limits as a listener of every change of a balance or of spend settings (registered in
 * core/engine.ts): limits reached are announced in the change's transaction; settings set in it
 * are read from it and never kept in memory (it might roll back), what was known of them is
 * forgotten once it committed, and counters are dropped then.
 */
export const spendListener: BalanceListener = {
  name: 'spend limits',
  inTransaction: async (ctx, tx, change) => {
    const ids = new Set([...change.accountIds, ...change.settingsOf]);
    await announceSpendLimits(ctx, tx, ids, change.settingsOf);
    return () => {
      dropSpent(ctx, ids);
      forgetSettings(ctx, change.settingsOf);
    };
  },
};

/** The runway warning, as a listener of every change of a balance (registered in core/engine.ts). */
export const runwayListener: BalanceListener = {
  name: 'runway',
  inTransaction: async (ctx, tx, change) => {
    await announceRunway(ctx, tx, change.accountIds);
    return undefined;
  },
};

/** What this process knows of these accounts' limits and auto top-ups is read again when needed. */
function forgetSettings(ctx: Context, accountIds: readonly string[]): void {
  if (accountIds.length === 0) return;
  for (const id of accountIds) {
    ctx.spend.limits.delete(id);
    ctx.spend.spent.delete(id);
  }
  ctx.spend.anyLimits = null;
}

/**
 * How long `available` lasts at the rate of the last 24 hours (whole hours of the rollup, from the
 * start of the hour 24 hours ago to now), in whole seconds rounded down; 0 with nothing available;
 * null with no usage in that window.
 * @example await runwaySeconds(ctx, tx, 'acc_1', 500_000_000n) // 86400 when 500 credits went in 24 h
 */
export async function runwaySeconds(
  ctx: Context,
  tx: Tx,
  accountId: string,
  availableMinor: bigint,
): Promise<number | null> {
  const now = ctx.clock.nowMs();
  const since = startOfHour(now - DAY_MS);
  const [used] = await tx.spend.spent(accountId, [since]);
  if (!used || used.total <= 0n) return null;
  if (availableMinor <= 0n) return 0;
  // available / (used / elapsed): integers only, rounded down.
  return Number((availableMinor * BigInt(Math.max(1, now - since))) / used.total / 1000n);
}

/**
 * Inside the unit of work: `balance.runway_low` when an account's runway drops under the
 * configured hours, at most once per account and UTC day. Only while some endpoint hears balance
 * events (the balance alerts decide that just before).
 */
export async function announceRunway(ctx: Context, tx: Tx, accountIds: Iterable<string>): Promise<void> {
  // Only while an endpoint hears it: the balance alerts just before decided both flags.
  if (!ctx.webhooks.balanceListeners || !ctx.webhooks.runwayListeners || ctx.config.runwayAlertHours <= 0)
    return;
  const now = ctx.clock.nowMs();
  for (const accountId of accountIds) {
    const balance = await balanceIn(tx, accountId);
    if (!balance) continue;
    const runway = await runwaySeconds(ctx, tx, accountId, balance.available);
    if (runway === null || runway >= ctx.config.runwayAlertHours * 3600) continue;
    if (!(await tx.spend.claimNotice(`runway:${accountId}`, startOfUtcDay(now), now))) continue;
    await emit(ctx, tx, 'balance.runway_low', {
      account_id: accountId,
      available: balance.available.toString(),
      runway_seconds: runway,
      threshold_hours: ctx.config.runwayAlertHours,
      scale: ctx.config.scales.credits,
    });
  }
}
