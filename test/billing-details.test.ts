import { describe, expect, it } from 'vitest';
import { parseBillingDetails } from '../src/core/kernel/billing-details.ts';
import { makeApi, must, portalClient, STORES } from './helpers.ts';

const BASE = {
  legal_name: 'Bildwerk Medien GmbH',
  address_line1: 'Torstraße 140',
  postal_code: '10119',
  city: 'Berlin',
  country: 'DE',
};

describe('billing details rules', () => {
  it.each([
    ['DE', 'DE123456789', true],
    ['DE', 'DE12345678', false],
    ['DE', 'FR12345678901', false],
    ['FR', 'FR40123456789', true],
    ['FR', 'FRAB123456789', true],
    ['FR', 'FR4012345678', false],
    ['AT', 'ATU12345678', true],
    ['AT', 'AT12345678', false],
    ['NL', 'NL123456789B01', true],
    ['NL', 'NL123456789', false],
    ['GR', 'EL123456789', true],
    ['GR', 'GR123456789', false],
    ['ES', 'ESX1234567X', true],
    ['IT', 'IT12345678901', true],
    ['BE', 'BE0123456789', true],
    ['BE', 'BE2123456789', false],
    ['US', '12-3456789', true],
    ['GB', 'GB123456789', true],
  ])('a tax id of %s: %s is %s', (country, taxId, valid) => {
    const r = parseBillingDetails({ ...BASE, country, tax_id: taxId });
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.details).toEqual([{ field: 'billing_details.tax_id', message: expect.any(String) }]);
  });

  it('normalises: trims text, upper-cases the country, drops spaces, dots and dashes from the tax id', () => {
    const r = parseBillingDetails({
      ...BASE,
      legal_name: '  Bildwerk  ',
      country: 'de',
      tax_id: 'de 123.456-789',
    });
    expect(r).toMatchObject({
      ok: true,
      value: { legalName: 'Bildwerk', country: 'DE', taxId: 'DE123456789' },
    });
  });

  it('lists every field that does not fit, with a stable code', () => {
    const r = parseBillingDetails({ legal_name: '', country: 'XX', extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('validation_failed');
    expect(r.details!.map((d) => d.field).sort()).toEqual([
      'billing_details.address_line1',
      'billing_details.city',
      'billing_details.country',
      'billing_details.extra',
      'billing_details.legal_name',
      'billing_details.postal_code',
    ]);
  });
});

describe.each(STORES)('billing details over HTTP ($name)', (store) => {
  it('PATCH sets them, GET shows them, null clears them; bad ones are 422 validation_failed naming the field', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk' })).body;
    expect(acc.billing_details).toBeNull();
    const set = await call('PATCH', `/v1/accounts/${acc.id}`, {
      billing_details: { ...BASE, address_line2: 'Aufgang B', tax_id: 'DE 123 456 789' },
    });
    expect(set.status).toBe(200);
    const expected = { ...BASE, address_line2: 'Aufgang B', tax_id: 'DE123456789' };
    expect(set.body.billing_details).toEqual(expected);
    expect((await call('GET', `/v1/accounts/${acc.id}`)).body.billing_details).toEqual(expected);

    const bad = await call('PATCH', `/v1/accounts/${acc.id}`, {
      billing_details: { ...BASE, tax_id: 'DE12345' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toContainEqual({
      field: 'billing_details.tax_id',
      message: 'must be a VAT number of DE, like DE123456789',
    });
    const country = await call('PATCH', `/v1/accounts/${acc.id}`, {
      billing_details: { ...BASE, country: 'ZZ' },
    });
    expect(country.status).toBe(422);
    expect(country.body.error.details.map((d: { field: string }) => d.field)).toContain(
      'billing_details.country',
    );
    const missing = await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: { country: 'DE' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('validation_failed');
    // A refusal changed nothing.
    expect((await call('GET', `/v1/accounts/${acc.id}`)).body.billing_details).toEqual(expected);

    const cleared = await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: null });
    expect(cleared.body.billing_details).toBeNull();
  });

  it('the quote follows the buyer: VAT for a domestic buyer, none for an EU business abroad, the buyer’s rate for an EU consumer abroad', async () => {
    const { call } = await makeApi({
      store,
      config: {
        taxRate: '0.2',
        seller: { name: 'Studio', address: 'Paris', taxId: 'FR40123456789', country: 'FR' },
      },
    });
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk' })).body;
    const quote = async () =>
      (await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '2500' })).body;
    expect(await quote()).toMatchObject({ subtotal: '25.00', tax: '5.00', total: '30.00' });
    await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: { ...BASE, tax_id: 'DE123456789' } });
    expect(await quote()).toMatchObject({ subtotal: '25.00', tax: '0.00', total: '25.00' });
    // A German consumer (no VAT number) of a French seller pays German VAT (OSS): 19 %.
    await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: BASE });
    expect(await quote()).toMatchObject({ tax: '4.75', total: '29.75' });
  });
});

describe('billing details in the portal', () => {
  it('the customer saves them on the Billing page, sees a refusal naming the field, and the next invoice shows them', async () => {
    const { app, engine, call } = await makeApi({
      config: {
        taxRate: '0.2',
        seller: { name: 'Studio', address: 'Paris', taxId: 'FR40123456789', country: 'FR' },
      },
    });
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk' })).body;
    const send = portalClient(app);
    const link = must(await engine.portal.createLink(acc.id));
    expect((await send(`/portal/session/${link.token}`, {})).status).toBe(303);
    const page = await (await send('/portal/billing')).text();
    expect(page).toContain('Billing details');
    expect(page).toContain('None yet');
    expect(page).toContain('plus 20 % tax');
    // $10 to $10,000 a payment at $0.01 and 20 % VAT (833 credits: $8.33 + $1.67).
    expect(page).toContain('Buy 833 to 833,333 credits at a time');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = { _csrf: csrf, ...BASE, address_line2: '', tax_id: 'DE 12345' };
    const refused = await send('/portal/billing/details', form);
    // Post/Redirect/Get: the refusal and what was typed reach the page the redirect opens.
    expect(refused.status).toBe(303);
    const refusedPage = await (await send(refused.headers.get('location')!)).text();
    expect(refusedPage).toContain('The VAT number must be a VAT number of DE, like DE123456789.');
    expect(refusedPage).toContain('value="DE 12345"'); // what was typed stays in the form
    const saved = await send('/portal/billing/details', { ...form, tax_id: 'DE123456789' });
    expect(saved.status).toBe(303);
    const after = await (await send(saved.headers.get('location')!)).text();
    expect(after).toContain('Your billing details are saved');
    expect(after).toContain(
      'Invoices are addressed to Bildwerk Medien GmbH, Berlin (DE), VAT number DE123456789.',
    );
    expect(after).not.toContain('% tax'); // reverse charge: no VAT on what this buyer buys
    expect(after).toContain('Buy 1,000 to 1,000,000 credits at a time'); // the range without VAT
    expect((await call('GET', `/v1/accounts/${acc.id}`)).body.billing_details).toEqual({
      ...BASE,
      address_line2: null,
      tax_id: 'DE123456789',
    });
    // The portal's live quote follows: no VAT for this buyer now.
    expect(await (await send('/portal/api/quote?credits=2500')).json()).toMatchObject({
      tax: '0.00',
      total: '25.00',
    });
  });
});
