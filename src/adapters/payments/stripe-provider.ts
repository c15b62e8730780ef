import Stripe from 'stripe';
import { ok, refuse } from '../../core/errors.ts';
import type { PaymentNotice, PaymentProvider } from '../../core/payments.ts';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where Checkout sends the customer back. */
  successUrl: string;
  cancelUrl: string;
  /** Seconds a signed webhook stays acceptable (replay window). Default 300. */
  toleranceSeconds?: number;
  /** For tests: another API host (a local fake), never the network. */
  apiHost?: { host: string; port: number; protocol: 'http' | 'https' };
}

/**
 * Stripe Checkout: one session per purchase; the signed webhook of that session confirms or
 * fails it, and failing a purchase expires its session so it can no longer be paid.
 */
export function stripeProvider(options: StripeOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    ...(options.apiHost ?? {}),
  });
  return {
    name: 'stripe',
    async startCheckout(request) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.purchaseId,
          metadata: { purchase_id: request.purchaseId, account_id: request.accountId },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: Number(request.totalMinor),
                product_data: { name: request.description },
              },
            },
          ],
          success_url: options.successUrl,
          cancel_url: options.cancelUrl,
        },
        { idempotencyKey: `checkout_${request.purchaseId}` },
      );
      return { providerRef: session.id, checkoutUrl: session.url };
    },
    parseWebhook(rawBody, headers) {
      const signature = headers['stripe-signature'];
      if (!signature) return refuse('invalid_signature', 'the Stripe-Signature header is missing');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          signature,
          options.webhookSecret,
          options.toleranceSeconds ?? 300,
        );
      } catch {
        return refuse(
          'invalid_signature',
          'the Stripe signature does not verify (wrong secret, altered body or too old)',
        );
      }
      return ok(noticeOf(event));
    },
    async cancelCheckout(providerRef) {
      try {
        await stripe.checkout.sessions.expire(providerRef);
        return 'cancelled';
      } catch (error) {
        // Stripe refuses to expire a session that is no longer open: ask which way it closed
        // rather than parse the message. Anything else (unreachable, 5xx) propagates.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        const session = await stripe.checkout.sessions.retrieve(providerRef);
        if (session.status === 'complete') return 'already_paid';
        if (session.status === 'expired') return 'cancelled';
        throw error;
      }
    },
  };
}

function noticeOf(event: Stripe.Event): PaymentNotice {
  if (!event.type.startsWith('checkout.session.'))
    return { outcome: 'ignored', purchaseId: null, providerRef: null, amountMinor: null, currency: null };
  const session = event.data.object as Stripe.Checkout.Session;
  // Whoever opens a Payment Link chooses client_reference_id: it is read only to be cross-checked.
  const purchaseId = session.client_reference_id ?? session.metadata?.purchase_id ?? null;
  const base = {
    purchaseId,
    providerRef: session.id,
    amountMinor: session.amount_total == null ? null : BigInt(session.amount_total),
    currency: session.currency ?? null,
  };
  switch (event.type) {
    case 'checkout.session.completed':
      // Delayed methods (bank debits) complete first and pay later: only `paid` grants credits.
      return { ...base, outcome: session.payment_status === 'paid' ? 'paid' : 'ignored' };
    case 'checkout.session.async_payment_succeeded':
      return { ...base, outcome: 'paid' };
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return { ...base, outcome: 'failed' };
    default:
      return { ...base, outcome: 'ignored' };
  }
}
