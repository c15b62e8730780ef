import { describe, expect, it } from 'vitest';
import { convert } from '../src/core/prices/index.ts';
import { LOOPBACK_WEBHOOKS, makeApi, must, STORES } from './helpers.ts';

const EUR = {
  code: 'EUR',
  creditPrice: '0.0095',
  minorUnits: 2,
  paymentMinMinor: 1000n,
  paymentMaxMinor: 1_000_000n,
};
const USD = {
  code: 'USD',
  creditPrice: '0.01',
  minorUnits: 2,
  paymentMinMinor: 1000n,
  paymentMaxMinor: 1_000_000n,
};
const JPY = {
  code: 'JPY',
  creditPrice: '1.5',
  minorUnits: 0,
  paymentMinMinor: 1500n,
  paymentMaxMinor: 1_500_000n,
};

describe('exchange rates (core)', () => {
  const known = [{ day: '2026-12-04', base: 'EUR', rates: { USD: '1.0843', JPY: '162.5' } }];
  it('converts either way at the rate of the day, rounded half up to the minor unit of the target', () => {
    // $10.00 at 1 EUR = 1.0843 USD: 9.2225399... EUR -> 9.22
    expect(convert(known, 1000n, 'USD', 'EUR')).toEqual({
      minor: 922n,
      rate: '1.0843',
      day: '2026-12-04',
      base: 'EUR',
    });
    // 10.00 EUR -> 10.843 USD -> 10.84
    expect(convert(known, 1000n, 'EUR', 'USD')).toEqual({
      minor: 1084n,
      rate: '1.0843',
      day: '2026-12-04',
      base: 'EUR',
    });
    // 1,625 JPY (no minor unit) -> 10.00 EUR
    expect(convert(known, 1625n, 'JPY', 'EUR')).toEqual({
      minor: 1000n,
      rate: '162.5',
      day: '2026-12-04',
      base: 'EUR',
    });
    expect(convert(known, 1000n, 'GBP', 'EUR')).toBeUndefined();
  });
});

describe.each(STORES)('currencies over the API ($name)', (store) => {
  it('an account buys in its currency, at that currency’s price and bounds; its currency is fixed once it paid', async () => {
    const { call } = await makeApi({ store, config: { currencies: [USD, EUR, JPY] } });
    const bad = await call('POST', '/v1/accounts', { name: 'Nope', currency: 'GBP' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/USD, EUR, JPY/);
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk', currency: 'eur' })).body;
    expect(acc.currency).toBe('EUR');
    const usd = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    expect(usd.currency).toBe('USD');
    const quote = (await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '2000' })).body;
    expect(quote).toMatchObject({ currency: 'EUR', subtotal: '19.00', total: '19.00' });
    expect((await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'JPY' })).body.currency).toBe('JPY');
    const yen = (await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '2000' })).body;
    expect(yen).toMatchObject({ currency: 'JPY', subtotal: '3000', total: '3000' });
    expect((await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'EUR' })).status).toBe(200);
    // Paid in euros: invoice, credit note and refund in euros; the currency is then fixed.
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '2000', provider: 'manual' },
      {
        'idempotency-key': 'eur-1',
      },
    );
    expect(p.body).toMatchObject({ currency: 'EUR', total: '19.00' });
    const paid = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
    const invoice = (await call('GET', `/v1/invoices/${paid.invoice_id}`)).body;
    expect(invoice).toMatchObject({ currency: 'EUR', total: '19.00' });
    expect(invoice.snapshot).toMatchObject({ currency: 'EUR', currency_minor_units: 2, total: '19.00' });
    const note = (await call('POST', `/v1/credit_purchases/${p.body.id}/refund`, { credits: '500' })).body;
    expect(note).toMatchObject({ currency: 'EUR', total: '4.75' });
    const change = await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'USD' });
    expect(change.status).toBe(409);
    expect(change.body.error.code).toBe('invalid_state');
    // A US dollar account pays in dollars at the dollar price.
    const d = await call(
      'POST',
      `/v1/accounts/${usd.id}/credit_purchases`,
      { credits: '2000', provider: 'manual' },
      {
        'idempotency-key': 'usd-1',
      },
    );
    expect(d.body).toMatchObject({ currency: 'USD', total: '20.00' });
  });

  it('states VAT in the seller’s national currency on a foreign-currency invoice, or says no rate was known and warns', async () => {
    const { call, engine } = await makeApi({
      store,
      config: {
        ...LOOPBACK_WEBHOOKS,
        currencies: [USD, EUR],
        taxRate: '0.2',
        seller: { name: 'Studio', address: 'Paris', taxId: 'FR40123456789', country: 'FR' },
      },
    });
    const hook = must(await engine.webhooks.create('http://127.0.0.1:9/', ['invoice.exchange_rate_missing']));
    const acc = (await call('POST', '/v1/accounts', { name: 'Paris buyer', currency: 'USD' })).body;
    await call('PATCH', `/v1/accounts/${acc.id}`, {
      billing_details: {
        legal_name: 'Atelier',
        address_line1: '1 rue',
        postal_code: '75001',
        city: 'Paris',
        country: 'FR',
      },
    });
    const buy = async (key: string) => {
      const p = await call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits: '1000', provider: 'manual' },
        {
          'idempotency-key': key,
        },
      );
      const paid = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
      return (await call('GET', `/v1/invoices/${paid.invoice_id}`)).body.snapshot;
    };
    // No rate yet: issued all the same, saying so; the operator is told by webhook.
    const without = await buy('fr-1');
    expect(without).toMatchObject({ currency: 'USD', tax: '2.00', tax_rule: 'domestic' });
    expect(without.national_vat).toEqual({ currency: 'EUR', amount: null, rate: null, rate_date: null });
    const deliveries = must(await engine.webhooks.deliveries(hook.id));
    expect(deliveries).toHaveLength(1);
    // With the ECB's rate of an earlier day: $2.00 at 1 EUR = 1.0843 USD is 1.84 EUR.
    const day = new Date(engine.clock.nowMs() - 86_400_000).toISOString().slice(0, 10);
    await call('PUT', '/v1/exchange_rates', { date: day, base: 'EUR', rates: { USD: '1.0843' } });
    const withRate = await buy('fr-2');
    expect(withRate.national_vat).toEqual({
      currency: 'EUR',
      amount: '1.84',
      rate: '1.0843',
      rate_base: 'EUR',
      rate_date: day,
    });
    expect(must(await engine.webhooks.deliveries(hook.id))).toHaveLength(1);
    const pdf = await call(
      'GET',
      `/v1/invoices/${(await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data[0].id}/pdf`,
    );
    expect(pdf.status).toBe(200);
  });

  it('stores the operator’s rates by day and answers those in effect on a day', async () => {
    const { call } = await makeApi({ store });
    expect(
      (
        await call('PUT', '/v1/exchange_rates', {
          date: '2026-12-03',
          base: 'EUR',
          rates: { USD: '1.08', GBP: '0.85' },
        })
      ).status,
    ).toBe(200);
    await call('PUT', '/v1/exchange_rates', { date: '2026-12-04', base: 'EUR', rates: { USD: '1.0843' } });
    const bad = await call('PUT', '/v1/exchange_rates', {
      date: '2026-12-04',
      base: 'EUR',
      rates: { USD: 1.08 },
    });
    expect(bad.status).toBe(422);
    const on = (await call('GET', '/v1/exchange_rates?date=2026-12-05')).body.data;
    // USD from the 4th, GBP still from the 3rd.
    expect(on).toEqual([
      { date: '2026-12-04', base: 'EUR', rates: { USD: '1.0843' } },
      { date: '2026-12-03', base: 'EUR', rates: { GBP: '0.85' } },
    ]);
    expect((await call('GET', '/v1/exchange_rates?date=2026-12-02')).body.data).toEqual([]);
  });
});
