import { describe, expect, it } from 'vitest';
import type { RateEntry } from '../src/core/kernel/model.ts';
import {
  applyContract,
  compileEntry,
  discounted,
  parseRateEntries,
  rateDimensions,
  versionAt,
} from '../src/core/prices/index.ts';
import { freshPgSchema, HOUR, ManualClock, makeApi, makeEngine, must, STORES } from './helpers.ts';

const M = 1_000_000n;
const chat: RateEntry = {
  model: 'chat-large',
  dimensions: [
    { name: 'input_tokens', credits: '2.5', per: '1000000', whole: true },
    { name: 'cached_input_tokens', credits: '1.25', per: '1000000', whole: true },
    { name: 'output_tokens', credits: '10', per: '1000000', whole: true },
  ],
};

describe('rating by dimensions (core)', () => {
  const rate = (entry: RateEntry, q: bigint[]) => rateDimensions(compileEntry(entry), q, 6, 6);

  it('sums the dimensions exactly and rounds once, half up, to the credit scale', () => {
    // 1,200 x 2.5/1M + 800 x 1.25/1M + 350 x 10/1M = 0.003 + 0.001 + 0.0035 = 0.0075 credits
    expect(rate(chat, [1200n * M, 800n * M, 350n * M])).toBe(7500n);
    // 1 input token: 0.0000025 credits = 2.5 micro-credits, half up to 3; rounded per dimension
    // and summed, 1 input + 1 cached (1.25 -> 1) would give 4, the exact sum 3.75 gives 4 too,
    // but 1 input + 3 cached: 2.5 + 3.75 = 6.25 -> 6 (per dimension: 3 + 4 = 7).
    expect(rate(chat, [1n * M, 0n, 0n])).toBe(3n);
    expect(rate(chat, [1n * M, 3n * M, 0n])).toBe(6n);
    // Just below and at the half: 0.4999995 -> 0, 0.5 -> 1 micro-credit.
    const tiny: RateEntry = {
      model: 't',
      dimensions: [{ name: 'quantity', credits: '0.0000001', per: '1', whole: false }],
    };
    expect(rate(tiny, [4_999_999n])).toBe(0n);
    expect(rate(tiny, [5_000_000n])).toBe(1n);
    expect(rate(chat, [0n, 0n, 0n])).toBe(0n);
  });

  it('prices per a number of units that does not divide evenly, exactly', () => {
    const thirds: RateEntry = {
      model: 'v',
      dimensions: [{ name: 'seconds', credits: '1', per: '3', whole: false }],
    };
    // 1 second at 1/3 credit: 0.333333(3) -> 0.333333; 2 seconds: 0.666666(6) -> 0.666667
    expect(rate(thirds, [1n * M])).toBe(333_333n);
    expect(rate(thirds, [2n * M])).toBe(666_667n);
  });

  it('applies a discount to the exact price, rounding only the event', () => {
    expect(discounted('2.5', '10')).toBe('2.25');
    expect(discounted('0.05', '33.3333')).toBe('0.03333335');
    const card = [chat];
    const contract = {
      id: 'c',
      accountId: 'a',
      startsAtMs: 0,
      endsAtMs: null,
      discountPercent: '20',
      models: [],
      createdAtMs: 0,
    };
    const [e] = applyContract(card, contract);
    expect(e!.dimensions.map((d) => d.credits)).toEqual(['2', '1', '8']);
  });

  it('finds the version in effect: the last that started at or before the time', () => {
    const vs = [{ effectiveAtMs: 0 }, { effectiveAtMs: 100 }, { effectiveAtMs: 200 }];
    expect(versionAt(vs, 99)).toBe(vs[0]);
    expect(versionAt(vs, 100)).toBe(vs[1]);
    expect(versionAt(vs, 10_000)).toBe(vs[2]);
    expect(versionAt(vs.slice(1), 50)).toBeUndefined();
  });

  it('refuses entries that cannot be priced, with the field named', () => {
    const bad = (models: unknown) => {
      const r = parseRateEntries(models);
      return r.ok ? 'ok' : r.message;
    };
    expect(bad([{ model: 'a', credits: 2 }])).toMatch(/credits must be a non-negative decimal string/);
    expect(bad([{ model: 'a', credits: '1', per: '0' }])).toMatch(/per must be a positive/);
    expect(
      bad([
        { model: 'a', credits: '1' },
        { model: 'a', credits: '2' },
      ]),
    ).toMatch(/listed twice/);
    expect(bad([{ model: 'a', dimensions: [{ name: 'Input Tokens', credits: '1' }] }])).toMatch(/lower-case/);
    expect(bad([{ model: 'a', credits: '1', dimensions: [] }])).toMatch(/not both/);
    expect(bad([])).toMatch(/at least one/);
    expect(parseRateEntries([{ model: 'a', credits: '1', whole: true }])).toEqual({
      ok: true,
      value: [{ model: 'a', dimensions: [{ name: 'quantity', credits: '1', per: '1', whole: true }] }],
    });
  });
});

describe.each(STORES)('rate card over the API ($name)', (store) => {
  const card = {
    priceBook: [
      chat,
      { model: 'image-1024', dimensions: [{ name: 'quantity', credits: '2', per: '1', whole: true }] },
      {
        model: 'video-seconds-1080p',
        dimensions: [{ name: 'seconds', credits: '8.75', per: '1', whole: false }],
      },
    ],
  };

  async function setup() {
    const clock = new ManualClock();
    const api = await makeApi({ store, clock, config: card });
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await api.call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'start' });
    const at = (offsetMs = 0) => new Date(clock.nowMs() + offsetMs).toISOString();
    const send = async (events: object[]) =>
      (await api.call('POST', '/v1/usage_events', { events })).body.results as {
        id: string;
        status: string;
        code?: string;
      }[];
    const record = async (id: string) =>
      (await api.call('GET', `/v1/accounts/${acc.id}/usage/records?limit=100`)).body.data.find(
        (r: { id: string }) => r.id === id,
      );
    const available = async () => (await api.call('GET', `/v1/accounts/${acc.id}/balance`)).body.available;
    return { ...api, clock, acc, at, send, record, available };
  }

  it('rates a three-dimension model to the exact credit and shows how', async () => {
    const t = await setup();
    const results = await t.send([
      {
        id: 'chat-1',
        account_id: t.acc.id,
        model: 'chat-large',
        quantities: { input_tokens: '120000', cached_input_tokens: '80000', output_tokens: '35000' },
        timestamp: t.at(),
      },
    ]);
    expect(results).toEqual([{ id: 'chat-1', status: 'accepted' }]);
    // 120,000 x 2.5/1M + 80,000 x 1.25/1M + 35,000 x 10/1M = 0.3 + 0.1 + 0.35 = 0.75
    expect(await t.available()).toBe('99.25');
    const r = await t.record('chat-1');
    expect(r.credits).toBe('0.75');
    expect(r.quantities).toEqual({
      cached_input_tokens: '80000',
      input_tokens: '120000',
      output_tokens: '35000',
    });
    expect(r.price_version_id).toBe('prv_initial');
    expect(r.rating).toEqual([
      { dimension: 'input_tokens', quantity: '120000', credits: '2.5', per: '1000000' },
      { dimension: 'cached_input_tokens', quantity: '80000', credits: '1.25', per: '1000000' },
      { dimension: 'output_tokens', quantity: '35000', credits: '10', per: '1000000' },
    ]);
    // A dimension left out counts 0; seconds of video by the second.
    expect(
      await t.send([
        {
          id: 'chat-2',
          account_id: t.acc.id,
          model: 'chat-large',
          quantities: { output_tokens: 1000 },
          timestamp: t.at(),
        },
        {
          id: 'vid-1',
          account_id: t.acc.id,
          model: 'video-seconds-1080p',
          quantities: { seconds: '6.5' },
          timestamp: t.at(),
        },
      ]),
    ).toEqual([
      { id: 'chat-2', status: 'accepted' },
      { id: 'vid-1', status: 'accepted' },
    ]);
    // 0.01 + 6.5 x 8.75 = 56.875: 100 - 0.75 - 0.01 - 56.875
    expect(await t.available()).toBe('42.365');
    expect((await t.record('vid-1')).unit_price).toBe('seconds=8.75/1');
    const csv = (await t.call('GET', `/v1/accounts/${t.acc.id}/usage/records.csv`)).text.trim().split('\n');
    expect(csv[0]!.split(',').slice(-2)).toEqual(['quantities', 'price_version_id']);
    const chatLine = csv.find((l) => l.includes(',chat-1,'))!.split(',');
    expect(chatLine.slice(4, 6)).toEqual(['235000', '0.75']);
    expect(chatLine.slice(-2)).toEqual([
      'input_tokens=120000;cached_input_tokens=80000;output_tokens=35000',
      'prv_initial',
    ]);
  });

  it('refuses a dimension the model does not price, a fractional whole quantity, and quantity on a multi-dimension model', async () => {
    const t = await setup();
    const base = { account_id: t.acc.id, timestamp: t.at() };
    const results = await t.send([
      { ...base, id: 'a', model: 'chat-large', quantities: { input_tokens: '10', reasoning_tokens: '5' } },
      { ...base, id: 'b', model: 'image-1024', quantity: '1.5' },
      { ...base, id: 'c', model: 'chat-large', quantity: '100' },
      { ...base, id: 'd', model: 'chat-large', quantities: { input_tokens: '10.5' } },
      { ...base, id: 'e', model: 'chat-large', quantities: { input_tokens: '1e3' } },
      { ...base, id: 'f', model: 'image-1024', quantity: '2', quantities: { quantity: '2' } },
      { ...base, id: 'g', model: 'chat-large', quantities: { input_tokens: '1000000000000000000' } },
      { ...base, id: 'h', model: 'image-1024', quantities: { quantity: '3' } },
    ]);
    expect(results.map((r) => [r.id, r.status, r.code])).toEqual([
      ['a', 'rejected', 'validation_failed'],
      ['b', 'rejected', 'validation_failed'],
      ['c', 'rejected', 'validation_failed'],
      ['d', 'rejected', 'validation_failed'],
      ['e', 'rejected', 'validation_failed'],
      ['f', 'rejected', 'validation_failed'],
      ['g', 'rejected', 'amount_out_of_range'],
      ['h', 'accepted', undefined],
    ]);
    expect(await t.available()).toBe('94');
  });

  it('rates each event by the version in effect at its timestamp, and never re-rates', async () => {
    const t = await setup();
    const early = t.at(-2 * HOUR);
    expect(
      await t.send([
        { id: 'old-1', account_id: t.acc.id, model: 'image-1024', quantity: '1', timestamp: early },
      ]),
    ).toEqual([{ id: 'old-1', status: 'accepted' }]);
    const past = await t.call('POST', '/v1/price_versions', { effective_at: t.at(-HOUR), models: [] });
    expect(past.status).toBe(422);
    const effective = t.at(HOUR);
    const created = await t.call('POST', '/v1/price_versions', {
      effective_at: effective,
      models: [{ model: 'image-1024', credits: '3', whole: true }],
      note: 'images up',
    });
    expect(created.status).toBe(201);
    expect(created.body.effective_at).toBe(effective);
    const same = await t.call('POST', '/v1/price_versions', {
      effective_at: effective,
      models: [{ model: 'image-1024', credits: '4' }],
    });
    expect(same.status).toBe(409);
    expect((await t.call('GET', '/v1/price_versions')).body.data.map((v: { id: string }) => v.id)).toEqual([
      created.body.id,
      'prv_initial',
    ]);
    t.clock.advance(2 * HOUR);
    // Late events before the change: the old price; after it: the new one. A model the new
    // version does not list has no price in its time.
    const results = await t.send([
      { id: 'late-1', account_id: t.acc.id, model: 'image-1024', quantity: '1', timestamp: early },
      { id: 'new-1', account_id: t.acc.id, model: 'image-1024', quantity: '1', timestamp: t.at() },
      {
        id: 'new-2',
        account_id: t.acc.id,
        model: 'chat-large',
        quantities: { input_tokens: '1' },
        timestamp: t.at(),
      },
    ]);
    expect(results.map((r) => r.code ?? r.status)).toEqual(['accepted', 'accepted', 'unknown_model']);
    expect((await t.record('old-1')).credits).toBe('2');
    expect((await t.record('late-1')).credits).toBe('2');
    expect((await t.record('late-1')).price_version_id).toBe('prv_initial');
    expect((await t.record('new-1')).credits).toBe('3');
    expect((await t.record('new-1')).price_version_id).toBe(created.body.id);
    expect(await t.available()).toBe('93');
    const now = await t.call('GET', '/v1/prices');
    expect(now.body.version_id).toBe(created.body.id);
    const before = await t.call('GET', `/v1/prices?at=${encodeURIComponent(early)}`);
    expect(before.body.version_id).toBe('prv_initial');
    expect(before.body.models.map((m: { model: string }) => m.model)).toContain('chat-large');
  });

  it('rates an account with a contract at its discount, or its own price, only inside the contract', async () => {
    const t = await setup();
    const other = (await t.call('POST', '/v1/accounts', { name: 'Other' })).body;
    await t.call('POST', `/v1/accounts/${other.id}/credit_grants`, { credits: '100', reason: 'start' });
    const contract = await t.call('POST', `/v1/accounts/${t.acc.id}/contracts`, {
      starts_at: t.at(),
      ends_at: t.at(10 * HOUR),
      discount_percent: '20',
      models: [{ model: 'video-seconds-1080p', dimensions: [{ name: 'seconds', credits: '5' }] }],
    });
    expect(contract.status).toBe(201);
    const overlap = await t.call('POST', `/v1/accounts/${t.acc.id}/contracts`, {
      starts_at: t.at(HOUR),
      discount_percent: 50,
    });
    expect(overlap.status).toBe(409);
    const bad = await t.call('POST', `/v1/accounts/${other.id}/contracts`, { discount_percent: 101 });
    expect(bad.status).toBe(422);
    const prices = await t.call('GET', `/v1/prices?account_id=${t.acc.id}`);
    expect(prices.body.contract_id).toBe(contract.body.id);
    const image = prices.body.models.find((m: { model: string }) => m.model === 'image-1024');
    expect(image.dimensions[0].credits).toBe('1.6');
    const results = await t.send([
      { id: 'c-img', account_id: t.acc.id, model: 'image-1024', quantity: '5', timestamp: t.at() },
      {
        id: 'c-vid',
        account_id: t.acc.id,
        model: 'video-seconds-1080p',
        quantities: { seconds: '2' },
        timestamp: t.at(),
      },
      { id: 'o-img', account_id: other.id, model: 'image-1024', quantity: '5', timestamp: t.at() },
      { id: 'c-before', account_id: t.acc.id, model: 'image-1024', quantity: '5', timestamp: t.at(-HOUR) },
    ]);
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    // 5 x 1.6 = 8 (20 % off 10); 2 s x 5 = 10 (its own price); before the contract: 10.
    expect((await t.record('c-img')).credits).toBe('8');
    expect((await t.record('c-vid')).credits).toBe('10');
    expect((await t.record('c-before')).credits).toBe('10');
    expect((await t.record('c-vid')).contract_id).toBe(contract.body.id);
    expect((await t.record('c-vid')).rating).toEqual([
      { dimension: 'seconds', quantity: '2', credits: '5', per: '1' },
    ]);
    expect((await t.record('c-before')).contract_id).toBeNull();
    expect(await t.available()).toBe('72');
    expect((await t.call('GET', `/v1/accounts/${other.id}/balance`)).body.available).toBe('90');
    // Ended now: from now on, the card.
    t.clock.advance(HOUR);
    const ended = await t.call('POST', `/v1/contracts/${contract.body.id}/end`);
    expect(ended.body.ends_at).toBe(t.at());
    await t.send([
      { id: 'c-after', account_id: t.acc.id, model: 'image-1024', quantity: '5', timestamp: t.at() },
    ]);
    expect((await t.record('c-after')).credits).toBe('10');
    const list = await t.call('GET', `/v1/accounts/${t.acc.id}/contracts`);
    expect(list.body.data).toHaveLength(1);
  });

  it('meters CloudEvents with data.quantities', async () => {
    const t = await setup();
    const res = await t.app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'ce-1',
        source: 'chat',
        type: 'chat-large',
        subject: t.acc.id,
        time: t.at(),
        data: { quantities: { input_tokens: '400000', output_tokens: '100000' } },
      }),
    });
    expect(await res.json()).toEqual({ results: [{ id: 'ce-1', status: 'accepted' }] });
    // 0.4 x 2.5 + 0.1 x 10 = 2
    expect(await t.available()).toBe('98');
  });
});

const ADMIN_TOKEN = 'test-admin-token-of-32-characters-at-least';

describe.runIf(process.env.TOLLGATE_PG_URL)('two processes on one PostgreSQL database', () => {
  it('a version or contract made by one reaches the other within the shared cache TTL', async () => {
    const schema = freshPgSchema('prices');
    const clock = new ManualClock();
    const database = { postgres: process.env.TOLLGATE_PG_URL!, schema };
    const a = await makeEngine({ clock, database });
    const b = await makeEngine({ clock, database });
    const account = must(await a.engine.accounts.create({ name: 'Acme' })).id;
    const at = new Date(clock.nowMs() + 1000).toISOString();
    const send = async (id: string) => {
      const [r] = await b.engine.usage.ingest([
        {
          id,
          account_id: account,
          model: 'image-1024',
          quantity: '1',
          timestamp: new Date(clock.nowMs()).toISOString(),
        },
      ]);
      expect(r!.status).toBe('accepted');
      return (await b.engine.usage.event(id))!.creditsMinor;
    };
    expect(await send('before')).toBe(2_000_000n);
    must(
      await a.engine.prices.createVersion({
        effective_at: at,
        models: [{ model: 'image-1024', credits: '3' }],
      }),
    );
    must(await a.engine.contracts.create(account, { discount_percent: '50', starts_at: at }));
    clock.advance(1001);
    // Past the TTL (1 s on a shared store): the other process rates by the new version and contract.
    expect(await send('after')).toBe(1_500_000n);
  });
});
