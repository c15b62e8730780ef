import type { Result } from './errors.ts';

export interface CheckoutRequest {
  purchaseId: string;
  accountId: string;
  credits: string;
  totalMinor: bigint;
  currency: 'usd';
  description: string;
}

/** What a verified provider notification says happened to a payment. */
export interface PaymentNotice {
  outcome: 'paid' | 'failed' | 'ignored';
  purchaseId: string | null;
  providerRef: string | null;
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
}

/** The operator confirms or fails each purchase by hand (or their app does, through the API). */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  startCheckout: async () => ({ providerRef: null, checkoutUrl: null }),
};
