import type { Result } from './errors.ts';

export interface CheckoutRequest {
  purchaseId: string;
  accountId: string;
  credits: string;
  totalMinor: bigint;
  currency: 'usd';
  description: string;
}

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
}

/** The operator confirms or fails each purchase by hand (or their app does, through the API). */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  startCheckout: async () => ({ providerRef: null, checkoutUrl: null }),
};
