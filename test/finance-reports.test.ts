import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.ts';
import { StorageUnavailable } from '../src/core/kernel/errors.ts';
import { deferredRevenueOf, parseMonth, unspentAtCost } from '../src/core/reports/finance-reports.ts';
import { HOUR, ManualClock, makeApi, STORES } from './helpers.ts';

const usd = (s: string) => BigInt(s.replace('.', ''));

/** One step of a month of billing, drawn at random. */
type Op =
  | { kind: 'buy'; account: number; credits: number }
  | { kind: 'grant'; account: number; credits: number; expiresInHours: number | null }
  | { kind: 'use'; account: number; share: number }
  | { kind: 'hold'; account: number; share: number; captureShare: number }
  | { kind: 'refund'; pick: number; share: number | null }
  | { kind: 'void'; pick: number }
  | { kind: 'bill' }
  | { kind: 'expire' }
  | { kind: 'wait'; hours: number };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('buy' as const),
        account: fc.nat(2),
        credits: fc.integer({ min: 1000, max: 60_000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('grant' as const),
        account: fc.nat(2),
        credits: fc.integer({ min: 1, max: 5000 }),
        expiresInHours: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('use' as const),
        account: fc.nat(2),
        // Past what is available at times: billed past zero, paid off by the next lot.
        share: fc.double({ min: 0, max: 1.6, noNaN: true }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('hold' as const),
        account: fc.nat(2),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        captureShare: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('refund' as const),
        pick: fc.nat(),
        share: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'bill' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 72 }) }),
    },
  ),
  { minLength: 30, maxLength: 80 },
);

/** Whole credits, a share of what is available (at least 1 when anything is). */
const shareOf = (available: string, share: number) => {
  const whole = Math.floor(Number(available));
  return whole < 1 ? 0 : Math.max(1, Math.floor(whole * share));
};

describe('deferred revenue rules', () => {
  it('values what is left of a lot at cost, rounding the part gone, so the roll-forward adds up to the cent', () => {
    const lot = { lotId: 'l', creditsMinor: 3n, costMinor: 100n, currency: 'USD' };
    expect(unspentAtCost(lot, 3n)).toBe(100n);
    expect(unspentAtCost(lot, 1n)).toBe(33n);
    expect(unspentAtCost(lot, 0n)).toBe(0n);
    expect(unspentAtCost(undefined, 5n)).toBe(0n); // a grant
    const r = deferredRevenueOf('2026-12', new Map([['l', lot]]), new Map([['l', 3n]]), [
      {
        id: 'm1',
        lotId: 'l',
        accountId: 'a',
        transferId: 't1',
        kind: 'consumed',
        creditsMinor: -1n,
        atMs: 0,
      },
      {
        id: 'm2',
        lotId: 'l',
        accountId: 'a',
        transferId: 't2',
        kind: 'refunded',
        creditsMinor: -1n,
        atMs: 1,
      },
    ]);
    expect(r).toMatchObject({
      openingMinor: 100n,
      consumedMinor: 33n,
      refundedMinor: 34n,
      closingMinor: 33n,
    });
  });

  it('reads a month as YYYY-MM, and nothing else', () => {
    expect(parseMonth('2026-12')).toEqual({
      ok: true,
      value: { month: '2026-12', startMs: Date.UTC(2026, 11, 1), endMs: Date.UTC(2027, 0, 1) },
    });
    for (const bad of ['2026-13', '2026-1', '12-2026', '', undefined]) expect(parseMonth(bad).ok).toBe(false);
  });
});

describe.each(STORES)('finance reports tie out to the ledger ($name)', (store) => {
  it('over random purchases, usage, voids, holds, refunds, grants and expiry from late November through December', async () => {
    const runs = Math.max(
      1,
      Math.ceil(Number(process.env.FC_RUNS ?? 40) / (store.name.startsWith('sqlite') ? 8 : 20)),
    );
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0));
        const end = Date.UTC(2026, 11, 31, 23, 30, 0);
        const { engine, call } = await makeApi({
          store,
          clock,
          config: { taxRate: '0.2', creditPrice: '0.013' },
        });
        const accounts: string[] = [];
        for (let i = 0; i < 3; i++)
          accounts.push((await call('POST', '/v1/accounts', { name: `Customer ${i}` })).body.id);
        const paid: string[] = [];
        const events: string[] = [];
        let n = 0;
        const available = async (a: string) =>
          (await call('GET', `/v1/accounts/${a}/balance`)).body.available as string;
        for (const op of steps) {
          if (clock.ms >= end - 2 * HOUR) break;
          const a = accounts[(op as { account?: number }).account ?? 0]!;
          if (op.kind === 'buy') {
            const p = await call(
              'POST',
              `/v1/accounts/${a}/credit_purchases`,
              { credits: String(op.credits), provider: 'manual' },
              { 'idempotency-key': `k${n++}` },
            );
            expect(p.status).toBe(201);
            expect((await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).status).toBe(200);
            paid.push(p.body.id);
          } else if (op.kind === 'grant') {
            const body = {
              credits: String(op.credits),
              reason: 'promo',
              ...(op.expiresInHours
                ? { expires_at: new Date(clock.ms + op.expiresInHours * HOUR).toISOString() }
                : {}),
            };
            expect((await call('POST', `/v1/accounts/${a}/credit_grants`, body)).status).toBe(201);
          } else if (op.kind === 'use') {
            const credits = shareOf(await available(a), op.share);
            if (credits > 0) {
              const r = await call('POST', '/v1/usage_events', {
                events: [
                  {
                    id: `e${n++}`,
                    account_id: a,
                    model: 'image-1024',
                    quantity: '1',
                    credits: String(credits),
                    timestamp: new Date(clock.ms).toISOString(),
                  },
                ],
              });
              expect(r.body.results[0].status).toBe('accepted');
              events.push(`e${n - 1}`);
            }
          } else if (op.kind === 'hold') {
            const credits = shareOf(await available(a), op.share);
            if (credits > 0) {
              const h = await call('POST', `/v1/accounts/${a}/holds`, { credits: String(credits) });
              expect(h.status).toBe(201);
              const capture = Math.floor(credits * op.captureShare);
              if (capture > 0)
                expect(
                  (await call('POST', `/v1/holds/${h.body.id}/capture`, { credits: String(capture) })).status,
                ).toBe(200);
              else await call('POST', `/v1/holds/${h.body.id}/release`);
            }
          } else if (op.kind === 'refund' && paid.length > 0) {
            const id = paid[op.pick % paid.length]!;
            const p = await engine.credits.getPurchase(id);
            const avail = p.ok ? await available(p.value.accountId) : '0';
            const credits = op.share === null ? undefined : String(shareOf(avail, op.share) || 1);
            const r = await call('POST', `/v1/credit_purchases/${id}/refund`, credits ? { credits } : {});
            expect([201, 409]).toContain(r.status);
          } else if (op.kind === 'void' && events.length > 0) {
            // A voided event's credits come back: at once when unbilled, by the next run when billed.
            const id = events[op.pick % events.length]!;
            expect((await call('POST', `/v1/usage_events/${id}/void`, { reason: 'wrong' })).status).toBe(200);
          } else if (op.kind === 'bill') {
            await engine.usage.drain();
            await engine.billing.run();
          } else if (op.kind === 'expire') {
            await engine.credits.expireLots();
          } else if (op.kind === 'wait') {
            clock.advance(op.hours * HOUR);
          }
        }
        // The last closed hours of December billed in December; the report is read on Dec 31.
        clock.ms = end;
        await engine.usage.drain();
        await engine.billing.run();
        await engine.credits.expireLots();

        const nov = (await call('GET', '/v1/reports/deferred_revenue?month=2026-11')).body;
        const dec = (await call('GET', '/v1/reports/deferred_revenue?month=2026-12')).body;
        for (const r of [nov, dec]) {
          expect(r.currency).toBe('USD');
          expect(usd(r.closing)).toBe(
            usd(r.opening) + usd(r.purchased) - usd(r.consumed) - usd(r.refunded) - usd(r.expired),
          );
          // Consumption is net of give-backs (a void returns credits to the lots usage burned, in
          // reverse burn order): it may be negative in a month; the other flows never are.
          for (const k of ['purchased', 'refunded', 'expired']) expect(usd(r[k])).toBeGreaterThanOrEqual(0n);
        }
        if (process.env.FINANCE_DEBUG) console.log(steps.length, nov, dec);
        expect(nov.opening).toBe('0.00');
        expect(dec.opening).toBe(nov.closing);

        // The December closing is the unspent paid credits at cost, read from the lots and
        // purchases (not the journal), and the lots hold exactly what the ledger's balances say.
        let unspent = 0n;
        const purchasedIn = { '2026-11': 0n, '2026-12': 0n } as Record<string, bigint>;
        for (const a of accounts) {
          const lots = await engine.credits.lots(a);
          const posted = BigInt(
            ((await engine.accounts.balance(a)) as { ok: true; value: { posted: bigint } }).value.posted,
          );
          expect(lots.reduce((s, l) => s + l.remainingMinor, 0n)).toBe(posted > 0n ? posted : 0n);
          for (const l of lots) {
            if (l.source !== 'purchase') continue;
            const p = await engine.credits.getPurchase(l.sourceId);
            if (!p.ok) throw new Error(p.message);
            unspent += unspentAtCost(
              {
                lotId: l.id,
                creditsMinor: p.value.creditsMinor,
                costMinor: p.value.subtotalMinor,
                currency: 'USD',
              },
              l.remainingMinor,
            );
          }
        }
        expect(usd(dec.closing)).toBe(unspent);
        for (const id of paid) {
          const p = await engine.credits.getPurchase(id);
          if (p.ok)
            purchasedIn[new Date(p.value.resolvedAtMs!).toISOString().slice(0, 7)]! += p.value.subtotalMinor;
        }
        expect(usd(nov.purchased)).toBe(purchasedIn['2026-11']);
        expect(usd(dec.purchased)).toBe(purchasedIn['2026-12']);

        // The journal: every transfer once, as double entry; its values add up to the report's flows.
        const csv = (await call('GET', '/v1/reports/journal.csv?from=2026-12-01&to=2027-01-01')).text
          .trim()
          .split('\n');
        expect(csv[0]).toBe('date,transfer_id,debit_account,credit_account,credits,usd_value,reference');
        const lines = csv.slice(1).map((l) => l.split(','));
        // One line per transfer, and a second one where a lot paid off usage billed past zero.
        expect(new Set(lines.map((l) => `${l[1]} ${l[6]!.split(' ')[0]}`)).size).toBe(lines.length);
        const sum = (codes: string[]) =>
          lines.filter((l) => codes.includes(l[6]!.split(' ')[0]!)).reduce((s, l) => s + usd(l[5]!), 0n);
        expect(sum(['purchase'])).toBe(usd(dec.purchased));
        expect(sum(['refund'])).toBe(usd(dec.refunded));
        expect(sum(['breakage'])).toBe(usd(dec.expired));
        expect(sum(['usage', 'hold', 'usage_debt']) - sum(['usage_void'])).toBe(usd(dec.consumed));
        expect(sum(['grant'])).toBe(0n);
        for (const l of lines) expect(l[0]!.startsWith('2026-12')).toBe(true);
        // Per customer account, the journal since the beginning moves exactly its ledger balance.
        const all = (await call('GET', '/v1/reports/journal.csv?from=2026-01-01&to=2027-01-01')).text
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(','));
        for (const a of accounts) {
          const cents = (s: string) => BigInt(Math.round(Number(s) * 1e6));
          const moved = all
            .filter((l) => !l[6]!.includes('(pending)') && !l[6]!.includes('(void_pending)'))
            .reduce((s, l) => s + (l[3] === a ? cents(l[4]!) : 0n) - (l[2] === a ? cents(l[4]!) : 0n), 0n);
          const b = await engine.accounts.balance(a);
          expect(moved).toBe((b as { ok: true; value: { posted: bigint } }).value.posted);
        }
        await engine.close();
      }),
      {
        numRuns: runs,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
      },
    );
  }, 600_000);

  it('answers a bad month or range with validation_failed naming the field', async () => {
    const { call } = await makeApi({ store });
    const bad = await call('GET', '/v1/reports/deferred_revenue?month=2026-13');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toEqual([
      { field: 'month', message: 'must be a month as YYYY-MM, e.g. 2026-12' },
    ]);
    const range = await call('GET', '/v1/reports/journal.csv?from=2027-01-01&to=2026-12-01');
    expect(range.status).toBe(422);
    expect(range.body.error.details[0].field).toBe('to');
    const empty = await call('GET', '/v1/reports/deferred_revenue?month=2026-12');
    expect(empty.body).toEqual({
      month: '2026-12',
      currency: 'USD',
      opening: '0.00',
      purchased: '0.00',
      consumed: '0.00',
      refunded: '0.00',
      expired: '0.00',
      closing: '0.00',
    });

    // A failing store: 503 unavailable, before any line of the CSV is sent.
    const { engine: down, call: callDown } = await makeApi({ store });
    down.storage.transaction = () => Promise.reject(new StorageUnavailable('storage is down (test)'));
    for (const path of [
      '/v1/reports/deferred_revenue?month=2026-12',
      '/v1/reports/journal.csv?from=2026-12-01&to=2027-01-01',
    ]) {
      const r = await callDown('GET', path);
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('unavailable');
    }
  });
});

describe('lots from before the lot journal', () => {
  it('migration 012 journals what can be known of them: bought at creation, and what they had lost by then', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-journal-')), 'tollgate.db');
    const db = new Database(path);
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) });
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '012'));
    const old = await new Migrator({
      db: kysely,
      provider: { getMigrations: async () => before },
    }).migrateToLatest();
    expect(old.error).toBeUndefined();
    const at = Date.UTC(2026, 10, 10, 12, 0, 0);
    db.prepare(
      `INSERT INTO ledger_accounts (id, asset, kind, overdraft_minor, debits_posted, credits_posted, debits_pending, credits_pending, created_at_ms)
       VALUES ('acc_old', 'credits', 'customer', 0, 2000000000, 3000000000, 0, 0, ?)`,
    ).run(at);
    db.prepare(
      `INSERT INTO accounts (id, name, ledger_account_id, created_at_ms) VALUES ('acc_old', 'Old', 'acc_old', ?)`,
    ).run(at);
    db.prepare(
      `INSERT INTO purchases (id, account_id, idempotency_key, request_fingerprint, credits_minor, unit_price, subtotal_minor, tax_minor, total_minor, provider, status, created_at_ms, resolved_at_ms)
       VALUES ('pur_old', 'acc_old', 'k', 'f', 3000000000, '0.01', 3000, 600, 3600, 'manual', 'paid', ?, ?)`,
    ).run(at, at);
    const lot = db.prepare(
      `INSERT INTO lots (id, account_id, source, source_id, credits_minor, remaining_minor, priority, expires_at_ms, created_at_ms)
       VALUES (?, 'acc_old', ?, ?, ?, ?, ?, NULL, ?)`,
    );
    lot.run('lot_p', 'purchase', 'pur_old', 3000000000, 1000000000, 10, at);
    lot.run('lot_g', 'grant', 'grant_old', 500000000, 0, 0, at);
    await kysely.destroy();

    const { call } = await makeApi({ database: path, clock: new ManualClock(Date.UTC(2026, 11, 2)) });
    expect((await call('GET', '/v1/reports/deferred_revenue?month=2026-11')).body).toEqual({
      month: '2026-11',
      currency: 'USD',
      opening: '0.00',
      purchased: '30.00',
      consumed: '20.00',
      refunded: '0.00',
      expired: '0.00',
      closing: '10.00',
    });
    expect((await call('GET', '/v1/reports/deferred_revenue?month=2026-12')).body).toMatchObject({
      opening: '10.00',
      closing: '10.00',
    });
  });
});
