import Stripe from 'stripe';
import { ok, refuse } from '../../core/kernel/errors.ts';
import type { PaymentNotice, PaymentProvider, SavedChargeOutcome } from '../../core/kernel/payments.ts';

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
 * fails it, and failing a purchase expires its session so it can no longer be paid. A session
 * opened to save the card names the account's Stripe customer and asks
 * `setup_future_usage=off_session`; auto top-ups then charge that card with a PaymentIntent
 * (`off_session`, `confirm`), whose signed `payment_intent.*` webhook settles the purchase.
 */
export function stripeProvider(options: StripeOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    ...(options.apiHost ?? {}),
  });
  /** Charges under way in this process, by purchase: a second call waits for the first. */
  const charging = new Map<string, Promise<SavedChargeOutcome>>();
  return {
    name: 'stripe',
    async startCheckout(request) {
      const saveFor = request.saveFor;
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.purchaseId,
          metadata: {
            purchase_id: request.purchaseId,
            account_id: request.accountId,
            ...(saveFor ? { save_payment_method: 'true' } : {}),
          },
          ...(saveFor
            ? { customer: saveFor.customerRef, payment_intent_data: { setup_future_usage: 'off_session' } }
            : {}),
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
    async createCustomer(account) {
      const customer = await stripe.customers.create(
        {
          name: account.name,
          ...(account.email ? { email: account.email } : {}),
          metadata: { account_id: account.accountId },
        },
        { idempotencyKey: `customer_${account.accountId}` },
      );
      return customer.id;
    },
    async savedPaymentMethod(saving) {
      const intent = await stripe.paymentIntents.retrieve(saving.paymentRef);
      const method = intent.payment_method;
      const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
      // Saved only when the payment was made on that customer, for later use off-session.
      if (!method || customer !== saving.customerRef || intent.setup_future_usage !== 'off_session')
        return null;
      return typeof method === 'string' ? method : method.id;
    },
    async cardOf(paymentRef) {
      // A few seconds at most, no retries: crediting the purchase does not wait on the card's name.
      const intent = await stripe.paymentIntents.retrieve(
        paymentRef,
        { expand: ['latest_charge'] },
        { timeout: 3000, maxNetworkRetries: 0 },
      );
      const charge = intent.latest_charge;
      const card = charge && typeof charge !== 'string' ? charge.payment_method_details?.card : null;
      return card?.brand && card.last4 ? { brand: card.brand, last4: card.last4 } : null;
    },
    async findCharge(purchaseId) {
      // Search answers what was indexed (under a minute behind); ids are tollgate's own (pur_...).
      if (!/^[A-Za-z0-9_-]+$/.test(purchaseId)) return null;
      const found = await stripe.paymentIntents.search({
        query: `metadata['purchase_id']:'${purchaseId}'`,
        limit: 10,
      });
      // One charge per purchase is made; if more exist, the one that may take money wins.
      const intents = found.data.sort((a, b) => rank(a) - rank(b));
      return intents[0] ? outcomeOf(intents[0]) : null;
    },
    async cancelCharge(providerRef) {
      try {
        await stripe.paymentIntents.cancel(providerRef);
        return 'cancelled';
      } catch (error) {
        // Stripe refuses to cancel a PaymentIntent that succeeded, is processing or was cancelled:
        // ask which, rather than parse the message. Anything else (unreachable, 5xx) propagates.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        const intent = await stripe.paymentIntents.retrieve(providerRef);
        if (intent.status === 'succeeded') return 'already_paid';
        if (intent.status === 'processing') return 'processing';
        if (intent.status === 'canceled') return 'cancelled';
        throw error;
      }
    },
    chargeSaved(request) {
      const running = charging.get(request.purchaseId);
      if (running) return running;
      const charge = chargeOffSession(stripe, request).finally(() => charging.delete(request.purchaseId));
      charging.set(request.purchaseId, charge);
      return charge;
    },
  };
}

/**
 * One PaymentIntent per purchase (the idempotency key is the purchase id, so a retry answers the
 * same one). A decline comes back as a card error carrying the PaymentIntent; a card that wants
 * its holder (3-D Secure) answers `requires_action`: both fail the top-up. Anything else (not
 * reached, 5xx) rejects, and the purchase waits for the next try.
 */
async function chargeOffSession(
  stripe: Stripe,
  request: Parameters<NonNullable<PaymentProvider['chargeSaved']>>[0],
): Promise<SavedChargeOutcome> {
  try {
    const intent = await stripe.paymentIntents.create(
      {
        amount: Number(request.totalMinor),
        currency: request.currency,
        customer: request.customerRef,
        payment_method: request.paymentMethodRef,
        off_session: true,
        confirm: true,
        description: request.description,
        metadata: { purchase_id: request.purchaseId, account_id: request.accountId },
      },
      { idempotencyKey: `auto_top_up_${request.purchaseId}` },
    );
    return outcomeOf(intent);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeCardError)) throw error;
    return {
      outcome: 'failed',
      providerRef: error.payment_intent?.id ?? null,
      reason: error.decline_code ?? error.code ?? 'card_error',
    };
  }
}

/**
 * An off-session PaymentIntent as the core reads it: waiting on its holder or a new card is a
 * failure (the core cancels it before failing the purchase, so it can never succeed later).
 */
function outcomeOf(intent: Stripe.PaymentIntent): SavedChargeOutcome {
  if (intent.status === 'requires_action' || intent.status === 'requires_payment_method')
    return { outcome: 'failed', providerRef: intent.id, reason: intent.status };
  if (intent.status === 'canceled') return { outcome: 'failed', providerRef: intent.id, reason: 'canceled' };
  return { outcome: 'pending', providerRef: intent.id };
}

/** Which of several PaymentIntents of one purchase speaks for it: taken money first, cancelled last. */
const rank = (intent: Stripe.PaymentIntent): number =>
  [
    'succeeded',
    'processing',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
    'requires_payment_method',
  ].indexOf(intent.status) >>> 0;

const IGNORED: PaymentNotice = {
  outcome: 'ignored',
  purchaseId: null,
  providerRef: null,
  amountMinor: null,
  currency: null,
};

function noticeOf(event: Stripe.Event): PaymentNotice {
  if (event.type.startsWith('payment_intent.')) return intentNoticeOf(event);
  if (!event.type.startsWith('checkout.session.')) return IGNORED;
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
    case 'checkout.session.completed': {
      // Delayed methods (bank debits) complete first and pay later: only `paid` grants credits.
      const customerRef = typeof session.customer === 'string' ? session.customer : session.customer?.id;
      const paymentRef =
        typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      const saving =
        session.metadata?.save_payment_method === 'true' && customerRef && paymentRef
          ? { customerRef, paymentRef }
          : null;
      return {
        ...base,
        outcome: session.payment_status === 'paid' ? 'paid' : 'ignored',
        saving,
        paymentRef: paymentRef ?? null,
      };
    }
    case 'checkout.session.async_payment_succeeded':
      return { ...base, outcome: 'paid', paymentRef: paymentIntentOf(session) };
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return { ...base, outcome: 'failed' };
    default:
      return { ...base, outcome: 'ignored' };
  }
}

const paymentIntentOf = (session: Stripe.Checkout.Session): string | null =>
  typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);

/**
 * A PaymentIntent notice. Only tollgate's off-session charges are read (they name their purchase
 * in metadata); a Checkout payment's own PaymentIntent is settled by its session's notice.
 */
function intentNoticeOf(event: Stripe.Event): PaymentNotice {
  const intent = event.data.object as Stripe.PaymentIntent;
  const purchaseId = intent.metadata?.purchase_id ?? null;
  if (!purchaseId) return IGNORED;
  const base = {
    purchaseId,
    providerRef: intent.id,
    amountMinor: intent.amount_received == null ? null : BigInt(intent.amount_received),
    currency: intent.currency ?? null,
  };
  switch (event.type) {
    case 'payment_intent.succeeded':
      return { ...base, outcome: 'paid', paymentRef: intent.id };
    case 'payment_intent.payment_failed': {
      const e = intent.last_payment_error;
      return { ...base, outcome: 'failed', failureReason: e?.decline_code ?? e?.code ?? 'payment_failed' };
    }
    case 'payment_intent.requires_action':
      return { ...base, outcome: 'failed', failureReason: 'requires_action' };
    case 'payment_intent.canceled':
      return { ...base, outcome: 'failed', failureReason: 'canceled' };
    default:
      return { ...base, outcome: 'ignored' };
  }
}
