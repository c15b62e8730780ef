import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/core/kernel/amount.ts';
import { DEFAULT_CONFIG } from '../../src/core/kernel/config.ts';
import { quote } from '../../src/core/prices/pricing.ts';

describe('amounts on the wire', () => {
  it('parses plain decimal strings exactly into minor units', () => {
    expect(parseAmount('1500', 6, 'credits')).toEqual({ ok: true, value: 1_500_000_000n });
    expect(parseAmount('12.5', 6, 'credits')).toEqual({ ok: true, value: 12_500_000n });
    expect(parseAmount('0.000001', 6, 'credits')).toEqual({ ok: true, value: 1n });
  });

  it.each([
    ['1e3'],
    ['NaN'],
    ['Infinity'],
    ['-5'],
    ['+5'],
    [' 5'],
    [''],
    ['5.'],
    ['.5'],
    ['0.0000001'],
    ['0'],
    ['01'],
    [5],
    [null],
    ['9'.repeat(40)],
  ])('refuses %j with validation_failed', (input) => {
    expect(parseAmount(input, 6, 'credits')).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('formats money with its cents and credits without trailing zeros', () => {
    expect(formatAmount(1250n, 2, true)).toBe('12.50');
    expect(formatAmount(12_500_000n, 6)).toBe('12.5');
    expect(formatAmount(-5n, 2, true)).toBe('-0.05');
  });
});

describe('quote', () => {
  const config = { ...DEFAULT_CONFIG, creditPrice: '0.01', taxRate: '0.2' };

  it('computes subtotal, tax and total in cents, rounding half up at each step', () => {
    // 1234.5 credits x $0.01 = $12.345 -> $12.35; tax 20 % of $12.35 = $2.47
    expect(quote(config, '1234.5')).toEqual({
      ok: true,
      value: {
        creditsMinor: 1_234_500_000n,
        unitPrice: '0.01',
        currency: 'USD',
        subtotalMinor: 1235n,
        taxMinor: 247n,
        totalMinor: 1482n,
      },
    });
  });

  it('holds the payment bounds on the total, inclusive: $9.99 no, $10.00 yes, $10,000.00 yes, $10,000.01 no', () => {
    const plain = { ...DEFAULT_CONFIG, creditPrice: '0.01', taxRate: '0' };
    expect(quote(plain, '999')).toMatchObject({ ok: false, code: 'payment_out_of_range' });
    expect(quote(plain, '1000')).toMatchObject({ ok: true, value: { totalMinor: 1000n } });
    expect(quote(plain, '1000000')).toMatchObject({ ok: true, value: { totalMinor: 1_000_000n } });
    expect(quote(plain, '1000001')).toMatchObject({ ok: false, code: 'payment_out_of_range' });
  });

  it('applies the bounds after tax', () => {
    // 834 credits = $8.34 + 20 % = $10.008 -> tax $1.67, total $10.01: inside
    expect(quote(config, '834')).toMatchObject({
      ok: true,
      value: { subtotalMinor: 834n, taxMinor: 167n, totalMinor: 1001n },
    });
    // 833 credits = $8.33 + $1.67 (1.666 rounds up) = $10.00: exactly the minimum
    expect(quote(config, '833')).toMatchObject({ ok: true, value: { totalMinor: 1000n } });
    expect(quote(config, '832')).toMatchObject({ ok: false, code: 'payment_out_of_range' });
  });
});
