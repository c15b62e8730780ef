import { describe, expect, it, onTestFinished } from 'vitest';
import type { CheckoutRequest, PaymentNotice, PaymentProvider } from '../src/core/kernel/payments.ts';
import { createTollgate } from '../src/index.ts';
import { ManualClock, must } from './helpers.ts';
import { C } from './money-kit.ts';

/** A card provider the test drives: it records checkouts and answers cancels as told. */
function cardProvider() {
  const started: CheckoutRequest[] = [];
  const state = { cancel: 'cancelled' as 'cancelled' | 'already_paid' | 'down', withUrl: true };
  const provider: PaymentProvider = {
    name: 'card',
    startCheckout: async (request) => {
      started.push(request);
      return {
        providerRef: `ref_${request.purchaseId}`,
        checkoutUrl: state.withUrl ? `https://pay.example.com/${request.purchaseId}` : null,
      };
    },
    cancelCheckout: async () => {
      if (state.cancel === 'down') throw new Error('connection reset');
      return state.cancel;
    },
    parseWebhook: (rawBody) => {
      const n = JSON.parse(rawBody) as { outcome: PaymentNotice['outcome']; ref: string; amount: string };
      return {
        ok: true,
        value: {
          outcome: n.outcome,
          purchaseId: null,
          providerRef: n.ref,
          amountMinor: BigInt(n.amount),
          currency: 'usd',
        },
      };
    },
  };
  return { provider, started, state };
}

async function setup() {
  const card = cardProvider();
  const engine = await createTollgate({
    database: ':memory:',
    clock: new ManualClock(),
    payments: [card.provider],
  });
  onTestFinished(() => engine.close());
  const acc = must(await engine.accounts.create({ name: 'Acme' })).id;
  const buy = async (key: string, credits = '1000') =>
    must(await engine.credits.purchase(acc, { credits, provider: 'card' }, key)).purchase;
  const notify = (outcome: 'paid' | 'failed', purchase: { id: string; totalMinor: bigint }) =>
    engine.credits.webhook(
      'card',
      JSON.stringify({ outcome, ref: `ref_${purchase.id}`, amount: String(purchase.totalMinor) }),
      {},
    );
  const posted = async () => must(await engine.accounts.balance(acc)).posted;
  return { engine, card, acc, buy, notify, posted };
}

describe('purchases through a payment provider', () => {
  it('start a checkout for the quoted total and keep where the customer pays', async () => {
    const { engine, card, acc, buy } = await setup();
    const purchase = await buy('k1', '1500');
    expect(card.started).toEqual([
      {
        purchaseId: purchase.id,
        accountId: acc,
        credits: '1500',
        totalMinor: 1500n,
        currency: 'usd',
        description: '1500 credits',
      },
    ]);
    expect(purchase).toMatchObject({
      provider: 'card',
      status: 'pending',
      providerRef: `ref_${purchase.id}`,
      checkoutUrl: `https://pay.example.com/${purchase.id}`,
    });
    expect(must(await engine.credits.getPurchase(purchase.id))).toEqual(purchase);
    // A retry answers the same purchase and starts no second checkout.
    expect(must(await engine.credits.purchase(acc, { credits: '1500', provider: 'card' }, 'k1'))).toEqual({
      purchase,
      created: false,
    });
    expect(card.started).toHaveLength(1);
    expect(await engine.credits.purchase(acc, { credits: '1500', provider: 'manual' }, 'k1')).toMatchObject({
      code: 'idempotency_conflict',
    });
    expect(await engine.credits.purchase(acc, { credits: '1500', provider: 'paypal' }, 'k2')).toMatchObject({
      details: [{ field: 'provider', message: 'must be one of: manual, card' }],
    });
    expect(await engine.credits.getPurchase('pur_nothing')).toMatchObject({ code: 'not_found' });
  });

  it('are confirmed by the provider, not by the operator', async () => {
    const { engine, card, buy, notify, posted } = await setup();
    card.state.withUrl = false;
    const purchase = await buy('k1');
    expect(purchase).toMatchObject({ providerRef: `ref_${purchase.id}`, checkoutUrl: null });
    expect(await engine.credits.confirm(purchase.id)).toEqual({
      ok: false,
      code: 'invalid_state',
      message: `purchase ${purchase.id} is paid through card: it is confirmed by the provider's signed webhook, not by /confirm`,
    });
    expect(await posted()).toBe(0n);
    must(await notify('paid', purchase));
    expect(must(await engine.credits.getPurchase(purchase.id)).status).toBe('paid');
    expect(await posted()).toBe(C(1000));
    must(await notify('paid', purchase));
    expect(await posted()).toBe(C(1000));
  });

  it('failed by the operator close the checkout first', async () => {
    const { engine, card, buy, notify, posted } = await setup();
    const a = await buy('a');
    card.state.cancel = 'down';
    expect(await engine.credits.fail(a.id)).toEqual({
      ok: false,
      code: 'unavailable',
      message: `card could not be reached to close the checkout of purchase ${a.id}; nothing changed, try again`,
    });
    expect(must(await engine.credits.getPurchase(a.id)).status).toBe('pending');
    card.state.cancel = 'already_paid';
    expect(await engine.credits.fail(a.id)).toEqual({
      ok: false,
      code: 'invalid_state',
      message: `purchase ${a.id}: the payment already completed; its webhook will confirm it`,
    });
    expect(must(await engine.credits.getPurchase(a.id)).status).toBe('pending');
    card.state.cancel = 'cancelled';
    expect(must(await engine.credits.fail(a.id)).status).toBe('failed');
    // A payment that still reaches the failed purchase is credited: its credits are owed.
    must(await notify('paid', a));
    expect(must(await engine.credits.getPurchase(a.id)).status).toBe('paid');
    expect(await posted()).toBe(C(1000));
  });

  it('failed by the provider stay failed and credit nothing', async () => {
    const { engine, card, buy, notify, posted } = await setup();
    const a = await buy('a');
    card.state.cancel = 'down';
    must(await notify('failed', a));
    expect(must(await engine.credits.getPurchase(a.id)).status).toBe('failed');
    expect(await posted()).toBe(0n);
  });
});
