import { describe, expect, it } from 'vitest';
import { ratePercent } from '../src/core/prices/pricing.ts';
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
    expect(text).toContain('VAT (14%)');
    expect(text).toContain('USD 3.50');
    expect(text).not.toContain('0.14');
    expect(text).not.toContain('14.0000');
  });

  it('the portal\'s billing page says "plus 14 % tax"', async () => {
    const { app, call } = await makeApi({ config: { taxRate: '0.14' } });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films' })).body;
    const link = new URL((await call('POST', `/v1/accounts/${acc.id}/portal_sessions`)).body.url).pathname;
    const opened = await app.request(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = /tollgate_portal=[^;]*/.exec(opened.headers.get('set-cookie') ?? '')![0];
    const page = await (await app.request('/portal/billing', { headers: { cookie } })).text();
    expect(page).toContain('plus 14 % tax');
    expect(page).not.toContain('14.000000000000002');
  });
});
