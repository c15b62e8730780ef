/**
 * The product-level money defects a review found, each as the operator met it, on every store.
 * The model-based test (test/model) finds these by itself; these name them for a maintainer.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { quote } from '../src/core/prices/pricing.ts';
import { createTollgate, DEFAULT_CONFIG } from '../src/index.ts';
import { HOUR, ManualClock, makeEngine, must, STORES } from './helpers.ts';

const C = 1_000_000n;

const usage = (id: string, accountId: string, ts: number, credits: string) => ({
  id,
  account_id: accountId,
  model: 'video-custom',
  quantity: '1',
  credits,
  timestamp: new Date(ts).toISOString(),
});

describe.each(STORES)('money rules ($name)', (store) => {
  it('a refund returns only credits not yet consumed: 900 metered of 1,000 bought leaves 100 to refund', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, 'o1'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    await engine.usage.ingest([usage('u1', acc.id, clock.ms - 60_000, '900')]);
    const all = await engine.credits.refund(p.id, '1000');
    expect(all.ok ? 'refunded' : all.code).toBe('insufficient_credits');
    const note = must(await engine.credits.refund(p.id));
    expect(note.creditsMinor).toBe(100n * C);
    expect(note.totalMinor).toBe(100n); // $1.00 of the $10.00 paid
    clock.advance(HOUR);
    await engine.billing.run();
    expect(must(await engine.accounts.balance(acc.id))).toMatchObject({
      posted: 0n,
      unbilled: 0n,
      available: 0n,
    });
  });

  it('a refund leaves what a hold reserves', async () => {
    const { engine } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, 'o1'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    const hold = must(await engine.holds.create(acc.id, { credits: '700', ttlSeconds: 600 }));
    expect(must(await engine.credits.refund(p.id)).creditsMinor).toBe(300n * C);
    must(await engine.holds.capture(hold.id, '700'));
    expect(must(await engine.accounts.balance(acc.id))).toMatchObject({ posted: 0n, pending: 0n });
  });

  it('an expiring grant loses only what is neither consumed nor held', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(
      await engine.credits.grant(acc.id, { credits: '100', reason: 'promo', expiresAtMs: clock.ms + 60_000 }),
    );
    await engine.usage.ingest([usage('u1', acc.id, clock.ms - 60_000, '30')]);
    const hold = must(await engine.holds.create(acc.id, { credits: '20', ttlSeconds: 3600 }));
    clock.advance(2 * 60_000);
    expect((await engine.credits.expireLots()).creditsMinor).toBe(50n * C);
    expect(must(await engine.accounts.balance(acc.id))).toMatchObject({ posted: 50n * C, available: 0n });
    // Once the hold is released, its 20 credits are unspent too, and the next sweep takes them.
    must(await engine.holds.release(hold.id));
    expect((await engine.credits.expireLots()).creditsMinor).toBe(20n * C);
    clock.advance(HOUR);
    await engine.billing.run();
    expect(must(await engine.accounts.balance(acc.id))).toMatchObject({ posted: 0n, unbilled: 0n });
    expect(await engine.credits.lots(acc.id)).toEqual([]);
  });

  it('refuses every amount past TOLLGATE_MAX_CREDITS with amount_out_of_range, and billing still runs', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const huge = '9223372036854';
    const [event] = await engine.usage.ingest([usage('u1', acc.id, clock.ms, huge)]);
    expect(event).toMatchObject({ status: 'rejected', code: 'amount_out_of_range' });
    const [quantity] = await engine.usage.ingest([
      {
        id: 'u2',
        account_id: acc.id,
        model: 'tokens-1k',
        quantity: '20000000000',
        timestamp: new Date(clock.ms).toISOString(),
      },
    ]);
    expect(quantity).toMatchObject({ status: 'rejected', code: 'amount_out_of_range' });
    for (const r of [
      await engine.credits.grant(acc.id, { credits: huge, reason: 'x' }),
      await engine.holds.create(acc.id, { credits: huge }),
      await engine.credits.purchase(acc.id, { credits: huge, provider: 'manual' }, 'o1'),
    ])
      expect(r.ok ? 'accepted' : r.code).toBe('amount_out_of_range');
    // The bound itself is accepted.
    expect((await engine.usage.ingest([usage('u3', acc.id, clock.ms, '1000000000')]))[0]?.status).toBe(
      'accepted',
    );
    clock.advance(HOUR);
    expect((await engine.billing.run()).creditsMinor).toBe(1_000_000_000n * C);
  });
});

describe('a billing run isolates accounts', () => {
  it('bills everyone else when one account cannot be billed, reports it, and bills it once it can', async () => {
    // The isolation is the core's (the same on every store); corrupting a row needs SQL behind its back.
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    const clock = new ManualClock();
    const engine = await createTollgate({ database: db, clock });
    const good = must(await engine.accounts.create({ name: 'Good' }));
    const bad = must(await engine.accounts.create({ name: 'Bad' }));
    await engine.usage.ingest([
      usage('g', good.id, clock.ms, '5'),
      usage('b1', bad.id, clock.ms, '5'),
      usage('b2', bad.id, clock.ms - HOUR, '5'),
    ]);
    // A unit of work first: it writes the rollup that ingest kept in memory.
    must(await engine.credits.grant(bad.id, { credits: '1', reason: 'x' }));
    // Rollup totals no request can produce: two hours of 2^62 each, past the ledger's 64-bit range together.
    db.prepare('UPDATE usage_rollup SET credits_minor = 4611686018427387904 WHERE account_id = ?').run(
      bad.id,
    );
    clock.advance(HOUR);
    const run = await engine.billing.run();
    expect(run.creditsMinor).toBe(5n * C);
    expect(run.failed.map((f) => f.accountId)).toEqual([bad.id]);
    expect(must(await engine.accounts.balance(good.id))).toMatchObject({ posted: -5n * C, unbilled: 0n });
    // The next run tries the bad account again; the good one is not billed twice.
    const again = await engine.billing.run();
    expect(again.creditsMinor).toBe(0n);
    expect(again.failed.map((f) => f.accountId)).toEqual([bad.id]);
    await engine.close();
  });
});

describe('decimal precision', () => {
  it('prices exactly where 20 significant digits would round a half cent up', () => {
    // 1 credit at $0.124999999999999999999999 is 12.4999999999999999999999 cents: 12 cents, not 13.
    const config = { ...DEFAULT_CONFIG, creditPrice: '0.124999999999999999999999', paymentMinMinor: 0n };
    expect(must(quote(config, '1')).subtotalMinor).toBe(12n);
    // The largest purchase at a price of many digits, checked against integer arithmetic.
    const price = '0.0123456789012345';
    const big = { ...config, creditPrice: price, paymentMaxMinor: 10n ** 15n };
    const creditsMinor = 999_999_999_999_999n;
    const exact = (2n * creditsMinor * 123456789012345n * 100n + 10n ** 22n) / (2n * 10n ** 22n);
    expect(must(quote(big, '999999999.999999')).subtotalMinor).toBe(exact);
  });
});

describe.each(STORES.filter((s) => s.name !== 'sqlite-memory'))('the dedupe window ($name)', (store) => {
  it('recognises a retried event id across a restart, for as long as the event could be accepted', async () => {
    const database = store.open();
    const clock = new ManualClock();
    const first = await makeEngine({ database, clock });
    const acc = must(await first.engine.accounts.create({ name: 'Acme' }));
    const old = clock.ms - 34 * 24 * HOUR; // late, but inside the 35-day window
    const sent = usage('retry-me', acc.id, old, '3');
    expect((await first.engine.usage.ingest([sent]))[0]?.status).toBe('accepted');
    await first.engine.close();
    clock.advance(24 * HOUR - 10 * 60_000); // still inside the window (35 days + 5 minutes)
    const again = await makeEngine({ database, clock });
    expect((await again.engine.usage.ingest([sent]))[0]?.status).toBe('duplicate');
    const changed = await again.engine.usage.ingest([{ ...sent, credits: '4' }]);
    expect(changed[0]).toMatchObject({ status: 'rejected', code: 'idempotency_conflict' });
    expect(must(await again.engine.accounts.balance(acc.id)).unbilled).toBe(3n * C);
  });
});
