import type { InvoiceSnapshot } from '../src/core/kernel/model.ts';

/**
 * Invoices and credit notes of every tax rule, as #30 freezes them (seller in France), for the
 * e-invoice tests; the same cases were run through CEN's EN 16931 rules while building.
 */

const SELLER: InvoiceSnapshot['seller'] = {
  name: 'Studio Lumière SAS',
  address: '12 rue de la Paix; 75002 Paris',
  tax_id: 'FR40123456789',
  country: 'FR',
  registration: 'RCS Paris 123 456 789',
  email: 'billing@studio-lumiere.fr',
  phone: '+33 1 23 45 67 89',
};

const base = (over: Partial<InvoiceSnapshot>): InvoiceSnapshot => ({
  kind: 'invoice',
  number: 'INV-2026-000001',
  issued_at: '2026-11-25T13:00:00.000Z',
  seller: SELLER,
  buyer: {
    account_id: 'acc_1',
    name: 'Ciné Moderne',
    email: 'compta@cine-moderne.fr',
    billing_details: {
      legal_name: 'Ciné Moderne SARL',
      address_line1: '3 quai des Chartrons',
      address_line2: null,
      postal_code: '33000',
      city: 'Bordeaux',
      country: 'FR',
      tax_id: 'FR83404833048',
    },
  },
  lines: [{ description: 'Prepaid credits', quantity: '1000', unit_price: '0.01', amount: '10.00' }],
  subtotal: '10.00',
  tax: '2.00',
  tax_rate: '0.2',
  total: '12.00',
  currency: 'EUR',
  currency_minor_units: 2,
  purchase_id: 'pur_1',
  tax_treatment: 'standard',
  tax_rule: 'domestic',
  tax_country: 'FR',
  tax_mention: null,
  national_vat: null,
  paid_at: '2026-11-25T13:00:00.000Z',
  payment: { provider: 'stripe', card_brand: 'visa', card_last4: '4242' },
  locale: 'fr',
  ...over,
});

const GERMAN_COMPANY = {
  legal_name: 'Bildwerk Medien GmbH',
  address_line1: 'Torstraße 140',
  address_line2: 'Aufgang B, 3. OG',
  postal_code: '10119',
  city: 'Berlin',
  country: 'DE',
  tax_id: 'DE123456789',
};

/** FR seller, FR business, 20 % (in USD: the VAT is also stated in euros, art. 230). */
export const domestic = base({
  currency: 'USD',
  number: 'INV-2026-000001',
  lines: [{ description: 'Prepaid credits', quantity: '1234.5', unit_price: '0.0123', amount: '15.18' }],
  subtotal: '15.18',
  tax: '3.04',
  total: '18.22',
  national_vat: {
    currency: 'EUR',
    amount: '2.80',
    rate: '1.0843',
    rate_base: 'EUR',
    rate_date: '2026-11-24',
  },
});

/** FR seller, German business with a VAT number: reverse charge. */
export const reverseCharge = base({
  number: 'INV-2026-000002',
  buyer: {
    account_id: 'acc_2',
    name: 'Bildwerk',
    email: 'rechnung@bildwerk.de',
    billing_details: GERMAN_COMPANY,
  },
  subtotal: '10.00',
  tax: '0.00',
  tax_rate: '0',
  total: '10.00',
  tax_treatment: 'reverse_charge',
  tax_rule: 'reverse_charge',
  tax_country: 'DE',
  tax_mention: 'Autoliquidation : TVA due par le preneur, art. 196 de la directive 2006/112/CE',
});

/** FR seller, German consumer: OSS, the German 19 %. */
export const oss = base({
  number: 'INV-2026-000003',
  buyer: {
    account_id: 'acc_3',
    name: 'Jana Weber',
    email: 'jana@example.de',
    billing_details: { ...GERMAN_COMPANY, legal_name: 'Jana Weber', address_line2: null, tax_id: null },
  },
  tax: '1.90',
  tax_rate: '0.19',
  total: '11.90',
  tax_rule: 'eu_oss',
  tax_country: 'DE',
});

/** FR seller, US company: outside the scope of EU VAT, in US dollars. */
export const outsideScope = base({
  number: 'INV-2026-000004',
  buyer: {
    account_id: 'acc_4',
    name: 'Reelcraft',
    email: 'ap@reelcraft.example',
    billing_details: {
      legal_name: 'Reelcraft Inc.',
      address_line1: '500 Howard Street',
      address_line2: 'Suite 200',
      postal_code: '94105',
      city: 'San Francisco',
      country: 'US',
      tax_id: null,
    },
  },
  currency: 'USD',
  tax: '0.00',
  tax_rate: '0',
  total: '10.00',
  tax_rule: 'outside_scope',
  tax_country: null,
  tax_mention: 'TVA non applicable, art. 259-1 du CGI (prestation hors UE)',
  national_vat: { currency: 'EUR', amount: '0.00', rate: '1.0843', rate_date: '2026-11-24' },
});

const { registration: _, ...UNREGISTERED } = SELLER;

/** The same, from a seller that configured no legal registration. */
export const outsideScopeUnregistered = base({
  ...outsideScope,
  number: 'INV-2026-000008',
  seller: UNREGISTERED,
});

/** FR seller, Japanese company, at a rate the operator configured for Japan, in yen (no minor units). */
export const yen = base({
  number: 'INV-2026-000005',
  buyer: {
    account_id: 'acc_5',
    name: 'Eizo Studio',
    email: null,
    billing_details: {
      legal_name: 'Eizo Studio KK',
      address_line1: '1-2-3 Shibuya',
      address_line2: null,
      postal_code: '150-0002',
      city: 'Tokyo',
      country: 'JP',
      tax_id: null,
    },
  },
  lines: [{ description: 'Prepaid credits', quantity: '1000', unit_price: '1.5', amount: '1500' }],
  subtotal: '1500',
  tax: '150',
  tax_rate: '0.1',
  total: '1650',
  currency: 'JPY',
  currency_minor_units: 0,
  tax_rule: 'configured',
  tax_country: 'JP',
  national_vat: {
    currency: 'EUR',
    amount: '0.92',
    rate: '163.12',
    rate_base: 'EUR',
    rate_date: '2026-11-24',
  },
  payment: { provider: 'manual' },
});

/** A refund of part of the domestic invoice. */
export const creditNote = base({
  kind: 'credit_note',
  number: 'CN-2026-000001',
  issued_at: '2026-11-28T09:30:00.000Z',
  invoice_number: 'INV-2026-000001',
  invoice_issued_at: '2026-11-25T13:00:00.000Z',
  lines: [
    {
      description: 'Refund of unspent credits (invoice INV-2026-000001)',
      quantity: '500',
      unit_price: '0.01',
      amount: '5.00',
    },
  ],
  subtotal: '5.00',
  tax: '1.00',
  total: '6.00',
});

/** An invoice issued before #30: no rule, no minor units, no seller registration; reverse charge by its treatment. */
export const legacyReverseCharge: InvoiceSnapshot = {
  kind: 'invoice',
  number: 'INV-2026-000006',
  issued_at: '2026-03-02T10:00:00.000Z',
  seller: {
    name: 'Studio Lumière SAS',
    address: '12 rue de la Paix; 75002 Paris',
    tax_id: 'FR40123456789',
    country: 'FR',
  },
  buyer: {
    account_id: 'acc_2',
    name: 'Bildwerk',
    email: 'rechnung@bildwerk.de',
    billing_details: GERMAN_COMPANY,
  },
  lines: [{ description: 'Prepaid credits', quantity: '1000', unit_price: '0.01', amount: '10.00' }],
  subtotal: '10.00',
  tax: '0.00',
  tax_rate: '0',
  total: '10.00',
  currency: 'USD',
  purchase_id: 'pur_6',
  tax_treatment: 'reverse_charge',
  paid_at: '2026-03-02T10:00:00.000Z',
  payment: { provider: 'manual', card_brand: null, card_last4: null },
};

/** An invoice issued before #20 and #30: no billing details, no tax at all. */
export const legacyZero: InvoiceSnapshot = {
  ...legacyReverseCharge,
  number: 'INV-2026-000007',
  buyer: { account_id: 'acc_7', name: 'Acme', email: 'ops@acme.example' },
  tax_treatment: 'standard',
  purchase_id: 'pur_7',
};

export const CASES = {
  domestic,
  reverseCharge,
  oss,
  outsideScope,
  outsideScopeUnregistered,
  yen,
  creditNote,
  legacyReverseCharge,
  legacyZero,
};
