import type { Result } from './errors.ts';

export interface CheckoutRequest {
  purchaseId: string;
  accountId: string;
  credits: string;
  totalMinor: bigint;
  /** ISO 4217, lower case (Stripe's way): the purchase's currency. */
  currency: string;
  description: string;
  /** Save the payer's payment method on this provider customer, for off-session charges. */
  saveFor?: { customerRef: string };
}

/** An off-session charge of a saved payment method (an auto top-up). */
export interface SavedChargeRequest {
  purchaseId: string;
  accountId: string;
  customerRef: string;
  paymentMethodRef: string;
  totalMinor: bigint;
  currency: string;
  description: string;
}

/**
 * What the provider answered to an off-session charge. `pending`: under way or already through;
 * only its signed notice confirms the purchase. `failed`: no money will move without the customer
 * (declined, or authentication required), with the provider's reason. `providerRef` is the payment
 * (Stripe PaymentIntent) when the provider made one.
 */
export type SavedChargeOutcome =
  | { outcome: 'pending'; providerRef: string }
  | { outcome: 'failed'; providerRef: string | null; reason: string };

/**
 * What a verified provider notification says happened to a payment. Only what the provider
 * vouches for is trusted: `providerRef` (the payment it made, e.g. a Checkout Session id) and
 * what was paid. `purchaseId` is whatever the payer's link carried and proves nothing alone.
 */
export interface PaymentNotice {
  outcome: 'paid' | 'failed' | 'ignored';
  purchaseId: string | null;
  providerRef: string | null;
  /** What was paid, in the currency's minor units (Stripe `amount_total`). */
  amountMinor: bigint | null;
  /** ISO 4217 code as the provider spells it (Stripe: lower case). */
  currency: string | null;
  /** Why a payment failed, as the provider says it (Stripe: the decline code). */
  failureReason?: string | null;
  /**
   * A checkout opened to save the payment method: the customer it was saved on and the payment
   * that saved it, for `savedPaymentMethod`.
   */
  saving?: { customerRef: string; paymentRef: string } | null;
  /** The provider's payment behind a paid notice (Stripe PaymentIntent), to read its card for the invoice. */
  paymentRef?: string | null;
}

/** A payment provider: `manual` (the operator confirms) or `stripe`. */
export interface PaymentProvider {
  readonly name: string;
  /** Starts a payment: the provider's reference and where the customer pays, if anywhere. */
  startCheckout(
    request: CheckoutRequest,
  ): Promise<{ providerRef: string | null; checkoutUrl: string | null }>;
  /** Verifies and reads a webhook; a bad signature is `invalid_signature`. */
  parseWebhook?(rawBody: string, headers: Record<string, string | undefined>): Result<PaymentNotice>;
  /**
   * Closes a started payment so it can no longer be paid: `cancelled` (also when it was already
   * closed unpaid), or `already_paid` when the customer completed it first. Rejects when the
   * provider cannot be reached.
   */
  cancelCheckout?(providerRef: string): Promise<'cancelled' | 'already_paid'>;
  /**
   * Creates the provider's customer of an account, on which payment methods are saved; the same
   * account gives the same customer when asked again soon (idempotent). Rejects when unreachable.
   */
  createCustomer?(account: { accountId: string; name: string; email: string | null }): Promise<string>;
  /** The payment method a paid saving checkout left on its customer, or null. Rejects when unreachable. */
  savedPaymentMethod?(saving: { customerRef: string; paymentRef: string }): Promise<string | null>;
  /**
   * The card that made a payment, as printed on its invoice (brand as the provider names it, last 4
   * digits); null when it was not a card. Rejects when the provider cannot be reached.
   */
  cardOf?(paymentRef: string): Promise<{ brand: string; last4: string } | null>;
  /**
   * Charges a saved payment method off-session, once per purchase (a retry of the same purchase
   * answers the same payment). Rejects only when the provider cannot be reached.
   */
  chargeSaved?(request: SavedChargeRequest): Promise<SavedChargeOutcome>;
  /**
   * The off-session charge made for a purchase, found by the purchase itself (Stripe: a search on
   * the PaymentIntent's metadata), not by an idempotency key the provider forgets (Stripe: after
   * 24 hours); null when the provider holds none. Its index may lag a charge made within the last
   * minute (`CHARGE_FOUND_AFTER_MS`). Rejects when the provider cannot be reached.
   */
  findCharge?(purchaseId: string): Promise<SavedChargeOutcome | null>;
  /**
   * Stops an off-session charge so it can never succeed: `cancelled` (also when it already was, or
   * it failed for good), `already_paid` when it went through first, `processing` when it is under
   * way and can no longer be stopped (its notice settles it). Rejects when unreachable.
   */
  cancelCharge?(providerRef: string): Promise<'cancelled' | 'already_paid' | 'processing'>;
}

/**
 * How long after a purchase is made its charge is surely found by `findCharge` (Stripe's search
 * index lags writes by less than a minute). Within it, the idempotency key (24 hours at Stripe)
 * answers a retry instead.
 */
export const CHARGE_FOUND_AFTER_MS = 60_000;

/** The operator confirms or fails each purchase by hand (or their app does, through the API). */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  startCheckout: async () => ({ providerRef: null, checkoutUrl: null }),
};
