import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeProvider } from '../../src/adapters/payments/stripe-provider.ts';
import { createApp, createTollgate } from '../../src/index.ts';
import { ADMIN, LOOPBACK_WEBHOOKS, ManualClock } from '../helpers.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';
let fakeStripe: Server;
/** The form of each Checkout Session created, in order. */
const sessions: Record<string, string>[] = [];
/** The fake's sessions by id: a test sets `status: 'complete'` to play a customer who paid. */
const stripeSessions = new Map<string, { id: string; status: 'open' | 'complete' | 'expired' }>();
/** Session ids the fake was asked to expire. */
const expireCalls: string[] = [];
/** Bodies of tollgate's outbound webhooks, received on the same loopback server, by path. */
const delivered = new Map<string, { type: string; data: Record<string, unknown> }[]>();
let hookSeq = 0;
/** While set, the fake drops every connection: Stripe cannot be reached. */
let stripeDown = false;

const sessionJson = (s: { id: string; status: string }) =>
  JSON.stringify({
    id: s.id,
    object: 'checkout.session',
    status: s.status,
    url: `https://checkout.stripe.test/pay/${s.id}`,
  });

// A stand-in for Stripe's API on loopback: the test never reaches the network.
beforeAll(async () => {
  fakeStripe = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (path.startsWith('/hooks/')) {
        delivered.set(path, [...(delivered.get(path) ?? []), JSON.parse(body)]);
        res.statusCode = 204;
        return res.end();
      }
      if (stripeDown) return req.socket.destroy();
      if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        sessions.push(Object.fromEntries(new URLSearchParams(body)));
        const session = { id: `cs_test_${sessions.length}`, status: 'open' as const };
        stripeSessions.set(session.id, session);
        return res.end(sessionJson(session));
      }
      const m = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
      const session = m && stripeSessions.get(m[1]!);
      if (!session) {
        res.statusCode = 404;
        return res.end(
          JSON.stringify({ error: { type: 'invalid_request_error', message: 'No such session' } }),
        );
      }
      if (req.method === 'POST' && m[2]) {
        expireCalls.push(session.id);
        if (session.status !== 'open') {
          // What Stripe answers for a session that is no longer open.
          res.statusCode = 400;
          return res.end(
            JSON.stringify({
              error: {
                type: 'invalid_request_error',
                message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
              },
            }),
          );
        }
        session.status = 'expired';
      }
      return res.end(sessionJson(session));
    });
  });
  await new Promise<void>((r) => fakeStripe.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => fakeStripe.close(() => r())));

async function setup(apiPort?: number, config: Record<string, unknown> = {}) {
  const port = (fakeStripe.address() as AddressInfo).port;
  const provider = stripeProvider({
    secretKey: 'sk_test_123',
    webhookSecret: WEBHOOK_SECRET,
    successUrl: 'https://app.test/ok',
    cancelUrl: 'https://app.test/cancel',
    apiHost: { host: '127.0.0.1', port: apiPort ?? port, protocol: 'http' },
  });
  const engine = await createTollgate({
    clock: new ManualClock(Date.now()),
    payments: [provider],
    config: { ...LOOPBACK_WEBHOOKS, ...config },
  });
  const app = createApp(engine, { adminToken: ADMIN });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Posts a signed Stripe event, as Stripe does. */
  const notify = (payload: string) =>
    call('POST', '/v1/webhooks/stripe', payload, { authorization: '', 'stripe-signature': signed(payload) });
  const account = async (currency?: string) =>
    (await call('POST', '/v1/accounts', { name: 'Acme', ...(currency ? { currency } : {}) })).body
      .id as string;
  const buy = async (accountId: string, credits: string, provider = 'stripe') =>
    (
      await call(
        'POST',
        `/v1/accounts/${accountId}/credit_purchases`,
        { credits, provider },
        { 'idempotency-key': `buy-${credits}-${provider}` },
      )
    ).body;
  const state = async (accountId: string, purchaseId: string) => ({
    posted: (await call('GET', `/v1/accounts/${accountId}/balance`)).body.posted as string,
    invoices: (await call('GET', `/v1/accounts/${accountId}/invoices`)).body.data as {
      purchase_id: string;
    }[],
    status: (await call('GET', `/v1/credit_purchases/${purchaseId}`)).body.status as string,
  });
  /** The operator's endpoint for `payment.unmatched`; `unmatched()` delivers and reads what it received. */
  const hookPath = `/hooks/${++hookSeq}`;
  const endpoint = await call('POST', '/v1/webhook_endpoints', {
    url: `http://127.0.0.1:${port}${hookPath}`,
    events: ['payment.unmatched'],
  });
  const unmatched = async () => {
    expect(endpoint.status).toBe(201);
    const deliveries = (await call('GET', `/v1/webhook_endpoints/${endpoint.body.id}/deliveries`)).body.data;
    for (;;) {
      const started = await engine.webhooks.dispatch();
      if (started.length === 0) break;
      await Promise.all(started);
    }
    const received = delivered.get(hookPath) ?? [];
    expect(received).toHaveLength(deliveries.length);
    return received.map((d) => {
      expect(d.type).toBe('payment.unmatched');
      return d.data;
    });
  };
  return { engine, call, notify, account, buy, state, unmatched };
}

const stripe = new Stripe('sk_test_123');

function signed(payload: string, timestamp?: number) {
  return stripe.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    ...(timestamp ? { timestamp } : {}),
  });
}

let eventSeq = 0;
/** A Stripe event about a Checkout Session; by default a paid `checkout.session.completed`. */
const sessionEvent = (
  session: {
    id: string;
    client_reference_id?: string | null;
    amount_total?: number | null;
    currency?: string | null;
    payment_status?: string;
  },
  type = 'checkout.session.completed',
) =>
  JSON.stringify({
    id: `evt_${++eventSeq}`,
    object: 'event',
    type,
    data: {
      object: {
        object: 'checkout.session',
        currency: 'usd',
        payment_status: 'paid',
        ...session,
        metadata: session.client_reference_id ? { purchase_id: session.client_reference_id } : {},
      },
    },
  });

/** The Checkout Session tollgate opened for a purchase: its id from the checkout URL. */
const sessionOf = (purchase: { checkout_url: string }) => purchase.checkout_url.split('/').at(-1)!;

describe('the Stripe provider', () => {
  it('opens a Checkout Session for the total, and a signed webhook confirms the purchase once', async () => {
    const { call, notify, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    expect(p.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\/pay\/cs_test_/);
    const session = sessions.at(-1)!;
    expect(session['client_reference_id']).toBe(p.id);
    expect(session['line_items[0][price_data][unit_amount]']).toBe('1500');
    const body = sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1500 });
    expect((await notify(body)).status).toBe(200);
    expect((await notify(body)).status).toBe(200);
    expect(await state(acc, p.id)).toMatchObject({ posted: '1500', status: 'paid' });
    expect((await state(acc, p.id)).invoices).toHaveLength(1);
    expect((await call('GET', `/v1/accounts/${acc}/balance`)).body.posted).toBe('1500');
  });

  it('changes nothing for an unsigned, wrongly signed or old webhook', async () => {
    const { call, account, buy } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const body = sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1500 });
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
    expect((await call('GET', `/v1/accounts/${acc}/balance`)).body.posted).toBe('0');
  });
});

describe('a signed notice confirms only the purchase its own session paid for in full', () => {
  it('a $1 payment of another session naming a $1,000 purchase credits nothing and alerts the operator', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const p = await buy(acc, '100000');
    expect(p.total).toBe('1000.00');
    // Any Payment Link of the operator's Stripe account takes client_reference_id from its URL.
    const attack = sessionEvent({ id: 'cs_live_payment_link', client_reference_id: p.id, amount_total: 100 });
    const r = await notify(attack);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: true });
    expect(await state(acc, p.id)).toEqual({ posted: '0', invoices: [], status: 'pending' });
    expect(await unmatched()).toEqual([
      {
        provider: 'stripe',
        provider_ref: 'cs_live_payment_link',
        purchase_id: p.id,
        amount: '1.00',
        currency: 'usd',
        reason: 'unknown_session',
      },
    ]);
  });
});

describe('a signed notice of our own session that does not fit the purchase', () => {
  it('a payment of another amount credits nothing, is reported, and the right one still confirms', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const cs = sessionOf(p);
    expect(
      (await notify(sessionEvent({ id: cs, client_reference_id: p.id, amount_total: 1499 }))).status,
    ).toBe(200);
    expect(await state(acc, p.id)).toEqual({ posted: '0', invoices: [], status: 'pending' });
    expect(await unmatched()).toEqual([
      {
        provider: 'stripe',
        provider_ref: cs,
        purchase_id: p.id,
        amount: '14.99',
        currency: 'usd',
        reason: 'amount_mismatch',
      },
    ]);
    await notify(sessionEvent({ id: cs, client_reference_id: p.id, amount_total: 1500 }));
    expect(await state(acc, p.id)).toMatchObject({ posted: '1500', status: 'paid' });
  });

  it('charges a euro account in euros: the Checkout Session, and the euro payment confirms it', async () => {
    const eur = {
      code: 'EUR',
      creditPrice: '0.0095',
      minorUnits: 2,
      paymentMinMinor: 1000n,
      paymentMaxMinor: 1_000_000n,
    };
    const usd = {
      code: 'USD',
      creditPrice: '0.01',
      minorUnits: 2,
      paymentMinMinor: 1000n,
      paymentMaxMinor: 1_000_000n,
    };
    const { notify, account, buy, state, unmatched } = await setup(undefined, { currencies: [usd, eur] });
    const acc = await account('EUR');
    const p = await buy(acc, '2000');
    const session = sessions.at(-1)!;
    expect(session['line_items[0][price_data][currency]']).toBe('eur');
    expect(session['line_items[0][price_data][unit_amount]']).toBe('1900');
    // Dollars for a euro purchase: not applied.
    await notify(
      sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1900, currency: 'usd' }),
    );
    expect((await state(acc, p.id)).status).toBe('pending');
    expect((await unmatched()).map((u) => u.reason)).toEqual(['currency_mismatch']);
    await notify(
      sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1900, currency: 'eur' }),
    );
    expect(await state(acc, p.id)).toMatchObject({ posted: '2000', status: 'paid' });
  });

  it('a payment in another currency credits nothing and is reported; USD in any case confirms', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const cs = sessionOf(p);
    await notify(sessionEvent({ id: cs, client_reference_id: p.id, amount_total: 1500, currency: 'eur' }));
    expect(await state(acc, p.id)).toEqual({ posted: '0', invoices: [], status: 'pending' });
    expect(await unmatched()).toEqual([
      {
        provider: 'stripe',
        provider_ref: cs,
        purchase_id: p.id,
        amount: '15.00',
        currency: 'eur',
        reason: 'currency_mismatch',
      },
    ]);
    await notify(sessionEvent({ id: cs, client_reference_id: p.id, amount_total: 1500, currency: 'USD' }));
    expect(await state(acc, p.id)).toMatchObject({ posted: '1500', status: 'paid' });
    expect((await state(acc, p.id)).invoices).toHaveLength(1);
  });

  it('a Stripe payment naming a manual purchase credits nothing and is reported', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const manual = await buy(acc, '1500', 'manual');
    expect(manual.status).toBe('pending');
    await notify(sessionEvent({ id: 'cs_payment_link', client_reference_id: manual.id, amount_total: 1500 }));
    expect(await state(acc, manual.id)).toEqual({ posted: '0', invoices: [], status: 'pending' });
    expect(await unmatched()).toEqual([
      {
        provider: 'stripe',
        provider_ref: 'cs_payment_link',
        purchase_id: manual.id,
        amount: '15.00',
        currency: 'usd',
        reason: 'unknown_session',
      },
    ]);
  });

  it('our session of one purchase naming another confirms neither', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const small = await buy(acc, '1500');
    const large = await buy(acc, '1500', 'manual');
    await notify(sessionEvent({ id: sessionOf(small), client_reference_id: large.id, amount_total: 1500 }));
    expect(await state(acc, small.id)).toMatchObject({ posted: '0', status: 'pending' });
    expect((await state(acc, large.id)).status).toBe('pending');
    expect((await unmatched()).map((d) => [d['purchase_id'], d['reason']])).toEqual([
      [large.id, 'other_purchase'],
    ]);
  });

  it('an expired notice of another session naming a purchase leaves it payable', async () => {
    const { notify, account, buy, state, unmatched } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const r = await notify(
      sessionEvent({ id: 'cs_other', client_reference_id: p.id }, 'checkout.session.expired'),
    );
    expect(r.status).toBe(200);
    expect((await state(acc, p.id)).status).toBe('pending');
    expect(await unmatched()).toEqual([]); // no money moved: nothing to report
    await notify(sessionEvent({ id: sessionOf(p), client_reference_id: p.id }, 'checkout.session.expired'));
    expect((await state(acc, p.id)).status).toBe('failed');
  });
});

describe('the operator and a Stripe purchase', () => {
  it('/confirm of a Stripe purchase is refused: only its signed webhook confirms it', async () => {
    const { call, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const r = await call('POST', `/v1/credit_purchases/${p.id}/confirm`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('invalid_state');
    expect(r.body.error.message).toMatch(/signed webhook/);
    expect(await state(acc, p.id)).toEqual({ posted: '0', invoices: [], status: 'pending' });
  });

  it('failing a Stripe purchase expires its Checkout Session first', async () => {
    const { call, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    const r = await call('POST', `/v1/credit_purchases/${p.id}/fail`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('failed');
    expect(expireCalls).toContain(sessionOf(p));
    expect(stripeSessions.get(sessionOf(p))!.status).toBe('expired');
    expect(await state(acc, p.id)).toEqual({ posted: '0', invoices: [], status: 'failed' });
    // Failing again changes nothing and does not call Stripe again.
    const calls = expireCalls.length;
    expect((await call('POST', `/v1/credit_purchases/${p.id}/fail`)).body.status).toBe('failed');
    expect(expireCalls).toHaveLength(calls);
    // A session Stripe already expired (its webhook not yet in) is closed too: the purchase fails.
    const late = await buy(acc, '2000');
    stripeSessions.get(sessionOf(late))!.status = 'expired';
    expect((await call('POST', `/v1/credit_purchases/${late.id}/fail`)).body.status).toBe('failed');
  });

  it('failing a purchase whose customer already paid is refused, and the webhook then credits it', async () => {
    const { call, notify, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    stripeSessions.get(sessionOf(p))!.status = 'complete';
    const r = await call('POST', `/v1/credit_purchases/${p.id}/fail`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('invalid_state');
    expect(r.body.error.message).toMatch(/already completed; its webhook will confirm it/);
    expect((await state(acc, p.id)).status).toBe('pending');
    await notify(sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1500 }));
    expect(await state(acc, p.id)).toMatchObject({ posted: '1500', status: 'paid' });
  });

  it('failing while Stripe cannot be reached answers 503 unavailable and changes nothing', async () => {
    const { call, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    stripeDown = true;
    try {
      const r = await call('POST', `/v1/credit_purchases/${p.id}/fail`);
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('unavailable');
    } finally {
      stripeDown = false;
    }
    expect((await state(acc, p.id)).status).toBe('pending');
    expect(stripeSessions.get(sessionOf(p))!.status).toBe('open');
  });

  it('a purchase started while Stripe cannot be reached answers 503, and a retry with the same key can be paid', async () => {
    const { call, notify, account, state } = await setup();
    const acc = await account();
    const buy = () =>
      call(
        'POST',
        `/v1/accounts/${acc}/credit_purchases`,
        { credits: '2500', provider: 'stripe' },
        { 'idempotency-key': 'checkout-while-down' },
      );
    stripeDown = true;
    let first: Awaited<ReturnType<typeof buy>>;
    try {
      first = await buy();
    } finally {
      stripeDown = false;
    }
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('unavailable');
    expect(first.body.error.message).toContain('retry with the same Idempotency-Key');
    // The retry opens the Checkout Session and answers the one purchase, which the customer pays.
    const retried = await buy();
    expect(retried.status).toBe(201);
    expect(retried.body.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\/pay\/cs_test_/);
    expect((await buy()).body).toMatchObject({
      id: retried.body.id,
      checkout_url: retried.body.checkout_url,
    });
    const purchases = (await call('GET', `/v1/accounts/${acc}/credit_purchases`)).body.data;
    expect(purchases.map((p: { id: string }) => p.id)).toEqual([retried.body.id]);
    const paid = sessionEvent({
      id: sessionOf(retried.body),
      client_reference_id: retried.body.id,
      amount_total: 2500,
    });
    expect((await notify(paid)).status).toBe(200);
    expect(await state(acc, retried.body.id)).toMatchObject({ status: 'paid', posted: '2500' });
  });

  it('a matching payment that arrives after the purchase failed credits it, with an invoice', async () => {
    const { call, notify, account, buy, state } = await setup();
    const acc = await account();
    const p = await buy(acc, '1500');
    expect((await call('POST', `/v1/credit_purchases/${p.id}/fail`)).body.status).toBe('failed');
    // The customer's payment was already under way when the operator failed the purchase.
    const r = await notify(sessionEvent({ id: sessionOf(p), client_reference_id: p.id, amount_total: 1500 }));
    expect(r.status).toBe(200);
    const after = await state(acc, p.id);
    expect(after).toMatchObject({ posted: '1500', status: 'paid' });
    expect(after.invoices.map((i) => i.purchase_id)).toEqual([p.id]);
    // Only the provider's matched payment revives a failed purchase: the operator's /confirm does not.
    const manual = await buy(acc, '2000', 'manual');
    expect((await call('POST', `/v1/credit_purchases/${manual.id}/fail`)).body.status).toBe('failed');
    const confirm = await call('POST', `/v1/credit_purchases/${manual.id}/confirm`);
    expect(confirm.status).toBe(409);
    expect(confirm.body.error.code).toBe('invalid_state');
    expect((await state(acc, manual.id)).posted).toBe('1500');
  });
});
