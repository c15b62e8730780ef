import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { InvoiceLocale, InvoiceSnapshot } from '../../core/kernel/model.ts';
import type { InvoiceRenderer } from '../../core/kernel/ports.ts';
import { LABELS, type Labels } from './labels.ts';

/**
 * Liberation Sans (SIL Open Font License, fonts/LICENSE_LIBERATION), embedded and subset in every
 * document: PDF's standard Helvetica has no glyph outside Windows-1252 and is not embedded, so a
 * reader may substitute it. Looked up beside this file, then (for the compiled package, whose
 * `dist/` holds no font) in the source tree it was built from.
 */
const FONT_DIRS = ['./fonts/', '../../../../src/adapters/invoices/fonts/'];

/** Where a font file is: the first of FONT_DIRS that holds it. */
function fontPath(file: string): string {
  for (const dir of FONT_DIRS) {
    const path = fileURLToPath(new URL(dir + file, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`invoice font ${file} not found beside ${import.meta.url}`);
}

const loadFont = (file: string): Buffer => readFileSync(fontPath(file));

let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** Read on the first document, not at import. */
const fontFiles = () => {
  fonts ??= { regular: loadFont('LiberationSans-Regular.ttf'), bold: loadFont('LiberationSans-Bold.ttf') };
  return fonts;
};

/**
 * Number and date formats of one language, by Intl. Amounts arrive as exact decimal strings and
 * are formatted as strings (Intl.NumberFormat v3): no float ever holds money. The narrow no-break
 * space French puts in numbers is printed as a no-break space, which the font has.
 */
function formats(locale: InvoiceLocale, currency: string) {
  const nbsp = (s: string) => s.replace(/\u202f/g, '\u00a0');
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
  });
  const price = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    maximumFractionDigits: 6,
  });
  const quantity = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const regions = new Intl.DisplayNames([locale], { type: 'region' });
  type Decimal = Parameters<Intl.NumberFormat['format']>[0];
  return {
    money: (s: string) => nbsp(money.format(s as Decimal)),
    price: (s: string) => nbsp(price.format(s as Decimal)),
    quantity: (s: string) => nbsp(quantity.format(s as Decimal)),
    percent: (s: string) => nbsp(percent.format(s as Decimal)),
    date: (iso: string) => date.format(new Date(iso)),
    country: (code: string) => regions.of(code) ?? code,
  };
}

const INK = '#1f2328';
const MUTED = '#59636e';
const RULE = '#d1d9e0';
const BAND = '#f3f5f7';
const GREEN = '#1a7f37';

/**
 * Renders invoices and credit notes with pdfkit, from the frozen snapshot only: A4, one page,
 * fonts embedded, in the language frozen into the snapshot (`en` for snapshots older than that).
 */
export const pdfRenderer: InvoiceRenderer = {
  render: (snapshot: InvoiceSnapshot) => renderPdf(snapshot),
};

/**
 * The invoice's PDF; with `pdfA`, a PDF/A-3b (sRGB output intent, XMP metadata, every font
 * embedded, Liberation Sans even as pdfkit's default so no unembedded Helvetica is written) that
 * carries the attachment and the XMP `pdfA` gives (Factur-X: facturx.ts).
 * @example await renderPdf(snapshot) // Uint8Array of %PDF-1.3...
 */
export function renderPdf(
  snapshot: InvoiceSnapshot,
  pdfA?: { attach: (doc: Doc) => void; metadata: string },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const locale = snapshot.locale ?? 'en';
    const L = LABELS[locale];
    const f = formats(locale, snapshot.currency);
    const title = snapshot.kind === 'invoice' ? L.invoice : L.creditNote;
    const author = snapshot.seller.name;
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      lang: locale,
      ...(pdfA
        ? {
            pdfVersion: '1.7' as const,
            subset: 'PDF/A-3b' as const,
            font: fontPath('LiberationSans-Regular.ttf'),
          }
        : {}),
      // Dated by the snapshot, not the clock: the same invoice renders to the same bytes.
      info: {
        Title: `${title} ${snapshot.number}`,
        // pdfkit copies the author into the XMP as is: PDF/A wants both to say the same, so a
        // name that XML would need escaped is left out of a PDF/A's metadata.
        ...(pdfA && /[&<>]/.test(author) ? {} : { Author: author }),
        CreationDate: new Date(snapshot.issued_at),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    const { regular, bold } = fontFiles();
    doc.registerFont('regular', regular);
    doc.registerFont('bold', bold);
    draw(doc, snapshot, L, f, title);
    if (pdfA) {
      pdfA.attach(doc);
      doc.appendXML(pdfA.metadata);
    }
    doc.end();
  });
}

export type Doc = InstanceType<typeof PDFDocument>;
type Formats = ReturnType<typeof formats>;

function draw(doc: Doc, s: InvoiceSnapshot, L: Labels, f: Formats, title: string): void {
  const left = 50;
  const right = doc.page.width - 50;
  const width = right - left;
  const text = (
    t: string,
    x: number,
    y: number,
    o: { font?: string; size?: number; color?: string } & PDFKit.Mixins.TextOptions = {},
  ) => {
    const { font = 'regular', size = 9.5, color = INK, ...rest } = o;
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(t, x, y, { lineBreak: true, ...rest });
    return doc.y;
  };

  // Header: the seller on the left, the document's title and number on the right.
  let y = 50;
  text(s.seller.name, left, y, { font: 'bold', size: 15, width: 300 });
  let sy = doc.y + 2;
  for (const line of addressLines(s.seller.address)) sy = text(line, left, sy, { color: MUTED, width: 300 });
  if (s.seller.country) sy = text(f.country(s.seller.country), left, sy, { color: MUTED, width: 300 });
  if (s.seller.tax_id) sy = text(`${L.vatId}: ${s.seller.tax_id}`, left, sy, { color: MUTED, width: 300 });
  if (s.seller.registration)
    sy = text(`${L.registration}: ${s.seller.registration}`, left, sy, { color: MUTED, width: 300 });
  if (s.seller.email || s.seller.phone)
    sy = text([s.seller.email, s.seller.phone].filter(Boolean).join(' · '), left, sy, {
      color: MUTED,
      width: 300,
    });

  text(title.toUpperCase(), right - 220, y, { font: 'bold', size: 22, width: 220, align: 'right' });
  const meta: [string, string][] = [
    [L.number, s.number],
    [L.issued, f.date(s.issued_at)],
  ];
  if (s.kind === 'invoice') meta.push([L.supplied, f.date(s.issued_at)]);
  if (s.kind === 'invoice' && s.paid_at) meta.push([L.paidOn, f.date(s.paid_at)]);
  let my = y + 32;
  for (const [k, v] of meta) {
    text(k, right - 240, my, { color: MUTED, width: 110, align: 'right' });
    text(v, right - 120, my, { font: 'bold', width: 120, align: 'right' });
    my += 14;
  }
  y = Math.max(sy, my) + 24;

  // Buyer block, and the PAID mark beside it.
  doc.moveTo(left, y).lineTo(right, y).lineWidth(0.7).strokeColor(RULE).stroke();
  y += 14;
  text(L.billTo.toUpperCase(), left, y, { font: 'bold', size: 8, color: MUTED });
  let by = y + 14;
  const d = s.buyer.billing_details;
  if (d) {
    by = text(d.legal_name, left, by, { font: 'bold', size: 11, width: 300 });
    for (const line of [d.address_line1, d.address_line2, `${d.postal_code} ${d.city}`, f.country(d.country)])
      if (line) by = text(line, left, by, { width: 300 });
    if (d.tax_id) by = text(`${L.vatId}: ${d.tax_id}`, left, by, { width: 300 });
  } else {
    by = text(s.buyer.name, left, by, { font: 'bold', size: 11, width: 300 });
    by = text(L.noDetails, left, by, { color: MUTED, width: 300 });
  }
  if (s.buyer.email) by = text(s.buyer.email, left, by, { color: MUTED, width: 300 });
  by = text(`${L.account}: ${s.buyer.account_id}`, left, by, { color: MUTED, size: 8, width: 300 });

  if (s.kind === 'invoice' && s.paid_at) {
    const bw = 170;
    const bx = right - bw;
    doc.roundedRect(bx, y, bw, 30, 4).lineWidth(1.5).strokeColor(GREEN).stroke();
    text(L.paid, bx, y + 7, { font: 'bold', size: 15, color: GREEN, width: bw, align: 'center' });
    text(L.via(paymentMethod(s, L)), bx - 80, y + 38, { color: MUTED, width: bw + 80, align: 'right' });
  } else if (s.kind === 'credit_note' && s.invoice_number) {
    const when = s.invoice_issued_at ? f.date(s.invoice_issued_at) : '';
    text(L.refersTo(s.invoice_number, when), right - 330, y, { font: 'bold', width: 330, align: 'right' });
  }
  y = Math.max(by, doc.y) + 26;

  // The line table.
  const cols = [
    { label: L.description, x: left + 8, w: 235, align: 'left' as const },
    { label: L.quantity, x: left + 245, w: 70, align: 'right' as const },
    { label: L.unitPrice, x: left + 320, w: 85, align: 'right' as const },
    { label: L.amount, x: left + 410, w: width - 418, align: 'right' as const },
  ];
  doc.rect(left, y, width, 22).fill(BAND);
  for (const c of cols)
    text(c.label, c.x, y + 7, { font: 'bold', size: 8.5, color: MUTED, width: c.w, align: c.align });
  y += 22;
  for (const line of s.lines) {
    const description = lineDescription(s, line.description, L);
    const cells = [description, f.quantity(line.quantity), f.price(line.unit_price), f.money(line.amount)];
    let rowBottom = y + 8;
    cols.forEach((c, i) => {
      rowBottom = Math.max(rowBottom, text(cells[i]!, c.x, y + 8, { width: c.w, align: c.align }));
    });
    y = rowBottom + 8;
    doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  // Totals, right-aligned under the amount column.
  y += 12;
  const tx = left + 250;
  const tw = width - 258;
  const row = (label: string, value: string, strong = false) => {
    text(label, tx, y, { font: strong ? 'bold' : 'regular', size: strong ? 11 : 9.5, width: tw - 110 });
    text(value, tx, y, {
      font: strong ? 'bold' : 'regular',
      size: strong ? 11 : 9.5,
      width: tw,
      align: 'right',
    });
    y += strong ? 18 : 15;
  };
  row(L.subtotal, f.money(s.subtotal));
  row(L.tax(f.percent(s.tax_rate)), f.money(s.tax));
  // VAT in the seller's national currency when the document's is another (art. 230).
  const nv = s.national_vat;
  if (nv) {
    const base = nv.rate_base ?? nv.currency;
    const note =
      nv.amount !== null && nv.rate !== null && nv.rate_date !== null
        ? L.nationalVat(
            nv.currency,
            formats(s.locale ?? 'en', nv.currency).money(nv.amount),
            base,
            nv.rate,
            base === nv.currency ? s.currency : nv.currency,
            nv.rate_date,
          )
        : L.nationalVatMissing(nv.currency);
    y = text(note, tx, y, { size: 8, color: MUTED, width: right - tx }) + 4;
  }
  doc.moveTo(tx, y).lineTo(right, y).lineWidth(0.8).strokeColor(INK).stroke();
  y += 6;
  row(s.kind === 'invoice' ? L.total : L.totalCredited, f.money(s.total), true);

  // Legal mentions (art. 226 Directive 2006/112/EC), where they apply.
  y += 18;
  const mentions: string[] = [];
  // The mention frozen with the tax rule (#30), or, in an invoice issued before, reverse charge's.
  if (s.tax_mention) mentions.push(s.tax_mention);
  else if (s.tax_treatment === 'reverse_charge') mentions.push(L.reverseCharge);
  if (s.kind === 'credit_note' && s.invoice_number) mentions.push(L.creditNoteMention(s.invoice_number));
  for (const m of mentions) {
    y = text(m, left, y, { font: 'bold', width }) + 4;
  }

  // Footer: who issued it, once more, on one line at the bottom of the one page (shortened with
  // an ellipsis when long; the bottom margin is lifted so the footer never opens a second page).
  const footY = doc.page.height - 70;
  doc.page.margins.bottom = 0;
  doc.moveTo(left, footY).lineTo(right, footY).lineWidth(0.5).strokeColor(RULE).stroke();
  const who = [
    s.seller.name,
    ...addressLines(s.seller.address),
    s.seller.tax_id ? `${L.vatId}: ${s.seller.tax_id}` : '',
    s.seller.registration ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  doc.font('regular').fontSize(7.5);
  text(oneLine(doc, who, width - 90), left, footY + 8, { size: 7.5, color: MUTED, lineBreak: false });
  text(L.page, right - 80, footY + 8, {
    size: 7.5,
    color: MUTED,
    width: 80,
    align: 'right',
    lineBreak: false,
  });
}

/** `t` cut to fit `width` at the current font, with an ellipsis when cut. */
function oneLine(doc: Doc, t: string, width: number): string {
  if (doc.widthOfString(t) <= width) return t;
  let n = t.length;
  while (n > 0 && doc.widthOfString(`${t.slice(0, n)}…`) > width) n--;
  return `${t.slice(0, n).trimEnd()}…`;
}

/** The seller's address as lines: `TOLLGATE_SELLER_ADDRESS` separates them by newlines or `;`. */
const addressLines = (address: string): string[] =>
  address
    .split(/\r?\n|;/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The line's description in the document's language (the frozen English text names the invoice). */
function lineDescription(s: InvoiceSnapshot, frozen: string, L: Labels): string {
  if (s.kind === 'credit_note' && s.invoice_number) return L.refundLine(s.invoice_number);
  if (frozen === 'Prepaid credits') return L.creditsLine;
  return frozen;
}

/** "Visa card ending in 4242" when the provider told; otherwise the provider ("manual"). */
function paymentMethod(s: InvoiceSnapshot, L: Labels): string {
  const p = s.payment;
  if (!p || p.provider === 'manual') return L.manual;
  if (p.card_brand && p.card_last4)
    return L.card(CARD_BRANDS[p.card_brand] ?? capitalize(p.card_brand), p.card_last4);
  return capitalize(p.provider);
}

/** Card brands as Stripe names them, as people write them. */
const CARD_BRANDS: Record<string, string> = {
  amex: 'American Express',
  cartes_bancaires: 'Cartes Bancaires',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
