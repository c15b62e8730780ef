import { type BillingDetails, isEuCountry } from '../kernel/billing-details.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import type { Account, InvoiceLocale, TaxRule } from '../kernel/model.ts';

/** How a sale to one buyer is taxed: the rule, its rate, whose rate it is, and what the invoice says. */
export interface TaxTreatment {
  rule: TaxRule;
  /** A decimal string: `0.2` for 20 %. */
  rate: string;
  /** The country whose rate applies (the seller's for `domestic`, the buyer's for `eu_oss` and `configured`). */
  country: string | null;
  /**
   * EU reverse charge (art. 196 Directive 2006/112/EC): no VAT charged, the buyer accounts for it;
   * the invoice says so and shows both VAT numbers (art. 226 (4) and (11a)).
   */
  reverseCharge: boolean;
}

/**
 * The standard VAT rates of the 27 EU member states, each from the date it took effect (ISO date,
 * UTC), most recent last: the rate of a sale is the last one in effect on its day. Sources: the
 * European Commission's "VAT rates applied in the Member States" (taxation_customs), with the 2024
 * and 2025 changes of Finland, Estonia, Slovakia and Romania. `TOLLGATE_TAX_RATES` overrides any.
 */
export const EU_STANDARD_RATES: Record<string, [from: string, rate: string][]> = {
  AT: [['2016-01-01', '0.2']],
  BE: [['2016-01-01', '0.21']],
  BG: [['2016-01-01', '0.2']],
  CY: [['2016-01-01', '0.19']],
  CZ: [['2016-01-01', '0.21']],
  DE: [
    ['2016-01-01', '0.19'],
    ['2020-07-01', '0.16'],
    ['2021-01-01', '0.19'],
  ],
  DK: [['2016-01-01', '0.25']],
  EE: [
    ['2016-01-01', '0.2'],
    ['2024-01-01', '0.22'],
    ['2025-07-01', '0.24'],
  ],
  ES: [['2016-01-01', '0.21']],
  FI: [
    ['2016-01-01', '0.24'],
    ['2024-09-01', '0.255'],
  ],
  FR: [['2016-01-01', '0.2']],
  GR: [['2016-06-01', '0.24']],
  HR: [['2016-01-01', '0.25']],
  HU: [['2016-01-01', '0.27']],
  IE: [
    ['2016-01-01', '0.23'],
    ['2020-09-01', '0.21'],
    ['2021-03-01', '0.23'],
  ],
  IT: [['2016-01-01', '0.22']],
  LT: [['2016-01-01', '0.21']],
  LU: [
    ['2016-01-01', '0.17'],
    ['2023-01-01', '0.16'],
    ['2024-01-01', '0.17'],
  ],
  LV: [['2016-01-01', '0.21']],
  MT: [['2016-01-01', '0.18']],
  NL: [['2016-01-01', '0.21']],
  PL: [['2016-01-01', '0.23']],
  PT: [['2016-01-01', '0.23']],
  RO: [
    ['2017-01-01', '0.19'],
    ['2025-08-01', '0.21'],
  ],
  SE: [['2016-01-01', '0.25']],
  SI: [['2016-01-01', '0.22']],
  SK: [
    ['2016-01-01', '0.2'],
    ['2025-01-01', '0.23'],
  ],
};

/**
 * The standard rate of an EU country on a day: the operator's override when it names the
 * country, else the built-in table's rate in effect that day; undefined outside the EU.
 * @example euStandardRate('FI', Date.UTC(2025, 0, 1), {}) // '0.255'
 */
export function euStandardRate(
  country: string,
  atMs: number,
  overrides: Record<string, string>,
): string | undefined {
  if (Object.hasOwn(overrides, country)) return overrides[country];
  const dated = EU_STANDARD_RATES[country];
  if (!dated) return undefined;
  const day = new Date(atMs).toISOString().slice(0, 10);
  let rate: string | undefined;
  for (const [from, r] of dated) if (from <= day) rate = r;
  return rate ?? dated[0]![1];
}

export interface Seller {
  /** ISO 3166-1 alpha-2; empty when the operator did not say (every sale is then `domestic`). */
  country: string;
  /** The seller's own rate (`TOLLGATE_TAX_RATE`). */
  domesticRate: string;
  /** `TOLLGATE_TAX_RATES`: rates by country, overriding the table, and naming non-EU countries taxed. */
  rates: Record<string, string>;
}

/**
 * The one rule of tax by seller and buyer (API.md "Currencies and tax"), in this order:
 * - a buyer without a country, or in the seller's country, or a seller without one: `domestic`,
 *   the seller's rate;
 * - an EU seller and a buyer in another EU country: with a VAT number `reverse_charge` (0 %, the
 *   buyer accounts for it, art. 196), without one `eu_oss` at the buyer country's standard rate
 *   (the dated table, or the operator's override);
 * - a buyer elsewhere: `configured` at the rate `TOLLGATE_TAX_RATES` gives its country, else, for an
 *   EU seller, `outside_scope` (0 %: the place of supply is outside the EU, art. 44 and 59), and
 *   for a seller outside the EU `domestic`.
 * @example taxRule({ country: 'FR', domesticRate: '0.2', rates: {} }, { country: 'DE', taxId: null }, at) // { rule: 'eu_oss', rate: '0.19', country: 'DE', ... }
 */
export function taxRule(
  seller: Seller,
  buyer: Pick<BillingDetails, 'country' | 'taxId'> | null | undefined,
  atMs: number,
): TaxTreatment {
  const domestic: TaxTreatment = {
    rule: 'domestic',
    rate: seller.domesticRate,
    country: seller.country || null,
    reverseCharge: false,
  };
  if (!buyer?.country || !seller.country || buyer.country === seller.country) return domestic;
  const sellerInEu = isEuCountry(seller.country);
  if (sellerInEu && isEuCountry(buyer.country)) {
    if (buyer.taxId)
      return { rule: 'reverse_charge', rate: '0', country: buyer.country, reverseCharge: true };
    return {
      rule: 'eu_oss',
      rate: euStandardRate(buyer.country, atMs, seller.rates)!,
      country: buyer.country,
      reverseCharge: false,
    };
  }
  if (Object.hasOwn(seller.rates, buyer.country))
    return {
      rule: 'configured',
      rate: seller.rates[buyer.country]!,
      country: buyer.country,
      reverseCharge: false,
    };
  if (sellerInEu) return { rule: 'outside_scope', rate: '0', country: buyer.country, reverseCharge: false };
  return domestic;
}

/** What an invoice says beside a tax rule that charges none, in its language; null for the others. */
export function taxMention(rule: TaxRule, locale: InvoiceLocale): string | null {
  if (rule !== 'reverse_charge' && rule !== 'outside_scope') return null;
  return MENTIONS[locale][rule];
}

const MENTIONS: Record<InvoiceLocale, Record<'reverse_charge' | 'outside_scope', string>> = {
  en: {
    reverse_charge:
      'Reverse charge: VAT to be accounted for by the recipient, art. 196 Directive 2006/112/EC',
    outside_scope: 'VAT not applicable: place of supply outside the EU, art. 44 and 59 Directive 2006/112/EC',
  },
  fr: {
    reverse_charge: 'Autoliquidation : TVA due par le preneur, art. 196 de la directive 2006/112/CE',
    outside_scope:
      'TVA non applicable : lieu de la prestation hors de l’UE, art. 44 et 59 de la directive 2006/112/CE',
  },
  de: {
    reverse_charge:
      'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge), Art. 196 Richtlinie 2006/112/EG',
    outside_scope: 'Nicht steuerbar: Leistungsort außerhalb der EU, Art. 44 und 59 Richtlinie 2006/112/EG',
  },
};

/** The seller of the operator's settings. */
export const sellerOf = (config: TollgateConfig): Seller => ({
  country: config.seller.country ?? '',
  domesticRate: config.taxRate,
  rates: config.taxRates ?? {},
});

/**
 * The treatment of a sale to this account at `atMs` under the operator's settings.
 * @example taxFor(config, account, now).rate // '0' for a German company buying from a French seller
 */
export const taxFor = (
  config: TollgateConfig,
  account: Pick<Account, 'billingDetails'> | null | undefined,
  atMs: number,
): TaxTreatment => taxRule(sellerOf(config), account?.billingDetails, atMs);

/** EU member states outside the euro area and their currency (Bulgaria joined the euro on 2026-01-01). */
const NON_EURO: Record<string, [until: string | null, code: string]> = {
  BG: ['2026-01-01', 'BGN'],
  CZ: [null, 'CZK'],
  DK: [null, 'DKK'],
  HU: [null, 'HUF'],
  PL: [null, 'PLN'],
  RO: [null, 'RON'],
  SE: [null, 'SEK'],
};

/**
 * The national currency of an EU member state on a day (the currency art. 230 wants VAT stated in);
 * undefined outside the EU.
 * @example nationalCurrency('FR', now) // 'EUR'; nationalCurrency('SE', now) // 'SEK'
 */
export function nationalCurrency(country: string, atMs: number): string | undefined {
  if (!isEuCountry(country)) return undefined;
  const other = NON_EURO[country];
  if (!other) return 'EUR';
  const [until, code] = other;
  return until === null || new Date(atMs).toISOString().slice(0, 10) < until ? code : 'EUR';
}
