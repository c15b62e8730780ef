import { describe, expect, it } from 'vitest';
import { HOUR, ManualClock, makeApi, must, STORES } from './helpers.ts';

describe.each(STORES)('voiding usage events ($name)', (store) => {
  async function setup(granted = '1000', grant: Record<string, string> = {}) {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 15, 0));
    const api = await makeApi({ store, clock });
    const { call } = api;
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, {
      credits: granted,
      reason: 'start',
      ...grant,
    });
    const use = async (id: string, credits: string) => {
      const r = await call('POST', '/v1/usage_events', {
        events: [
          {
            id,
            account_id: acc.id,
            model: 'm',
            quantity: '1',
            credits,
            timestamp: new Date(clock.ms).toISOString(),
          },
        ],
      });
      expect(r.body.results[0].status).toBe('accepted');
    };
    const balance = async () => (await call('GET', `/v1/accounts/${acc.id}/balance`)).body;
    const records = async () =>
      (await call('GET', `/v1/accounts/${acc.id}/usage/records?from=2026-12-01&to=2026-12-05`)).body.data;
    const voidIt = (id: string, reason = 'reported twice by a retry loop') =>
      call('POST', `/v1/usage_events/${id}/void`, { reason });
    return { ...api, clock, acc, use, balance, records, voidIt };
  }

  it('before billing: unbilled drops at once, the record stays as voided, a second void changes nothing', async () => {
    const { engine, call, acc, use, balance, records, voidIt, clock } = await setup();
    await use('e1', '10');
    await use('e2', '5');
    expect(await balance()).toMatchObject({ unbilled: '15', available: '985' });
    const first = await voidIt('e1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: 'e1', status: 'voided', credits: '10', billed_credits: '0' });
    expect(await balance()).toMatchObject({ unbilled: '5', available: '995' });
    const again = await voidIt('e1', 'another reason');
    expect(again.body).toEqual(first.body);
    expect(await balance()).toMatchObject({ unbilled: '5', available: '995' });
    const rows = await records();
    expect(rows.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ['e1', 'voided'],
      ['e2', 'accepted'],
    ]);
    expect(rows[0].void_reason).toBe('reported twice by a retry loop');
    const csv = (await call('GET', `/v1/accounts/${acc.id}/usage/records.csv?from=2026-12-01&to=2026-12-05`))
      .text;
    expect(
      csv
        .trim()
        .split('\n')
        .map((l) => l.split(',').slice(1).join(',')),
    ).toEqual([
      'id,api_key_id,model,quantity,credits,status,unit_price,billed_at,billing_transfer_id,quantities,price_version_id',
      'e1,,m,1,10,voided,,,,,',
      'e2,,m,1,5,accepted,,,,,',
    ]);
    const summary = (
      await call('GET', `/v1/accounts/${acc.id}/usage/summary?from=2026-12-03&to=2026-12-04&granularity=day`)
    ).body.data;
    expect(summary).toMatchObject([{ events: 1, credits: '5' }]);
    expect((await voidIt('nope')).status).toBe(404);
    expect((await call('POST', '/v1/usage_events/e2/void', {})).body.error.code).toBe('validation_failed');

    clock.advance(2 * HOUR);
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '995', unbilled: '0', available: '995' });
    expect((await engine.ledger.audit()).mismatchedAccounts).toEqual([]);
    // The billing run billed e2 only: e1 was voided before it and never billed.
    const billed = (await records()).map((r: Record<string, unknown>) => [
      r.id,
      r.billing_transfer_id,
      r.billed_at,
    ]);
    expect(billed[0]).toEqual(['e1', null, null]);
    expect(billed[1]![0]).toBe('e2');
    const trace = (await call('GET', `/v1/transfers/${billed[1]![1]}`)).body;
    expect(trace).toMatchObject({ code: 'usage', credits: '5', created_at: billed[1]![2] });
    expect(trace.usage.billed).toEqual([
      { api_key_id: null, model: 'm', credits: '5', billed_at: billed[1]![2] },
    ]);
  });

  it('after billing: the next run gives the billed credits back once, to the lot they came from', async () => {
    const { engine, call, use, balance, voidIt, clock, acc } = await setup();
    await use('e1', '10');
    await use('e2', '5');
    clock.advance(HOUR);
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '985', unbilled: '0' });
    const v = await voidIt('e1');
    expect(v.body).toMatchObject({ credits: '10', billed_credits: '10' });
    expect(await balance()).toMatchObject({ posted: '985', unbilled: '0', available: '985' });
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '995', available: '995' });
    // Each transfer traces back: the hour's billing to its usage, the give-back to its void.
    const hour = Date.UTC(2026, 11, 3, 10, 0, 0);
    const billed = (await call('GET', `/v1/transfers/usage_${acc.id}_${hour}_0`)).body;
    expect(billed).toMatchObject({ code: 'usage', credits: '15', debit_account_id: acc.id });
    expect(billed.usage).toMatchObject({
      hour: '2026-12-03T10:00:00Z',
      groups: [{ model: 'm', events: 1, credits: '5' }],
    });
    const back = (await call('GET', '/v1/transfers/void_e1')).body;
    expect(back).toMatchObject({ code: 'usage_void', credits: '10', credit_account_id: acc.id });
    expect(back.void).toMatchObject({ event_id: 'e1', reason: 'reported twice by a retry loop' });
    expect((await call('GET', '/v1/transfers/nope')).status).toBe(404);
    const lots = await engine.credits.lots(acc.id);
    expect(lots.reduce((s, l) => s + l.remainingMinor, 0n)).toBe(995_000_000n);
    await engine.billing.run();
    await voidIt('e1');
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '995', available: '995' });
    // A late event in the billed hour, billed after the void, gets a transfer of its own.
    clock.advance(-30 * 60_000);
    await use('e3', '7');
    clock.advance(2 * HOUR);
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '988', unbilled: '0' });
    expect((await engine.ledger.audit()).mismatchedAccounts).toEqual([]);
  });

  it('gives back credits whose lot has since expired as credits of their own', async () => {
    const clock0 = Date.UTC(2026, 11, 3, 10, 15, 0);
    const { engine, use, balance, voidIt, clock } = await setup('100', {
      expires_at: new Date(clock0 + 2 * HOUR).toISOString(),
    });
    await use('e1', '30');
    clock.advance(HOUR);
    await engine.billing.run();
    clock.advance(2 * HOUR);
    await engine.credits.expireLots();
    expect(await balance()).toMatchObject({ posted: '0', available: '0' });
    await voidIt('e1');
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '30', available: '30' });
    await engine.credits.expireLots();
    expect(await balance()).toMatchObject({ posted: '30', available: '30' });
  });

  it('never refills a lot with credits that were refunded from it: a purchase is never refunded past its invoice', async () => {
    // A grant burns first (priority 0); the purchase is refunded whole; then the usage, which burned
    // the grant, is voided. Its credit goes back to the grant, not into the refunded purchase.
    const { engine, call, acc, use, balance, voidIt, clock } = await setup('1');
    const p = (
      await call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits: '1234.5', provider: 'manual' },
        { 'idempotency-key': 'buy-1' },
      )
    ).body;
    expect((await call('POST', `/v1/credit_purchases/${p.id}/confirm`)).status).toBe(200);
    await use('e1', '1');
    clock.advance(HOUR);
    await engine.billing.run();
    await voidIt('e1');
    const refund = await call('POST', `/v1/credit_purchases/${p.id}/refund`, {});
    expect(refund.body.credits).toBe('1234.5');
    await engine.billing.run();
    expect(await balance()).toMatchObject({ posted: '1', available: '1' });
    const again = await call('POST', `/v1/credit_purchases/${p.id}/refund`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('insufficient_credits');
    expect((await engine.credits.lots(acc.id)).map((l) => [l.source, l.remainingMinor])).toEqual([
      ['grant', 1_000_000n],
    ]);
  });
});

describe.skipIf(!STORES.some((s) => s.name === 'postgres'))('a void racing a billing run (postgres)', () => {
  it('gives back exactly once, whichever commits first', async () => {
    const store = STORES.find((s) => s.name === 'postgres')!;
    for (let round = 0; round < 5; round++) {
      const clock = new ManualClock(Date.UTC(2026, 11, 3, 10, 15, 0));
      const { engine } = await makeApi({ store, clock });
      const acc = must(await engine.accounts.create({ name: 'Acme' }));
      must(await engine.credits.grant(acc.id, { credits: '100', reason: 'x' }));
      const ts = new Date(clock.ms).toISOString();
      await engine.usage.ingest([
        { id: `r${round}`, account_id: acc.id, model: 'm', quantity: '1', credits: '40', timestamp: ts },
      ]);
      clock.advance(HOUR);
      if (round % 2) await engine.billing.run();
      await Promise.all([engine.usage.void(`r${round}`, 'race'), engine.billing.run()]);
      await engine.billing.run();
      const b = must(await engine.accounts.balance(acc.id));
      expect(b.posted).toBe(100_000_000n);
      expect(b.unbilled).toBe(0n);
      expect((await engine.ledger.audit()).mismatchedAccounts).toEqual([]);
    }
  });
});
