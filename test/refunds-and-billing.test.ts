import { describe, expect, it } from 'vitest';
import { RefusalSignal, refuse } from '../src/core/kernel/errors.ts';
import type { Storage, Tx } from '../src/core/kernel/ports.ts';
import { startOfHour } from '../src/core/kernel/time.ts';
import { HOUR, must } from './helpers.ts';
import { C, moneyEngine } from './money-kit.ts';

describe('refunds', () => {
  it('return the money of the refunded credits pro rata, rounded cumulatively to the invoice total', async () => {
    const kit = await moneyEngine({ taxRate: '0.2' });
    const { engine, clock, account, buy, balance, lots, transfer, events } = kit;
    const acc = await account();
    const paid = await buy(acc, '1000');
    expect(paid).toMatchObject({ subtotalMinor: 1000n, taxMinor: 200n, totalMinor: 1200n });
    const first = must(await engine.credits.refund(paid.id, '333'));
    expect(first).toMatchObject({ number: 'CN-2026-000001', creditsMinor: C(333), totalMinor: 400n });
    expect(first.snapshot).toMatchObject({
      kind: 'credit_note',
      number: 'CN-2026-000001',
      invoice_number: 'INV-2026-000001',
      issued_at: new Date(clock.ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      buyer: { account_id: acc, name: 'Acme' },
      lines: [
        {
          description: 'Refund of unspent credits (invoice INV-2026-000001)',
          quantity: '333',
          unit_price: '0.01',
          amount: '3.33',
        },
      ],
      subtotal: '3.33',
      tax: '0.67',
      total: '4.00',
    });
    expect(await transfer(`refund_${first.id}`)).toMatchObject({
      code: 'refund',
      amount: C(333),
      debitAccountId: acc,
      metadata: { purchase_id: paid.id, credit_note_id: first.id },
    });
    const second = must(await engine.credits.refund(paid.id, '333'));
    expect(second).toMatchObject({ number: 'CN-2026-000002', totalMinor: 399n });
    expect(second.snapshot).toMatchObject({ subtotal: '3.33', tax: '0.66', total: '3.99' });
    // The rest by default: the notes add up to the invoice exactly.
    const last = must(await engine.credits.refund(paid.id));
    expect(last).toMatchObject({ creditsMinor: C(334), totalMinor: 401n });
    expect(last.snapshot).toMatchObject({ subtotal: '3.34', tax: '0.67', total: '4.01' });
    expect(await balance(acc)).toMatchObject({ posted: 0n, available: 0n });
    expect(await lots(acc)).toEqual([]);
    expect(await engine.credits.refund(paid.id)).toEqual({
      ok: false,
      code: 'insufficient_credits',
      message: '0 credits of this purchase remain unspent',
    });
    expect((await events('credit_note.issued')).find((e) => e.credit_note_id === first.id)).toEqual({
      credit_note_id: first.id,
      number: 'CN-2026-000001',
      invoice_id: paid.invoiceId,
      purchase_id: paid.id,
      account_id: acc,
      credits: '333',
      total: '4.00',
      currency: 'USD',
    });
  });

  it('never return credits consumed but not billed, or held', async () => {
    const { engine, account, buy, use, balance, lots } = await moneyEngine();
    const acc = await account();
    const paid = await buy(acc, '1000');
    await use(acc, '300');
    must(await engine.holds.create(acc, { credits: '100' }));
    expect(await engine.credits.refund(paid.id, '600.000001')).toEqual({
      ok: false,
      code: 'insufficient_credits',
      message: '600 credits of this purchase remain unspent',
    });
    expect(must(await engine.credits.refund(paid.id, '600')).creditsMinor).toBe(C(600));
    expect(await balance(acc)).toEqual({ posted: C(400), pending: C(100), unbilled: C(300), available: 0n });
    expect(await lots(acc)).toEqual([`purchase:${C(400)}`]);
  });

  it('never go past the purchase lot, even when a grant covers the balance', async () => {
    const { engine, account, buy, grant, balance, lots } = await moneyEngine();
    const acc = await account();
    const paid = await buy(acc, '1000');
    await grant(acc, '500');
    expect(await engine.credits.refund(paid.id, '1000.5')).toMatchObject({
      code: 'insufficient_credits',
      message: '1000 credits of this purchase remain unspent',
    });
    expect(must(await engine.credits.refund(paid.id)).creditsMinor).toBe(C(1000));
    expect(await balance(acc)).toMatchObject({ posted: C(500), available: C(500) });
    expect(await lots(acc)).toEqual([`grant:${C(500)}`]);
  });

  it('return nothing once the purchase is used up, even when a grant is left', async () => {
    const { engine, clock, account, buy, grant, use, balance } = await moneyEngine();
    const acc = await account();
    const paid = await buy(acc, '1000');
    await use(acc, '1000');
    clock.advance(HOUR);
    await engine.billing.run();
    await grant(acc, '500');
    expect(await engine.credits.refund(paid.id)).toEqual({
      ok: false,
      code: 'insufficient_credits',
      message: '0 credits of this purchase remain unspent',
    });
    expect(await engine.credits.refund(paid.id, '1')).toMatchObject({ code: 'insufficient_credits' });
    expect(await balance(acc)).toMatchObject({ posted: C(500), available: C(500) });
  });

  it('never return more than the account can spend', async () => {
    const { engine, account, buy } = await moneyEngine();
    const acc = await account();
    const paid = await buy(acc, '1000');
    // An operator's correction takes credits without touching the lot.
    const [moved] = await engine.ledger.post([
      {
        id: 'fix1',
        debitAccountId: acc,
        creditAccountId: 'sys_credits_issued',
        amount: C(700),
        code: 'adjustment',
      },
    ]);
    expect(moved).toMatchObject({ status: 'created' });
    expect(await engine.credits.refund(paid.id, '301')).toMatchObject({
      message: '300 credits of this purchase remain unspent',
    });
    await engine.ledger.post([
      {
        id: 'fix2',
        debitAccountId: acc,
        creditAccountId: 'sys_credits_issued',
        amount: C(400),
        code: 'adjustment',
        force: true,
      },
    ]);
    expect(await engine.credits.refund(paid.id)).toMatchObject({
      code: 'insufficient_credits',
      message: '0 credits of this purchase remain unspent',
    });
  });

  it('only refund a paid purchase, with a valid amount', async () => {
    const { engine, account, buy } = await moneyEngine();
    const acc = await account();
    const { purchase } = must(
      await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'),
    );
    expect(await engine.credits.refund(purchase.id)).toEqual({
      ok: false,
      code: 'invalid_state',
      message: `purchase ${purchase.id} is pending; only a paid purchase can be refunded`,
    });
    expect(await engine.credits.refund('pur_nothing')).toEqual({
      ok: false,
      code: 'not_found',
      message: 'no purchase pur_nothing',
    });
    const paid = await buy(acc, '1000');
    for (const credits of ['0', '-1', 'all', '1.0000001']) {
      expect(await engine.credits.refund(paid.id, credits)).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('key verification sees a refund at once', async () => {
    const { engine, account, buy } = await moneyEngine();
    const acc = await account();
    const paid = await buy(acc, '1000');
    const { secret } = must(await engine.keys.create(acc, 'ci'));
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: true, available: C(1000) });
    must(await engine.credits.refund(paid.id, '999'));
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: true, available: C(1) });
    expect((await engine.accounts.cachedBalance(acc))?.posted).toBe(C(1));
  });
});

describe('hourly billing', () => {
  it('bills closed hours once, burns lots, and reports the run', async () => {
    const { engine, clock, account, grant, use, balance, lots, transfer, events } = await moneyEngine();
    const runs: unknown[] = [];
    engine.observe({ billingRun: (r) => runs.push(r) });
    const a = await account('A');
    const b = await account('B');
    await grant(a, '100');
    await grant(b, '100');
    const hour0 = startOfHour(clock.ms);
    await use(a, '10');
    await use(b, '1');
    expect(await engine.billing.run()).toEqual({
      hours: 0,
      accounts: 0,
      creditsMinor: 0n,
      throughMs: hour0,
      failed: [],
    });
    clock.advance(HOUR);
    await use(a, '5');
    expect(await engine.billing.run()).toEqual({
      hours: 1,
      accounts: 2,
      creditsMinor: C(11),
      throughMs: hour0 + HOUR,
      failed: [],
    });
    expect(await balance(a)).toEqual({ posted: C(90), pending: 0n, unbilled: C(5), available: C(85) });
    expect(await lots(a)).toEqual([`grant:${C(90)}`]);
    expect(await transfer(`usage_${a}_${hour0}_0`)).toMatchObject({
      code: 'usage',
      amount: C(10),
      creditAccountId: 'sys_credits_usage',
      metadata: { hour: new Date(hour0).toISOString() },
    });
    expect(await engine.billing.run()).toMatchObject({ hours: 0, accounts: 0, creditsMinor: 0n });
    clock.advance(HOUR);
    expect(await engine.billing.run()).toMatchObject({ hours: 1, accounts: 1, creditsMinor: C(5) });
    const completed = await events('billing_run.completed');
    completed.sort((x, y) => String(x.through).localeCompare(String(y.through)));
    expect(completed).toEqual([
      { hours: 1, accounts: 2, credits: '11', through: new Date(hour0 + HOUR).toISOString() },
      { hours: 1, accounts: 1, credits: '5', through: new Date(hour0 + 2 * HOUR).toISOString() },
    ]);
    expect(runs).toEqual([
      { hours: 0, accounts: 0, ms: 0, atMs: hour0 + HOUR / 2 },
      { hours: 1, accounts: 2, ms: 0, atMs: hour0 + HOUR + HOUR / 2 },
      { hours: 0, accounts: 0, ms: 0, atMs: hour0 + HOUR + HOUR / 2 },
      { hours: 1, accounts: 1, ms: 0, atMs: hour0 + 2 * HOUR + HOUR / 2 },
    ]);
  });

  it('bills only through the hour asked for, never the open hour, and late usage by the next run', async () => {
    const { engine, clock, account, grant, use, balance } = await moneyEngine();
    const a = await account();
    await grant(a, '100');
    const hour0 = startOfHour(clock.ms);
    await use(a, '1');
    clock.advance(HOUR);
    await use(a, '2');
    clock.advance(HOUR);
    expect(await engine.billing.run(hour0 + HOUR - 1)).toMatchObject({ hours: 0, throughMs: hour0 });
    expect(await engine.billing.run(hour0 + HOUR + 1)).toMatchObject({
      hours: 1,
      creditsMinor: C(1),
      throughMs: hour0 + HOUR,
    });
    expect(await engine.billing.run(hour0 + 10 * HOUR)).toMatchObject({
      hours: 1,
      creditsMinor: C(2),
      throughMs: hour0 + 2 * HOUR,
    });
    // A late event for a billed hour is billed by the next run, by a transfer of its own.
    await engine.usage.ingest([
      {
        id: 'late',
        account_id: a,
        model: 'm',
        quantity: '1',
        credits: '4',
        timestamp: new Date(hour0).toISOString(),
      },
    ]);
    await engine.usage.drain();
    expect(await engine.billing.run()).toMatchObject({ hours: 1, accounts: 1, creditsMinor: C(4) });
    expect(await balance(a)).toMatchObject({ posted: C(93), unbilled: 0n });
  });

  it('bills usage past zero: the account goes negative and verification refuses it', async () => {
    const { engine, clock, account, grant, use, balance } = await moneyEngine();
    const a = await account();
    await grant(a, '10');
    const { secret } = must(await engine.keys.create(a, 'ci'));
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: true, available: C(10) });
    await use(a, '25');
    clock.advance(HOUR);
    expect(await engine.billing.run()).toMatchObject({ accounts: 1, creditsMinor: C(25) });
    expect(await balance(a)).toMatchObject({ posted: -C(15), available: -C(15) });
    expect(await engine.keys.verify(secret)).toEqual({ valid: false, code: 'insufficient_credits' });
  });

  it('bills more accounts than fit in one chunk', async () => {
    const { engine, clock, account, use } = await moneyEngine();
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push(await account(`A${i}`));
    await engine.usage.ingest(
      ids.map((id, i) => ({
        id: `u${i}`,
        account_id: id,
        model: 'm',
        quantity: '1',
        credits: '1',
        timestamp: new Date(clock.ms).toISOString(),
      })),
    );
    await use(ids[100]!, '1');
    clock.advance(HOUR);
    expect(await engine.billing.run()).toEqual(
      expect.objectContaining({ hours: 1, accounts: 101, creditsMinor: C(102), failed: [] }),
    );
    expect((await engine.billing.run()).accounts).toBe(0);
    expect(must(await engine.accounts.balance(ids[100]!)).posted).toBe(-C(2));
  }, 20_000);

  it('one failing account never stops the others; it is billed by a later run', async () => {
    const { engine, clock, account, grant, use, balance } = await moneyEngine();
    const good = await account('Good');
    const bad = await account('Bad');
    await grant(good, '100');
    await grant(bad, '100');
    await use(good, '1');
    await use(bad, '2');
    clock.advance(HOUR);
    const restore = failLocksOf(engine.storage, bad);
    const run = await engine.billing.run();
    expect(run).toMatchObject({
      accounts: 1,
      creditsMinor: C(1),
      failed: [{ accountId: bad, error: 'Error: disk on fire' }],
    });
    expect(await balance(good)).toMatchObject({ posted: C(99), unbilled: 0n });
    expect(await balance(bad)).toMatchObject({ posted: C(100), unbilled: C(2) });
    restore();
    expect(await engine.billing.run()).toMatchObject({ accounts: 1, creditsMinor: C(2), failed: [] });
    expect(await balance(bad)).toMatchObject({ posted: C(98), unbilled: 0n });
  });

  it('reports a refusal that stops an account by its message', async () => {
    const { engine, clock, account, grant, use } = await moneyEngine();
    const good = await account('Good');
    const bad = await account('Bad');
    await grant(good, '100');
    await grant(bad, '100');
    await use(good, '1');
    await use(bad, '2');
    clock.advance(HOUR);
    const restore = failLocksOf(engine.storage, bad, () => {
      throw new RefusalSignal(refuse('unavailable', 'account is being migrated'));
    });
    expect(await engine.billing.run()).toMatchObject({
      accounts: 1,
      failed: [{ accountId: bad, error: 'account is being migrated' }],
    });
    restore();
  });

  it('a run where every account fails is an error: storage itself is failing', async () => {
    const { engine, clock, account, grant, use, balance } = await moneyEngine();
    const bad = await account('Bad');
    await grant(bad, '100');
    await use(bad, '2');
    clock.advance(HOUR);
    const restore = failLocksOf(engine.storage, bad);
    await expect(engine.billing.run()).rejects.toThrow('disk on fire');
    restore();
    expect(await balance(bad)).toMatchObject({ posted: C(100), unbilled: C(2) });
  });

  it('starts the hour at its first millisecond, before and after 1970', () => {
    expect(startOfHour(HOUR * 5 + 1)).toBe(HOUR * 5);
    expect(startOfHour(HOUR * 5)).toBe(HOUR * 5);
    expect(startOfHour(-1)).toBe(-HOUR);
    expect(startOfHour(-HOUR)).toBe(-HOUR);
  });
});

/** Makes every lock of `accountId` throw, as a broken disk would, until the returned function is called. */
function failLocksOf(
  storage: Storage,
  accountId: string,
  failure: () => never = () => {
    throw new Error('disk on fire');
  },
): () => void {
  const original = storage.transaction;
  storage.transaction = ((
    fn: (tx: Tx) => Promise<unknown>,
    options?: Parameters<Storage['transaction']>[1],
  ) =>
    original.call(
      storage,
      (tx) =>
        fn(
          new Proxy(tx, {
            get(target, prop, receiver) {
              const value = Reflect.get(target, prop, receiver);
              if (prop !== 'accounts') return value;
              return new Proxy(value, {
                get(accounts, name) {
                  const method = Reflect.get(accounts, name);
                  if (name === 'lockMany')
                    return async (ids: string[]) => {
                      if (ids.includes(accountId)) failure();
                      return method.call(accounts, ids);
                    };
                  if (name !== 'lock') return typeof method === 'function' ? method.bind(accounts) : method;
                  return async (id: string) => {
                    if (id === accountId) failure();
                    return method.call(accounts, id);
                  };
                },
              });
            },
          }),
        ),
      options,
    )) as Storage['transaction'];
  return () => {
    storage.transaction = original;
  };
}

describe('what a caller of refunds reads in the answers', () => {
  it('credit note ids are prefixed, and bad credits name their field', async () => {
    const { engine, account, buy } = await moneyEngine();
    const paid = await buy(await account(), '1000');
    expect(must(await engine.credits.refund(paid.id, '10')).id).toMatch(/^cn_/);
    expect(await engine.credits.refund(paid.id, 'ten')).toMatchObject({
      ok: false,
      code: 'validation_failed',
      details: [{ field: 'credits' }],
    });
  });
});
