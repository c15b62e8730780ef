import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { freshPgSchema, LOOPBACK_WEBHOOKS, ManualClock, makeApi, must, STORES } from './helpers.ts';

const TOP_UP = { threshold: '100', credits: '1000', monthly_max_total: '30.00', provider: 'manual' };

describe.each(STORES)('auto top-up ($name)', (store) => {
  async function setup(granted = '500') {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const api = await makeApi({ store, clock, config: LOOPBACK_WEBHOOKS });
    const { engine, call } = api;
    const hook = must(await engine.webhooks.create('http://127.0.0.1:9/hooks', ['auto_top_up.failed']));
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: granted, reason: 'start' });
    let n = 0;
    const use = (credits: string) =>
      engine.usage.ingest([
        {
          id: `u${++n}`,
          account_id: acc.id,
          model: 'm',
          quantity: '1',
          credits,
          timestamp: new Date(clock.ms).toISOString(),
        },
      ]);
    const topUps = async () =>
      (await call('GET', `/v1/accounts/${acc.id}/credit_purchases`)).body.data.filter(
        (p: { origin: string }) => p.origin === 'auto_top_up',
      );
    const failures = async () => {
      const deliveries = must(await engine.webhooks.deliveries(hook.id));
      return deliveries.length;
    };
    const available = async () => (await call('GET', `/v1/accounts/${acc.id}/balance`)).body.available;
    return { ...api, clock, acc, use, topUps, failures, available };
  }

  it('starts exactly one purchase when 50 concurrent ingests cross the threshold, and invoices it on confirm', async () => {
    const { call, acc, use, topUps, available } = await setup();
    const set = await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up: TOP_UP });
    expect(set.status).toBe(200);
    expect(set.body.auto_top_up).toEqual({ ...TOP_UP, monthly_max_total: '30.00' });
    expect(await topUps()).toHaveLength(0);

    await Promise.all(Array.from({ length: 50 }, () => use('9')));
    expect(await available()).toBe('50');
    const started = await topUps();
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      status: 'pending',
      credits: '1000',
      total: '10.00',
      provider: 'manual',
    });
    // The operator sees it among what waits for /confirm.
    const pending = (await call('GET', '/v1/credit_purchases?status=pending')).body.data;
    expect(pending.map((p: { id: string }) => p.id)).toEqual([started[0].id]);

    await use('1'); // still below, one already in flight: nothing new
    expect(await topUps()).toHaveLength(1);
    const paid = await call('POST', `/v1/credit_purchases/${started[0].id}/confirm`);
    expect(paid.body.status).toBe('paid');
    expect((await call('GET', `/v1/invoices/${paid.body.invoice_id}`)).status).toBe(200);
    expect(await available()).toBe('1049');
  });

  it('never passes the monthly maximum, and says so once', async () => {
    const { call, acc, use, topUps, failures, clock } = await setup('150');
    await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up: TOP_UP });
    // Three top-ups of $10 reach the $30 maximum; the fourth would pass it.
    for (const credits of ['100', '1000', '1000']) {
      await use(credits);
      const pending = (await topUps()).filter((p: { status: string }) => p.status === 'pending');
      expect(pending).toHaveLength(1);
      await call('POST', `/v1/credit_purchases/${pending[0].id}/confirm`);
    }
    expect(await topUps()).toHaveLength(3);
    await use('1000');
    await use('1');
    expect(await topUps()).toHaveLength(3);
    expect(await failures()).toBe(1);
    // A new month opens the budget again.
    clock.ms = Date.UTC(2027, 0, 1, 0, 30, 0);
    await use('1');
    expect(await topUps()).toHaveLength(4);
  });

  it('announces a failed top-up, retries at most 3 times a day, and tries again the next day', async () => {
    const { call, acc, use, topUps, failures, clock } = await setup('150');
    await call('PATCH', `/v1/accounts/${acc.id}`, {
      auto_top_up: { ...TOP_UP, monthly_max_total: '1000.00' },
    });
    await use('100');
    for (let attempt = 1; attempt <= 4; attempt++) {
      const pending = (await topUps()).filter((p: { status: string }) => p.status === 'pending');
      expect(pending, `attempt ${attempt}`).toHaveLength(1);
      expect((await call('POST', `/v1/credit_purchases/${pending[0].id}/fail`)).body.status).toBe('failed');
      await use('1');
    }
    expect(await failures()).toBe(4);
    expect(await topUps()).toHaveLength(4); // the first try and 3 retries, then nothing today
    clock.ms = Date.UTC(2026, 11, 4, 0, 5, 0);
    await use('1');
    expect((await topUps()).filter((p: { status: string }) => p.status === 'pending')).toHaveLength(1);
  });

  it('starts at once when set below its threshold, and refuses settings it cannot honour', async () => {
    const { call, acc, topUps } = await setup('50');
    const bad = async (auto_top_up: unknown) =>
      (await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up })).body.error;
    expect((await bad({ ...TOP_UP, credits: '10' })).code).toBe('payment_out_of_range');
    expect((await bad({ ...TOP_UP, monthly_max_total: '5.00' })).code).toBe('validation_failed');
    expect((await bad({ ...TOP_UP, provider: 'stripe' })).code).toBe('validation_failed');
    // Credits that would not lift an empty account over the threshold would chain top-ups.
    const chain = await bad({ ...TOP_UP, threshold: '1500', credits: '1500' });
    expect(chain.code).toBe('validation_failed');
    expect(chain.details[0].field).toBe('auto_top_up.credits');
    expect(await topUps()).toHaveLength(0);
    await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up: TOP_UP });
    expect(await topUps()).toHaveLength(1);
    const off = await call('PATCH', `/v1/accounts/${acc.id}`, { auto_top_up: null });
    expect(off.body.auto_top_up).toBeNull();
  });
});

describe.skipIf(!process.env.TOLLGATE_PG_URL)('auto top-up across processes (postgres)', () => {
  it('two engines on one database, 50 ingests each crossing the threshold, start exactly one purchase', async () => {
    const schema = freshPgSchema('t_atu');
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const open = () =>
      createTollgate({ database: { postgres: process.env.TOLLGATE_PG_URL!, schema }, clock });
    const a = await open();
    const b = await open();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      must(await a.credits.grant(acc.id, { credits: '500', reason: 'start' }));
      must(await a.accounts.update(acc.id, { autoTopUp: TOP_UP }));
      const ts = new Date(clock.ms).toISOString();
      const event = (i: number) => ({
        id: `x${i}`,
        account_id: acc.id,
        model: 'm',
        quantity: '1',
        credits: '9',
        timestamp: ts,
      });
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).usage.ingest([event(i)])));
      const purchases = must(await b.credits.listPurchases(acc.id));
      expect(purchases.filter((p) => p.origin === 'auto_top_up')).toHaveLength(1);
      expect(must(await a.accounts.balance(acc.id)).available).toBe(-400_000_000n);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
