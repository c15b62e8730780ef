import { Decimal } from '../../../core/kernel/amount.ts';
import type { InvoiceSnapshot } from '../../../core/kernel/model.ts';

/**
 * What an EN 16931 invoice or credit note says, read from the frozen snapshot alone and shared by
 * both syntaxes (UBL and CII write the same business terms, BT-n, in their own words). Amounts are
 * decimal strings with the currency's minor units; the totals are derived from the lines and the
 * snapshot's tax so that they add up exactly as CEN's rules check them (BR-CO-10..16).
 */
export interface EInvoice {
  /** BT-3: 380 commercial invoice, 381 credit note. */
  typeCode: '380' | '381';
  number: string;
  /** BT-2, `YYYY-MM-DD` (UTC). */
  issueDate: string;
  /** BT-72: the credits are supplied when the invoice is issued. */
  deliveryDate: string;
  /** BT-5. */
  currency: string;
  /** BT-6 and BT-111: VAT in the seller's national currency, when the snapshot states it (art. 230). */
  vatAccounting: { currency: string; amount: string } | null;
  /** BT-22. */
  notes: string[];
  /** BT-13: the purchase the invoice is for. */
  orderReference: string;
  /** BG-3 (BT-25, BT-26): the invoice a credit note corrects. */
  precedingInvoice: { number: string; issueDate: string | null } | null;
  seller: Party;
  buyer: Party;
  /** BG-16, when the document was paid by card (BT-81 `48`, BG-18 with the last 4 digits). */
  payment: { code: '48'; text: string; cardLast4: string | null; cardNetwork: string | null } | null;
  lines: Line[];
  /** BT-20: how a credit note's amount goes back to the buyer (BR-CO-25: something due says when or how). */
  paymentTerms: string | null;
  /** BG-23: one category, as the whole document is taxed by one rule. */
  vat: VatBreakdown;
  totals: {
    /** BT-106 */ lineNet: string;
    /** BT-109 */ taxExclusive: string;
    /** BT-110 */ tax: string;
    /** BT-112 */ taxInclusive: string;
    /** BT-113 */ paid: string;
    /** BT-115 */ due: string;
  };
}

export interface Party {
  /** BT-27 / BT-44 */
  name: string;
  /** BT-35, BT-36, BT-162 (BT-50, BT-51, BT-163) */
  lines: string[];
  /** BT-38 / BT-53 */
  postcode: string | null;
  /** BT-37 / BT-52 */
  city: string | null;
  /** BT-40 / BT-55 (ISO 3166-1 alpha-2) */
  country: string;
  /** BT-31 / BT-48 */
  vatId: string | null;
  /** BT-32: the seller's tax registration (its VAT number, where the category forbids BT-31). */
  taxRegistration: string | null;
  /** BT-30 / BT-47 */
  legalId: string | null;
  /**
   * BT-29: the seller's VAT number as its identifier, when the category keeps it out of BT-31 and
   * no legal registration identifies the seller (BR-CO-26 wants BT-29, BT-30 or BT-31).
   */
  identifier: string | null;
  /** BT-34 / BT-49 (scheme `EM`) */
  electronicAddress: string | null;
  /** BG-6 / BG-9: BT-42 and BT-43 (BT-57, BT-58) */
  contact: { phone: string | null; email: string | null } | null;
}

export interface Line {
  id: string;
  /** BT-153 */ name: string;
  /** BT-129, unit C62 (one credit) */ quantity: string;
  /** BT-146 */ unitPrice: string;
  /** BT-131 */ net: string;
}

/** UNTDID 5305 categories tollgate issues. */
export type VatCategory = 'S' | 'AE' | 'O' | 'Z';

export interface VatBreakdown {
  /** BT-118 (and BT-151 on the line) */ category: VatCategory;
  /** BT-119 in percent; null for `O`, which carries no rate (BR-O-05). */ percent: string | null;
  /** BT-116 */ taxable: string;
  /** BT-117 */ tax: string;
  /** BT-121 */ exemptionCode: string | null;
  /** BT-120 */ exemptionText: string | null;
}

/**
 * The VAT category of a snapshot, by its `tax_rule` (#30) or, for invoices issued before it, by
 * its `tax_treatment` and rate.
 *
 * - `domestic`, `eu_oss`, `configured` at a rate above 0: `S` at that rate.
 * - `reverse_charge`: `AE`, VATEX-EU-AE, "Reverse charge" (art. 196).
 * - `outside_scope`: `O` (services whose place of supply is outside the EU, art. 44 and 59: outside
 *   the scope of EU VAT, which is what a French or German return reports them as, "opérations non
 *   imposables" / "nicht steuerbar"). Not `G`: VATEX-EU-G is the exemption of goods exported
 *   (art. 146), reported as exports; prepaid credits are a service. `O` forbids the seller's and the
 *   buyer's VAT identifiers (BR-O-02), so the seller's VAT number is stated as its tax registration
 *   (BT-32), which the rule allows; the seller is identified (BR-CO-26) by its legal registration
 *   (BT-30) when configured, otherwise by its VAT number as seller identifier (BT-29).
 * - Any other 0 % (an operator without VAT, or an old invoice without a rule): `Z` (zero rated) when
 *   the seller has a VAT number, which `Z` requires (BR-Z-02); otherwise `O`: a seller without a VAT
 *   number charges none.
 * @example vatCategory({ ...snapshot, tax_rule: 'reverse_charge' }).category // 'AE'
 */
export function vatCategory(
  s: InvoiceSnapshot,
): Pick<VatBreakdown, 'category' | 'percent' | 'exemptionCode' | 'exemptionText'> {
  const rate = new Decimal(s.tax_rate || '0');
  const rule = s.tax_rule ?? (s.tax_treatment === 'reverse_charge' ? 'reverse_charge' : 'domestic');
  const percent = rate.times(100).toFixed();
  if (rule === 'reverse_charge')
    return { category: 'AE', percent: '0', exemptionCode: 'VATEX-EU-AE', exemptionText: 'Reverse charge' };
  if (rate.gt(0)) return { category: 'S', percent, exemptionCode: null, exemptionText: null };
  if (rule === 'outside_scope' || !s.seller.tax_id)
    return {
      category: 'O',
      percent: null,
      exemptionCode: 'VATEX-EU-O',
      exemptionText: s.tax_mention || 'Not subject to VAT',
    };
  return { category: 'Z', percent: '0', exemptionCode: null, exemptionText: null };
}

/**
 * The EN 16931 content of a frozen invoice or credit note.
 * @example eInvoiceOf(snapshot).totals.taxInclusive // '12.00'
 */
export function eInvoiceOf(s: InvoiceSnapshot): EInvoice {
  const scale = s.currency_minor_units ?? 2;
  const money = (v: Decimal | string | number) => new Decimal(v).toFixed(scale);
  const category = vatCategory(s);
  const noVatIds = category.category === 'O';
  const lineNet = s.lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
  const tax = new Decimal(s.tax);
  const total = lineNet.plus(tax);
  const national = s.national_vat;
  return {
    typeCode: s.kind === 'invoice' ? '380' : '381',
    number: s.number,
    issueDate: day(s.issued_at),
    deliveryDate: day(s.kind === 'credit_note' && s.invoice_issued_at ? s.invoice_issued_at : s.issued_at),
    currency: s.currency,
    vatAccounting:
      national?.amount && national.currency !== s.currency
        ? { currency: national.currency, amount: new Decimal(national.amount).toFixed(2) }
        : null,
    notes: notes(s),
    orderReference: s.purchase_id,
    precedingInvoice:
      s.kind === 'credit_note' && s.invoice_number
        ? { number: s.invoice_number, issueDate: s.invoice_issued_at ? day(s.invoice_issued_at) : null }
        : null,
    seller: seller(s, noVatIds),
    buyer: buyer(s, noVatIds),
    payment: cardPayment(s),
    lines: s.lines.map((l, i) => ({
      id: String(i + 1),
      name: l.description,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      net: money(l.amount),
    })),
    vat: { ...category, taxable: money(lineNet), tax: money(tax) },
    totals: {
      lineNet: money(lineNet),
      taxExclusive: money(lineNet),
      tax: money(tax),
      taxInclusive: money(total),
      // An invoice is issued when its payment is confirmed: paid in full, nothing due. A credit note
      // is money owed back to the buyer, which tollgate does not move itself: due in full.
      paid: money(s.kind === 'invoice' ? total : 0),
      due: money(s.kind === 'invoice' ? 0 : total),
    },
    paymentTerms: s.kind === 'credit_note' ? 'Refunded to the original means of payment' : null,
  };
}

const day = (iso: string) => iso.slice(0, 10);

function seller(s: InvoiceSnapshot, noVatIds: boolean): Party {
  const vat = s.seller.tax_id || null;
  const lines = addressLines(s.seller.address);
  const place = postcodeAndCity(lines);
  return {
    name: s.seller.name,
    lines: place ? lines.filter((l) => l !== place.line) : lines,
    postcode: place?.postcode ?? null,
    city: place?.city ?? null,
    country: s.seller.country || countryOfVatId(vat) || s.tax_country || '',
    vatId: noVatIds ? null : vat,
    taxRegistration: noVatIds ? vat : null,
    legalId: s.seller.registration || null,
    identifier: noVatIds && !s.seller.registration ? vat : null,
    electronicAddress: s.seller.email || null,
    contact:
      s.seller.email || s.seller.phone
        ? { email: s.seller.email || null, phone: s.seller.phone || null }
        : null,
  };
}

function buyer(s: InvoiceSnapshot, noVatIds: boolean): Party {
  const d = s.buyer.billing_details;
  const email = s.buyer.email || null;
  return {
    name: d?.legal_name || s.buyer.name,
    lines: d ? [d.address_line1, d.address_line2 ?? ''].filter(Boolean) : [],
    postcode: d?.postal_code || null,
    city: d?.city || null,
    // Without billing details the buyer was taxed where the seller is (API.md: a buyer without a
    // country is taxed `domestic`), and the country is the one of that rule.
    country: d?.country || s.tax_country || s.seller.country || countryOfVatId(s.seller.tax_id) || '',
    vatId: noVatIds ? null : d?.tax_id || null,
    taxRegistration: null,
    legalId: null,
    identifier: null,
    electronicAddress: email,
    contact: email ? { email, phone: null } : null,
  };
}

/** BT-22: what the document says beyond the business terms: the legal mention, VAT in the national currency, the payment. */
function notes(s: InvoiceSnapshot): string[] {
  const out: string[] = [];
  if (s.tax_mention) out.push(s.tax_mention);
  else if (s.tax_treatment === 'reverse_charge')
    out.push('Reverse charge: VAT to be accounted for by the recipient, art. 196 Directive 2006/112/EC');
  const n = s.national_vat;
  if (n && n.currency !== s.currency) out.push(nationalVatNote(n, s.currency));
  if (s.kind === 'invoice' && s.paid_at) out.push(`Paid on ${day(s.paid_at)}${paidBy(s)}`);
  if (s.kind === 'credit_note' && s.invoice_number) out.push(`Credit note for invoice ${s.invoice_number}`);
  return out;
}

/** "VAT in EUR: 2.80 (1 EUR = 1.0843 USD, rate of 2026-11-24)", as art. 230 wants it stated. */
function nationalVatNote(n: NonNullable<InvoiceSnapshot['national_vat']>, currency: string): string {
  if (!n.amount || !n.rate) return `VAT in ${n.currency}: no exchange rate was known at issue`;
  const base = n.rate_base ?? null;
  const other = base === n.currency ? currency : n.currency;
  const rate = base ? `1 ${base} = ${n.rate} ${other}` : `exchange rate ${n.rate}`;
  return `VAT in ${n.currency}: ${n.amount} (${rate}${n.rate_date ? `, rate of ${n.rate_date}` : ''})`;
}

const paidBy = (s: InvoiceSnapshot): string => {
  const p = s.payment;
  if (!p || p.provider === 'manual') return '';
  if (p.card_brand && p.card_last4) return ` by ${p.card_brand} card ending in ${p.card_last4}`;
  return ` through ${p.provider}`;
};

/** Paid through a card processor (Stripe): bank card, `48`; a manual confirmation states no means. */
function cardPayment(s: InvoiceSnapshot): EInvoice['payment'] {
  const p = s.payment;
  if (!p || p.provider === 'manual') return null;
  return {
    code: '48',
    text: 'Bank card',
    cardLast4: p.card_last4 ?? null,
    cardNetwork: p.card_brand ?? null,
  };
}

/** The seller's address as lines: `TOLLGATE_SELLER_ADDRESS` separates them by newlines or `;`. */
const addressLines = (address: string): string[] =>
  address
    .split(/\r?\n|;/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The line that reads "75002 Paris" or "10119 Berlin": postcode first, as most of Europe writes it. */
function postcodeAndCity(lines: string[]): { line: string; postcode: string; city: string } | null {
  for (const line of [...lines].reverse()) {
    const m = /^(\d{4,5}|[A-Z]{1,2}-?\d{4,5})\s+(\S.*)$/.exec(line);
    if (m) return { line, postcode: m[1]!, city: m[2]! };
  }
  return null;
}

/** An EU VAT number starts with its country (Greece writes `EL`). */
function countryOfVatId(vat: string | null | undefined): string | null {
  const prefix = vat && /^[A-Z]{2}/.test(vat) ? vat.slice(0, 2) : null;
  return prefix === 'EL' ? 'GR' : prefix;
}
