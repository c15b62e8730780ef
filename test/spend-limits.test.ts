import { describe, expect, it } from 'vitest';
import { LOOPBACK_WEBHOOKS, ManualClock, makeApi, must, portalClient, STORES } from './helpers.ts';

const DAY = 86_400_000;

describe.each(STORES)('spend limits ($name)', (store) => {
  /** An account with 1,000 credits, two keys, and an endpoint that hears `spend_limit.reached`. */
  async function setup(clock: ManualClock) {
    const api = await makeApi({ store, clock, config: LOOPBACK_WEBHOOKS });
    const { engine, call } = api;
    const hook = must(await engine.webhooks.create('http://127.0.0.1:9/hooks', ['spend_limit.reached']));
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '1000', reason: 'start' });
    const prod = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    const dev = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'dev' })).body;
    let n = 0;
    const use = async (key: { id: string }, credits: string) => {
      const r = await call('POST', '/v1/usage_events', {
        events: [
          {
            id: `e${++n}`,
            api_key_id: key.id,
            model: 'm',
            quantity: '1',
            credits,
            timestamp: new Date(clock.ms).toISOString(),
          },
        ],
      });
      expect(r.body.results[0].status).toBe('accepted');
    };
    const verify = async (key: { secret: string }) =>
      (await call('POST', '/v1/api_keys/verify', { key: key.secret })).body;
    const notices = async () => must(await engine.webhooks.deliveries(hook.id)).length;
    return { ...api, acc, prod, dev, use, verify, notices };
  }

  it('stops a key at 100 credits a day, announces it once, and opens the next UTC day by itself', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 22, 0, 0));
    const { call, prod, dev, use, verify, notices } = await setup(clock);
    const patched = await call('PATCH', `/v1/api_keys/${prod.id}`, {
      spend_limit: { credits: '100', period: 'day' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ spend_limit: { credits: '100', period: 'day' }, spent: '0' });

    await use(prod, '60');
    await use(prod, '39.999999');
    expect(await verify(prod)).toMatchObject({ valid: true });
    expect(await notices()).toBe(0);
    await use(prod, '0.000001'); // exactly at the limit: reached
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    expect(await verify(dev)).toMatchObject({ valid: true }); // the other key has no limit
    expect(await notices()).toBe(1);
    await use(prod, '5'); // usage still counts (it happened); no second notice this day
    expect(await notices()).toBe(1);
    const listed = (await call('GET', `/v1/api_keys/${prod.id}`)).body;
    expect(listed).toMatchObject({ spent: '105', spend_limit: { credits: '100', period: 'day' } });

    clock.ms = Date.UTC(2026, 11, 4, 0, 0, 0); // 00:00 UTC: a new period
    expect(await verify(prod)).toMatchObject({ valid: true });
    expect((await call('GET', `/v1/accounts/${prod.account_id}/api_keys`)).body.data[0].spent).toBe('0');
    await use(prod, '100');
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    expect(await notices()).toBe(2);

    // Removing the limit lets the key through at once.
    await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit: null });
    expect(await verify(prod)).toMatchObject({ valid: true });
  });

  it('caps an account per month across keys, refuses holds past it, and rolls over on the 1st', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 31, 23, 30, 0));
    const { call, acc, prod, dev, use, verify, notices } = await setup(clock);
    const r = await call('PATCH', `/v1/accounts/${acc.id}`, {
      spend_limit: { credits: '50', period: 'month' },
    });
    expect(r.body.spend_limit).toEqual({ credits: '50', period: 'month' });
    await use(prod, '20');
    await use(dev, '20');
    const tooBig = await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '11' });
    expect(tooBig.status).toBe(409);
    expect(tooBig.body.error.code).toBe('spend_limit_reached');
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.pending).toBe('0');
    expect((await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '10' })).status).toBe(201);
    await use(dev, '10');
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    expect(await verify(dev)).toEqual({ valid: false, code: 'spend_limit_reached' });
    expect(await notices()).toBe(1);
    // Billing does not reset what was used: billed and unbilled both count.
    clock.ms += 20 * 60_000;
    expect(clock.ms).toBe(Date.UTC(2026, 11, 31, 23, 50, 0));
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });

    clock.ms = Date.UTC(2027, 0, 1, 0, 0, 0);
    expect(await verify(prod)).toMatchObject({ valid: true });
    // The hold of 10 made in December still reserves its credits: 40 more fit, 41 do not.
    expect((await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '41' })).status).toBe(409);
    expect((await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '40' })).status).toBe(201);
  });

  it('counts captured holds as used and pending holds as reserved against the account limit', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 0, 0));
    const { call, acc, prod, verify, notices } = await setup(clock);
    await call('PATCH', `/v1/accounts/${acc.id}`, { spend_limit: { credits: '100', period: 'day' } });
    const hold = async (credits: string) => call('POST', `/v1/accounts/${acc.id}/holds`, { credits });
    const first = (await hold('60')).body;
    // Pending holds cannot reserve more than the limit together.
    expect((await hold('41')).status).toBe(409);
    const second = (await hold('40')).body;
    expect((await call('POST', `/v1/holds/${first.id}/capture`, { credits: '60' })).status).toBe(200);
    expect(await verify(prod)).toMatchObject({ valid: true }); // 60 used
    expect((await call('POST', `/v1/holds/${second.id}/capture`, { credits: '40' })).status).toBe(200);
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' }); // 100 used
    expect(await notices()).toBe(1);
    expect((await hold('1')).status).toBe(409);
  });

  it('announces a limit set below what is already used at once, and a month limit after a day limit of the 1st', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    const { call, prod, use, verify, notices } = await setup(clock);
    await use(prod, '50');
    await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit: { credits: '40', period: 'day' } });
    expect(await notices()).toBe(1);
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    // The day of the 1st and the month start at the same instant: each period is announced on its own.
    await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit: { credits: '45', period: 'month' } });
    expect(await notices()).toBe(2);
  });

  it('counts billed usage like unbilled', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 15, 0));
    const { engine, call, prod, use, verify } = await setup(clock);
    await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit: { credits: '30', period: 'day' } });
    await use(prod, '30');
    clock.advance(2 * 3_600_000);
    await engine.billing.run();
    expect((await call('GET', `/v1/accounts/${prod.account_id}/balance`)).body.unbilled).toBe('0');
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    clock.advance(DAY);
    expect(await verify(prod)).toMatchObject({ valid: true });
  });

  it("the customer's own limit applies within the operator's cap: the portal can neither remove nor raise it", async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 0, 0));
    const { engine, app, call, acc, prod, use, verify } = await setup(clock);
    // The operator caps the account at 100 credits a day and the key at 80.
    expect(
      (await call('PATCH', `/v1/accounts/${acc.id}`, { spend_limit: { credits: '100', period: 'day' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit: { credits: '80', period: 'day' } }))
        .status,
    ).toBe(200);
    const browse = portalClient(app);
    const signIn = async () => {
      const link = must(await engine.portal.createLink(acc.id));
      expect((await browse(`/portal/session/${link.token}`, {})).status).toBe(303);
      const page = await (await browse('/portal/billing')).text();
      return { page, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
    };
    let { page, csrf } = await signIn();
    expect(page).toMatch(/caps the account at 100 credits a UTC day/);
    // The customer removes "the limit" and sets 500 a day on the account and the key: the caps stay.
    expect((await browse('/portal/billing/limit/remove', { _csrf: csrf })).status).toBe(303);
    expect(
      (await browse('/portal/billing/limit', { _csrf: csrf, credits: '500', period: 'day' })).status,
    ).toBe(303);
    expect(
      (await browse(`/portal/keys/${prod.id}/limit`, { _csrf: csrf, credits: '500', period: 'day' })).status,
    ).toBe(303);
    const account = (await call('GET', `/v1/accounts/${acc.id}`)).body;
    expect(account).toMatchObject({
      spend_limit: { credits: '100', period: 'day' },
      spend_budget: { credits: '500', period: 'day' },
    });
    await use(prod, '80');
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' });
    // The customer's own lower budget wins over the operator's cap: a month budget of 50 on the account.
    clock.ms = Date.UTC(2026, 11, 4, 10, 0, 0);
    expect(await verify(prod)).toMatchObject({ valid: true });
    ({ page, csrf } = await signIn()); // a portal session lasts less than a day
    expect(
      (await browse('/portal/billing/limit', { _csrf: csrf, credits: '50', period: 'month' })).status,
    ).toBe(303);
    expect(await verify(prod)).toEqual({ valid: false, code: 'spend_limit_reached' }); // 80 used this month
    const hold = await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '1' });
    expect([hold.status, hold.body.error.code]).toEqual([409, 'spend_limit_reached']);
    // Removing their own budget leaves the operator's cap in force.
    expect((await browse('/portal/billing/limit/remove', { _csrf: csrf })).status).toBe(303);
    expect(await verify(prod)).toMatchObject({ valid: true });
    expect((await call('GET', `/v1/accounts/${acc.id}`)).body.spend_limit).toEqual({
      credits: '100',
      period: 'day',
    });
  });

  it('refuses a limit that is not a positive amount within the maximum', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 15, 0));
    const { call, prod } = await setup(clock);
    const bad = async (spend_limit: unknown) =>
      (await call('PATCH', `/v1/api_keys/${prod.id}`, { spend_limit })).body.error.code;
    expect(await bad({ credits: '0', period: 'day' })).toBe('validation_failed');
    expect(await bad({ credits: '10', period: 'week' })).toBe('validation_failed');
    expect(await bad({ credits: '10000000000', period: 'day' })).toBe('amount_out_of_range');
    expect((await call('GET', `/v1/api_keys/${prod.id}`)).body.spend_limit).toBeNull();
  });
});

describe.each(STORES)('spend limits under concurrency ($name)', (store) => {
  it('verifications racing ingests at the limit never let a key through once its usage reached it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const { call, engine } = await makeApi({ store, clock });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '1000', reason: 'x' });
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    await call('PATCH', `/v1/api_keys/${key.id}`, { spend_limit: { credits: '50', period: 'day' } });
    const ts = new Date(clock.ms).toISOString();
    const ingests = Array.from({ length: 100 }, (_, i) =>
      engine.usage.ingest([
        { id: `c${i}`, api_key_id: key.id, model: 'm', quantity: '1', credits: '1', timestamp: ts },
      ]),
    );
    const verdicts = await Promise.all([
      ...Array.from({ length: 100 }, () => engine.keys.verify(key.secret)),
      ...ingests,
    ]);
    // Every verification answered one of the two; afterwards the key is stopped.
    for (const v of verdicts.slice(0, 100))
      expect(['valid', 'spend_limit_reached']).toContain(
        (v as { valid: boolean; code?: string }).valid ? 'valid' : (v as { code: string }).code,
      );
    expect(await engine.keys.verify(key.secret)).toEqual({ valid: false, code: 'spend_limit_reached' });
    expect((await call('GET', `/v1/api_keys/${key.id}`)).body.spent).toBe('100');
  });
});

describe.each(STORES)('runway ($name)', (store) => {
  it('says how long the credits last at the last 24 hours’ rate, and warns once a day under the threshold', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const { engine, call } = await makeApi({ store, clock, config: LOOPBACK_WEBHOOKS });
    const hook = must(await engine.webhooks.create('http://127.0.0.1:9/hooks', ['balance.runway_low']));
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '1000', reason: 'start' });
    const balance = async () => (await call('GET', `/v1/accounts/${acc.id}/balance`)).body;
    expect((await balance()).runway_seconds).toBeNull();
    let n = 0;
    const use = async (credits: string, atMs: number) =>
      engine.usage.ingest([
        {
          id: `r${++n}`,
          account_id: acc.id,
          model: 'm',
          quantity: '1',
          credits,
          timestamp: new Date(atMs).toISOString(),
        },
      ]);
    // 100 credits over the last 24 hours, 900 left: 9 days.
    await use('60', clock.ms - 20 * 3_600_000);
    await use('40', clock.ms - 60_000);
    expect(await balance()).toMatchObject({ available: '900', runway_seconds: 9 * 86_400 });
    expect(must(await engine.webhooks.deliveries(hook.id))).toHaveLength(0);
    // Usage older than the window does not count.
    clock.advance(2 * 86_400_000);
    expect((await balance()).runway_seconds).toBeNull();
    // 850 in the window, 50 left: about 1.4 hours, under the 24 h threshold; warned once.
    await use('850', clock.ms - 3_600_000);
    const b = await balance();
    expect(b.available).toBe('50');
    expect(b.runway_seconds).toBe(Math.floor((50 * 86_400) / 850));
    await use('1', clock.ms);
    expect(must(await engine.webhooks.deliveries(hook.id))).toHaveLength(1);
  });
});
