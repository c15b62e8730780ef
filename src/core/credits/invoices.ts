import { formatAmount } from '../kernel/amount.ts';
import { billingDetailsJson } from '../kernel/billing-details.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import type { Account, InvoiceSnapshot, Purchase } from '../kernel/model.ts';
import { isoUtc } from '../kernel/time.ts';
import { taxFor, taxMention, taxOn } from '../prices/index.ts';

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
 * How the purchase was taxed, as its invoice says it. The purchase was priced with its buyer's
 * treatment (`taxFor`) when it was created; that treatment is printed when it still gives the tax
 * the purchase charged. Otherwise (billing details or settings changed while the payment was
 * pending) the invoice states what was charged: 0 without a mention when no tax was charged, the
 * configured rate otherwise; the amounts are always the purchase's own.
 */
function taxLine(
  config: TollgateConfig,
  account: Account,
  purchase: Purchase,
): Pick<InvoiceSnapshot, 'tax_rate' | 'tax_treatment' | 'tax_rule' | 'tax_country' | 'tax_mention'> {
  const t = taxFor(config, account, purchase.createdAtMs);
  if (taxOn(purchase.subtotalMinor, t.rate, config.scales.usd) === purchase.taxMinor)
    return {
      tax_rate: t.rate,
      tax_treatment: t.reverseCharge ? 'reverse_charge' : 'standard',
      tax_rule: t.rule,
      tax_country: t.country,
      tax_mention: taxMention(t.rule, config.invoiceLocale ?? 'en'),
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
 * The frozen content of a purchase's invoice: both parties as they are at issue (the buyer's
 * billing details included), the line, the tax as charged, when and how it was paid (an invoice is
 * issued when its payment is confirmed), and the language it is printed in.
 * @example invoiceSnapshot(config, 'INV-2026-000001', now, account, purchase).tax_treatment // 'reverse_charge'
 */
export function invoiceSnapshot(
  config: TollgateConfig,
  number: string,
  issuedAtMs: number,
  account: Account,
  purchase: Purchase,
  payment: { card_brand?: string | null; card_last4?: string | null } = {},
): InvoiceSnapshot {
  const usd = (m: bigint) => formatAmount(m, config.scales.usd, true);
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
        amount: usd(purchase.subtotalMinor),
      },
    ],
    subtotal: usd(purchase.subtotalMinor),
    tax: usd(purchase.taxMinor),
    ...taxLine(config, account, purchase),
    total: usd(purchase.totalMinor),
    currency: 'USD',
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
