import { type BillingDetails, isEuCountry } from '../kernel/billing-details.ts';
import type { TollgateConfig } from '../kernel/config.ts';
import type { Account } from '../kernel/model.ts';

/** How a sale to one buyer is taxed: the rate applied and, when it is 0 for that reason, reverse charge. */
export interface TaxTreatment {
  /** A decimal string: `0.2` for 20 %. */
  rate: string;
  /**
   * EU reverse charge (art. 196 Directive 2006/112/EC): no VAT charged, the buyer accounts for it;
   * the invoice says so and shows both VAT numbers (art. 226 (4) and (11a)).
   */
  reverseCharge: boolean;
}

/**
 * The one rule of tax per buyer. The configured rate applies, except across an EU border to a
 * business: seller and buyer in two different EU member states and the buyer gave a tax (VAT)
 * number, then 0 and reverse charge. A buyer without billing details, without a tax id, in the
 * seller's country or outside the EU pays the configured rate (an operator selling outside the EU
 * sets the rate that fits its own country's law).
 * @example taxTreatment({ sellerCountry: 'FR', configuredRate: '0.2' }, { country: 'DE', taxId: 'DE123456789' }) // { rate: '0', reverseCharge: true }
 * @example taxTreatment({ sellerCountry: 'FR', configuredRate: '0.2' }, null) // { rate: '0.2', reverseCharge: false }
 */
export function taxTreatment(
  seller: { sellerCountry: string; configuredRate: string },
  buyer: Pick<BillingDetails, 'country' | 'taxId'> | null | undefined,
): TaxTreatment {
  const crossBorderB2b =
    buyer != null &&
    buyer.taxId !== null &&
    isEuCountry(seller.sellerCountry) &&
    isEuCountry(buyer.country) &&
    buyer.country !== seller.sellerCountry;
  return crossBorderB2b
    ? { rate: '0', reverseCharge: true }
    : { rate: seller.configuredRate, reverseCharge: false };
}

/**
 * The treatment of a sale to this account under the operator's settings (seller country, rate).
 * @example taxFor(config, account).rate // '0' for a German company buying from a French seller
 */
export const taxFor = (
  config: TollgateConfig,
  account: Pick<Account, 'billingDetails'> | null | undefined,
): TaxTreatment =>
  taxTreatment(
    { sellerCountry: config.seller.country ?? '', configuredRate: config.taxRate },
    account?.billingDetails,
  );
