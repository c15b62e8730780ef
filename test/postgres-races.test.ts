import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../src/adapters/postgres/postgres-storage.ts';
import { systemIds } from '../src/adapters/system/system.ts';
import { createEngine, type Engine } from '../src/core/engine.ts';
import { DEFAULT_CONFIG } from '../src/core/kernel/config.ts';
import { manualProvider } from '../src/core/kernel/payments.ts';
import type { Storage, Tx } from '../src/core/kernel/ports.ts';
import { createTollgate } from '../src/index.ts';
import { freshPgSchema, HOUR, ManualClock, must } from './helpers.ts';
import { aroundTx } from './storage-proxy.ts';

const url = process.env.TOLLGATE_PG_URL;
const C = 1_000_000n;

/** One-shot hooks run after a repository method of a unit of work resolves, inside that unit of work. */
type Hooks = Map<string, () => Promise<void>>;

function pausing(inner: Storage, hooks: Hooks): Storage {
  const wrap = (tx: Tx): Tx =>
    aroundTx(tx, async (name, call) => {
      const out = await call();
      const hook = hooks.get(name);
      if (hook) {
        hooks.delete(name);
        await hook();
      }
      return out;
    });
  return {
    shared: true,
    transaction: (fn, options) => inner.transaction((tx) => fn(wrap(tx)), options),
    ingestUsage: (events, options) => inner.ingestUsage(events, options),
    usageHours: (q) => inner.usageHours(q),
    usageRecords: (q) => inner.usageRecords(q),
    audit: () => inner.audit(),
    close: () => inner.close(),
  };
}

/** Starts B's step and lets it run until it finishes or waits (on A's lock) for a while. */
async function meanwhile(step: () => Promise<unknown>): Promise<{ done: Promise<unknown>; waited: boolean }> {
  const running = step();
  running.catch(() => undefined);
  const first = await Promise.race([
    running.then(() => 'done'),
    new Promise((r) => setTimeout(r, 400, 'waiting')),
  ]);
  // Wrapped: an async function returning the promise itself would wait for it (and deadlock on A's lock).
  return { done: running, waited: first === 'waiting' };
}

async function engines(): Promise<{ a: Engine; b: Engine; hooks: Hooks; clock: ManualClock }> {
  const schema = freshPgSchema('t_race');
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30, 0));
  const hooks: Hooks = new Map();
  const inner = await PostgresStorage.open({ url: url!, schema });
  const a = await createEngine({
    storage: pausing(inner, hooks),
    clock,
    ids: systemIds(clock),
    config: DEFAULT_CONFIG,
    payments: [manualProvider],
    schedule: (fn) => setImmediate(fn),
    renderer: { render: async () => new Uint8Array() },
    webhookSender: { send: async () => ({ ok: true, status: 200, error: null }) },
  });
  const b = await createTollgate({ database: { postgres: url!, schema }, clock });
  return { a, b, hooks, clock };
}

const event = (id: string, keyId: string, ts: number, credits: string) => ({
  id,
  api_key_id: keyId,
  model: 'video-custom',
  quantity: '1',
  credits,
  timestamp: new Date(ts).toISOString(),
});

/** The hour's records and the billing transfer each names. */
async function billedBy(e: Engine, accountId: string, hour: number) {
  const page = must(
    await e.usage.records({
      accountId,
      from: new Date(hour).toISOString(),
      to: new Date(hour + HOUR).toISOString(),
    }),
  );
  return page.records.map((r) => [r.id, r.billingTransferId]);
}

(url ? describe : describe.skip)('races on PostgreSQL, forced', () => {
  it('a billing run never marks billed the usage that arrived after it read the hour', async () => {
    const { a, b, hooks, clock } = await engines();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      const k1 = must(await a.keys.create(acc.id, 'one')).key;
      const k2 = must(await a.keys.create(acc.id, 'two')).key;
      const hour = clock.ms - (clock.ms % HOUR);
      must(await a.credits.grant(acc.id, { credits: '1000', reason: 'funds' }));
      await a.usage.ingest([event('e1', k1.id, hour + 60_000, '10')]);
      clock.advance(HOUR);
      // B meters the same hour on another key (a new rollup row) while A's run is between its read and its write.
      let late: { done: Promise<unknown>; waited: boolean } | undefined;
      hooks.set('usage.listUnbilled', async () => {
        late = await meanwhile(() => b.usage.ingest([event('e2', k2.id, hour + 120_000, '7')]));
      });
      const first = await a.billing.run();
      await late?.done;
      // B was not blocked: its event committed inside A's read-then-write window.
      expect(late?.waited).toBe(false);
      expect(first.creditsMinor).toBe(10n * C);
      // The late event is still unbilled, and the next run bills it: nothing billed twice or never.
      expect(must(await b.accounts.balance(acc.id))).toMatchObject({ posted: 990n * C, unbilled: 7n * C });
      const second = await b.billing.run();
      expect(second.creditsMinor).toBe(7n * C);
      expect(must(await b.accounts.balance(acc.id))).toMatchObject({ posted: 983n * C, unbilled: 0n });
      // Each record names the transfer that billed it.
      expect(await billedBy(b, acc.id, hour)).toEqual([
        ['e1', `usage_${acc.id}_${hour}_0`],
        ['e2', `usage_${acc.id}_${hour}_${10n * C}`],
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('usage of a row being billed waits for the run and is billed, and named, by the next', async () => {
    const { a, b, hooks, clock } = await engines();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      const k1 = must(await a.keys.create(acc.id, 'one')).key;
      const hour = clock.ms - (clock.ms % HOUR);
      must(await a.credits.grant(acc.id, { credits: '1000', reason: 'funds' }));
      await a.usage.ingest([event('e1', k1.id, hour + 60_000, '10')]);
      clock.advance(HOUR);
      let late: { done: Promise<unknown>; waited: boolean } | undefined;
      hooks.set('usage.listUnbilled', async () => {
        late = await meanwhile(() => b.usage.ingest([event('e2', k1.id, hour + 120_000, '7')]));
      });
      expect((await a.billing.run()).creditsMinor).toBe(10n * C);
      await late?.done;
      // B's event is in the row A locked: it waited for A's commit, then went in as unbilled.
      expect(late?.waited).toBe(true);
      expect(await billedBy(b, acc.id, hour)).toEqual([
        ['e1', `usage_${acc.id}_${hour}_0`],
        ['e2', null],
      ]);
      expect((await b.billing.run()).creditsMinor).toBe(7n * C);
      expect(await billedBy(b, acc.id, hour)).toEqual([
        ['e1', `usage_${acc.id}_${hour}_0`],
        ['e2', `usage_${acc.id}_${hour}_${10n * C}`],
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a refund and a billing run of the same account never overwrite each other’s lot remainders', async () => {
    const { a, b, hooks, clock } = await engines();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      const key = must(await a.keys.create(acc.id, 'k')).key;
      const p = must(
        await a.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, 'o1'),
      ).purchase;
      must(await a.credits.confirm(p.id));
      await a.usage.ingest([event('e1', key.id, clock.ms - 60_000, '300')]);
      clock.advance(HOUR);
      // A refunds 500 of the 700 unspent; B bills the 300 of usage at the same time.
      let billing: { done: Promise<unknown>; waited: boolean } | undefined;
      hooks.set('lots.listOpen', async () => {
        billing = await meanwhile(() => b.billing.run());
      });
      const note = must(await a.credits.refund(p.id, '500'));
      await billing?.done;
      expect(note.creditsMinor).toBe(500n * C);
      const lots = must({ ok: true, value: await b.credits.lots(acc.id) });
      const balance = must(await b.accounts.balance(acc.id));
      expect(balance).toMatchObject({ posted: 200n * C, unbilled: 0n });
      // The lot keeps exactly what the account has: 1000 bought - 300 used - 500 refunded.
      expect(lots.map((l) => l.remainingMinor)).toEqual([200n * C]);
      // ...because B's run had to wait for A's lock on the account.
      expect(billing?.waited).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a lot expiry and a billing run of the same account never overwrite each other’s remainders', async () => {
    const { a, b, hooks, clock } = await engines();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      const key = must(await a.keys.create(acc.id, 'k')).key;
      must(
        await a.credits.grant(acc.id, {
          credits: '100',
          reason: 'promo',
          expiresAtMs: clock.ms + 30 * 60_000,
        }),
      );
      must(await a.credits.grant(acc.id, { credits: '50', reason: 'forever' }));
      await a.usage.ingest([event('e1', key.id, clock.ms - 60_000, '30')]);
      clock.advance(HOUR);
      // Expiry reads the lots; meanwhile B bills the 30 credits of usage (which burn the expiring lot first).
      let billing: { done: Promise<unknown>; waited: boolean } | undefined;
      hooks.set('lots.listOpen', async () => {
        billing = await meanwhile(() => b.billing.run());
      });
      const expired = await a.credits.expireLots();
      await billing?.done;
      // 30 of the promo lot were used: only the other 70 expire, and the 50 stay.
      expect(expired.creditsMinor).toBe(70n * C);
      expect(must(await b.accounts.balance(acc.id))).toMatchObject({ posted: 50n * C, unbilled: 0n });
      expect((await b.credits.lots(acc.id)).map((l) => l.remainingMinor)).toEqual([50n * C]);
      // ...because B's run had to wait for A's lock on the account.
      expect(billing?.waited).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a hold reads posted and unbilled credits as of one moment, even while a billing run commits', async () => {
    const { a, b, hooks, clock } = await engines();
    try {
      const acc = must(await a.accounts.create({ name: 'Acme' }));
      const key = must(await a.keys.create(acc.id, 'k')).key;
      must(await a.credits.grant(acc.id, { credits: '100', reason: 'funds' }));
      await a.usage.ingest([event('e1', key.id, clock.ms - 60_000, '60')]);
      clock.advance(HOUR);
      await a.usage.ingest([event('e2', key.id, clock.ms - 60_000, '30')]);
      // Available is 100 - 60 - 30 = 10. A reads the ledger (posted 100); B bills the closed hour's
      // 60 before A reads unbilled (then 30): mixing the two moments would make 70 available, and
      // a hold of 35 would pass the ledger's own floor (posted is 40 by then).
      let billing: { done: Promise<unknown>; waited: boolean } | undefined;
      hooks.set('ledger.getAccount', async () => {
        billing = await meanwhile(() => b.billing.run());
      });
      const hold = await a.holds.create(acc.id, { credits: '35', ttlSeconds: 600 });
      await billing?.done;
      expect(hold.ok ? 'created' : hold.code).toBe('insufficient_credits');
      expect(must(await b.accounts.balance(acc.id))).toMatchObject({
        posted: 40n * C,
        pending: 0n,
        available: 10n * C,
      });
      // ...because B's run had to wait for A's lock on the account.
      expect(billing?.waited).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
