import { describe, expect, it } from 'vitest';
import { createTollgate } from '../../src/index.ts';
import { LOOPBACK_WEBHOOKS, ManualClock, makeEngine, must, STORES } from '../helpers.ts';

/**
 * What an operator reads when a purchase or grant is refused or failed: each refusal names the
 * object it could not find, a customer's purchase says so, and a failed auto top-up says why.
 */
describe.each(STORES)('purchases and grants, as the operator reads them ($name)', (store) => {
  it('a refusal names the purchase or account it could not find', async () => {
    const { engine } = await makeEngine({ store });
    const missing = [
      await engine.credits.getPurchase('pur_nope'),
      await engine.credits.confirm('pur_nope'),
      await engine.credits.fail('pur_nope'),
      await engine.credits.grant('acc_nope', { credits: '5', reason: 'promo' }),
      await engine.credits.purchase('acc_nope', { credits: '1500', provider: 'manual' }, 'k1'),
    ];
    expect(missing.map((r) => (r.ok ? 'ok' : `${r.code}: ${r.message}`))).toEqual([
      'not_found: no purchase pur_nope',
      'not_found: no purchase pur_nope',
      'not_found: no purchase pur_nope',
      'not_found: no account acc_nope',
      'not_found: no account acc_nope',
    ]);
  });

  it('a purchase made by the customer says so, and failing a paid one is refused naming its state', async () => {
    const { engine } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' })).id;
    const { purchase } = must(
      await engine.credits.purchase(acc, { credits: '1500', provider: 'manual' }, 'k'),
    );
    expect(purchase.origin).toBe('customer');
    must(await engine.credits.confirm(purchase.id));
    const r = await engine.credits.fail(purchase.id);
    expect(r.ok ? 'ok' : `${r.code}: ${r.message}`).toBe(`invalid_state: purchase ${purchase.id} is paid`);
  });

  it('a manual auto top-up the operator fails is announced with the reason payment_failed', async () => {
    const sent: string[] = [];
    const engine = await createTollgate({
      database: store.open(),
      clock: new ManualClock(),
      config: LOOPBACK_WEBHOOKS,
      webhookSender: {
        send: async (request) => {
          sent.push(request.body);
          return { ok: true, status: 200, error: null };
        },
      },
    });
    try {
      must(await engine.webhooks.create('http://127.0.0.1:9/hooks', ['auto_top_up.failed']));
      const acc = must(await engine.accounts.create({ name: 'Acme' })).id;
      must(await engine.credits.grant(acc, { credits: '1500', reason: 'start' }));
      must(
        await engine.accounts.update(acc, {
          autoTopUp: { threshold: '1000', credits: '2000', monthly_max_total: '200.00', provider: 'manual' },
        }),
      );
      await engine.usage.ingest([
        {
          id: 'e1',
          account_id: acc,
          model: 'video-custom',
          quantity: '1',
          credits: '600',
          timestamp: new Date(engine.clock.nowMs()).toISOString(),
        },
      ]);
      const pending = must(await engine.credits.listPurchases(acc)).find((p) => p.origin === 'auto_top_up')!;
      expect(pending.status).toBe('pending');
      must(await engine.credits.fail(pending.id));
      await Promise.all(await engine.webhooks.dispatch());
      expect(sent.map((b) => JSON.parse(b))).toMatchObject([
        { type: 'auto_top_up.failed', data: { purchase_id: pending.id, reason: 'payment_failed' } },
      ]);
    } finally {
      await engine.close();
    }
  });
});
