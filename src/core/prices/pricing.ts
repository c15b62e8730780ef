import { Decimal, formatAmount, parseCredits, toDecimal, toMinor } from '../kernel/amount.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import { type Currency, currencyOf, defaultCurrency } from '../kernel/currency.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Account, TaxRule } from '../kernel/model.ts';
import { taxFor } from './tax.ts';

export interface Quote {
  creditsMinor: bigint;
  unitPrice: string;
  /** ISO 4217 code of every amount below, in its minor units. */
  currency: string;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

/**
 * A rate as a percentage, exact in decimal: the one way a tax rate is shown (invoices, portal).
 * @example ratePercent('0.14') // '14 %' (not 14.000000000000002 %, as 0.14 * 100 in floating point)
 */
export function ratePercent(rate: string): string {
  return `${new Decimal(rate).mul(100).toFixed()} %`;
}

/** An amount with its currency, as messages write it: `25.00 EUR`, `1500 JPY`. */
export const moneyText = (minor: bigint, currency: Currency): string =>
  `${formatAmount(minor, currency.minorUnits, true)} ${currency.code}`;

/**
 * Prices credits in a currency's minor units (the default currency unless given). Rounding: the
 * subtotal (credits x the currency's price of a credit) is rounded half up to the minor unit, then
 * the tax (subtotal x rate) is rounded half up to the minor unit; total = subtotal + tax. A total
 * outside the currency's payment bounds (inclusive) is `payment_out_of_range`. `taxRate` is the
 * buyer's (`taxFor` in core/prices/tax.ts); the configured rate when not given.
 * @example quote(config, '1500') // ok({ subtotalMinor: 1500n, totalMinor: 1500n, currency: 'USD', ... }) at $0.01
 */
export function quote(
  config: TollgateConfig,
  credits: unknown,
  taxRate = config.taxRate,
  currency: Currency = defaultCurrency(config),
): Result<Quote> {
  const parsed = parseCredits(credits, config.scales.credits, config.maxCreditsMinor, 'credits');
  if (!parsed.ok) return parsed;
  const creditsMinor = parsed.value;
  const subtotalMinor = creditsValue(config, creditsMinor, currency);
  const taxMinor = taxOn(subtotalMinor, taxRate, currency.minorUnits);
  const totalMinor = subtotalMinor + taxMinor;
  if (totalMinor < currency.paymentMinMinor || totalMinor > currency.paymentMaxMinor) {
    const money = (m: bigint) =>
      currency.code === 'USD' ? `$${formatAmount(m, currency.minorUnits, true)}` : moneyText(m, currency);
    return refuse(
      'payment_out_of_range',
      `a payment must be between ${money(currency.paymentMinMinor)} and ${money(currency.paymentMaxMinor)}; this one is ${money(totalMinor)}`,
    );
  }
  return ok({
    creditsMinor,
    unitPrice: currency.creditPrice,
    currency: currency.code,
    subtotalMinor,
    taxMinor,
    totalMinor,
  });
}

/**
 * The tax on a subtotal in minor units: subtotal x rate, rounded half up to the minor unit.
 * @example taxOn(1999n, '0.2', 2) // 400n ($3.998 rounds to $4.00)
 */
export function taxOn(subtotalMinor: bigint, rate: string, scale: number): bigint {
  return toMinor(toDecimal(subtotalMinor, scale).mul(rate), scale, Decimal.ROUND_HALF_UP);
}

/**
 * What credits cost before tax, in a currency's minor units (the default currency unless given):
 * credits x the price of one, rounded half up to the minor unit. A quote's subtotal; the portal
 * shows balances and usage at this value.
 * @example creditsValue(config, 1_500_000_000n) // 1500n ($15.00 for 1,500 credits at $0.01)
 */
export function creditsValue(
  config: TollgateConfig,
  creditsMinor: bigint,
  currency: Currency = defaultCurrency(config),
): bigint {
  const exact = toDecimal(creditsMinor, config.scales.credits).mul(currency.creditPrice);
  return toMinor(exact, currency.minorUnits, Decimal.ROUND_HALF_UP);
}

/** A quote for one buyer, and the tax rule it was made under (a purchase keeps both). */
export interface BuyerQuote extends Quote {
  taxRule: TaxRule;
  taxRate: string;
  taxCountry: string | null;
}

/**
 * What `credits` cost this buyer at `atMs`: in the account's currency, taxed by the rule of seller
 * and buyer (`taxFor`). An account whose currency is no longer sold is `invalid_state`.
 * @example quoteFor(config, account, '2500', now) // ok({ currency: 'EUR', taxRule: 'eu_oss', taxRate: '0.19', ... })
 */
export function quoteFor(
  config: TollgateConfig,
  buyer: Account | null | undefined,
  credits: unknown,
  atMs: number,
): Result<BuyerQuote> {
  const currency = currencyOf(config, buyer?.currency);
  if (!currency)
    return refuse(
      'invalid_state',
      `the account buys in ${buyer?.currency}, which is not sold any more (TOLLGATE_CURRENCIES); change its currency`,
    );
  const t = taxFor(config, buyer, atMs);
  const q = quote(config, credits, t.rate, currency);
  if (!q.ok) return q;
  return ok({ ...q.value, taxRule: t.rule, taxRate: t.rate, taxCountry: t.country });
}
