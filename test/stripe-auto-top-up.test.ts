import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripeProvider } from '../src/adapters/payments/stripe-provider.ts';
import { LOOPBACK_WEBHOOKS, ManualClock, makeApi, STORES } from './helpers.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';
const TOP_UP = { threshold: '1000', credits: '2000', monthly_max_total: '200.00', provider: 'stripe' };

/**
 * A stand-in for Stripe's API on loopback: customers, Checkout Sessions, PaymentIntents (with
 * Stripe's idempotency: the same key answers the same object), and tollgate's outbound webhooks.
 */
const fake = {
  customers: [] as Record<string, string>[],
  sessions: [] as Record<string, string>[],
  /** Each PaymentIntent created off-session, by id: the form it was created with. */
  intents: new Map<string, Record<string, string>>(),
  /** Answers by idempotency key, replayed as Stripe does. */
  replies: new Map<string, { status: number; body: string }>(),
  /** Each off-session PaymentIntent's status, by id, as Stripe holds it. */
  status: new Map<string, string>(),
  /** How the saved card answers an off-session charge. */
  card: 'ok' as 'ok' | 'declined' | 'requires_action' | 'processing',
  /** While set, a PaymentIntent is made but its answer (and every replay of it) is lost. */
  lose: false,
  /** While set, the fake drops every API connection; `dropped` counts them. */
  down: false,
  /** While set, only creating a customer fails (its connection dropped). */
  customersDown: false,
  dropped: 0,
  /** While set, a PaymentIntent's answer waits for it (its id is chosen on arrival). */
  hold: null as Promise<void> | null,
  delivered: new Map<string, { type: string; data: Record<string, unknown> }[]>(),
};
let server: Server;
let port = 0;
let seq = 0;

beforeEach(() => {
  fake.card = 'ok';
  fake.lose = false;
  fake.customersDown = false;
  fake.down = false;
  fake.hold = null;
});

async function answer(
  path: string,
  method: string,
  form: Record<string, string>,
): Promise<[number, unknown]> {
  if (method === 'POST' && path === '/v1/customers') {
    fake.customers.push(form);
    return [200, { id: `cus_${++seq}`, object: 'customer' }];
  }
  if (method === 'POST' && path === '/v1/checkout/sessions') {
    fake.sessions.push(form);
    const id = `cs_test_${++seq}`;
    return [
      200,
      { id, object: 'checkout.session', status: 'open', url: `https://checkout.stripe.test/${id}` },
    ];
  }
  if (method === 'POST' && path === '/v1/payment_intents') {
    const id = `pi_auto_${++seq}`;
    fake.intents.set(id, form);
    if (fake.hold) await fake.hold;
    const intent = {
      id,
      object: 'payment_intent',
      amount: Number(form.amount),
      currency: form.currency,
      customer: form.customer,
      payment_method: form.payment_method,
      metadata: { purchase_id: form['metadata[purchase_id]'] },
    };
    const status = { ok: 'succeeded', declined: 'requires_payment_method' }[fake.card as string] ?? fake.card;
    fake.status.set(id, status);
    if (fake.card === 'declined')
      return [
        402,
        {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
            payment_intent: { ...intent, status: 'requires_payment_method' },
          },
        },
      ];
    return [200, { ...intent, status }];
  }
  const intentOf = (id: string) => {
    const form = fake.intents.get(id)!;
    return {
      id,
      object: 'payment_intent',
      amount: Number(form.amount),
      currency: form.currency,
      status: fake.status.get(id),
      metadata: { purchase_id: form['metadata[purchase_id]'] },
    };
  };
  if (method === 'GET' && path.startsWith('/v1/payment_intents/search?')) {
    const query = new URLSearchParams(path.split('?')[1]).get('query') ?? '';
    const purchaseId = /^metadata\['purchase_id'\]:'([^']+)'$/.exec(query)?.[1];
    const data = [...fake.intents]
      .filter(([, form]) => form['metadata[purchase_id]'] === purchaseId)
      .map(([id]) => intentOf(id));
    return [200, { object: 'search_result', data, has_more: false, next_page: null }];
  }
  const cancel = /^\/v1\/payment_intents\/(pi_auto_\d+)\/cancel$/.exec(path);
  if (method === 'POST' && cancel && fake.intents.has(cancel[1]!)) {
    const id = cancel[1]!;
    if (
      !['requires_action', 'requires_payment_method', 'requires_confirmation'].includes(fake.status.get(id)!)
    )
      return [
        400,
        {
          error: {
            type: 'invalid_request_error',
            message: `cannot cancel a ${fake.status.get(id)} PaymentIntent`,
          },
        },
      ];
    fake.status.set(id, 'canceled');
    return [200, intentOf(id)];
  }
  const own = /^\/v1\/payment_intents\/(pi_auto_\d+)$/.exec(path);
  if (method === 'GET' && own && fake.intents.has(own[1]!)) return [200, intentOf(own[1]!)];
  // The PaymentIntent of a Checkout payment that saved the card.
  const pi = /^\/v1\/payment_intents\/(pi_cs_[^/?]+)/.exec(path);
  if (method === 'GET' && pi) {
    const customer = pi[1]!.replace('pi_cs_', 'cus_');
    return [
      200,
      {
        id: pi[1],
        object: 'payment_intent',
        status: 'succeeded',
        customer,
        payment_method: `pm_card_of_${customer}`,
        setup_future_usage: 'off_session',
      },
    ];
  }
  return [404, { error: { type: 'invalid_request_error', message: `no route ${method} ${path}` } }];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const path = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (path.startsWith('/hooks/')) {
        fake.delivered.set(path, [...(fake.delivered.get(path) ?? []), JSON.parse(body)]);
        res.statusCode = 204;
        res.end();
        return;
      }
      if (fake.down || (fake.customersDown && path === '/v1/customers')) {
        fake.dropped++;
        req.socket.destroy();
        return;
      }
      const key = req.headers['idempotency-key'] as string | undefined;
      if (fake.lose && key?.startsWith('auto_top_up_')) {
        // Made, but the answer never arrives: and neither does any replay of it.
        if (!fake.replies.has(key)) {
          const [status, json] = await answer(
            '/v1/payment_intents',
            'POST',
            Object.fromEntries(new URLSearchParams(body)),
          );
          fake.replies.set(key, { status, body: JSON.stringify(json) });
        }
        fake.dropped++;
        req.socket.destroy();
        return;
      }
      const replay = key && fake.replies.get(key);
      if (replay) {
        res.statusCode = replay.status;
        res.end(replay.body);
        return;
      }
      const [status, json] = await answer(
        path,
        req.method ?? 'GET',
        Object.fromEntries(new URLSearchParams(body)),
      );
      const reply = { status, body: JSON.stringify(json) };
      if (key) fake.replies.set(key, reply);
      res.statusCode = status;
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signer = new Stripe('sk_test_123');
const sign = (payload: string) =>
  signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });

/** A signed-ready Stripe event about an object. */
const event = (type: string, object: Record<string, unknown>) =>
  JSON.stringify({ id: `evt_${++seq}`, object: 'event', type, data: { object } });

/** Waits until `check` holds (the off-session charge runs after the commit, unawaited). */
async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(STORES)('Stripe auto top-up ($name)', (store) => {
  async function setup() {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const { engine, call } = await makeApi({
      store,
      clock,
      config: LOOPBACK_WEBHOOKS,
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
    const notify = (payload: string) =>
      call('POST', '/v1/webhooks/stripe', payload, { authorization: '', 'stripe-signature': sign(payload) });
    const hookPath = `/hooks/${++seq}`;
    const endpoint = await call('POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${port}${hookPath}`,
      events: ['auto_top_up.failed', 'payment.unmatched'],
    });
    expect(endpoint.status).toBe(201);
    /** Delivers the operator's webhooks and answers what the endpoint received, in order. */
    const hooks = async () => {
      for (;;) {
        const started = await engine.webhooks.dispatch();
        if (started.length === 0) break;
        await Promise.all(started);
      }
      return (fake.delivered.get(hookPath) ?? []).map(
        (d): Record<string, unknown> => ({ type: d.type, ...d.data }),
      );
    };
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme', email: 'ops@acme.test' })).body
      .id as string;
    let n = 0;
    const use = (credits: string) =>
      engine.usage.ingest([
        {
          id: `u${++n}`,
          account_id: acc,
          model: 'm',
          quantity: '1',
          credits,
          timestamp: new Date(clock.ms).toISOString(),
        },
      ]);
    const topUps = async () =>
      (await call('GET', `/v1/accounts/${acc}/credit_purchases`)).body.data.filter(
        (p: { origin: string }) => p.origin === 'auto_top_up',
      ) as { id: string; status: string; total: string; invoice_id: string | null }[];
    const stored = (id: string) => engine.storage.transaction((tx) => tx.purchases.get(id));
    const balance = async () => (await call('GET', `/v1/accounts/${acc}/balance`)).body;
    /** The customer saves a card with a Checkout purchase of 1500 credits, paid. */
    const saveCard = async () => {
      const p = await call(
        'POST',
        `/v1/accounts/${acc}/credit_purchases`,
        { credits: '1500', provider: 'stripe', save_payment_method: true },
        { 'idempotency-key': 'save-card' },
      );
      expect(p.status).toBe(201);
      const session = fake.sessions.at(-1)!;
      const customer = session.customer!;
      const paid = await notify(
        event('checkout.session.completed', {
          id: p.body.checkout_url.split('/').at(-1),
          object: 'checkout.session',
          client_reference_id: p.body.id,
          amount_total: 1500,
          currency: 'usd',
          payment_status: 'paid',
          customer,
          payment_intent: customer.replace('cus_', 'pi_cs_'),
          metadata: { purchase_id: p.body.id, save_payment_method: 'true' },
        }),
      );
      expect(paid.status).toBe(200);
      return { purchase: p.body, session, customer };
    };
    /** Waits for the off-session charge of an auto top-up to be recorded, and answers its PaymentIntent. */
    const charged = async (purchaseId: string) => {
      await until(async () => (await stored(purchaseId))?.providerRef != null, 'the PaymentIntent id');
      return (await stored(purchaseId))!.providerRef!;
    };
    const intentEvent = (type: string, id: string, purchaseId: string, amount: number, extra = {}) =>
      event(type, {
        id,
        object: 'payment_intent',
        amount,
        amount_received: type === 'payment_intent.succeeded' ? amount : 0,
        currency: 'usd',
        metadata: { purchase_id: purchaseId },
        ...extra,
      });
    return {
      engine,
      clock,
      call,
      notify,
      hooks,
      acc,
      use,
      topUps,
      stored,
      balance,
      saveCard,
      charged,
      intentEvent,
    };
  }

  it('saves a card with Checkout, then charges it off-session for exactly the top-up, credited only by its own signed PaymentIntent', async () => {
    const { call, notify, hooks, acc, use, topUps, balance, saveCard, charged, intentEvent } = await setup();
    // Without a saved card, a Stripe auto top-up is refused, saying how to save one.
    const early = await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('validation_failed');
    expect(early.body.error.message).toMatch(/save_payment_method: true/);

    const customersBefore = fake.customers.length;
    const { purchase, session, customer } = await saveCard();
    expect(fake.customers).toHaveLength(customersBefore + 1);
    expect(fake.customers.at(-1)).toMatchObject({ email: 'ops@acme.test', 'metadata[account_id]': acc });
    expect(session).toMatchObject({
      customer,
      'payment_intent_data[setup_future_usage]': 'off_session',
      'line_items[0][price_data][unit_amount]': '1500',
      client_reference_id: purchase.id,
    });
    expect((await balance()).posted).toBe('1500');

    const set = await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP });
    expect(set.status).toBe(200);
    expect(set.body.auto_top_up).toEqual(TOP_UP);
    expect(await topUps()).toHaveLength(0);

    // The charge's answer is held: a notice of its payment meanwhile is asked again later.
    let release!: () => void;
    fake.hold = new Promise<void>((r) => (release = r));
    const intentsBefore = fake.intents.size;
    await use('600'); // 900 available, under the threshold of 1000
    const [topUp] = await topUps();
    expect(topUp).toMatchObject({ status: 'pending', total: '20.00' });
    await until(() => fake.intents.size === intentsBefore + 1, 'the PaymentIntent');
    const [piId, form] = [...fake.intents].at(-1)!;
    expect(form).toMatchObject({
      amount: '2000',
      currency: 'usd',
      customer,
      payment_method: `pm_card_of_${customer}`,
      off_session: 'true',
      confirm: 'true',
      'metadata[purchase_id]': topUp!.id,
    });
    const succeeded = intentEvent('payment_intent.succeeded', piId, topUp!.id, 2000);
    const early503 = await notify(succeeded);
    expect(early503.status).toBe(503);
    expect(early503.body.error.code).toBe('unavailable');
    release();
    expect(await charged(topUp!.id)).toBe(piId);

    // More usage while it is in flight starts nothing and charges nothing again.
    await use('10');
    expect(await topUps()).toHaveLength(1);

    // Another PaymentIntent naming the purchase, or this one for another amount: no credits.
    expect(
      (await notify(intentEvent('payment_intent.succeeded', 'pi_unknown', topUp!.id, 2000))).status,
    ).toBe(200);
    expect((await notify(intentEvent('payment_intent.succeeded', piId, topUp!.id, 1999))).status).toBe(200);
    expect((await balance()).posted).toBe('1500');
    expect((await topUps())[0]!.status).toBe('pending');
    expect((await hooks()).map((h) => [h.type, h['provider_ref'], h['reason']]).sort()).toEqual([
      ['payment.unmatched', piId, 'amount_mismatch'],
      ['payment.unmatched', 'pi_unknown', 'unknown_session'],
    ]);

    // Its own signed notice, as Stripe sends it again: credited once, with an invoice.
    expect((await notify(succeeded)).status).toBe(200);
    expect((await notify(succeeded)).status).toBe(200);
    const [paid] = await topUps();
    expect(paid).toMatchObject({ status: 'paid' });
    expect((await call('GET', `/v1/invoices/${paid!.invoice_id}`)).body).toMatchObject({
      purchase_id: paid!.id,
      total: '20.00',
    });
    expect((await balance()).posted).toBe('3500');
    expect(fake.intents.size).toBe(intentsBefore + 1);
  });

  it('a failing card fails the top-up with its reason, retried at most 3 times a day, and charges again the next day', async () => {
    const { clock, notify, hooks, acc, call, use, topUps, stored, saveCard, intentEvent } = await setup();
    await saveCard();
    expect((await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP })).status).toBe(200);
    const failedAll = async () =>
      until(async () => (await topUps()).every((p) => p.status === 'failed'), 'the failed top-up');

    fake.card = 'requires_action'; // the first try: the bank wants its holder
    await use('600');
    await failedAll();
    fake.card = 'declined';
    for (let retry = 1; retry <= 3; retry++) {
      await use('1');
      expect(await topUps()).toHaveLength(1 + retry);
      await failedAll();
    }
    // Stripe's own failure notice of a declined PaymentIntent changes nothing more.
    const [last] = await topUps();
    const ref = (await stored(last!.id))!.providerRef!;
    expect(ref).toMatch(/^pi_auto_/);
    const failedNotice = intentEvent('payment_intent.payment_failed', ref, last!.id, 2000, {
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    expect((await notify(failedNotice)).status).toBe(200);

    // The first try and 3 retries: nothing more today.
    const intents = fake.intents.size;
    await use('1');
    expect(await topUps()).toHaveLength(4);
    const failures = (await hooks()).filter((h) => h.type === 'auto_top_up.failed');
    // Delivered concurrently: compared in any order.
    expect(failures.map((h) => h['reason']).sort()).toEqual([
      'insufficient_funds',
      'insufficient_funds',
      'insufficient_funds',
      'requires_action',
    ]);
    expect(failures.every((h) => h['account_id'] === acc && h['total'] === '20.00')).toBe(true);

    // The next UTC day the card works again.
    fake.card = 'ok';
    clock.ms = Date.UTC(2026, 11, 4, 0, 5, 0);
    await use('1');
    const [today] = await topUps();
    expect(today!.status).toBe('pending');
    await until(() => fake.intents.size === intents + 1, 'the next PaymentIntent');
    await until(async () => (await stored(today!.id))?.providerRef != null, 'its PaymentIntent id');
    const piId = (await stored(today!.id))!.providerRef!;
    expect((await notify(intentEvent('payment_intent.succeeded', piId, today!.id, 2000))).status).toBe(200);
    expect((await topUps())[0]!.status).toBe('paid');
  });

  it('Stripe unreachable when charging: the top-up stays pending, unannounced, and the next balance change charges it', async () => {
    const { notify, hooks, acc, call, use, topUps, stored, saveCard, charged, intentEvent, balance } =
      await setup();
    await saveCard();
    expect((await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP })).status).toBe(200);
    fake.down = true;
    const dropped = fake.dropped;
    await use('600');
    const [topUp] = await topUps();
    // The client's own retries (2) all dropped, then it gives up.
    await until(() => fake.dropped === dropped + 3, 'three dropped attempts');
    await new Promise((r) => setTimeout(r, 50));
    expect(await stored(topUp!.id)).toMatchObject({ status: 'pending', providerRef: null });
    fake.down = false;
    await use('1');
    expect(await topUps()).toHaveLength(1);
    const piId = await charged(topUp!.id);
    expect((await notify(intentEvent('payment_intent.succeeded', piId, topUp!.id, 2000))).status).toBe(200);
    expect((await balance()).posted).toBe('3500');
    expect((await hooks()).filter((h) => h.type === 'auto_top_up.failed')).toEqual([]);
  });

  it('a charge whose answer was lost is found again by its purchase a day later: the customer pays once', async () => {
    const { clock, notify, acc, call, use, topUps, stored, saveCard, charged, intentEvent, balance } =
      await setup();
    await saveCard();
    expect((await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP })).status).toBe(200);
    fake.lose = true;
    const intentsBefore = fake.intents.size;
    const dropped = fake.dropped;
    await use('600');
    const [topUp] = await topUps();
    await until(() => fake.dropped === dropped + 3, 'the lost answers');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.intents.size).toBe(intentsBefore + 1); // Stripe charged the card
    expect(await stored(topUp!.id)).toMatchObject({ status: 'pending', providerRef: null });

    // A day passes without a balance change; Stripe forgets its idempotency keys after 24 hours.
    fake.lose = false;
    fake.replies.clear();
    clock.ms += 25 * 3600_000;
    await use('1');
    const piId = await charged(topUp!.id);
    expect(piId).toBe([...fake.intents.keys()].at(-1));
    expect(fake.intents.size).toBe(intentsBefore + 1); // no second PaymentIntent
    expect((await notify(intentEvent('payment_intent.succeeded', piId, topUp!.id, 2000))).status).toBe(200);
    expect(await topUps()).toMatchObject([{ status: 'paid', total: '20.00' }]);
    expect((await balance()).posted).toBe('3500'); // 1500 bought, 2000 topped up, 601 used
  });

  it('a failed top-up has its PaymentIntent cancelled, so it cannot succeed later past the monthly maximum', async () => {
    const { acc, call, use, topUps, stored, saveCard } = await setup();
    await saveCard();
    const max = { ...TOP_UP, monthly_max_total: '40.00' };
    expect((await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: max })).status).toBe(200);
    fake.card = 'requires_action';
    await use('600');
    await until(async () => (await topUps())[0]?.status === 'failed', 'the failed top-up');
    const failed = (await stored((await topUps())[0]!.id))!;
    // The bank wanted its holder: the charge is cancelled before the top-up fails, so the holder
    // authenticating later takes no money for a top-up the product shows as failed.
    expect(fake.status.get(failed.providerRef!)).toBe('canceled');
    fake.card = 'declined';
    await use('1');
    await until(async () => (await topUps()).every((p) => p.status === 'failed'), 'the declined top-up');
    const declined = (await stored((await topUps())[0]!.id))!;
    expect(fake.status.get(declined.providerRef!)).toBe('canceled');
  });

  it('the operator fails a pending Stripe top-up: its charge is stopped first, refused while it may still take money', async () => {
    const { clock, notify, acc, call, use, topUps, stored, saveCard, charged, intentEvent, balance } =
      await setup();
    await saveCard();
    expect((await call('PATCH', `/v1/accounts/${acc}`, { auto_top_up: TOP_UP })).status).toBe(200);
    const failIt = (id: string) => call('POST', `/v1/credit_purchases/${id}/fail`, {});

    // Stripe unreachable: no charge made. Within a minute the charge may still be on its way.
    fake.down = true;
    const dropped = fake.dropped;
    await use('600');
    const [first] = await topUps();
    await until(() => fake.dropped === dropped + 3, 'three dropped attempts');
    fake.down = false;
    const early = await failIt(first!.id);
    expect([early.status, early.body.error.code]).toEqual([503, 'unavailable']);
    expect(early.body.error.message).toMatch(/try again in a minute/);
    clock.ms += 2 * 60_000;
    const intents = fake.intents.size;
    const failed = await failIt(first!.id);
    expect([failed.status, failed.body.status]).toEqual([200, 'failed']);
    expect(fake.intents.size).toBe(intents);

    // A processing payment cannot be stopped: refused (409), and its notice settles it.
    fake.card = 'processing';
    clock.ms = Date.UTC(2026, 11, 4, 9, 0, 0);
    await use('1');
    const [second] = await topUps();
    const piId = await charged(second!.id);
    const processing = await failIt(second!.id);
    expect([processing.status, processing.body.error.code]).toEqual([409, 'invalid_state']);
    expect(processing.body.error.message).toMatch(/processing/);
    expect((await notify(intentEvent('payment_intent.succeeded', piId, second!.id, 2000))).status).toBe(200);
    expect((await topUps())[0]).toMatchObject({ status: 'paid' });
    expect((await balance()).posted).toBe('3500');

    // A charge whose answer was lost: found by its purchase and cancelled before the top-up fails.
    fake.card = 'requires_action';
    fake.lose = true;
    clock.ms += 60_000;
    await use('2000'); // under the threshold again
    const [third] = await topUps();
    expect(third!.status).toBe('pending');
    await until(
      () => [...fake.intents.values()].some((f) => f['metadata[purchase_id]'] === third!.id),
      'its charge',
    );
    await new Promise((r) => setTimeout(r, 50));
    fake.lose = false;
    clock.ms += 2 * 60_000;
    const stopped = await failIt(third!.id);
    expect([stopped.status, stopped.body.status]).toEqual([200, 'failed']);
    const ref = (await stored(third!.id))!.providerRef!;
    expect(fake.status.get(ref)).toBe('canceled');
  });

  it('a card cannot be saved while its Stripe customer cannot be made: 503, no checkout, and the retry opens one on the customer', async () => {
    const { call, acc } = await setup();
    fake.customersDown = true;
    const sessions = fake.sessions.length;
    const buy = () =>
      call(
        'POST',
        `/v1/accounts/${acc}/credit_purchases`,
        { credits: '1500', provider: 'stripe', save_payment_method: true },
        { 'idempotency-key': 'save-card-later' },
      );
    const first = await buy();
    expect([first.status, first.body.error.code]).toEqual([503, 'unavailable']);
    expect(fake.sessions).toHaveLength(sessions); // no checkout that would not save the card
    fake.customersDown = false;
    const again = await buy();
    expect(again.status).toBe(201);
    expect(fake.sessions).toHaveLength(sessions + 1);
    expect(fake.sessions.at(-1)).toMatchObject({
      customer: expect.stringMatching(/^cus_/),
      'payment_intent_data[setup_future_usage]': 'off_session',
    });
  });

  it('save_payment_method is refused for the manual provider and must be a boolean', async () => {
    const { call, acc } = await setup();
    let n = 0;
    const buy = (body: unknown) =>
      call('POST', `/v1/accounts/${acc}/credit_purchases`, body, { 'idempotency-key': `k${++n}` });
    const manual = await buy({ credits: '1500', provider: 'manual', save_payment_method: true });
    expect(manual.status).toBe(422);
    expect(manual.body.error.message).toMatch(/manual cannot save a payment method/);
    expect((await buy({ credits: '1500', provider: 'stripe', save_payment_method: 'yes' })).status).toBe(422);
  });
});
