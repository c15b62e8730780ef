import { formatAmount, proRata } from '../kernel/amount.ts';
import { SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import { type Context, read } from '../kernel/context.ts';
import { defaultCurrency, minorUnits } from '../kernel/currency.ts';
import { invalidField, ok, type Result } from '../kernel/errors.ts';
import type { JournalTransfer, LotCost, LotMovement, LotMovementKind } from '../kernel/ports.ts';
import { parseTimeParam } from '../kernel/time.ts';

/**
 * What a lot's remaining credits are worth at cost: its purchase's subtotal (USD minor units, tax
 * excluded: tax is owed to the state, not revenue) less the part of it already used, refunded or
 * expired, that part rounded half up to the cent. Rounding the part gone (not the part left) makes
 * every report a difference of these values, so the roll-forward adds up to the cent. Grants and
 * give-backs cost 0.
 * @example unspentAtCost({ lotId: 'l', creditsMinor: 3n, costMinor: 100n }, 1n) // 33n: $1.00 - round($0.6667)
 */
export function unspentAtCost(cost: LotCost | undefined, remainingMinor: bigint): bigint {
  if (!cost || cost.creditsMinor === 0n) return 0n;
  return cost.costMinor - proRata(cost.costMinor, cost.creditsMinor - remainingMinor, cost.creditsMinor);
}

/** The deferred-revenue roll-forward of one month, in minor units of `currency`. */
export interface DeferredRevenue {
  month: string;
  currency: string;
  openingMinor: bigint;
  purchasedMinor: bigint;
  consumedMinor: bigint;
  refundedMinor: bigint;
  expiredMinor: bigint;
  closingMinor: bigint;
}

/**
 * The month's roll-forward, from each lot's credits at the start and the lot journal's movements
 * in the month (in their order): every movement is worth the change of its lot's `unspentAtCost`.
 * `closing = opening + purchased - consumed - refunded - expired` holds exactly; consumption is net
 * of credits given back (voids). Pure: the reads are the caller's.
 * @example deferredRevenueOf('2026-12', costs, new Map(), movements).closingMinor
 */
export function deferredRevenueOf(
  month: string,
  costs: Map<string, LotCost>,
  remainingAtStart: Map<string, bigint>,
  movements: LotMovement[],
  currency = 'USD',
): DeferredRevenue {
  // Lots bought in another currency are another report's: here they count as grants do, 0.
  costs = new Map([...costs].filter(([, c]) => c.currency === currency));
  const remaining = new Map(remainingAtStart);
  let opening = 0n;
  for (const [lotId, r] of remaining) opening += unspentAtCost(costs.get(lotId), r);
  const flows: Record<LotMovementKind, bigint> = {
    purchased: 0n,
    granted: 0n,
    consumed: 0n,
    refunded: 0n,
    expired: 0n,
  };
  for (const m of movements) {
    const cost = costs.get(m.lotId);
    const before = remaining.get(m.lotId) ?? 0n;
    const after = before + m.creditsMinor;
    remaining.set(m.lotId, after);
    // Out of the liability for what leaves; into it for what comes in (purchases, give-backs).
    const gone = unspentAtCost(cost, before) - unspentAtCost(cost, after);
    flows[m.kind] += m.kind === 'purchased' || m.kind === 'granted' ? -gone : gone;
  }
  let closing = 0n;
  for (const [lotId, r] of remaining) closing += unspentAtCost(costs.get(lotId), r);
  return {
    month,
    currency,
    openingMinor: opening,
    purchasedMinor: flows.purchased + flows.granted,
    consumedMinor: flows.consumed,
    refundedMinor: flows.refunded,
    expiredMinor: flows.expired,
    closingMinor: closing,
  };
}

/**
 * A month as `YYYY-MM`, and its UTC bounds [start, end).
 * @example parseMonth('2026-12') // ok({ month: '2026-12', startMs: Date.UTC(2026, 11, 1), endMs: Date.UTC(2027, 0, 1) })
 */
export function parseMonth(raw: unknown): Result<{ month: string; startMs: number; endMs: number }> {
  const m = typeof raw === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(raw) : null;
  if (!m) return invalidField('month', 'must be a month as YYYY-MM, e.g. 2026-12');
  const year = Number(m[1]);
  const month = Number(m[2]);
  return ok({ month: raw as string, startMs: Date.UTC(year, month - 1, 1), endMs: Date.UTC(year, month, 1) });
}

/**
 * Deferred revenue of a month: the liability of paid, unspent credits at cost, rolled forward
 * (see `deferredRevenueOf`), read from the lot journal in one read-only unit of work.
 * @example await deferredRevenue(ctx, '2026-12') // ok({ month: '2026-12', openingMinor: ..., closingMinor: ... })
 */
export async function deferredRevenue(
  ctx: Context,
  rawMonth: unknown,
  rawCurrency?: unknown,
): Promise<Result<DeferredRevenue>> {
  const month = parseMonth(rawMonth);
  if (!month.ok) return month;
  const currency = reportCurrency(ctx, rawCurrency);
  if (!currency.ok) return currency;
  const { startMs, endMs } = month.value;
  return ok(
    await read(ctx, async (tx) => {
      const atStart = await tx.finance.remainingBefore(startMs);
      const movements = await tx.finance.movementsBetween(startMs, endMs);
      const lotIds = new Set([...atStart.keys(), ...movements.map((m) => m.lotId)]);
      const costs = await tx.finance.lotCosts([...lotIds]);
      return deferredRevenueOf(month.value.month, costs, atStart, movements, currency.value);
    }),
  );
}

/** A ledger transfer as a journal line: its credits and their value at cost (USD minor units). */
export interface JournalLine extends JournalTransfer {
  /** In minor units of `currency`; null currency for a line worth nothing at cost. */
  valueMinor: bigint;
  currency: string | null;
}

/**
 * The currency a report is in: one the operator sells in (or has sold in: any ISO 4217 code is
 * read), the default when not given.
 */
export function reportCurrency(ctx: Context, raw: unknown): Result<string> {
  if (raw === undefined || raw === null || raw === '') return ok(defaultCurrency(ctx.config).code);
  const code = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (minorUnits(code) === undefined)
    return invalidField('currency', 'must be an ISO 4217 code, such as EUR');
  return ok(code);
}

/**
 * The bounds of a journal export: `from` and `to` as instants or UTC dates, `from` before `to`.
 * @example journalRange('2026-12-01', '2027-01-01') // ok({ fromMs: ..., toMs: ... })
 */
export function journalRange(from: unknown, to: unknown): Result<{ fromMs: number; toMs: number }> {
  const fromMs = typeof from === 'string' ? parseTimeParam(from) : Number.NaN;
  if (Number.isNaN(fromMs))
    return invalidField('from', 'must be a date (2026-12-01) or an instant with a zone');
  const toMs = typeof to === 'string' ? parseTimeParam(to) : Number.NaN;
  if (Number.isNaN(toMs)) return invalidField('to', 'must be a date (2027-01-01) or an instant with a zone');
  if (toMs <= fromMs) return invalidField('to', 'must be after from');
  return ok({ fromMs, toMs });
}

/**
 * Every ledger transfer created in [from, to), oldest first, a page per read, each with the value
 * at cost of the lot credits it moved (the same values the deferred-revenue report sums: a
 * purchase is worth its subtotal, usage what it burned, a refund or expiry what it took; a grant,
 * a hold and a transfer between system accounts 0).
 * @example for await (const line of journalLines(ctx, fromMs, toMs)) write(line)
 */
export async function* journalLines(ctx: Context, fromMs: number, toMs: number): AsyncGenerator<JournalLine> {
  let after: { createdAtMs: number; id: string } | undefined;
  for (;;) {
    const page = await read(ctx, async (tx) => {
      const transfers = await tx.finance.transfersBetween(fromMs, toMs, 500, after);
      const values = new Map<
        string,
        { in: bigint; out: bigint; outCredits: bigint; accountId: string; currency: string | null }
      >();
      if (transfers.length === 0) return { transfers, values };
      const movements = await tx.finance.movementsOfTransfers(transfers.map((t) => t.id));
      const costs = await tx.finance.lotCosts([...new Set(movements.map((m) => m.lotId))]);
      // Per transfer, what it brought into lots and what it took out of them, each at cost.
      for (const m of movements) {
        const cost = costs.get(m.lotId);
        const change =
          unspentAtCost(cost, m.remainingBeforeMinor) -
          unspentAtCost(cost, m.remainingBeforeMinor + m.creditsMinor);
        const v = values.get(m.transferId!) ?? {
          in: 0n,
          out: 0n,
          outCredits: 0n,
          accountId: m.accountId,
          currency: null,
        };
        // One account's paid lots share its currency (it is fixed once a purchase is paid).
        if (cost && change !== 0n) v.currency = cost.currency;
        if (m.creditsMinor > 0n) v.in += -change;
        else {
          v.out += change;
          v.outCredits -= m.creditsMinor;
        }
        values.set(m.transferId!, v);
      }
      return { transfers, values };
    });
    for (const t of page.transfers) {
      const v = page.values.get(t.id);
      if (!v || v.in === 0n || v.out === 0n) {
        yield { ...t, valueMinor: v ? v.in + v.out : 0n, currency: v?.currency ?? null };
        continue;
      }
      // Credits that came in and went at once: a purchase or grant paying off usage billed past
      // zero before it. The ledger moved those credits when the usage was billed; their value at
      // this lot's cost is recognised now, on a line of its own with no credits of its own.
      yield { ...t, valueMinor: v.in, currency: v.currency };
      yield {
        ...t,
        debitAccountId: v.accountId,
        creditAccountId: SYSTEM_ACCOUNTS.usage,
        amount: 0n,
        code: 'usage_debt',
        kind: 'posted',
        metadata: { paid_by: t.id, credits_used: formatAmount(v.outCredits, ctx.config.scales.credits) },
        valueMinor: v.out,
        currency: v.currency,
      };
    }
    const last = page.transfers[page.transfers.length - 1];
    if (!last || page.transfers.length < 500) return;
    after = { createdAtMs: last.createdAtMs, id: last.id };
  }
}
