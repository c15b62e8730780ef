import { describe, expect, it } from 'vitest';
import { HOUR, makeApi, must, STORES } from '../helpers.ts';

const DAY = 24 * HOUR;
const C = 1_000_000n;

/** An API with one account and helpers that speak to it through HTTP. */
async function scoped(store: (typeof STORES)[number]) {
  const api = await makeApi({ store });
  const { call, clock, engine } = api;
  const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body.id as string;
  let n = 0;
  return {
    ...api,
    acc,
    grant: async (credits: string, extra: Record<string, unknown> = {}) => {
      const r = await call('POST', `/v1/accounts/${acc}/credit_grants`, {
        credits,
        reason: 'test',
        ...extra,
      });
      expect(r.status).toBe(201);
      return r.body;
    },
    use: async (model: string, credits: string) => {
      const id = `e${++n}`;
      const r = await call('POST', '/v1/usage_events', {
        events: [
          { id, account_id: acc, model, quantity: '1', credits, timestamp: new Date(clock.ms).toISOString() },
        ],
      });
      expect(r.body.results[0].status).toBe('accepted');
      return id;
    },
    bill: async () => {
      clock.advance(HOUR);
      expect((await call('POST', '/v1/billing_runs', {})).status).toBe(200);
    },
    balance: async () => (await call('GET', `/v1/accounts/${acc}/balance`)).body,
    /** Open lots as `models|credits left` in burn order ('*' for unscoped). */
    lots: async () =>
      (await engine.credits.lots(acc)).map((l) => `${l.models?.join('+') ?? '*'}|${l.remainingMinor / C}`),
  };
}

describe.each(STORES)('scoped credits ($name)', (store) => {
  it('a scoped grant pays only its model: other usage takes unscoped credits, then goes negative', async () => {
    const t = await scoped(store);
    const g = await t.grant('100', { models: ['video-8s'] });
    expect(g.models).toEqual(['video-8s']);
    await t.grant('50');
    await t.use('video-8s', '30');
    await t.use('text', '20');
    // Before billing: video's 30 burns its scoped lot, text's 20 the unscoped one.
    expect(await t.balance()).toMatchObject({
      posted: '150',
      unbilled: '50',
      available: '30',
      available_by_model: { 'video-8s': '100' },
    });
    await t.bill();
    expect(await t.lots()).toEqual(['video-8s|70', '*|30']);
    await t.use('text', '40');
    await t.bill();
    // The text usage past the unscoped credits leaves the video credits alone and the account in debt.
    expect(await t.lots()).toEqual(['video-8s|70']);
    expect(await t.balance()).toMatchObject({
      posted: '60',
      available: '-10',
      available_by_model: { 'video-8s': '60' },
    });
    const audit = await t.engine.ledger.audit();
    expect(audit.mismatchedAccounts).toEqual([]);
  });

  it('burns, among the lots that may pay: priority, then scoped before unscoped, then soonest expiry, then oldest', async () => {
    const t = await scoped(store);
    await t.grant('10', { expires_at: new Date(t.clock.ms + DAY).toISOString() }); // unscoped, soonest expiry
    t.clock.advance(1000);
    await t.grant('10', { models: ['v'] }); // scoped, no expiry
    t.clock.advance(1000);
    await t.grant('10', { models: ['v', 'w'], expires_at: new Date(t.clock.ms + 5 * DAY).toISOString() });
    await t.grant('10', { models: ['v'], priority: 5 }); // a later priority: last of all
    await t.grant('10', { models: ['w'] }); // cannot pay for v
    expect(await t.lots()).toEqual(['v+w|10', 'v|10', 'w|10', '*|10', 'v|10']);
    await t.use('v', '25');
    await t.bill();
    // The scoped lots of v first (the expiring one, then the one without expiry), then the unscoped one.
    expect(await t.lots()).toEqual(['w|10', '*|5', 'v|10']);
    await t.use('v', '10');
    await t.bill();
    // The unscoped lot (priority 0) before the scoped lot of priority 5.
    expect(await t.lots()).toEqual(['w|10', 'v|5']);
  });

  it('verifies a key for a model: scoped credits count for it only; holds take unscoped credits only', async () => {
    const t = await scoped(store);
    const key = (await t.call('POST', `/v1/accounts/${t.acc}/api_keys`, { nickname: 'prod' })).body;
    await t.grant('100', { models: ['video-8s'] });
    const verify = async (body: Record<string, unknown>) =>
      (await t.call('POST', '/v1/api_keys/verify', { key: key.secret, ...body })).body;
    expect(await verify({})).toEqual({ valid: false, code: 'insufficient_credits' });
    expect(await verify({ model: 'video-8s' })).toMatchObject({ valid: true, available: '100' });
    expect(await verify({ model: 'text' })).toEqual({ valid: false, code: 'insufficient_credits' });
    await t.grant('5');
    expect(await verify({ model: 'text' })).toMatchObject({ valid: true, available: '5' });
    expect(await verify({ model: 'video-8s' })).toMatchObject({ valid: true, available: '105' });
    // Usage is seen at once (the cached balance is dropped by the change).
    await t.use('video-8s', '40');
    expect(await verify({ model: 'video-8s' })).toMatchObject({ valid: true, available: '65' });
    const bad = await t.call('POST', '/v1/api_keys/verify', { key: key.secret, model: '' });
    expect(bad.status).toBe(422);
    const hold = await t.call('POST', `/v1/accounts/${t.acc}/holds`, { credits: '6' });
    expect(hold.body.error.code).toBe('insufficient_credits');
    expect((await t.call('POST', `/v1/accounts/${t.acc}/holds`, { credits: '5' })).status).toBe(201);
    expect((await t.balance()).available_by_model).toEqual({ 'video-8s': '60' });
  });

  it('refunds what is unspent of a scoped purchase, and never a debt of usage no lot covered', async () => {
    const t = await scoped(store);
    const bought = await t.call(
      'POST',
      `/v1/accounts/${t.acc}/credit_purchases`,
      { credits: '1000', provider: 'manual', models: ['video-8s'] },
      { 'idempotency-key': 'p1' },
    );
    expect(bought.status).toBe(201);
    expect(bought.body.models).toEqual(['video-8s']);
    const paid = await t.call('POST', `/v1/credit_purchases/${bought.body.id}/confirm`);
    expect(paid.body.models).toEqual(['video-8s']);
    expect(await t.lots()).toEqual(['video-8s|1000']);
    await t.use('video-8s', '300');
    await t.use('text', '100');
    expect(await t.balance()).toMatchObject({ available: '-100', available_by_model: { 'video-8s': '600' } });
    const refund = await t.call('POST', `/v1/credit_purchases/${bought.body.id}/refund`, {});
    expect(refund.status).toBe(201);
    // 700 unspent, less the 100 of text usage the account owes.
    expect(refund.body.credits).toBe('600');
    expect(await t.balance()).toMatchObject({ posted: '400', available: '-100', available_by_model: {} });
    const again = await t.call('POST', `/v1/credit_purchases/${bought.body.id}/refund`, { credits: '1' });
    expect(again.body.error.code).toBe('insufficient_credits');
  });

  it('expires what a scoped lot keeps: usage of other models does not hold it back', async () => {
    const t = await scoped(store);
    await t.grant('50', { models: ['v'], expires_at: new Date(t.clock.ms + DAY).toISOString() });
    await t.grant('5');
    await t.use('v', '20');
    await t.bill();
    await t.use('text', '8'); // unbilled: burns the unscoped lot, then 3 no lot covers
    t.clock.advance(DAY);
    expect(await t.engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: 30n * C });
    expect(await t.lots()).toEqual(['*|5']);
    expect(await t.balance()).toMatchObject({
      posted: '5',
      unbilled: '8',
      available: '-3',
      available_by_model: {},
    });
  });

  it('a void gives the credits back to the scoped lot its event burned', async () => {
    const t = await scoped(store);
    await t.grant('100', { models: ['v'] });
    await t.grant('100');
    const e = await t.use('v', '30');
    await t.use('t', '10');
    await t.bill();
    expect(await t.lots()).toEqual(['v|70', '*|90']);
    const voided = await t.call('POST', `/v1/usage_events/${e}/void`, { reason: 'sent twice' });
    expect(voided.status).toBe(200);
    await t.bill();
    expect(await t.lots()).toEqual(['v|100', '*|90']);
    expect(await t.balance()).toMatchObject({
      posted: '190',
      available: '90',
      available_by_model: { v: '190' },
    });
  });

  it('refuses a bad scope with validation_failed', async () => {
    const t = await scoped(store);
    for (const models of [[], ['a', 'a'], ['with space'], Array.from({ length: 51 }, (_, i) => `m${i}`)]) {
      const r = await t.call('POST', `/v1/accounts/${t.acc}/credit_grants`, {
        credits: '1',
        reason: 'x',
        models,
      });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect(must(await t.engine.accounts.balance(t.acc)).posted).toBe(0n);
  });
});
