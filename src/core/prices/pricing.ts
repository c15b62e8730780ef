import { Decimal, formatAmount, parseCredits, toDecimal, toMinor } from '../kernel/amount.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';

export interface Quote {
  creditsMinor: bigint;
  unitPrice: string;
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

/**
 * Prices credits in USD cents. Rounding: the subtotal (credits x unit price) is rounded half up
 * to the cent, then the tax (subtotal x rate) is rounded half up to the cent; total = subtotal + tax.
 * A total outside [paymentMin, paymentMax] (inclusive) is `payment_out_of_range`. `taxRate` is the
 * buyer's (`taxFor` in core/prices/tax.ts); the configured rate when not given.
 * @example quote(config, '1500') // ok({ subtotalMinor: 1500n, totalMinor: 1500n, ... }) at $0.01
 */
export function quote(config: TollgateConfig, credits: unknown, taxRate = config.taxRate): Result<Quote> {
  const parsed = parseCredits(credits, config.scales.credits, config.maxCreditsMinor, 'credits');
  if (!parsed.ok) return parsed;
  const creditsMinor = parsed.value;
  const subtotalMinor = creditsValue(config, creditsMinor);
  const taxMinor = taxOn(subtotalMinor, taxRate, config.scales.usd);
  const totalMinor = subtotalMinor + taxMinor;
  if (totalMinor < config.paymentMinMinor || totalMinor > config.paymentMaxMinor) {
    const usd = (m: bigint) => `$${formatAmount(m, config.scales.usd, true)}`;
    return refuse(
      'payment_out_of_range',
      `a payment must be between ${usd(config.paymentMinMinor)} and ${usd(config.paymentMaxMinor)}; this one is ${usd(totalMinor)}`,
    );
  }
  return ok({ creditsMinor, unitPrice: config.creditPrice, subtotalMinor, taxMinor, totalMinor });
}

/**
 * The tax on a subtotal in USD minor units: subtotal x rate, rounded half up to the minor unit.
 * @example taxOn(1999n, '0.2', 2) // 400n ($3.998 rounds to $4.00)
 */
export function taxOn(subtotalMinor: bigint, rate: string, scale: number): bigint {
  return toMinor(toDecimal(subtotalMinor, scale).mul(rate), scale, Decimal.ROUND_HALF_UP);
}

/**
 * What credits cost before tax, in USD minor units: credits x unit price, rounded half up to the
 * cent. A quote's subtotal; the portal shows balances and usage at this value.
 * @example creditsValue(config, 1_500_000_000n) // 1500n ($15.00 for 1,500 credits at $0.01)
 */
export function creditsValue(config: TollgateConfig, creditsMinor: bigint): bigint {
  const exact = toDecimal(creditsMinor, config.scales.credits).mul(config.creditPrice);
  return toMinor(exact, config.scales.usd, Decimal.ROUND_HALF_UP);
}

/** A price per unit as an exact fraction: `num / den` credits. */
export interface UnitPrice {
  num: bigint;
  den: bigint;
}

/** The price book as exact fractions, compiled once so rating an event is bigint arithmetic only. */
export function compilePriceBook(priceBook: Record<string, string>): Map<string, UnitPrice> {
  const compiled = new Map<string, UnitPrice>();
  for (const [model, price] of Object.entries(priceBook)) {
    const d = new Decimal(price);
    const places = d.decimalPlaces();
    compiled.set(model, {
      num: BigInt(d.mul(new Decimal(10).pow(places)).toFixed(0)),
      den: 10n ** BigInt(places),
    });
  }
  return compiled;
}

/**
 * Credits (minor units) for `quantityMinor` (at `quantityScale`) units at `price`, rounded half
 * up to the credits scale.
 * @example rate({ num: 20n, den: 1n }, 1_000_000n, 6, 6) // 20_000_000n: one unit at 20 credits
 */
export function rate(
  price: UnitPrice,
  quantityMinor: bigint,
  quantityScale: number,
  creditsScale: number,
): bigint {
  const num = quantityMinor * price.num * pow10(creditsScale);
  const den = price.den * pow10(quantityScale);
  return (2n * num + den) / (2n * den);
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10n ** BigInt(i));
const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);
