import { describe, expect, it } from 'vitest';
import { ratePercent } from '../src/core/pricing.ts';
import { makeApi } from './helpers.ts';
import { pdfText } from './pdf-text.ts';

describe('the tax rate as shown', () => {
  it.each([
    ['0.14', '14 %'],
    ['0.07', '7 %'],
    ['0.2', '20 %'],
    ['0.075', '7.5 %'],
    ['0.0825', '8.25 %'],
  ])('%s is %s, exactly', (rate, shown) => {
    expect(ratePercent(rate)).toBe(shown);
  });

  it('an invoice at 14 % says "Tax (14 %)", not 0.14 or 14.000000000000002 %', async () => {
    const { call } = await makeApi({ config: { taxRate: '0.14' } });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '2500', provider: 'manual' },
      { 'idempotency-key': 'k1' },
    );
    const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
    const text = await pdfText((await call('GET', `/v1/invoices/${invoice_id}/pdf`)).bytes);
    expect(text).toContain('Tax (14 %): 3.50 USD');
    expect(text).not.toContain('0.14');
    expect(text).not.toContain('14.0000');
  });
});
