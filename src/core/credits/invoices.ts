import { formatAmount } from '../kernel/amount.ts';
import { billingDetailsJson } from '../kernel/billing-details.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import { formatMoney, minorUnits } from '../kernel/currency.ts';
import type { Account, InvoiceSnapshot, Purchase } from '../kernel/model.ts';
import { isoUtc } from '../kernel/time.ts';
import { convert, type ExchangeRates, nationalCurrency, taxFor, taxMention, taxOn } from '../prices/index.ts';

/**
 * Splits a number format into the counter series and a renderer. `{YYYY}` is the UTC year of
 * issue, `{seq:N}` the sequence zero-padded to N digits; each series (so each year) counts from 1.
 * @example numbering('INV-{YYYY}-{seq:6}', Date.UTC(2026, 0, 5)) // { series: 'INV-2026-', render: (7) => 'INV-2026-000007' }
 */
export function numbering(
  format: string,
  issuedAtMs: number,
): { series: string; render: (seq: number) => string } {
  const year = String(new Date(issuedAtMs).getUTCFullYear());
  const withYear = format.replaceAll('{YYYY}', year);
  const match = /\{seq(?::(\d+))?\}/.exec(withYear);
  const width = match?.[1] ? Number(match[1]) : 1;
  const series = match ? withYear.replace(match[0], '') : withYear;
  return {
    series,
    render: (seq) =>
      match ? withYear.replace(match[0], String(seq).padStart(width, '0')) : `${withYear}${seq}`,
  };
}

/** The buyer as printed: the account, and its billing details as they are now (frozen by the caller). */
export const buyerOf = (account: Account): InvoiceSnapshot['buyer'] => ({
  account_id: account.id,
  name: account.name,
  email: account.email,
  billing_details: account.billingDetails ? billingDetailsJson(account.billingDetails) : null,
});

/** The seller as printed, from the operator's settings. */
export const sellerOf = (config: TollgateConfig): InvoiceSnapshot['seller'] => ({
  name: config.seller.name,
  address: config.seller.address,
  tax_id: config.seller.taxId,
  country: config.seller.country ?? '',
  ...(config.seller.registration ? { registration: config.seller.registration } : {}),
  ...(config.seller.email ? { email: config.seller.email } : {}),
  ...(config.seller.phone ? { phone: config.seller.phone } : {}),
});

/**
 * How the purchase was taxed, as its invoice says it: the rule frozen into the purchase when it was
 * quoted (#30), so the invoice says what the quote said, whatever changed while it was pending. A
 * purchase made before keeps the older reading: its buyer's treatment when it still gives the tax
 * charged, else what was charged.
 */
function taxLine(
  config: TollgateConfig,
  account: Account,
  purchase: Purchase,
): Pick<InvoiceSnapshot, 'tax_rate' | 'tax_treatment' | 'tax_rule' | 'tax_country' | 'tax_mention'> {
  const locale = config.invoiceLocale ?? 'en';
  if (purchase.taxRule && purchase.taxRate !== null && purchase.taxRate !== undefined)
    return {
      tax_rate: purchase.taxRate,
      tax_treatment: purchase.taxRule === 'reverse_charge' ? 'reverse_charge' : 'standard',
      tax_rule: purchase.taxRule,
      tax_country: purchase.taxCountry ?? null,
      tax_mention: taxMention(purchase.taxRule, locale),
    };
  const t = taxFor(config, account, purchase.createdAtMs);
  if (taxOn(purchase.subtotalMinor, t.rate, config.scales.usd) === purchase.taxMinor)
    return {
      tax_rate: t.rate,
      tax_treatment: t.reverseCharge ? 'reverse_charge' : 'standard',
      tax_rule: t.rule,
      tax_country: t.country,
      tax_mention: taxMention(t.rule, locale),
    };
  return {
    tax_rate: purchase.taxMinor === 0n ? '0' : config.taxRate,
    tax_treatment: 'standard',
    tax_rule: 'domestic',
    tax_country: config.seller.country || null,
    tax_mention: null,
  };
}

/**
 * VAT in the seller's national currency (art. 230 Directive 2006/112/EC), when the document's
 * currency is another: converted at the operator's latest rate at or before the day of issue,
 * rounded half up. Null when there is nothing to state (a seller outside the EU, or the same
 * currency); `missing` when no rate was known (the document is issued all the same, and says so).
 */
export function nationalVat(
  config: TollgateConfig,
  currency: string,
  taxMinor: bigint,
  issuedAtMs: number,
  rates: ExchangeRates[],
): { value: InvoiceSnapshot['national_vat']; missing: boolean } {
  const national = nationalCurrency(config.seller.country ?? '', issuedAtMs);
  if (!national || national === currency) return { value: null, missing: false };
  const converted = convert(rates, taxMinor, currency, national);
  if (!converted)
    return { value: { currency: national, amount: null, rate: null, rate_date: null }, missing: true };
  return {
    value: {
      currency: national,
      amount: formatMoney(converted.minor, national),
      rate: converted.rate,
      rate_base: converted.base,
      rate_date: converted.day,
    },
    missing: false,
  };
}

/**
 * The frozen content of a purchase's invoice: both parties as they are at issue (the buyer's
 * billing details included), the line, the tax as quoted, when and how it was paid (an invoice is
 * issued when its payment is confirmed), and the language it is printed in; all amounts in the
 * purchase's currency, VAT also in the seller's national currency when that differs.
 * @example invoiceSnapshot(config, 'INV-2026-000001', now, account, purchase).tax_rule // 'reverse_charge'
 */
export function invoiceSnapshot(
  config: TollgateConfig,
  number: string,
  issuedAtMs: number,
  account: Account,
  purchase: Purchase,
  payment: { card_brand?: string | null; card_last4?: string | null } = {},
  national: InvoiceSnapshot['national_vat'] = null,
): InvoiceSnapshot {
  const currency = purchase.currency ?? 'USD';
  const money = (m: bigint) => formatMoney(m, currency);
  return {
    kind: 'invoice',
    number,
    issued_at: isoUtc(issuedAtMs),
    seller: sellerOf(config),
    buyer: buyerOf(account),
    lines: [
      {
        description: 'Prepaid credits',
        quantity: formatAmount(purchase.creditsMinor, config.scales.credits),
        unit_price: purchase.unitPrice,
        amount: money(purchase.subtotalMinor),
      },
    ],
    subtotal: money(purchase.subtotalMinor),
    tax: money(purchase.taxMinor),
    ...taxLine(config, account, purchase),
    total: money(purchase.totalMinor),
    currency,
    currency_minor_units: minorUnits(currency) ?? 2,
    national_vat: national,
    purchase_id: purchase.id,
    paid_at: isoUtc(issuedAtMs),
    payment: {
      provider: purchase.provider,
      card_brand: payment.card_brand ?? null,
      card_last4: payment.card_last4 ?? null,
    },
    locale: config.invoiceLocale ?? 'en',
  };
}
