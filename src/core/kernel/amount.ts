import { Decimal as DecimalJs } from 'decimal.js';
import { invalidField, ok, type Result, refuse } from './errors.ts';

/**
 * decimal.js with its precision set here, for every computation of money: 64 significant digits
 * hold any product of two bounded amounts exactly (credits up to 10^18 minor units times a price of
 * up to 30 digits), where the library default of 20 would round silently. Rounding is named at
 * each call anyway; ROUND_HALF_UP is the default only so nothing rounds to even by surprise.
 */
export const Decimal = DecimalJs.clone({ precision: 64, rounding: DecimalJs.ROUND_HALF_UP, toExpPos: 64 });
export type Decimal = DecimalJs;

/** Decimal places of each asset: an amount is stored as an integer count of 10^-scale units. */
export interface Scales {
  credits: number;
  usd: number;
}

export const DEFAULT_SCALES: Scales = { credits: 6, usd: 2 };

// A plain decimal: digits, optional fraction. No sign, exponent, blanks, NaN or Infinity.
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
// Bounded so a 10,000-digit string cannot reach the arithmetic.
const MAX_DIGITS = 30;

/**
 * Parses a wire amount ("1500", "12.5") into minor units at `scale`.
 * @example parseAmount('12.5', 6, 'credits') // ok(12500000n)
 */
export function parseAmount(
  input: unknown,
  scale: number,
  field: string,
  opts: { allowZero?: boolean } = {},
): Result<bigint> {
  if (typeof input !== 'string') return invalidField(field, 'must be a decimal string such as "12.50"');
  if (input.length > MAX_DIGITS || !PLAIN_DECIMAL.test(input)) {
    return invalidField(field, 'must be a plain non-negative decimal string such as "12.50"');
  }
  const [whole = '0', fraction = ''] = input.split('.');
  if (fraction.length > scale) return invalidField(field, `has more than ${scale} decimal places`);
  const minor = BigInt(whole + fraction.padEnd(scale, '0'));
  if (minor === 0n && !opts.allowZero) return invalidField(field, 'must be greater than zero');
  return ok(minor);
}

/**
 * Parses credits of a request: a positive (or, with `allowZero`, non-negative) decimal of at most
 * the credits scale, and at most `maxMinor` (`amount_out_of_range` beyond it).
 * @example parseCredits('12.5', 6, 1_000_000_000_000_000n, 'credits') // ok(12500000n)
 */
export function parseCredits(
  input: unknown,
  scale: number,
  maxMinor: bigint,
  field: string,
  opts: { allowZero?: boolean } = {},
): Result<bigint> {
  const parsed = parseAmount(input, scale, field, opts);
  if (parsed.ok && parsed.value > maxMinor) return outOfRange(field, maxMinor, scale);
  return parsed;
}

/** `amount_out_of_range` for one field. */
export const outOfRange = (field: string, maxMinor: bigint, scale: number) => {
  const message = `must be at most ${formatAmount(maxMinor, scale)}`;
  return refuse('amount_out_of_range', `${field} ${message}`, [{ field, message }]);
};

/**
 * `amount x part / whole`, rounded half up, in exact integers (all non-negative, `whole` > 0).
 * @example proRata(1001n, 1n, 2n) // 501n
 */
export function proRata(amount: bigint, part: bigint, whole: bigint): bigint {
  return (2n * amount * part + whole) / (2n * whole);
}

/**
 * Formats minor units as a decimal string; `fixed` keeps every decimal place (money),
 * otherwise trailing zeros are dropped (credits).
 * @example formatAmount(1250n, 2, true) // "12.50"
 */
export function formatAmount(minor: bigint, scale: number, fixed = false): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : '';
  if (!fixed) fraction = fraction.replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Minor units as an exact Decimal in major units. */
export const toDecimal = (minor: bigint, scale: number): Decimal =>
  new Decimal(minor.toString()).div(10 ** scale);

/**
 * Major-unit Decimal to minor units, with the rounding mode named by the caller.
 * @example toMinor(new Decimal('1.005'), 2, Decimal.ROUND_HALF_UP) // 101n
 */
export function toMinor(value: Decimal, scale: number, rounding: DecimalJs.Rounding): bigint {
  return BigInt(
    value
      .mul(10 ** scale)
      .toDecimalPlaces(0, rounding)
      .toFixed(0),
  );
}
