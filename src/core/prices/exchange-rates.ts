import { Decimal, toDecimal, toMinor } from '../kernel/amount.ts';
import { type Context, read } from '../kernel/context.ts';
import { minorUnits } from '../kernel/currency.ts';
import { invalidField, ok, type Result } from '../kernel/errors.ts';

/** The operator's rates of one day: 1 `base` = `rates[code]` of that currency (the ECB's way). */
export interface ExchangeRates {
  day: string;
  base: string;
  rates: Record<string, string>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RATE = /^\d{1,12}(\.\d{1,12})?$/;

/**
 * Stores the operator's rates of a day (for example the ECB's reference rates): `{ date, base,
 * rates: { USD: "1.0843" } }`, 1 base = that many of each. The same day and base again replaces
 * the rates it names.
 */
export async function putExchangeRates(
  ctx: Context,
  input: { date?: unknown; base?: unknown; rates?: unknown },
): Promise<Result<ExchangeRates>> {
  const day = input.date;
  if (typeof day !== 'string' || !DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    return invalidField('date', 'must be a day such as 2026-12-07');
  const base = typeof input.base === 'string' ? input.base.toUpperCase() : '';
  if (minorUnits(base) === undefined) return invalidField('base', 'must be an ISO 4217 currency code');
  if (typeof input.rates !== 'object' || input.rates === null || Array.isArray(input.rates))
    return invalidField('rates', 'must be an object of currency code -> rate');
  const rates: Record<string, string> = {};
  const entries = Object.entries(input.rates as Record<string, unknown>);
  if (entries.length === 0 || entries.length > 200)
    return invalidField('rates', 'must name 1 to 200 currencies');
  for (const [code, rate] of entries) {
    const c = code.toUpperCase();
    if (minorUnits(c) === undefined || c === base)
      return invalidField(`rates.${code.slice(0, 8)}`, 'must be an ISO 4217 code other than base');
    if (typeof rate !== 'string' || !RATE.test(rate) || new Decimal(rate).isZero())
      return invalidField(`rates.${c}`, 'must be a positive decimal string, such as "1.0843"');
    rates[c] = new Decimal(rate).toFixed();
  }
  const value = { day, base, rates };
  await ctx.storage.transaction((tx) => tx.prices.putRates(value, ctx.clock.nowMs()));
  return ok(value);
}

/** The rates in effect on `day`: for each base, those of the latest day at or before it. */
export async function exchangeRatesOn(ctx: Context, day: string): Promise<Result<ExchangeRates[]>> {
  if (!DAY.test(day)) return invalidField('date', 'must be a day such as 2026-12-07');
  return ok(await read(ctx, (tx) => tx.prices.ratesOn(day)));
}

/**
 * `amountMinor` of `from` in `to`, at the latest rate at or before `day` in either direction
 * (1 to = r from, or 1 from = r to), rounded half up to `to`'s minor unit; undefined without one.
 * @example convert(rates, 1000n, 'USD', 'EUR') // 922n at 1 EUR = 1.0843 USD ($10.00 = 9.22 EUR)
 */
export function convert(
  known: ExchangeRates[],
  amountMinor: bigint,
  from: string,
  to: string,
): { minor: bigint; rate: string; day: string; base: string } | undefined {
  const fromUnits = minorUnits(from) ?? 2;
  const toUnits = minorUnits(to) ?? 2;
  const amount = toDecimal(amountMinor, fromUnits);
  for (const r of known) {
    if (r.base === to && r.rates[from]) {
      // 1 to = rate from: amount from = amount / rate to.
      return {
        minor: toMinor(amount.div(r.rates[from]!), toUnits, Decimal.ROUND_HALF_UP),
        rate: r.rates[from]!,
        day: r.day,
        base: to,
      };
    }
    if (r.base === from && r.rates[to]) {
      return {
        minor: toMinor(amount.mul(r.rates[to]!), toUnits, Decimal.ROUND_HALF_UP),
        rate: r.rates[to]!,
        day: r.day,
        base: from,
      };
    }
  }
  return undefined;
}
