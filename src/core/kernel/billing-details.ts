import { type FieldIssue, ok, type Result, refuse } from './errors.ts';

/** Who the customer invoices are addressed to, as the customer gave it. `country` is ISO 3166-1 alpha-2. */
export interface BillingDetails {
  legalName: string;
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string;
  city: string;
  country: string;
  /** Normalised: upper case, no spaces, dots or dashes (`DE123456789`). */
  taxId: string | null;
}

/** Every ISO 3166-1 alpha-2 code officially assigned (2024). */
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VF VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** Whether a string is an assigned ISO 3166-1 alpha-2 code (upper case). @example isCountryCode('FR') // true */
export const isCountryCode = (code: string): boolean => ISO_COUNTRIES.has(code);

/**
 * The EU member states and the shape of their VAT numbers (VIES formats), prefix included.
 * Greece's VAT numbers start with `EL`, not `GR`. A format check only: whether the number exists
 * is the tax office's to say (VIES), not tollgate's.
 */
const EU_VAT: Record<string, { pattern: RegExp; example: string }> = {
  AT: { pattern: /^ATU\d{8}$/, example: 'ATU12345678' },
  BE: { pattern: /^BE[01]\d{9}$/, example: 'BE0123456789' },
  BG: { pattern: /^BG\d{9,10}$/, example: 'BG123456789' },
  CY: { pattern: /^CY\d{8}[A-Z]$/, example: 'CY12345678X' },
  CZ: { pattern: /^CZ\d{8,10}$/, example: 'CZ12345678' },
  DE: { pattern: /^DE\d{9}$/, example: 'DE123456789' },
  DK: { pattern: /^DK\d{8}$/, example: 'DK12345678' },
  EE: { pattern: /^EE\d{9}$/, example: 'EE123456789' },
  ES: { pattern: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: 'ESX1234567X' },
  FI: { pattern: /^FI\d{8}$/, example: 'FI12345678' },
  FR: { pattern: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, example: 'FR12345678901' },
  GR: { pattern: /^EL\d{9}$/, example: 'EL123456789' },
  HR: { pattern: /^HR\d{11}$/, example: 'HR12345678901' },
  HU: { pattern: /^HU\d{8}$/, example: 'HU12345678' },
  IE: { pattern: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, example: 'IE1234567T' },
  IT: { pattern: /^IT\d{11}$/, example: 'IT12345678901' },
  LT: { pattern: /^LT(\d{9}|\d{12})$/, example: 'LT123456789' },
  LU: { pattern: /^LU\d{8}$/, example: 'LU12345678' },
  LV: { pattern: /^LV\d{11}$/, example: 'LV12345678901' },
  MT: { pattern: /^MT\d{8}$/, example: 'MT12345678' },
  NL: { pattern: /^NL\d{9}B\d{2}$/, example: 'NL123456789B01' },
  PL: { pattern: /^PL\d{10}$/, example: 'PL1234567890' },
  PT: { pattern: /^PT\d{9}$/, example: 'PT123456789' },
  RO: { pattern: /^RO\d{2,10}$/, example: 'RO1234567890' },
  SE: { pattern: /^SE\d{10}01$/, example: 'SE123456789001' },
  SI: { pattern: /^SI\d{8}$/, example: 'SI12345678' },
  SK: { pattern: /^SK\d{10}$/, example: 'SK1234567890' },
};

/** Whether a country (ISO 3166-1 alpha-2) is an EU member state. @example isEuCountry('DE') // true */
export const isEuCountry = (country: string): boolean => Object.hasOwn(EU_VAT, country);

/** Bounds of each text field, in characters (the portal form shows the same). */
export const BILLING_FIELD_MAX_CHARS = {
  legal_name: 200,
  address_line1: 200,
  address_line2: 200,
  postal_code: 20,
  city: 100,
  tax_id: 30,
} as const;

const NON_EU_TAX_ID = /^[A-Z0-9]{2,30}$/;

/**
 * Parses billing details as the API and the portal receive them (snake_case). Text is trimmed;
 * the country is upper-cased; a tax id is upper-cased and loses spaces, dots and dashes. In an EU
 * country the tax id must have that country's VAT format; elsewhere 2 to 30 letters and digits.
 * Every field that does not fit is listed in one `validation_failed`.
 * @example parseBillingDetails({ legal_name: 'Muster GmbH', address_line1: 'Hauptstr. 1', postal_code: '10115', city: 'Berlin', country: 'de', tax_id: 'DE 123 456 789' })
 * // ok({ legalName: 'Muster GmbH', ..., country: 'DE', taxId: 'DE123456789' })
 */
export function parseBillingDetails(raw: unknown, prefix = 'billing_details'): Result<BillingDetails> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return refuse('validation_failed', `${prefix} must be an object`, [
      { field: prefix, message: 'must be an object' },
    ]);
  const input = raw as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const known = new Set([...Object.keys(BILLING_FIELD_MAX_CHARS), 'country']);
  for (const key of Object.keys(input))
    if (!known.has(key)) issues.push({ field: `${prefix}.${key}`, message: 'is not a billing detail' });
  const text = (key: keyof typeof BILLING_FIELD_MAX_CHARS, required: boolean): string | null => {
    const v = input[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !required)) {
      if (required) issues.push({ field: `${prefix}.${key}`, message: 'is required' });
      return null;
    }
    const max = BILLING_FIELD_MAX_CHARS[key];
    if (typeof v !== 'string' || v.trim().length < 1 || v.trim().length > max) {
      issues.push({ field: `${prefix}.${key}`, message: `must be 1 to ${max} characters` });
      return null;
    }
    return v.trim();
  };
  const legalName = text('legal_name', true);
  const addressLine1 = text('address_line1', true);
  const addressLine2 = text('address_line2', false);
  const postalCode = text('postal_code', true);
  const city = text('city', true);
  const rawCountry = input.country;
  const country = typeof rawCountry === 'string' ? rawCountry.trim().toUpperCase() : '';
  if (!ISO_COUNTRIES.has(country))
    issues.push({
      field: `${prefix}.country`,
      message: 'must be an ISO 3166-1 alpha-2 country code, e.g. DE',
    });
  const rawTaxId = text('tax_id', false);
  const taxId = rawTaxId === null ? null : rawTaxId.toUpperCase().replace(/[\s.-]/g, '');
  if (taxId !== null && ISO_COUNTRIES.has(country)) {
    const eu = EU_VAT[country];
    if (eu && !eu.pattern.test(taxId))
      issues.push({
        field: `${prefix}.tax_id`,
        message: `must be a VAT number of ${country}, like ${eu.example}`,
      });
    else if (!eu && !NON_EU_TAX_ID.test(taxId))
      issues.push({ field: `${prefix}.tax_id`, message: 'must be 2 to 30 letters and digits' });
  }
  if (issues.length > 0)
    return refuse('validation_failed', issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
  return ok({
    legalName: legalName!,
    addressLine1: addressLine1!,
    addressLine2,
    postalCode: postalCode!,
    city: city!,
    country,
    taxId,
  });
}

/** Billing details as the API shows them and as they are stored and frozen (snake_case). */
export interface BillingDetailsJson {
  legal_name: string;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
  tax_id: string | null;
}

/** @example billingDetailsJson(details).legal_name // 'Muster GmbH' */
export const billingDetailsJson = (d: BillingDetails): BillingDetailsJson => ({
  legal_name: d.legalName,
  address_line1: d.addressLine1,
  address_line2: d.addressLine2,
  postal_code: d.postalCode,
  city: d.city,
  country: d.country,
  tax_id: d.taxId,
});

/** The inverse of `billingDetailsJson`, for what was stored by it. */
export const billingDetailsFromJson = (j: BillingDetailsJson): BillingDetails => ({
  legalName: j.legal_name,
  addressLine1: j.address_line1,
  addressLine2: j.address_line2 ?? null,
  postalCode: j.postal_code,
  city: j.city,
  country: j.country,
  taxId: j.tax_id ?? null,
});
