import { DEFAULT_SCALES, type Scales } from './amount.ts';
import type { InvoiceLocale, RateEntry } from './model.ts';
import type { Durability } from './ports.ts';

/** Everything the platform's rules leave to the operator, with the platform's defaults. */
export interface TollgateConfig {
  scales: Scales;
  /** USD per credit, a decimal string. */
  creditPrice: string;
  /** 0.2 for 20 %, a decimal string. */
  taxRate: string;
  /** Bounds of one payment's total, in USD cents, inclusive. */
  paymentMinMinor: bigint;
  paymentMaxMinor: bigint;
  maxActiveKeys: number;
  keyPrefix: string;
  /** model -> credits per unit, decimal strings. */
  /**
   * What seeds the rate card's first version: rate card entries, or the older shape of a model to
   * its credits per unit.
   */
  priceBook: Record<string, string> | RateEntry[];
  /** `{YYYY}` is the UTC year of issue, `{seq:N}` the number zero-padded to N digits. */
  invoiceNumberFormat: string;
  creditNoteNumberFormat: string;
  /** Printed on invoices. `address`: lines separated by newlines or `;`. `country` (ISO 3166-1 alpha-2) decides EU reverse charge. */
  seller: {
    name: string;
    address: string;
    taxId: string;
    country?: string;
    /** Legal registration printed on invoices (France: SIREN and RCS; Germany: HRB and court). */
    registration?: string;
    email?: string;
    phone?: string;
  };
  /**
   * The currencies credits are sold in, the default first (`TOLLGATE_CURRENCIES`); when absent,
   * USD at `creditPrice` within the payment bounds.
   */
  currencies?: Currency[];
  /**
   * Tax rates by buyer country (`TOLLGATE_TAX_RATES`, e.g. `DE:0.19,GB:0.2`): an EU country's
   * overrides the built-in table; a country outside the EU is taxed at it (`configured`).
   */
  taxRates?: Record<string, string>;
  /** Language and number and date format of invoices and credit notes, frozen into each at issue. */
  invoiceLocale?: InvoiceLocale;
  /** Oldest usage timestamp still accepted. */
  lateEventMaxAgeMs: number;
  /** How far in the future a usage timestamp may be (clock skew). */
  futureToleranceMs: number;
  /** What an acknowledged usage event survives: `normal` (process crash) or `full` (power loss too). */
  usageDurability: Durability;
  defaultHoldTtlSeconds: number;
  /** `last_used_at` of a key is written at most this often. */
  keyLastUsedIntervalMs: number;
  /**
   * With a store shared by several processes: how long a process may answer verification from
   * its cache. A key suspended through another process stops verifying here within this bound.
   */
  sharedCacheTtlMs: number;
  /** Largest amount of credits in one request (an event, grant, hold, purchase, capture, refund, limit), in minor units. */
  maxCreditsMinor: bigint;
  /** Lot priority of purchases and of grants: lower burns first. */
  purchasePriority: number;
  grantPriority: number;
  /** `balance.runway_low` goes out when credits last fewer hours than this at the last 24 hours' rate (0: never). */
  runwayAlertHours: number;
  /** Webhook endpoint URLs must be `https:`; `false` lets `http:` through (tests on loopback). */
  webhookHttpsOnly: boolean;
  /**
   * Refuse webhook targets that resolve to a private, loopback or link-local address (or any
   * other not publicly routable), when the endpoint is created and again at each delivery.
   */
  webhookPublicTargetsOnly: boolean;
}

/** The built-in example price book: an AI-video platform prices a clip by length and resolution. */
const whole = (model: string, credits: string): RateEntry => ({
  model,
  dimensions: [{ name: 'quantity', credits, per: '1', whole: true }],
});

/**
 * The built-in example rate card (the first version when `TOLLGATE_PRICE_BOOK` is not set): videos
 * and images by the piece, whole; tokens by the thousand; a chat model by input, cached and output
 * tokens per million; video by the second at two resolutions.
 */
export const EXAMPLE_PRICE_BOOK: RateEntry[] = [
  whole('video-4s-720p', '20'),
  whole('video-8s-720p', '40'),
  whole('video-4s-1080p', '35'),
  whole('video-8s-1080p', '70'),
  whole('image-1024', '2'),
  { model: 'tokens-1k', dimensions: [{ name: 'quantity', credits: '0.05', per: '1', whole: false }] },
  {
    model: 'chat-large',
    dimensions: [
      { name: 'input_tokens', credits: '2.5', per: '1000000', whole: true },
      { name: 'cached_input_tokens', credits: '1.25', per: '1000000', whole: true },
      { name: 'output_tokens', credits: '10', per: '1000000', whole: true },
    ],
  },
  {
    model: 'video-seconds',
    dimensions: [
      { name: 'seconds_720p', credits: '5', per: '1', whole: false },
      { name: 'seconds_1080p', credits: '8.75', per: '1', whole: false },
    ],
  },
];

export const DEFAULT_CONFIG: TollgateConfig = {
  scales: DEFAULT_SCALES,
  creditPrice: '0.01',
  taxRate: '0',
  paymentMinMinor: 1000n,
  paymentMaxMinor: 1000000n,
  maxActiveKeys: 10,
  keyPrefix: 'tg_',
  priceBook: EXAMPLE_PRICE_BOOK,
  invoiceNumberFormat: 'INV-{YYYY}-{seq:6}',
  creditNoteNumberFormat: 'CN-{YYYY}-{seq:6}',
  seller: { name: 'Tollgate Operator', address: '', taxId: '', country: '' },
  invoiceLocale: 'en',
  lateEventMaxAgeMs: 35 * 24 * 3600 * 1000,
  futureToleranceMs: 5 * 60 * 1000,
  usageDurability: 'normal',
  defaultHoldTtlSeconds: 3600,
  keyLastUsedIntervalMs: 60 * 1000,
  sharedCacheTtlMs: 1000,
  maxCreditsMinor: 1_000_000_000n * 1_000_000n,
  purchasePriority: 10,
  grantPriority: 0,
  runwayAlertHours: 24,
  webhookHttpsOnly: true,
  webhookPublicTargetsOnly: true,
};

/** A currency the operator sells credits in, with what one credit costs and the payment bounds in it. */
export interface Currency {
  /** ISO 4217 code, upper case. */
  code: string;
  /** The price of one credit in this currency, a decimal string. */
  creditPrice: string;
  /** ISO 4217 minor units: 2 for USD and EUR, 0 for JPY, 3 for KWD. */
  minorUnits: number;
  /** One payment's total must be within these, inclusive, in minor units. */
  paymentMinMinor: bigint;
  paymentMaxMinor: bigint;
}
