/** The records of the domain, as the core sees them. Times are UTC epoch milliseconds. */

import type { BillingDetails, BillingDetailsJson } from './billing-details.ts';

/** The languages invoices and credit notes are printed in. */
export const INVOICE_LOCALES = ['en', 'fr', 'de'] as const;
export type InvoiceLocale = (typeof INVOICE_LOCALES)[number];

export interface Account {
  id: string;
  name: string;
  email: string | null;
  externalId: string | null;
  /** The customer's credit account in the ledger. */
  ledgerAccountId: string;
  lowBalanceThresholdMinor: bigint | null;
  /** The operator's cap: credits this account may use per UTC day or month, all keys together; null: none. */
  spendLimit: SpendLimit | null;
  /** The customer's own budget (set in the portal), within the operator's cap: both apply, the lower wins. */
  spendBudget?: SpendLimit | null;
  autoTopUp: AutoTopUp | null;
  /** Who invoices are addressed to; frozen into each invoice at issue. Absent or null: none given. */
  billingDetails?: BillingDetails | null;
  /** ISO 4217 code it buys in; absent or null: the operator's default currency. */
  currency?: string | null;
  createdAtMs: number;
}

/** Buy `creditsMinor` when `available` falls below `thresholdMinor`, within `monthlyMaxTotalMinor` USD a month. */
export interface AutoTopUp {
  thresholdMinor: bigint;
  creditsMinor: bigint;
  /** The most the month's auto top-ups may total, in USD minor units (paid and in flight). */
  monthlyMaxTotalMinor: bigint;
  provider: string;
}

/** A cap on credits used (billed and unbilled) in the current UTC day or month. */
export interface SpendLimit {
  creditsMinor: bigint;
  period: 'day' | 'month';
}

export type ApiKeyStatus = 'active' | 'suspended' | 'deleted';

export interface ApiKey {
  id: string;
  accountId: string;
  nickname: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  secretHash: string;
  /** Prefix and last four characters, for people to recognise a key. */
  hint: string;
  status: ApiKeyStatus;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  /** The operator's cap: credits this key may use per UTC day or month; null: no limit of its own. */
  spendLimit: SpendLimit | null;
  /** The customer's own budget for the key (set in the portal): both apply, the lower wins. */
  spendBudget?: SpendLimit | null;
}

export type PurchaseStatus = 'pending' | 'paid' | 'failed';

export interface Purchase {
  id: string;
  accountId: string;
  idempotencyKey: string;
  requestFingerprint: string;
  creditsMinor: bigint;
  unitPrice: string;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  provider: string;
  status: PurchaseStatus;
  providerRef: string | null;
  checkoutUrl: string | null;
  invoiceId: string | null;
  createdAtMs: number;
  resolvedAtMs: number | null;
  /** Bought by the customer, or started by the account's auto top-up. */
  origin: 'customer' | 'auto_top_up';
  /** The models the lot it makes when paid pays for; null (and absent) pays for any model. */
  models?: string[] | null;
  /** ISO 4217 code of its amounts (minor units of that currency); absent: USD (before #30). */
  currency?: string;
  /** The tax rule it was quoted under, frozen to its invoice (absent before #30: worked out again). */
  taxRule?: TaxRule | null;
  taxRate?: string | null;
  taxCountry?: string | null;
}

export interface Invoice {
  id: string;
  number: string;
  purchaseId: string;
  accountId: string;
  issuedAtMs: number;
  creditsMinor: bigint;
  totalMinor: bigint;
  currency: string;
  /** Everything printed on the invoice, frozen at issue. */
  snapshot: InvoiceSnapshot;
}

/** The tax rules of API.md "Currencies and tax". */
export type TaxRule = 'domestic' | 'reverse_charge' | 'eu_oss' | 'outside_scope' | 'configured';

export interface InvoiceSnapshot {
  kind: 'invoice' | 'credit_note';
  number: string;
  issued_at: string;
  seller: {
    name: string;
    address: string;
    tax_id: string;
    country?: string;
    /** Legal registration (France: SIREN/RCS, Germany: Handelsregister HRB), as the operator writes it. */
    registration?: string;
    /** Where the buyer reaches the seller about the invoice. */
    email?: string;
    phone?: string;
  };
  buyer: {
    account_id: string;
    name: string;
    email: string | null;
    /** As the customer gave them when the invoice was issued (absent in invoices issued before #20). */
    billing_details?: BillingDetailsJson | null;
  };
  lines: { description: string; quantity: string; unit_price: string; amount: string }[];
  subtotal: string;
  tax: string;
  tax_rate: string;
  total: string;
  currency: string;
  purchase_id: string;
  invoice_number?: string;
  /** `reverse_charge`: no VAT, the buyer accounts for it (art. 196 Directive 2006/112/EC). */
  tax_treatment?: 'standard' | 'reverse_charge';
  /**
   * Which rule taxed the sale (#30): `domestic` (seller's rate), `reverse_charge` (EU B2B across a
   * border, 0 %), `eu_oss` (EU B2C across a border, the buyer's country's rate), `outside_scope`
   * (buyer outside the EU, 0 %), `configured` (outside the EU at a rate the operator configured for
   * that country). Absent in invoices issued before #30 (read `tax_treatment`).
   */
  tax_rule?: TaxRule;
  /** The country whose rate applied (ISO 3166-1 alpha-2), when one did. */
  tax_country?: string | null;
  /** The legal mention printed with the tax (reverse charge, outside the scope), in the invoice's language. */
  tax_mention?: string | null;
  /** ISO 4217 minor units of `currency` (2 for USD and EUR, 0 for JPY). */
  currency_minor_units?: number;
  /**
   * VAT stated in the seller's national currency when the invoice's differs (art. 230 Directive
   * 2006/112/EC): the amount, the rate used and that rate's date; `rate` null when no rate was known
   * at issue (the amount is then absent and the operator was warned).
   */
  national_vat?: {
    currency: string;
    amount: string | null;
    /** 1 `rate_base` = `rate` of the other currency (the operator's rate as stored). */
    rate: string | null;
    rate_base?: string | null;
    rate_date: string | null;
  } | null;
  /** When the invoice was paid (an invoice is issued when its payment is confirmed). */
  paid_at?: string;
  /** How it was paid: the provider and, for a card when the provider says, its brand and last 4 digits. */
  payment?: { provider: string; card_brand?: string | null; card_last4?: string | null };
  /** The language and formats it is printed in. */
  locale?: InvoiceLocale;
  /** When the credit note's invoice was issued. */
  invoice_issued_at?: string;
}

export interface CreditNote {
  id: string;
  number: string;
  invoiceId: string;
  purchaseId: string;
  accountId: string;
  creditsMinor: bigint;
  totalMinor: bigint;
  issuedAtMs: number;
  snapshot: InvoiceSnapshot;
}

export interface Lot {
  id: string;
  accountId: string;
  /** `void`: credits given back for a voided event that its own lots could no longer take. */
  source: 'purchase' | 'grant' | 'void';
  sourceId: string;
  creditsMinor: bigint;
  remainingMinor: bigint;
  priority: number;
  expiresAtMs: number | null;
  createdAtMs: number;
  /** The models this lot pays for (scoped credits); null pays for any model. */
  models: string[] | null;
}

/** A monthly grant of credits (the first at once), each expiring at the end of its month. */
export interface Allowance {
  id: string;
  accountId: string;
  creditsMinor: bigint;
  period: 'month';
  reason: string;
  /** The models its grants pay for; null: any model. */
  models: string[] | null;
  createdAtMs: number;
  /** When it was stopped: no grant of a month starting at or after it. */
  endedAtMs: number | null;
}

export type HoldStatus = 'pending' | 'captured' | 'released' | 'expired';

export interface Hold {
  id: string;
  accountId: string;
  creditsMinor: bigint;
  reference: string | null;
  status: HoldStatus;
  capturedMinor: bigint | null;
  expiresAtMs: number;
  createdAtMs: number;
  fingerprint: string;
  /** The API key the hold was made for (the middleware's), whose spend limit it counts toward. */
  apiKeyId: string | null;
}

/** A usage event after validation and rating, ready to store. */
export interface RatedEvent {
  id: string;
  accountId: string;
  apiKeyId: string | null;
  model: string;
  quantityMinor: bigint;
  creditsMinor: bigint;
  timestampMs: number;
  hourMs: number;
  properties: string | null;
  /**
   * The rate card entry it was rated at: `2.5` (credits per unit of `quantity`) or
   * `input_tokens=2.5/1000000;output_tokens=10/1000000`; null when it carried its own credits.
   */
  unitPrice?: string | null;
  /** The price version that rated it (null when it carried its own credits). */
  priceVersionId?: string | null;
  /** A multi-dimension event's quantities, `input_tokens=1200;output_tokens=350` (null otherwise). */
  quantities?: string | null;
  /** Canonical content, compared when the same id comes again. */
  fingerprint: string;
}

export type IngestStatus = 'accepted' | 'duplicate' | 'conflict';

/** A customer's flag on a usage record, and how the operator resolved it. */
export interface UsageDispute {
  id: string;
  accountId: string;
  eventId: string;
  reason: string;
  status: 'open' | 'resolved';
  outcome: 'void' | 'reject' | null;
  /** The operator's note, which the customer sees. */
  note: string | null;
  createdAtMs: number;
  resolvedAtMs: number | null;
}

/** A voided usage event: the event stays stored; this says when, why and what was given back. */
export interface UsageVoid {
  eventId: string;
  accountId: string;
  apiKeyId: string | null;
  model: string;
  timestampMs: number;
  hourMs: number;
  quantityMinor: bigint;
  creditsMinor: bigint;
  reason: string;
  voidedAtMs: number;
  /** What of the event had been billed: given back by the next billing run. */
  reversalMinor: bigint;
  reversedAtMs: number | null;
  reversalTransferId: string | null;
}

export interface UsageRecord {
  id: string;
  accountId: string;
  apiKeyId: string | null;
  model: string;
  quantityMinor: bigint;
  creditsMinor: bigint;
  timestampMs: number;
  properties: string | null;
  /** The rate card entry it was rated at (see `RatedEvent.unitPrice`); null when it carried its own credits. */
  unitPrice: string | null;
  priceVersionId: string | null;
  /** Quantities by dimension when the model has several (see `RatedEvent.quantities`). */
  quantities: string | null;
  /** When a billing run posted it to the ledger, and by which transfer (null until then). */
  billedAtMs: number | null;
  billingTransferId: string | null;
}

export interface UsageBucket {
  startMs: number;
  model?: string;
  apiKeyId?: string | null;
  events: bigint;
  quantityMinor: bigint;
  creditsMinor: bigint;
}

export const WEBHOOK_EVENT_TYPES = [
  'credit_purchase.paid',
  'invoice.issued',
  'credit_note.issued',
  'balance.low',
  'balance.depleted',
  'api_key.created',
  'api_key.suspended',
  'api_key.deleted',
  'billing_run.completed',
  'payment.unmatched',
  'spend_limit.reached',
  'balance.runway_low',
  'auto_top_up.failed',
  'usage.disputed',
  'invoice.exchange_rate_missing',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** `whsec_` + base64 of the HMAC key (Standard Webhooks). */
  secret: string;
  createdAtMs: number;
}

export interface OutboxEvent {
  id: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  createdAtMs: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAtMs: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAtMs: number;
  deliveredAtMs: number | null;
}

/** What an operator token may call: `admin` everything, `ingest` verification, ingest and holds, `read` GETs. */
export type OperatorScope = 'admin' | 'ingest' | 'read';

/** An operator token as stored: only the SHA-256 of its secret is kept. */
export interface OperatorToken {
  id: string;
  name: string;
  scopes: OperatorScope[];
  tokenHash: string;
  /** The secret's prefix and last 4 characters, for recognising it in a list. */
  hint: string;
  createdAtMs: number;
  revokedAtMs: number | null;
}

/** Who made a change: an operator token (or the bootstrap token), a portal customer, or the CLI. */
export interface Actor {
  kind: 'operator' | 'portal' | 'cli';
  /** The operator token's id; null for the bootstrap token, the portal and the CLI. */
  tokenId: string | null;
  name: string;
}

/** One line of the append-only audit log. */
export interface AuditEntry {
  id: string;
  atMs: number;
  actor: Actor;
  /** What was done, e.g. `POST /v1/accounts/:id/api_keys` or `portal: create key`. */
  action: string;
  targetId: string | null;
  requestId: string | null;
  ip: string | null;
  /** The amounts the change moved, as decimal strings by name (`credits`, `total`), or null. */
  amounts: Record<string, string> | null;
}

/** The answer kept for a retried request (API.md "Retries"). */
export interface KeptAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** One caller's `Idempotency-Key` as stored: who runs it, whether its change committed, its answer. */
export interface KeptRequest {
  scope: string;
  key: string;
  fingerprint: string;
  owner: string;
  leaseUntilMs: number;
  createdAtMs: number;
  /** Set in the change's own transaction: the change happened, whatever became of the answer. */
  committedAtMs: number | null;
  targetId: string | null;
  answer: KeptAnswer | null;
}

/** What one change leaves in the audit log. */
export interface AuditInput {
  actor: Actor;
  action: string;
  targetId?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * A rate card prices each model by one or more dimensions: `credits` for `per` units of the
 * dimension (decimal strings). `whole`: only whole quantities (images, videos).
 */
export interface Dimension {
  name: string;
  credits: string;
  per: string;
  whole: boolean;
}

export interface RateEntry {
  model: string;
  dimensions: Dimension[];
}

/** A version of the whole card, in effect from `effectiveAtMs` until the next version's. */
export interface PriceVersion {
  id: string;
  effectiveAtMs: number;
  models: RateEntry[];
  note: string | null;
  createdAtMs: number;
}

/**
 * An account's contract: inside `[startsAtMs, endsAtMs)` its events are rated by the contract's
 * entry for their model if it has one, else by the card less `discountPercent`.
 */
export interface Contract {
  id: string;
  accountId: string;
  startsAtMs: number;
  endsAtMs: number | null;
  discountPercent: string | null;
  models: RateEntry[];
  createdAtMs: number;
}
