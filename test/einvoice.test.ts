import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { eInvoiceRenderer } from '../src/adapters/invoices/einvoice-renderer.ts';
import { Decimal } from '../src/core/kernel/amount.ts';
import type { TollgateConfig } from '../src/core/kernel/config.ts';
import type { InvoiceSnapshot } from '../src/core/kernel/model.ts';
import {
  CASES,
  creditNote,
  domestic,
  legacyReverseCharge,
  legacyZero,
  oss,
  outsideScope,
  outsideScopeUnregistered,
  reverseCharge,
  yen,
} from './einvoice-cases.ts';
import { makeApi, portalClient } from './helpers.ts';
import { all, one, parseXml, texts, type XNode } from './xml-lite.ts';

/**
 * What an accountant's or an ERP's reader takes from tollgate's e-invoices, in both syntaxes: the
 * business terms of EN 16931 (BT-n) that CEN's rules check and that the books are kept from. CEN's
 * own validation artifacts are not in the repository; these assert the fields those rules read.
 */

type Syntax = 'ubl' | 'cii';

interface Terms {
  typeCode: string;
  currency: string;
  /** BT-106, BT-109, BT-110, BT-112, BT-113, BT-115 */
  lineNet: string;
  taxExclusive: string;
  tax: string;
  taxInclusive: string;
  paid: string;
  due: string;
  /** BT-6 and BT-111 */
  taxCurrency: string | null;
  taxInTaxCurrency: string | null;
  /** BG-23 */
  breakdown: {
    category: string;
    percent: string | null;
    taxable: string;
    tax: string;
    reasonCode: string | null;
    reason: string | null;
  }[];
  /** BT-151 and BT-152 of each line */
  lines: { category: string; percent: string | null; net: string }[];
  seller: PartyTerms;
  buyer: PartyTerms;
  /** BT-25 and BT-26 */
  preceding: { number: string; date: string | null } | null;
}

interface PartyTerms {
  name: string;
  country: string;
  /** BT-31 / BT-48 */
  vatId: string | null;
  /** BT-32 */
  taxRegistration: string | null;
  /** BT-30 */
  legalId: string | null;
  /** BT-29 */
  identifier: string | null;
  /** BT-34 / BT-49 with its scheme */
  endpoint: string | null;
  /** BT-43 / BT-58 */
  email: string | null;
}

const first = (xs: string[]) => xs[0] ?? null;

function ublTerms(doc: XNode): Terms {
  const currency = one(doc, 'cbc:DocumentCurrencyCode');
  const taxAmounts = all(doc, 'cac:TaxTotal/cbc:TaxAmount');
  const lines = all(doc, doc.name === 'Invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine');
  const party = (p: XNode): PartyTerms => {
    const schemes = all(p, 'cac:PartyTaxScheme');
    const scheme = (vat: boolean) =>
      schemes
        .filter((s) => (one(s, 'cac:TaxScheme/cbc:ID') === 'VAT') === vat)
        .map((s) => one(s, 'cbc:CompanyID'));
    const endpoint = all(p, 'cbc:EndpointID')[0];
    return {
      name: one(p, 'cac:PartyName/cbc:Name'),
      country: one(p, 'cac:PostalAddress/cac:Country/cbc:IdentificationCode'),
      vatId: first(scheme(true)),
      taxRegistration: first(scheme(false)),
      legalId: first(texts(p, 'cac:PartyLegalEntity/cbc:CompanyID')),
      identifier: first(texts(p, 'cac:PartyIdentification/cbc:ID')),
      endpoint: endpoint ? `${endpoint.attrs.schemeID}:${endpoint.text}` : null,
      email: first(texts(p, 'cac:Contact/cbc:ElectronicMail')),
    };
  };
  const ref = all(doc, 'cac:BillingReference/cac:InvoiceDocumentReference')[0];
  const taxCurrency = first(texts(doc, 'cbc:TaxCurrencyCode'));
  return {
    typeCode: one(doc, doc.name === 'Invoice' ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode'),
    currency,
    lineNet: one(doc, 'cac:LegalMonetaryTotal/cbc:LineExtensionAmount'),
    taxExclusive: one(doc, 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount'),
    tax: taxAmounts.filter((t) => t.attrs.currencyID === currency).map((t) => t.text)[0]!,
    taxInclusive: one(doc, 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount'),
    paid: one(doc, 'cac:LegalMonetaryTotal/cbc:PrepaidAmount'),
    due: one(doc, 'cac:LegalMonetaryTotal/cbc:PayableAmount'),
    taxCurrency,
    taxInTaxCurrency: first(taxAmounts.filter((t) => t.attrs.currencyID === taxCurrency).map((t) => t.text)),
    breakdown: all(doc, 'cac:TaxTotal/cac:TaxSubtotal').map((s) => ({
      category: one(s, 'cac:TaxCategory/cbc:ID'),
      percent: first(texts(s, 'cac:TaxCategory/cbc:Percent')),
      taxable: one(s, 'cbc:TaxableAmount'),
      tax: one(s, 'cbc:TaxAmount'),
      reasonCode: first(texts(s, 'cac:TaxCategory/cbc:TaxExemptionReasonCode')),
      reason: first(texts(s, 'cac:TaxCategory/cbc:TaxExemptionReason')),
    })),
    lines: lines.map((l) => ({
      category: one(l, 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID'),
      percent: first(texts(l, 'cac:Item/cac:ClassifiedTaxCategory/cbc:Percent')),
      net: one(l, 'cbc:LineExtensionAmount'),
    })),
    seller: party(all(doc, 'cac:AccountingSupplierParty/cac:Party')[0]!),
    buyer: party(all(doc, 'cac:AccountingCustomerParty/cac:Party')[0]!),
    preceding: ref ? { number: one(ref, 'cbc:ID'), date: first(texts(ref, 'cbc:IssueDate')) } : null,
  };
}

function ciiTerms(doc: XNode): Terms {
  const tx = 'rsm:SupplyChainTradeTransaction';
  const settlement = all(doc, `${tx}/ram:ApplicableHeaderTradeSettlement`)[0]!;
  const sum = all(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')[0]!;
  const currency = one(settlement, 'ram:InvoiceCurrencyCode');
  const taxCurrency = first(texts(settlement, 'ram:TaxCurrencyCode'));
  const taxAmounts = all(sum, 'ram:TaxTotalAmount');
  const party = (p: XNode): PartyTerms => {
    const registrations = all(p, 'ram:SpecifiedTaxRegistration/ram:ID');
    const scheme = (id: string) =>
      first(registrations.filter((r) => r.attrs.schemeID === id).map((r) => r.text));
    const endpoint = all(p, 'ram:URIUniversalCommunication/ram:URIID')[0];
    return {
      name: one(p, 'ram:Name'),
      country: one(p, 'ram:PostalTradeAddress/ram:CountryID'),
      vatId: scheme('VA'),
      taxRegistration: scheme('FC'),
      legalId: first(texts(p, 'ram:SpecifiedLegalOrganization/ram:ID')),
      identifier: first(texts(p, 'ram:ID')),
      endpoint: endpoint ? `${endpoint.attrs.schemeID}:${endpoint.text}` : null,
      email: first(texts(p, 'ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID')),
    };
  };
  const agreement = `${tx}/ram:ApplicableHeaderTradeAgreement`;
  const ref = all(settlement, 'ram:InvoiceReferencedDocument')[0];
  return {
    typeCode: one(doc, 'rsm:ExchangedDocument/ram:TypeCode'),
    currency,
    lineNet: one(sum, 'ram:LineTotalAmount'),
    taxExclusive: one(sum, 'ram:TaxBasisTotalAmount'),
    tax: taxAmounts.filter((t) => t.attrs.currencyID === currency).map((t) => t.text)[0]!,
    taxInclusive: one(sum, 'ram:GrandTotalAmount'),
    paid: one(sum, 'ram:TotalPrepaidAmount'),
    due: one(sum, 'ram:DuePayableAmount'),
    taxCurrency,
    taxInTaxCurrency: first(taxAmounts.filter((t) => t.attrs.currencyID === taxCurrency).map((t) => t.text)),
    breakdown: all(settlement, 'ram:ApplicableTradeTax').map((t) => ({
      category: one(t, 'ram:CategoryCode'),
      percent: first(texts(t, 'ram:RateApplicablePercent')),
      taxable: one(t, 'ram:BasisAmount'),
      tax: one(t, 'ram:CalculatedAmount'),
      reasonCode: first(texts(t, 'ram:ExemptionReasonCode')),
      reason: first(texts(t, 'ram:ExemptionReason')),
    })),
    lines: all(doc, `${tx}/ram:IncludedSupplyChainTradeLineItem`).map((l) => ({
      category: one(l, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode'),
      percent: first(
        texts(l, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent'),
      ),
      net: one(
        l,
        'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount',
      ),
    })),
    seller: party(all(doc, `${agreement}/ram:SellerTradeParty`)[0]!),
    buyer: party(all(doc, `${agreement}/ram:BuyerTradeParty`)[0]!),
    preceding: ref
      ? {
          number: one(ref, 'ram:IssuerAssignedID'),
          date: first(texts(ref, 'ram:FormattedIssueDateTime/qdt:DateTimeString')),
        }
      : null,
  };
}

/** The business terms of an e-invoice, whichever its syntax. */
function termsOf(xml: string): Terms {
  const doc = parseXml(xml);
  if (doc.name === 'rsm:CrossIndustryInvoice') {
    expect(
      one(doc, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID'),
    ).toBe('urn:cen.eu:en16931:2017');
    return ciiTerms(doc);
  }
  expect(one(doc, 'cbc:CustomizationID')).toBe('urn:cen.eu:en16931:2017');
  return ublTerms(doc);
}

const render = (s: InvoiceSnapshot, syntax: Syntax) => termsOf(eInvoiceRenderer.xml(s, syntax));
const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0));

describe.each(['ubl', 'cii'] as const)('EN 16931 e-invoices in %s, from the snapshot', (syntax) => {
  it.each(Object.entries(CASES))(
    '%s: totals as the document says them, adding up as CEN checks them; an invoice paid, a credit note owed back',
    (_, s) => {
      const t = render(s, syntax);
      const zero = new Decimal(0).toFixed(s.currency_minor_units ?? 2);
      expect(t).toMatchObject({
        typeCode: s.kind === 'invoice' ? '380' : '381',
        currency: s.currency,
        lineNet: s.subtotal,
        taxExclusive: s.subtotal,
        tax: s.tax,
        taxInclusive: s.total,
        paid: s.kind === 'invoice' ? s.total : zero,
        due: s.kind === 'invoice' ? zero : s.total,
      });
      // BR-CO-10, BR-CO-14, BR-CO-15: lines, breakdown and totals agree to the last minor unit.
      expect(sum(t.lines.map((l) => l.net)).eq(t.lineNet)).toBe(true);
      expect(sum(t.breakdown.map((b) => b.taxable)).eq(t.taxExclusive)).toBe(true);
      expect(sum(t.breakdown.map((b) => b.tax)).eq(t.tax)).toBe(true);
      expect(new Decimal(t.taxExclusive).plus(t.tax).eq(t.taxInclusive)).toBe(true);
      // Every line is in the breakdown's one category.
      expect(t.breakdown).toHaveLength(1);
      for (const l of t.lines)
        expect(l).toMatchObject({ category: t.breakdown[0]!.category, percent: t.breakdown[0]!.percent });
    },
  );

  it('domestic (FR to FR, 20 %): standard rate, both VAT numbers, the seller registration and contact, VAT also in euros', () => {
    const t = render(domestic, syntax);
    expect(t.breakdown).toEqual([
      { category: 'S', percent: '20', taxable: '15.18', tax: '3.04', reasonCode: null, reason: null },
    ]);
    expect(t.seller).toEqual({
      name: 'Studio Lumière SAS',
      country: 'FR',
      vatId: 'FR40123456789',
      taxRegistration: null,
      legalId: 'RCS Paris 123 456 789',
      identifier: null,
      endpoint: 'EM:billing@studio-lumiere.fr',
      email: 'billing@studio-lumiere.fr',
    });
    expect(t.buyer).toMatchObject({
      name: 'Ciné Moderne SARL',
      country: 'FR',
      vatId: 'FR83404833048',
      endpoint: 'EM:compta@cine-moderne.fr',
    });
    // Art. 230: an invoice in dollars states its VAT in the seller's national currency too.
    expect(t).toMatchObject({ currency: 'USD', taxCurrency: 'EUR', taxInTaxCurrency: '2.80' });
  });

  it('reverse charge (FR to a German business): AE at 0 %, VATEX-EU-AE "Reverse charge", both VAT numbers', () => {
    const t = render(reverseCharge, syntax);
    expect(t.breakdown).toEqual([
      {
        category: 'AE',
        percent: '0',
        taxable: '10.00',
        tax: '0.00',
        reasonCode: 'VATEX-EU-AE',
        reason: 'Reverse charge',
      },
    ]);
    expect(t.seller.vatId).toBe('FR40123456789');
    expect(t.buyer).toMatchObject({ name: 'Bildwerk Medien GmbH', country: 'DE', vatId: 'DE123456789' });
  });

  it('OSS (FR to a German consumer): standard rated at the German 19 %, no buyer VAT number', () => {
    const t = render(oss, syntax);
    expect(t.breakdown).toEqual([
      { category: 'S', percent: '19', taxable: '10.00', tax: '1.90', reasonCode: null, reason: null },
    ]);
    expect(t.buyer).toMatchObject({ name: 'Jana Weber', country: 'DE', vatId: null });
    expect(t.seller.vatId).toBe('FR40123456789');
  });

  it('outside the scope (FR to a US company): O without a rate, VATEX-EU-O with the mention, no VAT identifier, the seller known by its tax and legal registrations', () => {
    const t = render(outsideScope, syntax);
    expect(t.breakdown).toEqual([
      {
        category: 'O',
        percent: null,
        taxable: '10.00',
        tax: '0.00',
        reasonCode: 'VATEX-EU-O',
        reason: 'TVA non applicable, art. 259-1 du CGI (prestation hors UE)',
      },
    ]);
    // BR-O-02: no seller or buyer VAT identifier; the seller's VAT number is its tax registration (BT-32).
    expect(t.seller).toMatchObject({
      vatId: null,
      taxRegistration: 'FR40123456789',
      legalId: 'RCS Paris 123 456 789',
    });
    expect(t.buyer).toMatchObject({ name: 'Reelcraft Inc.', country: 'US', vatId: null });
    // Without a legal registration, the VAT number identifies the seller (BR-CO-26), still not as BT-31.
    expect(render(outsideScopeUnregistered, syntax).seller).toMatchObject({
      vatId: null,
      legalId: null,
      identifier: 'FR40123456789',
    });
  });

  it('yen: amounts without minor units, the configured rate as standard', () => {
    const t = render(yen, syntax);
    expect(t).toMatchObject({ currency: 'JPY', lineNet: '1500', tax: '150', taxInclusive: '1650', due: '0' });
    expect(t.breakdown[0]).toMatchObject({ category: 'S', percent: '10' });
    // No buyer email: no electronic address rather than an empty one.
    expect(t.buyer).toMatchObject({ country: 'JP', endpoint: null, email: null });
  });

  it('a credit note: type 381, its own number, and the invoice it corrects with that invoice date', () => {
    const doc = parseXml(eInvoiceRenderer.xml(creditNote, syntax));
    if (syntax === 'ubl') expect(doc.name).toBe('CreditNote');
    const t = termsOf(eInvoiceRenderer.xml(creditNote, syntax));
    expect(t.typeCode).toBe('381');
    expect(t.preceding).toEqual({
      number: 'INV-2026-000001',
      date: syntax === 'ubl' ? '2026-11-25' : '20261125',
    });
    expect(t).toMatchObject({ lineNet: '5.00', tax: '1.00', taxInclusive: '6.00' });
  });

  it('invoices issued before the tax rules: reverse charge read from the treatment, a 0 % without one as zero rated', () => {
    expect(render(legacyReverseCharge, syntax).breakdown[0]).toMatchObject({
      category: 'AE',
      reasonCode: 'VATEX-EU-AE',
    });
    const zero = render(legacyZero, syntax);
    expect(zero.breakdown[0]).toEqual({
      category: 'Z',
      percent: '0',
      taxable: '10.00',
      tax: '0.00',
      reasonCode: null,
      reason: null,
    });
    // No billing details: the account's name, in the seller's country (where such a buyer is taxed).
    expect(zero.buyer).toMatchObject({ name: 'Acme', country: 'FR', endpoint: 'EM:ops@acme.example' });
    // A seller without a VAT number charges none: not subject to VAT, never zero rated (which needs one).
    const noVat = render({ ...legacyZero, seller: { ...legacyZero.seller, tax_id: '' } }, syntax);
    expect(noVat.breakdown[0]).toMatchObject({ category: 'O', reasonCode: 'VATEX-EU-O' });
  });

  it('names that look like markup come out as written, and characters XML cannot hold are dropped', () => {
    const name = 'Smith & Sons <Films> "Paris" \u0007';
    const s = { ...domestic, seller: { ...domestic.seller, name } };
    const t = render(s, syntax);
    expect(t.seller.name).toBe('Smith & Sons <Films> "Paris" ');
  });
});

const FRENCH_SELLER: Partial<TollgateConfig> = {
  taxRate: '0.2',
  seller: {
    name: 'Studio Lumière SAS',
    address: '12 rue de la Paix; 75002 Paris',
    taxId: 'FR40123456789',
    country: 'FR',
  },
};

const GERMAN_COMPANY = {
  legal_name: 'Bildwerk Medien GmbH',
  address_line1: 'Torstraße 140',
  postal_code: '10119',
  city: 'Berlin',
  country: 'DE',
  tax_id: 'DE 123 456 789',
};

/** The files a PDF carries, by name. */
async function attachments(pdf: Uint8Array): Promise<Record<string, string>> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const found = ((await doc.getAttachments()) ?? {}) as Record<
    string,
    { filename: string; content: Uint8Array }
  >;
  await doc.destroy();
  return Object.fromEntries(
    Object.values(found).map((a) => [a.filename, new TextDecoder().decode(a.content)]),
  );
}

async function paidInvoice(details: unknown) {
  const api = await makeApi({ config: FRENCH_SELLER });
  const { call } = api;
  const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk', email: 'rechnung@bildwerk.test' }))
    .body;
  expect((await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: details })).status).toBe(200);
  const p = await call(
    'POST',
    `/v1/accounts/${acc.id}/credit_purchases`,
    { credits: '2500', provider: 'manual' },
    { 'idempotency-key': 'k1' },
  );
  const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
  const invoice = (await call('GET', `/v1/invoices/${invoice_id}`)).body;
  return { ...api, acc, purchase: p.body, invoice };
}

describe('e-invoices through the API', () => {
  it('a paid invoice as UBL, CII and Factur-X: the same totals and parties as the invoice, the CII inside the PDF', async () => {
    const { call, invoice } = await paidInvoice(GERMAN_COMPANY);
    const docs: Record<Syntax, string> = { ubl: '', cii: '' };
    for (const syntax of ['ubl', 'cii'] as const) {
      const res = await call('GET', `/v1/invoices/${invoice.id}/xml?syntax=${syntax}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.headers.get('content-disposition')).toContain(`${invoice.number}-${syntax}.xml`);
      docs[syntax] = res.text;
      const t = termsOf(res.text);
      expect(t).toMatchObject({
        typeCode: '380',
        currency: 'USD',
        lineNet: invoice.snapshot.subtotal,
        tax: invoice.snapshot.tax,
        taxInclusive: invoice.total,
        paid: invoice.total,
        due: '0.00',
      });
      expect(t.breakdown[0]).toMatchObject({ category: 'AE', reasonCode: 'VATEX-EU-AE' });
      expect(t.seller).toMatchObject({ name: 'Studio Lumière SAS', vatId: 'FR40123456789', country: 'FR' });
      expect(t.buyer).toMatchObject({
        name: 'Bildwerk Medien GmbH',
        vatId: 'DE123456789',
        endpoint: 'EM:rechnung@bildwerk.test',
      });
    }
    const fx = await call('GET', `/v1/invoices/${invoice.id}/pdf?format=facturx`);
    expect(fx.status).toBe(200);
    expect(fx.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(fx.bytes);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const raw = bytes.toString('latin1');
    expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(raw).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    expect(raw).toContain('/AFRelationship /Alternative');
    expect(raw).toMatch(/\/S \/GTS_PDFA1/);
    expect(await attachments(fx.bytes)).toEqual({ 'factur-x.xml': docs.cii });
    // The plain PDF stays as it was: no attachment.
    const plain = await call('GET', `/v1/invoices/${invoice.id}/pdf`);
    expect(await attachments(plain.bytes)).toEqual({});
  });

  it('a refund: its credit note as UBL CreditNote, CII 381 and Factur-X, each pointing at the invoice', async () => {
    const { call, purchase, invoice } = await paidInvoice({
      ...GERMAN_COMPANY,
      country: 'FR',
      tax_id: 'FR83404833048',
    });
    const note = await call('POST', `/v1/credit_purchases/${purchase.id}/refund`, { credits: '1000' });
    expect(note.status).toBe(201);
    const ubl = await call('GET', `/v1/credit_notes/${note.body.id}/xml?syntax=ubl`);
    expect(parseXml(ubl.text).name).toBe('CreditNote');
    for (const res of [ubl, await call('GET', `/v1/credit_notes/${note.body.id}/xml?syntax=cii`)]) {
      expect(res.status).toBe(200);
      const t = termsOf(res.text);
      // The refund is owed to the buyer: due in full, paid back to the means the invoice was paid with.
      expect(t).toMatchObject({
        typeCode: '381',
        taxInclusive: note.body.total,
        paid: '0.00',
        due: note.body.total,
      });
      expect(t.preceding?.number).toBe(invoice.number);
      expect(t.breakdown[0]).toMatchObject({ category: 'S', percent: '20' });
    }
    const cii = await call('GET', `/v1/credit_notes/${note.body.id}/xml?syntax=cii`);
    const fx = await call('GET', `/v1/credit_notes/${note.body.id}/pdf?format=facturx`);
    expect(await attachments(fx.bytes)).toEqual({ 'factur-x.xml': cii.text });
  });

  it('another syntax or none is refused as validation_failed; an unknown document is not_found', async () => {
    const { call, invoice } = await paidInvoice(GERMAN_COMPANY);
    for (const q of ['?syntax=pdf', '?syntax=UBL', '']) {
      const res = await call('GET', `/v1/invoices/${invoice.id}/xml${q}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await call('GET', `/v1/invoices/${invoice.id}/pdf?format=docx`)).body.error.code).toBe(
      'validation_failed',
    );
    expect((await call('GET', '/v1/invoices/inv_nope/xml?syntax=ubl')).status).toBe(404);
    expect((await call('GET', '/v1/credit_notes/cn_nope/xml?syntax=cii')).status).toBe(404);
  });

  it('the portal offers each document as PDF, Factur-X, UBL and CII, to its own account only', async () => {
    const { app, call, engine, acc, purchase, invoice } = await paidInvoice(GERMAN_COMPANY);
    const note = (await call('POST', `/v1/credit_purchases/${purchase.id}/refund`, { credits: '500' })).body;
    const send = portalClient(app);
    const link = await engine.portal.createLink(acc.id);
    if (!link.ok) throw new Error(link.message);
    expect((await send(`/portal/session/${link.value.token}`, {})).status).toBe(303);
    const html = await (await send('/portal/billing')).text();
    for (const [kind, id] of [
      ['invoices', invoice.id],
      ['credit_notes', note.id],
    ])
      for (const d of ['pdf', 'facturx', 'ubl', 'cii'])
        expect(html).toContain(`href="/portal/${kind}/${id}/${d}"`);
    const ubl = await send(`/portal/invoices/${invoice.id}/ubl`);
    expect(ubl.status).toBe(200);
    expect(await ubl.text()).toBe((await call('GET', `/v1/invoices/${invoice.id}/xml?syntax=ubl`)).text);
    const cii = await send(`/portal/credit_notes/${note.id}/cii`);
    expect(termsOf(await cii.text()).preceding?.number).toBe(invoice.number);
    const fx = new Uint8Array(await (await send(`/portal/credit_notes/${note.id}/facturx`)).arrayBuffer());
    expect(Object.keys(await attachments(fx))).toEqual(['factur-x.xml']);
    // Another account's documents are not found from this session.
    const other = (await call('POST', '/v1/accounts', { name: 'Other' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${other.id}/credit_purchases`,
      { credits: '1000', provider: 'manual' },
      { 'idempotency-key': 'o' },
    );
    const otherInvoice = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body.invoice_id;
    for (const d of ['pdf', 'facturx', 'ubl', 'cii'])
      expect((await send(`/portal/invoices/${otherInvoice}/${d}`)).status).toBe(404);
  });
});
