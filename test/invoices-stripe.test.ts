import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeProvider } from '../src/adapters/payments/stripe-provider.ts';
import { makeApi } from './helpers.ts';
import { pdfText } from './pdf-text.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';

/**
 * A stand-in for Stripe's API on loopback: Checkout Sessions, and PaymentIntents read with their
 * latest charge (the card that paid: `brand` and `last4`, or none when `card` is null); while
 * `down`, reading a PaymentIntent finds no one there.
 */
const fake = {
  card: { brand: 'visa', last4: '4242' } as { brand: string; last4: string } | null,
  down: false,
};
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (fake.down && url.pathname.startsWith('/v1/payment_intents/')) {
      req.socket.destroy();
      return;
    }
    let body: unknown = { error: { type: 'invalid_request_error', message: `no ${url.pathname}` } };
    let status = 404;
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      status = 200;
      body = { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.test/cs_test_1' };
    } else if (req.method === 'GET' && url.pathname.startsWith('/v1/payment_intents/')) {
      status = 200;
      body = {
        id: url.pathname.split('/').pop(),
        object: 'payment_intent',
        latest_charge: {
          id: 'ch_1',
          object: 'charge',
          payment_method_details: fake.card ? { type: 'card', card: fake.card } : { type: 'sepa_debit' },
        },
      };
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signer = new Stripe('sk_test_123');

async function paidThroughStripe() {
  const api = await makeApi({
    payments: [
      stripeProvider({
        secretKey: 'sk_test_123',
        webhookSecret: WEBHOOK_SECRET,
        successUrl: 'https://app.test/ok',
        cancelUrl: 'https://app.test/cancel',
        apiHost: { host: '127.0.0.1', port, protocol: 'http' },
      }),
    ],
  });
  const { call } = api;
  const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films' })).body;
  const p = await call(
    'POST',
    `/v1/accounts/${acc.id}/credit_purchases`,
    { credits: '2500', provider: 'stripe' },
    { 'idempotency-key': 'k1' },
  );
  expect(p.status).toBe(201);
  const payload = JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'checkout.session.completed',
    data: {
      object: {
        id: 'cs_test_1',
        object: 'checkout.session',
        client_reference_id: p.body.id,
        payment_status: 'paid',
        amount_total: 2500,
        currency: 'usd',
        payment_intent: 'pi_123',
      },
    },
  });
  const hook = await call('POST', '/v1/webhooks/stripe', payload, {
    authorization: '',
    'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
  });
  expect(hook.status).toBe(200);
  const invoices = (await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data;
  expect(invoices).toHaveLength(1);
  const invoice = (await call('GET', `/v1/invoices/${invoices[0].id}`)).body;
  const pdf = (await call('GET', `/v1/invoices/${invoice.id}/pdf`)).bytes;
  return { invoice, pdf };
}

describe('the card that paid, on the invoice', () => {
  it('a Stripe card payment is PAID with the card brand and its last 4 digits', async () => {
    fake.card = { brand: 'visa', last4: '4242' };
    const { invoice, pdf } = await paidThroughStripe();
    expect(invoice.snapshot.payment).toEqual({ provider: 'stripe', card_brand: 'visa', card_last4: '4242' });
    const text = await pdfText(pdf);
    expect(text).toContain('PAID');
    expect(text).toContain('Payment method: Visa card ending in 4242');
    const dir = join(import.meta.dirname, 'artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'invoice-stripe-card-en.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '90',
      '-singlefile',
      join(dir, 'invoice-stripe-card-en.pdf'),
      join(dir, 'invoice-stripe-card-en'),
    ]);
  });

  it('not a card, or Stripe unreachable while confirming: paid all the same, the invoice names Stripe', async () => {
    fake.card = null;
    const notCard = await paidThroughStripe();
    expect(notCard.invoice.snapshot.payment).toEqual({
      provider: 'stripe',
      card_brand: null,
      card_last4: null,
    });
    expect(await pdfText(notCard.pdf)).toContain('Payment method: Stripe');
    fake.card = { brand: 'amex', last4: '0005' };
    fake.down = true;
    try {
      const down = await paidThroughStripe();
      expect(await pdfText(down.pdf)).toContain('Payment method: Stripe');
    } finally {
      fake.down = false;
    }
  });
});
