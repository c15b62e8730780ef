import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { TollgateConfig } from '../src/core/kernel/config.ts';
import { makeApi } from './helpers.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const fonts = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

interface Item {
  str: string;
  x: number;
  /** From the top of the page, as a reader sees it. */
  y: number;
}

/** The text runs of a PDF with their positions, the page count and whether its fonts are embedded. */
async function readPdf(bytes: Uint8Array) {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: fonts,
    disableFontFace: true,
  }).promise;
  const page = await doc.getPage(1);
  const height = page.view[3]!;
  const content = await page.getTextContent();
  const items: Item[] = content.items
    .filter((it) => 'str' in it && it.str.trim() !== '')
    .map((it) => {
      const t = it as { str: string; transform: number[] };
      return { str: t.str, x: t.transform[4]!, y: height - t.transform[5]! };
    });
  const fontNames = new Set<string>();
  for (const name of Object.keys(content.styles)) fontNames.add(name);
  await page.getOperatorList();
  const embedded = [...fontNames].map(
    (n) => page.commonObjs.get(n) as { missingFile: boolean; name: string },
  );
  const pages = doc.numPages;
  await doc.destroy();
  return { items, text: items.map((i) => i.str).join(' '), pages, embedded };
}

/** The first run containing `s`. */
const at = (items: Item[], s: string): Item => {
  const found = items.find((i) => i.str.includes(s));
  if (!found) throw new Error(`"${s}" not on the page: ${items.map((i) => i.str).join(' | ')}`);
  return found;
};

/** Writes the PDF and its first page as PNG to test/artifacts/ (pdftoppm, poppler-utils), to look at. */
function keep(name: string, bytes: Uint8Array): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  const pdf = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(pdf, bytes);
  execFileSync('pdftoppm', ['-png', '-r', '90', '-singlefile', pdf, join(ARTIFACTS, name)]);
}

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
  address_line2: 'Aufgang B, 3. OG',
  postal_code: '10119',
  city: 'Berlin',
  country: 'DE',
  tax_id: 'DE 123 456 789',
};

const FRENCH_COMPANY = {
  legal_name: 'Éditions Ciné-Club SARL',
  address_line1: '5 quai Saint-Michel',
  postal_code: '75005',
  city: 'Paris',
  country: 'FR',
  tax_id: 'FR 32 987654321',
};

async function issued(config: Partial<TollgateConfig>, details: unknown, credits = '2500') {
  const api = await makeApi({ config });
  const { call } = api;
  const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films', email: 'billing@acme.test' })).body;
  if (details !== undefined) {
    const patched = await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: details });
    expect(patched.status).toBe(200);
  }
  const quote = (await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits })).body;
  const p = await call(
    'POST',
    `/v1/accounts/${acc.id}/credit_purchases`,
    { credits, provider: 'manual' },
    { 'idempotency-key': 'k1' },
  );
  expect(p.body.total).toBe(quote.total);
  const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
  const invoice = (await call('GET', `/v1/invoices/${invoice_id}`)).body;
  const pdf = await call('GET', `/v1/invoices/${invoice_id}/pdf`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  return { ...api, acc, purchase: p.body, invoice, pdf: pdf.bytes };
}

describe('invoice PDFs', () => {
  it('a German company buying from a French seller: both parties and VAT numbers, 0 % with the reverse-charge wording, the line table, PAID', async () => {
    const { invoice, pdf, purchase } = await issued(FRENCH_SELLER, GERMAN_COMPANY);
    expect(purchase).toMatchObject({ subtotal: '25.00', tax: '0.00', total: '25.00' });
    expect(invoice.snapshot).toMatchObject({
      tax_rate: '0',
      tax_treatment: 'reverse_charge',
      buyer: { billing_details: { country: 'DE', tax_id: 'DE123456789' } },
      seller: { country: 'FR', tax_id: 'FR40123456789' },
    });
    keep('invoice-reverse-charge-en', pdf);
    const { items, text, pages, embedded } = await readPdf(pdf);
    expect(pages).toBe(1);
    expect(embedded.length).toBeGreaterThan(0);
    for (const font of embedded) expect(font.missingFile, font.name).toBe(false);
    for (const s of [
      'Studio Lumière SAS',
      '12 rue de la Paix',
      'VAT number: FR40123456789',
      'Bildwerk Medien GmbH',
      'Torstraße 140',
      '10119 Berlin',
      'Germany',
      'VAT number: DE123456789',
      'INV-2026-000001',
      'November 25, 2026',
      'VAT (0%)',
      'Reverse charge: VAT to be accounted for by the recipient, art. 196 Directive 2006/112/EC',
      'PAID',
      'Payment method: manual',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('2026-11-25T');
    // The table: headers on one row, left to right; the line under them, its amount under Amount.
    const head = ['Description', 'Quantity', 'Unit price', 'Amount'].map((h) => at(items, h));
    for (const h of head) expect(Math.abs(h.y - head[0]!.y)).toBeLessThan(1);
    for (let i = 1; i < head.length; i++) expect(head[i]!.x).toBeGreaterThan(head[i - 1]!.x);
    const line = at(items, 'Prepaid credits');
    expect(line.y).toBeGreaterThan(head[0]!.y);
    expect(Math.abs(at(items, '2,500').y - line.y)).toBeLessThan(1);
    expect(Math.abs(at(items, 'USD 0.01').y - line.y)).toBeLessThan(1);
    // Totals under the table; the seller above the buyer; PAID beside the buyer, on the right.
    expect(at(items, 'Subtotal').y).toBeGreaterThan(line.y);
    expect(at(items, 'Total').y).toBeGreaterThan(at(items, 'VAT (0%)').y);
    expect(at(items, 'Bildwerk').y).toBeGreaterThan(at(items, 'Studio Lumière').y);
    expect(at(items, 'PAID').x).toBeGreaterThan(300);
    expect(Math.abs(at(items, 'PAID').y - at(items, 'BILL TO').y)).toBeLessThan(20);
  });

  it('a domestic company pays the configured VAT, printed with its rate in percent, no reverse charge', async () => {
    const { invoice, pdf, purchase } = await issued(FRENCH_SELLER, FRENCH_COMPANY);
    expect(purchase).toMatchObject({ subtotal: '25.00', tax: '5.00', total: '30.00' });
    expect(invoice.snapshot).toMatchObject({ tax_rate: '0.2', tax_treatment: 'standard' });
    keep('invoice-domestic-en', pdf);
    const { text } = await readPdf(pdf);
    for (const s of [
      'Éditions Ciné-Club SARL',
      'VAT number: FR32987654321',
      'VAT (20%)',
      'USD 5.00',
      'USD 30.00',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('Reverse charge');
  });

  it('a buyer with no billing details: the account name, a note that none were given, the configured VAT', async () => {
    const { pdf, purchase } = await issued(FRENCH_SELLER, undefined);
    expect(purchase.total).toBe('30.00');
    keep('invoice-no-details-en', pdf);
    const { text } = await readPdf(pdf);
    for (const s of ['Acme Films', 'No billing details given', 'billing@acme.test', 'VAT (20%)', 'USD 30.00'])
      expect(text).toContain(s);
  });

  it('billing details are frozen at issue: changing them later leaves the invoice as it was', async () => {
    const { call, acc, invoice, pdf } = await issued(FRENCH_SELLER, GERMAN_COMPANY);
    await call('PATCH', `/v1/accounts/${acc.id}`, {
      billing_details: { ...GERMAN_COMPANY, legal_name: 'Neu GmbH' },
    });
    const again = await call('GET', `/v1/invoices/${invoice.id}/pdf`);
    expect(Buffer.from(again.bytes).equals(Buffer.from(pdf))).toBe(true);
    expect((await readPdf(again.bytes)).text).not.toContain('Neu GmbH');
  });

  it('a credit note names its invoice and date, the refunded line and the total credited', async () => {
    const { call, purchase, invoice } = await issued(FRENCH_SELLER, FRENCH_COMPANY);
    const note = await call('POST', `/v1/credit_purchases/${purchase.id}/refund`, { credits: '1000' });
    expect(note.body).toMatchObject({ number: 'CN-2026-000001', total: '12.00' });
    const pdf = (await call('GET', `/v1/credit_notes/${note.body.id}/pdf`)).bytes;
    keep('credit-note-en', pdf);
    const { text, items, pages } = await readPdf(pdf);
    expect(pages).toBe(1);
    for (const s of [
      'CREDIT NOTE',
      'CN-2026-000001',
      `Refers to invoice ${invoice.number} of November 25, 2026`,
      'Refund of unspent prepaid credits',
      '1,000',
      'VAT (20%)',
      'USD 2.00',
      'Total credited',
      'USD 12.00',
      'Éditions Ciné-Club SARL',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('PAID');
    expect(at(items, 'Total credited').y).toBeGreaterThan(at(items, 'Refund of unspent').y);
  });

  it.each([
    {
      locale: 'fr' as const,
      expected: [
        'FACTURE',
        '25 novembre 2026',
        'Désignation',
        'Prix unitaire HT',
        'TVA (0 %)',
        '25,00 USD',
        'PAYÉE',
        'Moyen de paiement : manuel',
        'Allemagne',
        'Autoliquidation',
      ],
    },
    {
      locale: 'de' as const,
      expected: [
        'RECHNUNG',
        '25. November 2026',
        'Beschreibung',
        'Einzelpreis',
        'USt. (0 %)',
        '25,00 USD',
        'BEZAHLT',
        'Zahlungsart: manuell',
        'Deutschland',
        'Reverse Charge',
        '2.500',
      ],
    },
  ])('in $locale: labels, dates and numbers of that language', async ({ locale, expected }) => {
    const { pdf } = await issued({ ...FRENCH_SELLER, invoiceLocale: locale }, GERMAN_COMPANY);
    keep(`invoice-reverse-charge-${locale}`, pdf);
    const { text, pages } = await readPdf(pdf);
    expect(pages).toBe(1);
    for (const s of expected) expect(text).toContain(s);
    expect(text).not.toContain('Invoice');
  });

  it('the longest details the API accepts still fit one page, the table below the blocks', async () => {
    const long = (word: string, max: number) =>
      `${word} `
        .repeat(Math.ceil(max / (word.length + 1)))
        .slice(0, max)
        .trim();
    const { pdf } = await issued(
      {
        ...FRENCH_SELLER,
        seller: {
          ...FRENCH_SELLER.seller!,
          name: long('Lumière', 120),
          address: `${long('rue', 150)}; ${long('Paris', 80)}`,
        },
      },
      {
        ...GERMAN_COMPANY,
        legal_name: long('Bildwerkstatt', 200),
        address_line1: long('Torstraße', 200),
        address_line2: long('Hinterhaus', 200),
        city: long('Berlin', 100),
      },
    );
    keep('invoice-long-details-en', pdf);
    const { items, pages } = await readPdf(pdf);
    expect(pages).toBe(1);
    const tableTop = at(items, 'Description').y;
    const above = items.filter(
      (i) => /Bildwerkstatt|Torstraße|Hinterhaus|Berlin|Lumière|rue/.test(i.str) && i.y < tableTop + 5,
    );
    expect(above.length).toBeGreaterThan(5);
    for (const i of items.filter((i) => /Bildwerkstatt|Torstraße|Hinterhaus/.test(i.str)))
      expect(i.y).toBeLessThan(tableTop);
    expect(at(items, 'Reverse charge').y).toBeLessThan(at(items, 'Page 1 of 1').y);
  });

  it('details changed while the payment was pending: the invoice states the tax that was charged', async () => {
    const { call } = await makeApi({ config: FRENCH_SELLER });
    const acc = (await call('POST', '/v1/accounts', { name: 'Bildwerk' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '2500', provider: 'manual' },
      { 'idempotency-key': 'k1' },
    );
    expect(p.body).toMatchObject({ tax: '5.00', total: '30.00' });
    await call('PATCH', `/v1/accounts/${acc.id}`, { billing_details: GERMAN_COMPANY });
    const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
    const invoice = (await call('GET', `/v1/invoices/${invoice_id}`)).body;
    expect(invoice.snapshot).toMatchObject({
      tax: '5.00',
      total: '30.00',
      tax_rate: '0.2',
      tax_treatment: 'standard',
    });
    const { text } = await readPdf((await call('GET', `/v1/invoices/${invoice_id}/pdf`)).bytes);
    expect(text).toContain('VAT (20%)');
    expect(text).not.toContain('Reverse charge');
    expect(text).toContain('Bildwerk Medien GmbH');
  });
});
