import { describe, expect, it } from 'vitest';
import { convert } from '../src/core/prices/index.ts';
import { LOOPBACK_WEBHOOKS, makeApi, must, portalClient, STORES } from './helpers.ts';

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
    // Through the base both are quoted in: 1 USD = 11.1 / 1.0843 SEK = 10.237019 SEK (6 places).
    const ecb = [{ day: '2026-12-04', base: 'EUR', rates: { USD: '1.0843', SEK: '11.1' } }];
    expect(convert(ecb, 500n, 'USD', 'SEK')).toEqual({
      minor: 5119n,
      rate: '10.237019',
      day: '2026-12-04',
      base: 'USD',
    });
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

  it('refuses a currency change that would strand money: a pending purchase, an auto top-up in the old currency', async () => {
    const { call } = await makeApi({ store, config: { currencies: [USD, EUR] } });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '2000', provider: 'manual' },
      {
        'idempotency-key': 'pending-1',
      },
    );
    const refused = await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'EUR' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/pending purchase in USD/);
    await call('POST', `/v1/credit_purchases/${p.body.id}/fail`);
    await call('PATCH', `/v1/accounts/${acc.id}`, {
      // A threshold of 0: nothing starts now (a started top-up would be a pending purchase).
      auto_top_up: { threshold: '0', credits: '2000', monthly_max_total: '100.00', provider: 'manual' },
    });
    expect((await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'EUR' })).status).toBe(409);
    await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up: null });
    expect((await call('PATCH', `/v1/accounts/${acc.id}`, { currency: 'EUR' })).body.currency).toBe('EUR');
  });

  it.skipIf(store.name === 'sqlite-memory')(
    'keeps a paid account in its currency when the operator changes the default',
    async () => {
      const store2 = store.open();
      const first = await makeApi({ store, database: store2, config: { currencies: [USD, EUR] } });
      const acc = (await first.call('POST', '/v1/accounts', { name: 'Acme' })).body;
      const p = await first.call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits: '2000', provider: 'manual' },
        {
          'idempotency-key': 'usd-1',
        },
      );
      await first.call('POST', `/v1/credit_purchases/${p.body.id}/confirm`);
      const unpaid = (await first.call('POST', '/v1/accounts', { name: 'Later' })).body;
      await first.engine.close();
      // Restarted with euros first: the account that paid in dollars stays in dollars; one that
      // never paid follows the new default.
      const second = await makeApi({ store, database: store2, config: { currencies: [EUR, USD] } });
      expect((await second.call('GET', `/v1/accounts/${acc.id}`)).body.currency).toBe('USD');
      expect((await second.call('GET', `/v1/accounts/${unpaid.id}`)).body.currency).toBe('EUR');
      const q = await second.call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '2000' });
      expect(q.body.currency).toBe('USD');
    },
  );

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

  it('keeps the finance reports per currency: deferred revenue and the journal of each tie out alone', async () => {
    const { call } = await makeApi({ store, config: { currencies: [USD, EUR] } });
    const eur = (await call('POST', '/v1/accounts', { name: 'Bildwerk', currency: 'EUR' })).body;
    const usd = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const buy = async (acc: string, credits: string, key: string) => {
      const p = await call(
        'POST',
        `/v1/accounts/${acc}/credit_purchases`,
        { credits, provider: 'manual' },
        {
          'idempotency-key': key,
        },
      );
      await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`);
    };
    await buy(eur.id, '2000', 'e'); // 19.00 EUR
    await buy(usd.id, '3000', 'u'); // 30.00 USD
    const month = '2026-11';
    const inEur = (await call('GET', `/v1/reports/deferred_revenue?month=${month}&currency=EUR`)).body;
    expect(inEur).toMatchObject({ currency: 'EUR', opening: '0.00', purchased: '19.00', closing: '19.00' });
    const inUsd = (await call('GET', `/v1/reports/deferred_revenue?month=${month}`)).body;
    expect(inUsd).toMatchObject({ currency: 'USD', purchased: '30.00', closing: '30.00' });
    expect((await call('GET', `/v1/reports/deferred_revenue?month=${month}&currency=XYZ`)).status).toBe(422);
    const journal = (currency: string) =>
      call('GET', `/v1/reports/journal.csv?from=2026-11-01&to=2026-12-01&currency=${currency}`).then((r) =>
        r.text.trim().split('\n'),
      );
    const eurLines = await journal('EUR');
    expect(eurLines[0]).toBe('date,transfer_id,debit_account,credit_account,credits,eur_value,reference');
    const purchases = (lines: string[]) => lines.filter((l) => l.includes(',purchase'));
    expect(purchases(eurLines).map((l) => l.split(',')[5])).toEqual(['19.00']);
    expect(purchases(await journal('USD')).map((l) => l.split(',')[5])).toEqual(['30.00']);
  });
});

describe('currencies in the portal', () => {
  it('lets the customer choose a currency until the first paid purchase, and shows prices and payments in it', async () => {
    const { app, engine, call } = await makeApi({ config: { currencies: [USD, EUR, JPY] } });
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk' })).body;
    const send = portalClient(app);
    const link = must(await engine.portal.createLink(acc.id));
    expect((await send(`/portal/session/${link.token}`, {})).status).toBe(303);
    const page = await (await send('/portal/billing')).text();
    expect(page).toContain('data-testid="currency"');
    expect(page).toContain('$0.01 per credit');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const saved = await send('/portal/billing/currency', { _csrf: csrf, currency: 'EUR' });
    expect(saved.status).toBe(303);
    const inEur = await (await send(saved.headers.get('location')!)).text();
    expect(inEur).toContain('Your currency is saved');
    expect(inEur).toContain('0.0095 EUR per credit');
    expect(inEur).toContain('one payment is 10.00 EUR to 10,000.00 EUR');
    const quote = await (await send('/portal/api/quote?credits=2000')).json();
    expect(quote).toMatchObject({ currency: 'EUR', total: '19.00' });
    const bad = await send('/portal/billing/currency', { _csrf: csrf, currency: 'GBP' });
    expect(bad.status).toBe(303);
    expect(await (await send('/portal/billing')).text()).toContain('USD, EUR, JPY');
    // Paid once: the choice is gone, and the purchase reads in euros.
    const p = must(await engine.credits.purchase(acc.id, { credits: '2000', provider: 'manual' }, 'k1'));
    must(await engine.credits.confirm(p.purchase.id));
    const paid = await (await send('/portal/billing')).text();
    expect(paid).not.toContain('data-testid="currency"');
    expect(paid).toContain('19.00 EUR');
    // Usage is valued in euros too.
    await engine.usage.ingest([
      {
        id: 'u1',
        account_id: acc.id,
        model: 'image-1024',
        quantity: '1000',
        timestamp: new Date(engine.clock.nowMs()).toISOString(),
      },
    ]);
    const usage = await (await send('/portal/usage')).text();
    expect(usage).toContain('Cost (EUR)');
    // 2,000 credits x 0.0095 EUR
    expect(/data-testid="total-usd">([^<]+)</.exec(usage)![1]).toBe('19.00 EUR');
  });
});

describe('the README’s invoice per tax rule', () => {
  it('a French seller’s 2,500 credits at 0.0095 EUR, to each kind of buyer', async () => {
    const { call } = await makeApi({
      config: {
        currencies: [EUR, USD],
        taxRate: '0.2',
        taxRates: { GB: '0.2' },
        seller: { name: 'Studio', address: 'Paris', taxId: 'FR40123456789', country: 'FR' },
      },
    });
    const details = (country: string, tax_id?: string) => ({
      legal_name: 'Buyer',
      address_line1: '1 Main Street',
      postal_code: '10001',
      city: 'City',
      country,
      ...(tax_id ? { tax_id } : {}),
    });
    const invoiceFor = async (name: string, billing: object) => {
      const acc = (await call('POST', '/v1/accounts', { name })).body;
      await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: billing });
      const p = await call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits: '2500', provider: 'manual' },
        {
          'idempotency-key': name,
        },
      );
      const paid = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
      const s = (await call('GET', `/v1/invoices/${paid.invoice_id}`)).body.snapshot;
      return [s.tax_rule, s.tax_rate, s.tax, s.total, s.currency, s.tax_mention];
    };
    expect(await invoiceFor('fr', details('FR'))).toEqual(['domestic', '0.2', '4.75', '28.50', 'EUR', null]);
    expect(await invoiceFor('de-b2b', details('DE', 'DE123456789'))).toEqual([
      'reverse_charge',
      '0',
      '0.00',
      '23.75',
      'EUR',
      'Reverse charge: VAT to be accounted for by the recipient, art. 196 Directive 2006/112/EC',
    ]);
    expect(await invoiceFor('de-b2c', details('DE'))).toEqual([
      'eu_oss',
      '0.19',
      '4.51',
      '28.26',
      'EUR',
      null,
    ]);
    expect(await invoiceFor('us', details('US', '123456789'))).toEqual([
      'outside_scope',
      '0',
      '0.00',
      '23.75',
      'EUR',
      'VAT not applicable: place of supply outside the EU, art. 44 and 59 Directive 2006/112/EC',
    ]);
    expect(await invoiceFor('gb', details('GB'))).toEqual([
      'configured',
      '0.2',
      '4.75',
      '28.50',
      'EUR',
      null,
    ]);
  });
});

describe('whole credits in the portal', () => {
  it('refuses a fraction of a credit in the quote and the purchase, as the form says, and buys nothing', async () => {
    const { app, engine, call } = await makeApi();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const send = portalClient(app);
    const link = must(await engine.portal.createLink(acc.id));
    await send(`/portal/session/${link.token}`, {});
    const page = await (await send('/portal/billing')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const quote = await send('/portal/api/quote?credits=2500.5');
    expect(quote.status).toBe(422);
    expect(((await quote.json()) as { error: { message: string } }).error.message).toBe(
      'Enter a whole number of credits, such as 1,500.',
    );
    expect((await send('/portal/api/quote?credits=2,500')).status).toBe(200);
    const bought = await send('/portal/billing/purchase', {
      _csrf: csrf,
      credits: '2500.5',
      idempotency_key: 'k1',
    });
    expect(bought.status).toBe(303);
    expect(await (await send(bought.headers.get('location')!)).text()).toContain(
      'Enter a whole number of credits',
    );
    expect(must(await engine.credits.listPurchases(acc.id))).toEqual([]);
  });
});
