import { describe, expect, it } from 'vitest';
import { freshPgSchema, ManualClock, makeApi, makeEngine, must, STORES } from '../helpers.ts';

const C = 1_000_000n;
const PG_URL = process.env.TOLLGATE_PG_URL;

describe.each(STORES)('credit allowances ($name)', (store) => {
  it('grants at once, again on the 1st of each month exactly once, expiring at month end; delete stops the next', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30));
    const { call, engine } = await makeApi({ store, clock });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body.id as string;
    const created = await call('POST', `/v1/accounts/${acc}/credit_allowances`, {
      credits: '100',
      period: 'month',
      reason: 'free tier',
      models: ['video-8s'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      account_id: acc,
      credits: '100',
      period: 'month',
      reason: 'free tier',
      models: ['video-8s'],
      created_at: '2026-11-25T13:30:00Z',
      ended_at: null,
    });
    expect(created.body.id).toMatch(/^alw_/);
    const lots = async () =>
      (await engine.credits.lots(acc)).map((l) => [
        l.sourceId,
        l.remainingMinor / C,
        new Date(l.expiresAtMs!).toISOString(),
        l.models,
      ]);
    // Granted at once, expiring when November ends.
    expect(await lots()).toEqual([
      [`${created.body.id}:2026-11`, 100n, '2026-12-01T00:00:00.000Z', ['video-8s']],
    ]);
    expect((await call('GET', `/v1/accounts/${acc}/balance`)).body).toMatchObject({
      posted: '100',
      available: '0',
      available_by_model: { 'video-8s': '100' },
    });
    // Running it again within the month grants nothing.
    expect((await engine.allowances.grantDue()).granted).toBe(0);
    await engine.usage.ingest([
      {
        id: 'u1',
        account_id: acc,
        model: 'video-8s',
        quantity: '1',
        credits: '30',
        timestamp: new Date(clock.ms).toISOString(),
      },
    ]);

    // December 1st, 00:00 UTC: November's lot expires with what is unspent, December's is granted once.
    clock.ms = Date.UTC(2026, 11, 1);
    await engine.billing.run();
    expect(await engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: 70n * C });
    expect((await engine.allowances.grantDue()).granted).toBe(1);
    expect((await engine.allowances.grantDue()).granted).toBe(0);
    expect(await lots()).toEqual([
      [`${created.body.id}:2026-12`, 100n, '2027-01-01T00:00:00.000Z', ['video-8s']],
    ]);
    expect((await call('GET', `/v1/accounts/${acc}/balance`)).body).toMatchObject({
      posted: '100',
      available_by_model: { 'video-8s': '100' },
    });

    // Stopped in December: December's grant stays, January gets none.
    clock.ms = Date.UTC(2026, 11, 15);
    const ended = await call('DELETE', `/v1/credit_allowances/${created.body.id}`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: created.body.id, ended_at: '2026-12-15T00:00:00Z' });
    const again = await call('DELETE', `/v1/credit_allowances/${created.body.id}`);
    expect(again.body.ended_at).toBe('2026-12-15T00:00:00Z');
    clock.ms = Date.UTC(2027, 0, 1);
    expect((await engine.allowances.grantDue()).granted).toBe(0);
    expect(await engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: 100n * C });
    expect(await lots()).toEqual([]);
    const list = await call('GET', `/v1/accounts/${acc}/credit_allowances`);
    expect(list.body.data.map((a: { id: string; ended_at: string }) => [a.id, a.ended_at])).toEqual([
      [created.body.id, '2026-12-15T00:00:00Z'],
    ]);
    const audit = await engine.ledger.audit();
    expect(audit.mismatchedAccounts).toEqual([]);
  });

  it('an unscoped allowance pays any model; bad input is validation_failed; unknown ids are not_found', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body.id as string;
    const ok = await call('POST', `/v1/accounts/${acc}/credit_allowances`, {
      credits: '12.5',
      period: 'month',
      reason: 'starter',
    });
    expect(ok.body.models).toBeNull();
    expect((await call('GET', `/v1/accounts/${acc}/balance`)).body).toMatchObject({
      available: '12.5',
      available_by_model: {},
    });
    for (const [body, field] of [
      [{ credits: '1', period: 'week', reason: 'x' }, 'period'],
      [{ credits: '0', period: 'month', reason: 'x' }, 'credits'],
      [{ credits: '1', period: 'month', reason: ' ' }, 'reason'],
      [{ credits: '1', period: 'month', reason: 'x', models: [] }, 'models'],
    ] as const) {
      const r = await call('POST', `/v1/accounts/${acc}/credit_allowances`, body);
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'validation_failed' });
      expect(JSON.stringify(r.body.error)).toContain(field);
    }
    expect(
      (
        await call('POST', '/v1/accounts/acc_nonexistent00/credit_allowances', {
          credits: '1',
          period: 'month',
          reason: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await call('DELETE', '/v1/credit_allowances/alw_nonexistent00')).status).toBe(404);
  });
});

describe.skipIf(!PG_URL)('credit allowances on one PostgreSQL database, two engines', () => {
  it('running the grants concurrently grants each month once', async () => {
    const schema = freshPgSchema('t_alw');
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30));
    const database = { postgres: PG_URL!, schema };
    const a = (await makeEngine({ database, clock })).engine;
    const b = (await makeEngine({ database, clock })).engine;
    const accounts = await Promise.all(
      [1, 2, 3].map(async (i) => must(await a.accounts.create({ name: `Acme ${i}` })).id),
    );
    for (const acc of accounts)
      must(await a.allowances.create(acc, { credits: '10', period: 'month', reason: 'free tier' }));
    clock.ms = Date.UTC(2026, 11, 1);
    const runs = await Promise.all([
      a.allowances.grantDue(),
      b.allowances.grantDue(),
      a.allowances.grantDue(),
    ]);
    expect(runs.flatMap((r) => r.failed)).toEqual([]);
    expect(runs.reduce((n, r) => n + r.granted, 0)).toBe(3);
    for (const acc of accounts) {
      const lots = await b.credits.lots(acc);
      expect(lots.map((l) => l.sourceId.slice(-7)).sort()).toEqual(['2026-11', '2026-12']);
      expect(must(await b.accounts.balance(acc)).posted).toBe(20n * C);
    }
  });
});
