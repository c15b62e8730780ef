import { formatAmount } from './amount.ts';
import type { TollgateConfig } from './config.ts';
import type { Account, InvoiceSnapshot, Purchase } from './model.ts';

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

export const isoUtc = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The frozen content of a purchase's invoice. */
export function invoiceSnapshot(
  config: TollgateConfig,
  number: string,
  issuedAtMs: number,
  account: Account,
  purchase: Purchase,
): InvoiceSnapshot {
  const usd = (m: bigint) => formatAmount(m, config.scales.usd, true);
  return {
    kind: 'invoice',
    number,
    issued_at: isoUtc(issuedAtMs),
    seller: { name: config.seller.name, address: config.seller.address, tax_id: config.seller.taxId },
    buyer: { account_id: account.id, name: account.name, email: account.email },
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
    tax_rate: config.taxRate,
    total: usd(purchase.totalMinor),
    currency: 'USD',
    purchase_id: purchase.id,
  };
}
