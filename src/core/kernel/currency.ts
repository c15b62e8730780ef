import { formatAmount } from './amount.ts';
import type { Currency, TollgateConfig } from './config.ts';

export type { Currency };

/** ISO 4217 currencies whose minor unit is not 2 (the list 'A.1' of ISO 4217, 2024). */
const MINOR_UNITS_NOT_2: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Active ISO 4217 codes of 2 minor units (funds and precious metals left out). */
const TWO_MINOR_UNITS = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD ' +
    'CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD ' +
    'HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD ' +
    'MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON ' +
    'RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD ' +
    'TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG'
  ).split(' '),
);

/**
 * The ISO 4217 minor units of a currency code, or undefined for a code that is not an active one.
 * @example minorUnits('JPY') // 0
 */
export function minorUnits(code: string): number | undefined {
  if (Object.hasOwn(MINOR_UNITS_NOT_2, code)) return MINOR_UNITS_NOT_2[code];
  return TWO_MINOR_UNITS.has(code) ? 2 : undefined;
}

/** The currencies of the operator's settings, the default first (USD at `creditPrice` unless configured). */
export function currenciesOf(config: TollgateConfig): Currency[] {
  if (config.currencies && config.currencies.length > 0) return config.currencies;
  return [
    {
      code: 'USD',
      creditPrice: config.creditPrice,
      minorUnits: config.scales.usd,
      paymentMinMinor: config.paymentMinMinor,
      paymentMaxMinor: config.paymentMaxMinor,
    },
  ];
}

/**
 * A currency of the operator's settings by code, the default one for null; undefined for a code it
 * does not sell in.
 * @example currencyOf(config, 'EUR')?.creditPrice // '0.0095'
 */
export function currencyOf(config: TollgateConfig, code: string | null | undefined): Currency | undefined {
  const all = currenciesOf(config);
  if (code === null || code === undefined) return all[0];
  return all.find((c) => c.code === code);
}

/** The default currency: an account without one of its own buys in it. */
export const defaultCurrency = (config: TollgateConfig): Currency => currenciesOf(config)[0]!;

/**
 * An amount of a currency as the API writes it: a decimal string at the currency's minor units.
 * @example formatMoney(1234n, 'EUR') // '12.34'; formatMoney(1234n, 'JPY') // '1234'
 */
export function formatMoney(minor: bigint, code: string | null | undefined): string {
  return formatAmount(minor, minorUnits(code ?? 'USD') ?? 2, true);
}
