import { describe, expect, it } from 'vitest';
import {
  Decimal,
  formatAmount,
  outOfRange,
  parseAmount,
  parseCredits,
  proRata,
  toDecimal,
  toMinor,
} from '../../src/core/kernel/amount.ts';
import { DEFAULT_CONFIG } from '../../src/core/kernel/config.ts';
import { burn, spendOfLots } from '../../src/core/kernel/lots.ts';
import { quote } from '../../src/core/prices/pricing.ts';
import { compileEntry, rateDimensions } from '../../src/core/prices/rate-card.ts';

describe('wire amounts at their edges', () => {
  it('accepts exactly as many decimal places as the scale, and says which field has one more', () => {
    expect(parseAmount('1.123456', 6, 'credits')).toEqual({ ok: true, value: 1_123_456n });
    expect(parseAmount('1.1234567', 6, 'credits')).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'credits has more than 6 decimal places',
      details: [{ field: 'credits', message: 'has more than 6 decimal places' }],
    });
    expect(parseAmount('7', 0, 'units')).toEqual({ ok: true, value: 7n });
    expect(parseAmount('7.5', 0, 'units')).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('accepts 30 characters and refuses 31', () => {
    expect(parseAmount('1'.repeat(30), 0, 'credits')).toEqual({ ok: true, value: BigInt('1'.repeat(30)) });
    expect(parseAmount('1'.repeat(31), 0, 'credits')).toMatchObject({
      ok: false,
      details: [{ field: 'credits', message: 'must be a plain non-negative decimal string such as "12.50"' }],
    });
  });

  it('refuses text around a number and tells a non-string apart from a malformed one', () => {
    for (const bad of ['x5', '5x', '5\n', '1.5.5', '1..5']) {
      expect(parseAmount(bad, 6, 'credits')).toMatchObject({ ok: false, code: 'validation_failed' });
    }
    expect(parseAmount(12, 6, 'credits')).toMatchObject({
      details: [{ field: 'credits', message: 'must be a decimal string such as "12.50"' }],
    });
  });

  it('refuses zero unless the field allows it', () => {
    expect(parseAmount('0.000', 6, 'credits')).toMatchObject({
      ok: false,
      message: 'credits must be greater than zero',
    });
    expect(parseAmount('0', 6, 'credits', { allowZero: true })).toEqual({ ok: true, value: 0n });
    expect(parseCredits('0', 6, 10n, 'credits', { allowZero: true })).toEqual({ ok: true, value: 0n });
    expect(parseCredits('0', 6, 10n, 'credits')).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('accepts credits up to the bound inclusive and answers amount_out_of_range past it', () => {
    expect(parseCredits('5', 6, 5_000_000n, 'credits')).toEqual({ ok: true, value: 5_000_000n });
    expect(parseCredits('5.000001', 6, 5_000_000n, 'credits')).toEqual({
      ok: false,
      code: 'amount_out_of_range',
      message: 'credits must be at most 5',
      details: [{ field: 'credits', message: 'must be at most 5' }],
    });
    expect(parseCredits('abc', 6, 5_000_000n, 'credits')).toMatchObject({ code: 'validation_failed' });
    expect(outOfRange('amount', 1250n, 2)).toMatchObject({ message: 'amount must be at most 12.5' });
  });
});

describe('formatting minor units', () => {
  it.each([
    [1_050_000n, 6, false, '1.05'],
    [1_500_000n, 6, false, '1.5'],
    [1_000_000n, 6, false, '1'],
    [5n, 6, false, '0.000005'],
    [0n, 6, false, '0'],
    [0n, 2, true, '0.00'],
    [100n, 2, true, '1.00'],
    [1_050_000n, 6, true, '1.050000'],
    [-1_050_000n, 6, false, '-1.05'],
    [-1250n, 2, true, '-12.50'],
    [42n, 0, false, '42'],
    [42n, 0, true, '42'],
    [-42n, 0, true, '-42'],
  ])('formatAmount(%s, %s, %s) is %s', (minor, scale, fixed, text) => {
    expect(formatAmount(minor, scale, fixed)).toBe(text);
  });
});

describe('exact arithmetic', () => {
  it('shares pro rata rounding half up, never more than the whole', () => {
    expect(proRata(1001n, 1n, 2n)).toBe(501n);
    expect(proRata(1n, 1n, 2n)).toBe(1n);
    expect(proRata(1n, 1n, 4n)).toBe(0n);
    expect(proRata(1000n, 1n, 3n)).toBe(333n);
    expect(proRata(1000n, 2n, 3n)).toBe(667n);
    expect(proRata(999n, 3n, 3n)).toBe(999n);
    expect(proRata(999n, 0n, 3n)).toBe(0n);
  });

  it('converts between minor units and major Decimals exactly, rounding as named', () => {
    expect(toDecimal(1234n, 2).toString()).toBe('12.34');
    expect(toDecimal(10n ** 30n, 0).toString()).toBe('1000000000000000000000000000000');
    expect(toMinor(new Decimal('1.005'), 2, Decimal.ROUND_HALF_UP)).toBe(101n);
    expect(toMinor(new Decimal('1.005'), 2, Decimal.ROUND_DOWN)).toBe(100n);
    expect(toMinor(new Decimal('1.001'), 2, Decimal.ROUND_UP)).toBe(101n);
    expect(toMinor(new Decimal('123456789012345678901234567890.12'), 2, Decimal.ROUND_HALF_UP)).toBe(
      12345678901234567890123456789012n,
    );
  });

  it('keeps 64 significant digits and rounds half up by default', () => {
    const big = toDecimal(999_999_999_999_999_999n, 6).mul('123456789.123456789123456789');
    expect(toMinor(big, 2, Decimal.ROUND_DOWN)).toBe(12345678912345678899999n);
    expect(new Decimal('2.5').toDecimalPlaces(0).toString()).toBe('3');
    expect(new Decimal('-2.5').toDecimalPlaces(0).toString()).toBe('-3');
  });
});

describe('lots', () => {
  const lots = [
    { id: 'a', remainingMinor: 5n },
    { id: 'b', remainingMinor: 0n },
    { id: 'c', remainingMinor: 5n },
  ];

  it('burns lots in order, skips empty ones, and reports what no lot covered', () => {
    expect(burn(lots, 7n)).toEqual({
      updates: [
        { id: 'a', remainingMinor: 0n },
        { id: 'c', remainingMinor: 3n },
      ],
      uncovered: 0n,
    });
    expect(burn(lots, 5n)).toEqual({ updates: [{ id: 'a', remainingMinor: 0n }], uncovered: 0n });
    expect(burn(lots, 12n)).toEqual({
      updates: [
        { id: 'a', remainingMinor: 0n },
        { id: 'c', remainingMinor: 0n },
      ],
      uncovered: 2n,
    });
    expect(burn(lots, 0n)).toEqual({ updates: [], uncovered: 0n });
    expect(burn([], 3n)).toEqual({ updates: [], uncovered: 3n });
  });

  it('keeps what reserved credits leave of each lot, in burn order', () => {
    // Unscoped lots: what is reserved (unbilled usage of any model, holds) burns them in order.
    const unspentByLot = (lotsOf: typeof lots, reserved: bigint) =>
      spendOfLots(
        lotsOf.map((l) => ({ ...l, models: null })),
        0n,
        { pendingMinor: 0n, unbilledMinor: reserved, unbilledByModel: new Map() },
      ).unspent;
    expect([...unspentByLot(lots, 7n)]).toEqual([
      ['a', 0n],
      ['b', 0n],
      ['c', 3n],
    ]);
    expect([...unspentByLot(lots, 0n)]).toEqual([
      ['a', 5n],
      ['b', 0n],
      ['c', 5n],
    ]);
    expect([...unspentByLot(lots, 5n)]).toEqual([
      ['a', 0n],
      ['b', 0n],
      ['c', 5n],
    ]);
    expect([...unspentByLot(lots, 20n)]).toEqual([
      ['a', 0n],
      ['b', 0n],
      ['c', 0n],
    ]);
  });
});

describe('pricing', () => {
  const config = { ...DEFAULT_CONFIG, creditPrice: '0.01', taxRate: '0.1' };

  it('accepts a total exactly at the payment bounds and refuses a cent outside, naming the amounts', () => {
    const bounded = { ...config, taxRate: '0', paymentMinMinor: 1000n, paymentMaxMinor: 2000n };
    expect(quote(bounded, '1000')).toMatchObject({ ok: true, value: { totalMinor: 1000n } });
    expect(quote(bounded, '2000')).toMatchObject({ ok: true, value: { totalMinor: 2000n } });
    expect(quote(bounded, '999')).toEqual({
      ok: false,
      code: 'payment_out_of_range',
      message: 'a payment must be between $10.00 and $20.00; this one is $9.99',
    });
    expect(quote(bounded, '2001')).toMatchObject({ ok: false, code: 'payment_out_of_range' });
  });

  it('prices in each currency at its own minor units and bounds', () => {
    const eur = {
      code: 'EUR',
      creditPrice: '0.0095',
      minorUnits: 2,
      paymentMinMinor: 1000n,
      paymentMaxMinor: 1_000_000n,
    };
    const jpy = {
      code: 'JPY',
      creditPrice: '1.5',
      minorUnits: 0,
      paymentMinMinor: 1500n,
      paymentMaxMinor: 1_500_000n,
    };
    // 1,001 credits x 0.0095 = 9.5095 EUR -> 9.51; 20 % = 1.902 -> 1.90.
    expect(quote(config, '1001', '0.2', eur)).toMatchObject({
      ok: true,
      value: { currency: 'EUR', subtotalMinor: 951n, taxMinor: 190n, totalMinor: 1141n },
    });
    // 1,001 credits x 1.5 = 1501.5 JPY -> 1502 (no minor unit); 10 % = 150.2 -> 150.
    expect(quote(config, '1001', '0.1', jpy)).toMatchObject({
      ok: true,
      value: { currency: 'JPY', subtotalMinor: 1502n, taxMinor: 150n, totalMinor: 1652n },
    });
    expect(quote(config, '999', '0', jpy)).toMatchObject({
      ok: false,
      code: 'payment_out_of_range',
      message: 'a payment must be between 1500 JPY and 1500000 JPY; this one is 1499 JPY',
    });
  });

  it('adds tax on the rounded subtotal', () => {
    // 1005 credits x $0.01 = $10.05; 10 % tax = $1.005 -> $1.01.
    expect(quote(config, '1005')).toEqual({
      ok: true,
      value: {
        creditsMinor: 1_005_000_000n,
        unitPrice: '0.01',
        currency: 'USD',
        subtotalMinor: 1005n,
        taxMinor: 101n,
        totalMinor: 1106n,
      },
    });
  });

  it('refuses credits that do not parse or pass the maximum', () => {
    expect(quote(config, 'ten')).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(quote({ ...config, maxCreditsMinor: 1_000_000n }, '2')).toMatchObject({
      ok: false,
      code: 'amount_out_of_range',
    });
  });

  it('compiles prices to exact fractions and rates half up to the credits scale', () => {
    const entry = (credits: string) =>
      compileEntry({ model: 'm', dimensions: [{ name: 'quantity', credits, per: '1', whole: false }] });
    const whole = entry('20');
    const fine = entry('0.0025');
    const tiny = entry('0.000001');
    expect(whole.dimensions[0]).toMatchObject({ num: 20n, den: 1n });
    expect(fine.dimensions[0]).toMatchObject({ num: 25n, den: 10000n });
    expect(tiny.dimensions[0]).toMatchObject({ num: 1n, den: 1_000_000n });
    // 1 unit at 20 credits.
    expect(rateDimensions(whole, [1_000_000n], 6, 6)).toBe(20_000_000n);
    // 0.2 units at 0.0025 = 0.0005 credits -> 500 minor.
    expect(rateDimensions(fine, [200_000n], 6, 6)).toBe(500n);
    // 0.5 units at 0.000001 = 0.0000005 credits: half a minor unit rounds up; 0.4 rounds down.
    expect(rateDimensions(tiny, [500_000n], 6, 6)).toBe(1n);
    expect(rateDimensions(tiny, [400_000n], 6, 6)).toBe(0n);
    // Quantities at scale 0 and credits at a scale past the precomputed powers of ten.
    expect(rateDimensions(whole, [3n], 0, 6)).toBe(60_000_000n);
    expect(rateDimensions(whole, [1n], 0, 20)).toBe(20n * 10n ** 20n);
    expect(rateDimensions(fine, [1n], 20, 24)).toBe(25n);
    expect(rateDimensions(whole, [10n ** 19n], 19, 0)).toBe(20n);
  });
});
