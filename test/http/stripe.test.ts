import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeProvider } from '../../src/adapters/payments/stripe-provider.ts';
import { createApp, createTollgate } from '../../src/index.ts';
import { ADMIN, ManualClock } from '../helpers.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';
let fakeStripe: Server;
const sessions: Record<string, string>[] = [];

// A stand-in for Stripe's API on loopback: the test never reaches the network.
beforeAll(async () => {
  fakeStripe = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      sessions.push(form);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: `cs_test_${sessions.length}`,
          object: 'checkout.session',
          url: `https://checkout.stripe.test/pay/cs_test_${sessions.length}`,
        }),
      );
    });
  });
  await new Promise<void>((r) => fakeStripe.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => fakeStripe.close(() => r())));

async function setup() {
  const port = (fakeStripe.address() as AddressInfo).port;
  const provider = stripeProvider({
    secretKey: 'sk_test_123',
    webhookSecret: WEBHOOK_SECRET,
    successUrl: 'https://app.test/ok',
    cancelUrl: 'https://app.test/cancel',
    apiHost: { host: '127.0.0.1', port, protocol: 'http' },
  });
  const engine = await createTollgate({ clock: new ManualClock(Date.now()), payments: [provider] });
  const app = createApp(engine, { adminToken: ADMIN });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { engine, call };
}

const stripe = new Stripe('sk_test_123');

function signed(payload: string, timestamp?: number) {
  return stripe.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    ...(timestamp ? { timestamp } : {}),
  });
}

const completed = (purchaseId: string, sessionId: string) =>
  JSON.stringify({
    id: `evt_${sessionId}`,
    object: 'event',
    type: 'checkout.session.completed',
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        client_reference_id: purchaseId,
        payment_status: 'paid',
        metadata: { purchase_id: purchaseId },
      },
    },
  });

describe('the Stripe provider', () => {
  it('opens a Checkout Session for the total, and a signed webhook confirms the purchase once', async () => {
    const { call } = await setup();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '1500', provider: 'stripe' },
      { 'idempotency-key': 'k1' },
    );
    expect(p.status).toBe(201);
    expect(p.body.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\/pay\/cs_test_/);
    const session = sessions.at(-1)!;
    expect(session['client_reference_id']).toBe(p.body.id);
    expect(session['line_items[0][price_data][unit_amount]']).toBe('1500');
    const body = completed(p.body.id, 'cs_x');
    const first = await call('POST', '/v1/webhooks/stripe', body, {
      authorization: '',
      'stripe-signature': signed(body),
    });
    expect(first.status).toBe(200);
    const replayed = await call('POST', '/v1/webhooks/stripe', body, {
      authorization: '',
      'stripe-signature': signed(body),
    });
    expect(replayed.status).toBe(200);
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('1500');
    expect((await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data).toHaveLength(1);
  });

  it('changes nothing for an unsigned, wrongly signed or old webhook', async () => {
    const { call } = await setup();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = await call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '1500', provider: 'stripe' },
      { 'idempotency-key': 'k1' },
    );
    const body = completed(p.body.id, 'cs_y');
    const unsigned = await call('POST', '/v1/webhooks/stripe', body, { authorization: '' });
    const wrong = await call('POST', '/v1/webhooks/stripe', body, {
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other' }),
    });
    const tampered = await call(
      'POST',
      '/v1/webhooks/stripe',
      body.replace('1500', '9999').replace('paid', 'paid '),
      { 'stripe-signature': signed(body) },
    );
    const old = await call('POST', '/v1/webhooks/stripe', body, {
      'stripe-signature': signed(body, Math.floor(Date.now() / 1000) - 3600),
    });
    for (const r of [unsigned, wrong, tampered, old]) {
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_signature');
    }
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('0');
  });
});
