import { describe, expect, it } from 'vitest';
import { ADMIN, HOUR, ManualClock, makeApi, makeEngine, must, STORES } from './helpers.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(STORES)('usage events ($name)', (store) => {
  it('answers accepted, duplicate and rejected per event, in input order', async () => {
    const { call, clock } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    const now = iso(clock.ms);
    const r = await call('POST', '/v1/usage_events', {
      events: [
        { id: 'a', api_key_id: key.id, model: 'video-4s-720p', quantity: '1', timestamp: now },
        { id: 'a', api_key_id: key.id, model: 'video-4s-720p', quantity: '1', timestamp: now },
        { id: 'a', api_key_id: key.id, model: 'video-4s-720p', quantity: '2', timestamp: now },
        { id: 'b', api_key_id: 'key_unknown', model: 'video-4s-720p', quantity: '1', timestamp: now },
        { id: 'c', api_key_id: key.id, model: 'not-priced', quantity: '1', timestamp: now },
        { id: 'd', api_key_id: key.id, model: 'not-priced', quantity: '1', credits: '3.5', timestamp: now },
        { id: 'e', api_key_id: key.id, model: 'video-4s-720p', quantity: '-1', timestamp: now },
        {
          id: 'f',
          api_key_id: key.id,
          account_id: acc.id,
          model: 'video-4s-720p',
          quantity: '1',
          timestamp: now,
        },
        { id: 'g', account_id: acc.id, model: 'video-4s-720p', quantity: '1', timestamp: 'yesterday' },
      ],
    });
    expect(
      r.body.results.map((x: { id: string; status: string; code?: string }) => [x.id, x.status, x.code]),
    ).toEqual([
      ['a', 'accepted', undefined],
      ['a', 'duplicate', undefined],
      ['a', 'rejected', 'idempotency_conflict'],
      ['b', 'rejected', 'unknown_key'],
      ['c', 'rejected', 'unknown_model'],
      ['d', 'accepted', undefined],
      ['e', 'rejected', 'validation_failed'],
      ['f', 'rejected', 'validation_failed'],
      ['g', 'rejected', 'validation_failed'],
    ]);
    // 20 credits for one 4s 720p clip, plus 3.5 pre-rated.
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      unbilled: '23.5',
      available: '-23.5',
    });
  });

  it('counts a retried id with another timestamp as a conflict, never twice', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const e = {
      id: 'x',
      account_id: acc.id,
      model: 'video-4s-720p',
      quantity: '1',
      timestamp: iso(clock.ms),
    };
    expect((await engine.usage.ingest([e]))[0]!.status).toBe('accepted');
    clock.advance(10 * HOUR);
    expect((await engine.usage.ingest([{ ...e, timestamp: iso(clock.ms) }]))[0]).toMatchObject({
      status: 'rejected',
      code: 'idempotency_conflict',
    });
    expect((await engine.usage.ingest([e]))[0]!.status).toBe('duplicate');
    expect(must(await engine.accounts.balance(acc.id)).unbilled).toBe(20_000_000n);
  });

  it('accepts late events up to 35 days, in their own hour, and rejects future ones beyond 5 minutes', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const ev = (id: string, ms: number) => ({
      id,
      account_id: acc.id,
      model: 'image-1024',
      quantity: '1',
      timestamp: iso(ms),
    });
    const r = await engine.usage.ingest([
      ev('late', clock.ms - 34 * 24 * HOUR),
      ev('too-late', clock.ms - 36 * 24 * HOUR),
      ev('skew', clock.ms + 4 * 60_000),
      ev('future', clock.ms + 6 * 60_000),
    ]);
    expect(r.map((x) => (x.status === 'rejected' ? x.code : x.status))).toEqual([
      'accepted',
      'too_old',
      'accepted',
      'in_future',
    ]);
    const hours = await engine.storage.usageHours({
      accountId: acc.id,
      fromMs: clock.ms - 40 * 24 * HOUR,
      toMs: clock.ms + HOUR,
    });
    const lateHour = clock.ms - 34 * 24 * HOUR;
    expect(hours.map((h) => h.hourMs)).toContain(lateHour - (lateHour % HOUR));
  });

  it('coalesces concurrent single-event calls into one commit (group commit)', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    // One event first, so the account is known and the 200 calls below queue in the same turn.
    await engine.usage.ingest([
      { id: 'first', account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: iso(clock.ms) },
    ]);
    const commits: number[] = [];
    engine.observe({ groupCommit: (n) => commits.push(n) });
    const calls = Array.from({ length: 200 }, (_, i) =>
      engine.usage.ingest([
        { id: `e${i}`, account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: iso(clock.ms) },
      ]),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r[0]!.status === 'accepted')).toBe(true);
    expect(commits).toEqual([200]);
  });

  it('keeps the real-time balance in step with every accepted event, and verification sees it at once', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(acc.id, { credits: '40', reason: 'trial' }));
    const { key, secret } = must(await engine.keys.create(acc.id, 'prod'));
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: true, available: 40_000_000n });
    await engine.usage.ingest([
      { id: '1', api_key_id: key.id, model: 'video-4s-720p', quantity: '1', timestamp: iso(clock.ms) },
    ]);
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: true, available: 20_000_000n });
    await engine.usage.ingest([
      { id: '2', api_key_id: key.id, model: 'video-4s-720p', quantity: '1', timestamp: iso(clock.ms) },
    ]);
    expect(await engine.keys.verify(secret)).toEqual({ valid: false, code: 'insufficient_credits' });
  });
});

describe.each(STORES)('hourly billing ($name)', (store) => {
  it('bills each closed hour once per account, idempotently, and catches up after a gap', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 8, 10));
    const { engine } = await makeEngine({ store, clock });
    const a = must(await engine.accounts.create({ name: 'A' }));
    const b = must(await engine.accounts.create({ name: 'B' }));
    must(await engine.credits.grant(a.id, { credits: '1000', reason: 'x' }));
    const hoursBack = [5, 4, 2, 1, 0];
    const events = hoursBack.flatMap((h, i) => [
      {
        id: `a${i}`,
        account_id: a.id,
        model: 'image-1024',
        quantity: '3',
        timestamp: iso(clock.ms - h * HOUR),
      },
      {
        id: `b${i}`,
        account_id: b.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: iso(clock.ms - h * HOUR),
      },
    ]);
    clock.advance(0);
    await engine.usage.ingest(events);
    // Five hours with usage, the current one still open: four closed hours billed.
    const first = await engine.billing.run();
    expect(first).toMatchObject({ hours: 4, accounts: 2, creditsMinor: 4n * 8_000_000n });
    expect(await engine.billing.run()).toMatchObject({ hours: 0, accounts: 0, creditsMinor: 0n });
    expect(must(await engine.accounts.balance(a.id))).toMatchObject({
      posted: 1000_000_000n - 24_000_000n,
      unbilled: 6_000_000n,
    });
    // B had no credits: consumed usage is billed past zero.
    expect(must(await engine.accounts.balance(b.id)).posted).toBe(-8_000_000n);
    // A late event for an already billed hour is billed by the next run.
    await engine.usage.ingest([
      {
        id: 'late',
        account_id: a.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: iso(clock.ms - 4 * HOUR),
      },
    ]);
    clock.advance(HOUR);
    expect(await engine.billing.run()).toMatchObject({ hours: 2, creditsMinor: 2_000_000n + 8_000_000n });
    expect(must(await engine.accounts.balance(a.id))).toMatchObject({
      posted: 1000_000_000n - 32_000_000n,
      unbilled: 0n,
    });
    const audit = await engine.ledger.audit();
    expect(audit).toEqual({ assetSums: [{ asset: 'credits', sum: 0n }], mismatchedAccounts: [] });
  });

  it('runs over HTTP with a through time and answers what it billed', async () => {
    const { call, clock } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', '/v1/usage_events', {
      events: [
        {
          id: '1',
          account_id: acc.id,
          model: 'image-1024',
          quantity: '1',
          timestamp: iso(clock.ms - 3 * HOUR),
        },
      ],
    });
    const r = await call('POST', '/v1/billing_runs', { through: iso(clock.ms - 5 * HOUR) });
    expect(r.body).toMatchObject({ hours: 0, accounts: 0, credits: '0' });
    const r2 = await call('POST', '/v1/billing_runs', {});
    expect(r2.body).toMatchObject({ hours: 1, accounts: 1, credits: '2' });
  });
});

describe.each(STORES)('holds ($name)', (store) => {
  it('reserves, captures the actual amount and releases the rest', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'x' });
    const tooBig = await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '100.000001' });
    expect(tooBig.body.error.code).toBe('insufficient_credits');
    const hold = await call('POST', `/v1/accounts/${acc.id}/holds`, {
      credits: '60',
      ttl_seconds: 600,
      reference: 'job_1',
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ status: 'pending', credits: '60' });
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      posted: '100',
      pending: '60',
      available: '40',
    });
    expect((await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '41' })).body.error.code).toBe(
      'insufficient_credits',
    );
    expect((await call('POST', `/v1/holds/${hold.body.id}/capture`, { credits: '61' })).status).toBe(422);
    expect((await call('POST', `/v1/holds/${hold.body.id}/capture`, { credits: '45' })).body.status).toBe(
      'captured',
    );
    expect((await call('POST', `/v1/holds/${hold.body.id}/capture`, { credits: '45' })).body.status).toBe(
      'captured',
    );
    expect((await call('POST', `/v1/holds/${hold.body.id}/release`)).body.error.code).toBe('invalid_state');
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      posted: '55',
      pending: '0',
      available: '55',
    });
  });

  it('releases once, and expires after the TTL by the sweeper', async () => {
    const { call, engine, clock } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'x' });
    const h1 = (await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '10' })).body;
    expect((await call('POST', `/v1/holds/${h1.id}/release`)).body.status).toBe('released');
    expect((await call('POST', `/v1/holds/${h1.id}/capture`, { credits: '5' })).body.error.code).toBe(
      'invalid_state',
    );
    const h2 = (await call('POST', `/v1/accounts/${acc.id}/holds`, { credits: '30', ttl_seconds: 60 })).body;
    expect(await engine.holds.expire()).toBe(0);
    clock.advance(61_000);
    expect((await call('POST', `/v1/holds/${h2.id}/capture`, { credits: '5' })).body.error.code).toBe(
      'invalid_state',
    );
    expect(await engine.holds.expire()).toBe(1);
    expect((await call('GET', `/v1/holds/${h2.id}`)).body.status).toBe('expired');
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      posted: '100',
      pending: '0',
      available: '100',
    });
  });
});

describe.each(STORES)('billing runs over HTTP without a body ($name)', (store) => {
  it('accept a POST with no body at all', async () => {
    const { app } = await makeApi({ store });
    const res = await app.request('/v1/billing_runs', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ hours: 0, accounts: 0, credits: '0' });
  });
});
