import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { isCountryCode, isEuCountry } from './core/kernel/billing-details.ts';
import { DEFAULT_CONFIG, type TollgateConfig } from './core/kernel/config.ts';
import { type Currency, minorUnits } from './core/kernel/currency.ts';
import { INVOICE_LOCALES, type InvoiceLocale, type RateEntry } from './core/kernel/model.ts';
import { parseRateEntries } from './core/prices/index.ts';

/** The standalone server's settings, read once from the environment (see API.md). */
export interface ServerSettings {
  port: number;
  host: string;
  dataDir: string;
  adminToken: string | null;
  databaseUrl: string | null;
  /** A PostgreSQL schema of its own (created if missing); default: the database's search_path. */
  databaseSchema: string | null;
  bodyLimitBytes: number;
  /** Standalone portal sign-in (OpenID Connect); null when not configured. */
  oidc: { issuer: string; clientId: string; clientSecret: string } | null;
  /** Shown on every portal page. */
  supportEmail: string;
  /** The product's name, at the top of every portal page and in its title. */
  brandName: string;
  /** The server's public origin, for portal links and payment redirects. */
  publicUrl: string | null;
  /** Guards GET /metrics; unset: the operator token does. */
  metricsToken: string | null;
  /** Both set: the Stripe provider is enabled. */
  stripe: { secretKey: string; webhookSecret: string; publicUrl: string } | null;
  /** Open connections at once; beyond, new ones are closed as they arrive. */
  maxConnections: number;
  config: TollgateConfig;
}

/** What customers see until the operator names their own: the server warns at start while any is in use. */
export const PLACEHOLDERS = {
  brandName: 'Tollgate',
  supportEmail: 'support@example.com',
  sellerName: DEFAULT_CONFIG.seller.name,
} as const;

/**
 * One line per placeholder still shown to customers (portal pages, invoices), naming the variable to set.
 * @example placeholderWarnings(readSettings({})) // ['TOLLGATE_BRAND_NAME is not set: ...', ...]
 */
export function placeholderWarnings(settings: ServerSettings): string[] {
  const unset = (variable: string, value: string, placeholder: string, where: string) =>
    value === placeholder ? [`${variable} is not set: ${where} shows "${placeholder}"`] : [];
  return [
    ...unset('TOLLGATE_BRAND_NAME', settings.brandName, PLACEHOLDERS.brandName, 'every portal page'),
    ...unset('TOLLGATE_SUPPORT_EMAIL', settings.supportEmail, PLACEHOLDERS.supportEmail, 'every portal page'),
    ...unset(
      'TOLLGATE_SELLER_NAME',
      settings.config.seller.name,
      PLACEHOLDERS.sellerName,
      'every invoice and credit note',
    ),
  ];
}

/**
 * What the seller's country requires on every invoice and credit note that is not configured,
 * said once at start (art. 226 Directive 2006/112/EC, and each country's code: France, Code de
 * commerce R123-237 and CGI art. 242 nonies A; Germany, UStG §14 (4) and HGB §37a).
 */
export function sellerWarnings(settings: ServerSettings): string[] {
  const { seller } = settings.config;
  const country = seller.country ?? '';
  if (!country) return [];
  const out: string[] = [];
  const missing = (variable: string, why: string) => out.push(`${variable} is not set: ${why}`);
  if (isEuCountry(country) && !seller.taxId)
    missing('TOLLGATE_SELLER_TAX_ID', 'an EU seller’s invoices must show its VAT number (art. 226 (3))');
  if (!seller.address) missing('TOLLGATE_SELLER_ADDRESS', 'invoices must show the seller’s full address');
  if (country === 'FR' && !seller.registration)
    missing(
      'TOLLGATE_SELLER_REGISTRATION',
      'French invoices must show the SIREN and, for a company, the RCS registration with its city, the legal form and share capital (e.g. "SAS au capital de 10 000 €, RCS Paris 123 456 789")',
    );
  if (country === 'DE' && !seller.registration)
    missing(
      'TOLLGATE_SELLER_REGISTRATION',
      'German business letters and invoices of a registered company must show the register court and number (e.g. "Amtsgericht Berlin-Charlottenburg HRB 123456") and the managing directors',
    );
  if ((country === 'FR' || country === 'DE') && !seller.email && !seller.phone)
    missing('TOLLGATE_SELLER_EMAIL', 'invoices should give a contact for questions about them');
  return out;
}

/** The shortest operator token accepted from the environment: 32 characters, about 190 bits as base64. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * The store of the server and of every CLI command: PostgreSQL when `TOLLGATE_DATABASE_URL` is
 * set, otherwise the SQLite file in the data folder. `label` names it without credentials.
 * @example storeOf(readSettings()) // { kind: 'sqlite', database: 'data/tollgate.db', label: 'SQLite /srv/data/tollgate.db' }
 */
export function storeOf(
  settings: ServerSettings,
):
  | { kind: 'postgres'; database: { postgres: string; schema?: string }; label: string }
  | { kind: 'sqlite'; database: string; label: string } {
  if (settings.databaseUrl) {
    const schema = settings.databaseSchema;
    // No user, password or query string (it may carry `password=`) in what is printed.
    const where = settings.databaseUrl.replace(/\/\/[^@/]*@/, '//').replace(/\?.*$/, '');
    return {
      kind: 'postgres',
      database: { postgres: settings.databaseUrl, ...(schema ? { schema } : {}) },
      label: `PostgreSQL ${where}${schema ? ` (schema ${schema})` : ''}`,
    };
  }
  const database = join(settings.dataDir, 'tollgate.db');
  return { kind: 'sqlite', database, label: `SQLite ${resolve(database)}` };
}

/** A configuration value that does not fit: the server stops with this one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

function decimal(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: string,
  check: (d: Decimal) => string | null,
): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(raw))
    throw new ConfigError(name, `"${raw}" is not a plain non-negative decimal`);
  const problem = check(new Decimal(raw));
  if (problem) throw new ConfigError(name, problem);
  return raw;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const cents = (usd: string): bigint => BigInt(new Decimal(usd).mul(100).toFixed(0));

/** Reads and checks every variable; throws a ConfigError naming the first one that is wrong. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const creditPrice = decimal(env, 'TOLLGATE_CREDIT_PRICE', DEFAULT_CONFIG.creditPrice, (d) =>
    d.lte(0) ? 'must be greater than zero' : null,
  );
  const taxRate = decimal(env, 'TOLLGATE_TAX_RATE', DEFAULT_CONFIG.taxRate, (d) =>
    d.gte(1) ? 'must be below 1 (0.2 means 20 %)' : null,
  );
  const centsOnly = (d: Decimal) => (d.decimalPlaces() > 2 ? 'must be whole cents' : null);
  const min = cents(decimal(env, 'TOLLGATE_PAYMENT_MIN', '10', centsOnly));
  const max = cents(decimal(env, 'TOLLGATE_PAYMENT_MAX', '10000', centsOnly));
  if (min > max) throw new ConfigError('TOLLGATE_PAYMENT_MIN', 'is above TOLLGATE_PAYMENT_MAX');
  const keyPrefix = env.TOLLGATE_KEY_PREFIX ?? DEFAULT_CONFIG.keyPrefix;
  if (!/^[A-Za-z0-9_-]{0,16}$/.test(keyPrefix))
    throw new ConfigError('TOLLGATE_KEY_PREFIX', 'must be at most 16 letters, digits, _ or -');
  let priceBook = DEFAULT_CONFIG.priceBook;
  if (env.TOLLGATE_PRICE_BOOK) priceBook = readPriceBook(env.TOLLGATE_PRICE_BOOK);
  const databaseUrl = env.TOLLGATE_DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new ConfigError('TOLLGATE_DATABASE_URL', 'must be a postgres:// URL');
  }
  const stripeKey = env.TOLLGATE_STRIPE_SECRET_KEY || '';
  const stripeHook = env.TOLLGATE_STRIPE_WEBHOOK_SECRET || '';
  if (Boolean(stripeKey) !== Boolean(stripeHook)) {
    throw new ConfigError(
      stripeKey ? 'TOLLGATE_STRIPE_WEBHOOK_SECRET' : 'TOLLGATE_STRIPE_SECRET_KEY',
      'Stripe needs both the secret key and the webhook secret',
    );
  }
  // At most 10^12 credits: with 6 decimal places the ledger's 64-bit integers still hold
  // millions of such amounts summed, so no accepted request can overflow a later sum.
  const maxCredits = decimal(env, 'TOLLGATE_MAX_CREDITS', '1000000000', (d) =>
    d.lte(0) || d.gt(1e12) || !d.isInteger() ? 'must be a whole number from 1 to 1000000000000' : null,
  );
  const adminToken = env.TOLLGATE_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new ConfigError(
      'TOLLGATE_ADMIN_TOKEN',
      `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters, got ${adminToken.length} (e.g. openssl rand -base64 32); or unset it to have one generated`,
    );
  const port = integer(env, 'PORT', 8787, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    dataDir: env.TOLLGATE_DATA_DIR || './data',
    adminToken,
    databaseUrl,
    databaseSchema: env.TOLLGATE_DATABASE_SCHEMA || null,
    bodyLimitBytes: integer(env, 'TOLLGATE_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    metricsToken: env.TOLLGATE_METRICS_TOKEN || null,
    supportEmail: env.TOLLGATE_SUPPORT_EMAIL || PLACEHOLDERS.supportEmail,
    brandName: env.TOLLGATE_BRAND_NAME || PLACEHOLDERS.brandName,
    oidc: env.TOLLGATE_OIDC_CLIENT_ID
      ? {
          issuer: env.TOLLGATE_OIDC_ISSUER || 'https://accounts.google.com',
          clientId: env.TOLLGATE_OIDC_CLIENT_ID,
          clientSecret: env.TOLLGATE_OIDC_CLIENT_SECRET || '',
        }
      : null,
    publicUrl: env.TOLLGATE_PUBLIC_URL || null,
    stripe: stripeKey
      ? {
          secretKey: stripeKey,
          webhookSecret: stripeHook,
          publicUrl: env.TOLLGATE_PUBLIC_URL || `http://${host}:${port}`,
        }
      : null,
    maxConnections: integer(env, 'TOLLGATE_MAX_CONNECTIONS', 1024, 1, 1_000_000),
    config: {
      ...DEFAULT_CONFIG,
      creditPrice,
      taxRate,
      paymentMinMinor: min,
      paymentMaxMinor: max,
      maxCreditsMinor: BigInt(maxCredits) * 10n ** BigInt(DEFAULT_CONFIG.scales.credits),
      maxActiveKeys: integer(env, 'TOLLGATE_MAX_ACTIVE_KEYS', DEFAULT_CONFIG.maxActiveKeys, 1, 1000),
      keyPrefix,
      priceBook,
      seller: {
        name: env.TOLLGATE_SELLER_NAME || DEFAULT_CONFIG.seller.name,
        address: env.TOLLGATE_SELLER_ADDRESS || '',
        taxId: env.TOLLGATE_SELLER_TAX_ID || '',
        country: sellerCountry(env),
        registration: env.TOLLGATE_SELLER_REGISTRATION || '',
        email: env.TOLLGATE_SELLER_EMAIL || '',
        phone: env.TOLLGATE_SELLER_PHONE || '',
      },
      taxRates: taxRates(env),
      currencies: currencies(env, creditPrice, min, max),
      invoiceLocale: invoiceLocale(env),
      invoiceNumberFormat: env.TOLLGATE_INVOICE_FORMAT || DEFAULT_CONFIG.invoiceNumberFormat,
      usageDurability: usageDurability(env),
      webhookHttpsOnly: flag(env, 'TOLLGATE_WEBHOOK_HTTPS_ONLY', DEFAULT_CONFIG.webhookHttpsOnly),
      webhookPublicTargetsOnly: flag(
        env,
        'TOLLGATE_WEBHOOK_PUBLIC_TARGETS_ONLY',
        DEFAULT_CONFIG.webhookPublicTargetsOnly,
      ),
    },
  };
}

/**
 * `TOLLGATE_CURRENCIES`: `USD:0.01,EUR:0.0095`, each an ISO 4217 code and the price of one credit
 * in it, the first the default; unset: USD at `TOLLGATE_CREDIT_PRICE`. `TOLLGATE_PAYMENT_BOUNDS`
 * (`EUR:10-10000,JPY:1500-1500000`) sets a currency's bounds; otherwise the payment minimum and
 * maximum apply in each currency's own units.
 */
function currencies(
  env: NodeJS.ProcessEnv,
  creditPrice: string,
  minCents: bigint,
  maxCents: bigint,
): Currency[] {
  const text = (env.TOLLGATE_CURRENCIES || '').trim();
  const pairs: [string, string][] = text === '' ? [['USD', creditPrice]] : [];
  for (const part of text === '' ? [] : text.split(',')) {
    const m = /^\s*([A-Za-z]{3})\s*:\s*(\d+(\.\d{1,12})?)\s*$/.exec(part);
    const code = m?.[1]?.toUpperCase();
    if (!m || !code || minorUnits(code) === undefined)
      throw new ConfigError(
        'TOLLGATE_CURRENCIES',
        `"${part.trim()}" must be CODE:PRICE with an ISO 4217 code, such as EUR:0.0095`,
      );
    if (new Decimal(m[2]!).lte(0))
      throw new ConfigError('TOLLGATE_CURRENCIES', `the price of ${code} must be above 0`);
    if (pairs.some(([c]) => c === code))
      throw new ConfigError('TOLLGATE_CURRENCIES', `${code} is listed twice`);
    pairs.push([code, new Decimal(m[2]!).toFixed()]);
  }
  const bounds = new Map<string, [string, string]>();
  for (const part of (env.TOLLGATE_PAYMENT_BOUNDS || '').split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([A-Za-z]{3})\s*:\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m)
      throw new ConfigError(
        'TOLLGATE_PAYMENT_BOUNDS',
        `"${part.trim()}" must be CODE:MIN-MAX, such as EUR:10-10000`,
      );
    bounds.set(m[1]!.toUpperCase(), [m[2]!, m[3]!]);
  }
  return pairs.map(([code, price]) => {
    const units = minorUnits(code)!;
    const toMinor = (text: string) => {
      const d = new Decimal(text);
      if (d.decimalPlaces() > units)
        throw new ConfigError(
          'TOLLGATE_PAYMENT_BOUNDS',
          `${code} amounts have ${units} decimal places at most`,
        );
      return BigInt(d.mul(new Decimal(10).pow(units)).toFixed(0));
    };
    // Without bounds of its own, a currency takes the payment minimum and maximum in its own units.
    const [min, max] = bounds.get(code) ?? [
      new Decimal(minCents.toString()).div(100).toFixed(),
      new Decimal(maxCents.toString()).div(100).toFixed(),
    ];
    const minMinor = toMinor(min);
    const maxMinor = toMinor(max);
    if (minMinor > maxMinor)
      throw new ConfigError('TOLLGATE_PAYMENT_BOUNDS', `${code}: the minimum is above the maximum`);
    return {
      code,
      creditPrice: price,
      minorUnits: units,
      paymentMinMinor: minMinor,
      paymentMaxMinor: maxMinor,
    };
  });
}

/** `TOLLGATE_TAX_RATES`: `DE:0.19,GB:0.2`, each a country (ISO 3166-1 alpha-2) and a rate below 1. */
function taxRates(env: NodeJS.ProcessEnv): Record<string, string> {
  const rates: Record<string, string> = {};
  const text = (env.TOLLGATE_TAX_RATES || '').trim();
  if (text === '') return rates;
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z]{2})\s*:\s*(0(\.\d{1,6})?)\s*$/.exec(part);
    if (!m || !isCountryCode(m[1]!.toUpperCase()))
      throw new ConfigError('TOLLGATE_TAX_RATES', `"${part.trim()}" must be COUNTRY:RATE, such as DE:0.19`);
    rates[m[1]!.toUpperCase()] = new Decimal(m[2]!).toFixed();
  }
  return rates;
}

/** ISO 3166-1 alpha-2, upper case; it decides EU reverse charge on invoices. */
function sellerCountry(env: NodeJS.ProcessEnv): string {
  const v = (env.TOLLGATE_SELLER_COUNTRY || '').trim().toUpperCase();
  if (v !== '' && !isCountryCode(v))
    throw new ConfigError(
      'TOLLGATE_SELLER_COUNTRY',
      `must be an ISO 3166-1 alpha-2 code such as FR, got "${v}"`,
    );
  return v;
}

function invoiceLocale(env: NodeJS.ProcessEnv): InvoiceLocale {
  const v = env.TOLLGATE_INVOICE_LOCALE || 'en';
  if (!(INVOICE_LOCALES as readonly string[]).includes(v))
    throw new ConfigError(
      'TOLLGATE_INVOICE_LOCALE',
      `must be one of ${INVOICE_LOCALES.join(', ')}, got "${v}"`,
    );
  return v as InvoiceLocale;
}

/** `full`: an acknowledged event also survives a power loss (SQLite) or a failover (PostgreSQL). */
function usageDurability(env: NodeJS.ProcessEnv): 'normal' | 'full' {
  const v = env.TOLLGATE_USAGE_DURABILITY || DEFAULT_CONFIG.usageDurability;
  if (v !== 'normal' && v !== 'full')
    throw new ConfigError('TOLLGATE_USAGE_DURABILITY', 'must be normal or full');
  return v;
}

function readPriceBook(path: string): Record<string, string> | RateEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError('TOLLGATE_PRICE_BOOK', `cannot read ${path} as JSON (${(e as Error).message})`);
  }
  // A rate card: `[entry, ...]` or `{ "models": [entry, ...] }` (the shape of a price version).
  const entries = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { models?: unknown }).models)
      ? (parsed as { models: unknown[] }).models
      : undefined;
  if (entries) {
    const card = parseRateEntries(entries, 'models', { numbers: true });
    if (!card.ok) throw new ConfigError('TOLLGATE_PRICE_BOOK', card.message);
    return card.value;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new ConfigError(
      'TOLLGATE_PRICE_BOOK',
      'must be a rate card (an array of entries) or a JSON object of model -> credits per unit',
    );
  }
  const book: Record<string, string> = {};
  for (const [model, price] of Object.entries(parsed)) {
    const text = typeof price === 'number' ? String(price) : price;
    if (typeof text !== 'string' || !/^(0|[1-9]\d*)(\.\d{1,12})?$/.test(text)) {
      throw new ConfigError('TOLLGATE_PRICE_BOOK', `price of "${model}" must be a non-negative decimal`);
    }
    book[model] = text;
  }
  return book;
}
