import { describe, expect, it } from 'vitest';
import { readSettings, sellerWarnings } from '../src/config.ts';
import { EU_STANDARD_RATES, euStandardRate, taxMention, taxRule } from '../src/core/prices/index.ts';

const AT = Date.UTC(2026, 11, 7);
const fr = { country: 'FR', domesticRate: '0.2', rates: {} };
const us = { country: 'US', domesticRate: '0.07', rates: {} };
const none = { country: '', domesticRate: '0', rates: {} };
const b2b = (country: string, taxId = `${country}123456789`) => ({ country, taxId });
const b2c = (country: string) => ({ country, taxId: null });

describe('the tax rule by seller and buyer', () => {
  it.each([
    // seller, buyer, rule, rate, country whose rate
    ['FR seller, FR consumer', fr, b2c('FR'), 'domestic', '0.2', 'FR'],
    ['FR seller, FR business', fr, b2b('FR', 'FR40123456789'), 'domestic', '0.2', 'FR'],
    ['FR seller, buyer without a country', fr, null, 'domestic', '0.2', 'FR'],
    ['FR seller, DE business with a VAT number', fr, b2b('DE'), 'reverse_charge', '0', 'DE'],
    ['FR seller, DE consumer', fr, b2c('DE'), 'eu_oss', '0.19', 'DE'],
    ['FR seller, HU consumer', fr, b2c('HU'), 'eu_oss', '0.27', 'HU'],
    ['FR seller, FI consumer (25.5 % since Sept. 2024)', fr, b2c('FI'), 'eu_oss', '0.255', 'FI'],
    ['FR seller, US company', fr, b2b('US', '123456789'), 'outside_scope', '0', 'US'],
    ['FR seller, GB consumer', fr, b2c('GB'), 'outside_scope', '0', 'GB'],
    ['FR seller, CH business', fr, b2b('CH', 'CHE123456789'), 'outside_scope', '0', 'CH'],
    ['US seller, US consumer', us, b2c('US'), 'domestic', '0.07', 'US'],
    ['US seller, DE business', us, b2b('DE'), 'domestic', '0.07', 'US'],
    ['seller without a country, DE business', none, b2b('DE'), 'domestic', '0', null],
  ] as const)('%s: %s', (_name, seller, buyer, rule, rate, country) => {
    const t = taxRule(seller, buyer, AT);
    expect([t.rule, t.rate, t.country, t.reverseCharge]).toEqual([
      rule,
      rate,
      country,
      rule === 'reverse_charge',
    ]);
  });

  it('takes the operator’s rates: an EU override, and a non-EU country it names is taxed `configured`', () => {
    const seller = { ...fr, rates: { DE: '0.16', GB: '0.2' } };
    expect(taxRule(seller, b2c('DE'), AT)).toMatchObject({ rule: 'eu_oss', rate: '0.16' });
    expect(taxRule(seller, b2c('GB'), AT)).toMatchObject({ rule: 'configured', rate: '0.2', country: 'GB' });
    expect(taxRule(seller, b2b('DE'), AT)).toMatchObject({ rule: 'reverse_charge', rate: '0' });
    expect(taxRule({ ...us, rates: { DE: '0.19' } }, b2c('DE'), AT)).toMatchObject({
      rule: 'configured',
      rate: '0.19',
    });
  });

  it('dates each rate: a sale is taxed at the rate in effect on its day', () => {
    expect(euStandardRate('FI', Date.UTC(2024, 7, 31), {})).toBe('0.24');
    expect(euStandardRate('FI', Date.UTC(2024, 8, 1), {})).toBe('0.255');
    expect(euStandardRate('EE', Date.UTC(2025, 5, 30), {})).toBe('0.22');
    expect(euStandardRate('EE', Date.UTC(2025, 6, 1), {})).toBe('0.24');
    expect(euStandardRate('RO', Date.UTC(2025, 7, 1), {})).toBe('0.21');
    expect(euStandardRate('SK', Date.UTC(2025, 0, 1), {})).toBe('0.23');
    expect(euStandardRate('DE', Date.UTC(2020, 8, 1), {})).toBe('0.16');
    expect(euStandardRate('US', AT, {})).toBeUndefined();
    expect(Object.keys(EU_STANDARD_RATES)).toHaveLength(27);
  });

  it('says why no VAT is charged, in the invoice’s language, and nothing where VAT is charged', () => {
    expect(taxMention('reverse_charge', 'en')).toMatch(/art\. 196/);
    expect(taxMention('reverse_charge', 'fr')).toMatch(/^Autoliquidation/);
    expect(taxMention('outside_scope', 'de')).toMatch(/außerhalb der EU/);
    expect(taxMention('eu_oss', 'en')).toBeNull();
    expect(taxMention('domestic', 'fr')).toBeNull();
  });
});

describe('what the seller must configure, said at start', () => {
  const settingsOf = (env: Record<string, string>) =>
    readSettings({ TOLLGATE_DATA_DIR: '/tmp/none', ...env });
  it('names what French and German invoices need and is missing, and is silent once it is set', () => {
    const fr = sellerWarnings(settingsOf({ TOLLGATE_SELLER_COUNTRY: 'FR' }));
    expect(fr.map((w) => w.split(' ')[0])).toEqual([
      'TOLLGATE_SELLER_TAX_ID',
      'TOLLGATE_SELLER_ADDRESS',
      'TOLLGATE_SELLER_REGISTRATION',
      'TOLLGATE_SELLER_EMAIL',
    ]);
    expect(fr[2]).toMatch(/SIREN/);
    const de = sellerWarnings(
      settingsOf({ TOLLGATE_SELLER_COUNTRY: 'DE', TOLLGATE_SELLER_TAX_ID: 'DE123456789' }),
    );
    expect(de.find((w) => w.startsWith('TOLLGATE_SELLER_REGISTRATION'))).toMatch(/HRB/);
    expect(
      sellerWarnings(
        settingsOf({
          TOLLGATE_SELLER_COUNTRY: 'FR',
          TOLLGATE_SELLER_TAX_ID: 'FR40123456789',
          TOLLGATE_SELLER_ADDRESS: '12 rue de la Paix, 75002 Paris',
          TOLLGATE_SELLER_REGISTRATION: 'SAS au capital de 10 000 €, RCS Paris 123 456 789',
          TOLLGATE_SELLER_EMAIL: 'billing@studio.example',
        }),
      ),
    ).toEqual([]);
    expect(sellerWarnings(settingsOf({}))).toEqual([]);
  });

  it('reads TOLLGATE_TAX_RATES, TOLLGATE_CURRENCIES and TOLLGATE_PAYMENT_BOUNDS, refusing what it cannot', () => {
    const s = settingsOf({
      TOLLGATE_TAX_RATES: 'de:0.19, GB:0.2',
      TOLLGATE_CURRENCIES: 'EUR:0.0095,USD:0.01,JPY:1.5',
      TOLLGATE_PAYMENT_BOUNDS: 'JPY:1500-1500000',
    });
    expect(s.config.taxRates).toEqual({ DE: '0.19', GB: '0.2' });
    expect(s.config.currencies?.map((c) => [c.code, c.creditPrice, c.minorUnits, c.paymentMinMinor])).toEqual(
      [
        ['EUR', '0.0095', 2, 1000n],
        ['USD', '0.01', 2, 1000n],
        ['JPY', '1.5', 0, 1500n],
      ],
    );
    expect(() => settingsOf({ TOLLGATE_TAX_RATES: 'DE:19' })).toThrow(/TOLLGATE_TAX_RATES/);
    expect(() => settingsOf({ TOLLGATE_CURRENCIES: 'EURO:1' })).toThrow(/TOLLGATE_CURRENCIES/);
    expect(() => settingsOf({ TOLLGATE_CURRENCIES: 'EUR:0.01,EUR:0.02' })).toThrow(/twice/);
    expect(() =>
      settingsOf({ TOLLGATE_CURRENCIES: 'JPY:1', TOLLGATE_PAYMENT_BOUNDS: 'JPY:10.5-100' }),
    ).toThrow(/0 decimal places/);
  });
});
