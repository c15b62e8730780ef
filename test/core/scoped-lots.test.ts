import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burnOrder, parseModels, type SpendLot, spendOfLots } from '../../src/core/kernel/lots.ts';

const lot = (id: string, remaining: bigint, models: string[] | null = null): SpendLot => ({
  id,
  remainingMinor: remaining,
  models,
});
const reserved = (unbilled: Record<string, bigint> = {}, pending = 0n, extra = 0n) => ({
  pendingMinor: pending,
  unbilledMinor: Object.values(unbilled).reduce((a, b) => a + b, 0n) + extra,
  unbilledByModel: new Map(Object.entries(unbilled)),
});

describe('spendOfLots: unspent per lot, available and available_by_model', () => {
  it('without scoped lots is posted - pending - unbilled, lots burned in order', () => {
    const s = spendOfLots([lot('a', 5n), lot('b', 5n)], 10n, reserved({ m: 7n }));
    expect([...s.unspent]).toEqual([
      ['a', 0n],
      ['b', 3n],
    ]);
    expect(s.available).toBe(3n);
    expect(s.availableByModel.size).toBe(0);
  });

  it("a model's unbilled usage burns the lots scoped to it first; other models only unscoped ones", () => {
    // Burn order: the scoped lot first (same priority), then the unscoped one.
    const lots = [lot('video', 100n, ['v']), lot('any', 50n)];
    const s = spendOfLots(lots, 150n, reserved({ v: 30n, t: 20n }));
    expect(s.unspent.get('video')).toBe(70n);
    expect(s.unspent.get('any')).toBe(30n);
    // What any model can use: the unscoped credits left; video also has its 70 scoped ones.
    expect(s.available).toBe(30n);
    expect(Object.fromEntries(s.availableByModel)).toEqual({ v: 100n });
  });

  it('usage of a model past its scoped credits takes unscoped ones; usage no lot covers goes negative', () => {
    const past = spendOfLots([lot('video', 10n, ['v']), lot('any', 10n)], 20n, reserved({ v: 15n }));
    expect([...past.unspent.values()]).toEqual([0n, 5n]);
    expect(past.available).toBe(5n);
    // The scoped lot is empty: no model has scoped credits left.
    expect(past.availableByModel.size).toBe(0);
    const uncovered = spendOfLots([lot('video', 100n, ['v'])], 100n, reserved({ t: 20n }));
    expect(uncovered.unspent.get('video')).toBe(100n);
    expect(uncovered.available).toBe(-20n);
    // The debt is netted against what the video model can use.
    expect(Object.fromEntries(uncovered.availableByModel)).toEqual({ v: 80n });
  });

  it('holds and unbilled usage of unnamed models burn unscoped lots only', () => {
    const s = spendOfLots([lot('video', 40n, ['v']), lot('any', 50n)], 90n, reserved({}, 30n, 15n));
    expect(s.unspent.get('video')).toBe(40n);
    expect(s.unspent.get('any')).toBe(5n);
    expect(s.available).toBe(5n);
    expect(Object.fromEntries(s.availableByModel)).toEqual({ v: 45n });
  });

  it('a lot scoped to several models counts for each; overlapping scopes add up', () => {
    const s = spendOfLots(
      [lot('av', 10n, ['a', 'v']), lot('v', 5n, ['v']), lot('any', 1n)],
      16n,
      reserved({ a: 4n }),
    );
    expect(s.available).toBe(1n);
    expect(Object.fromEntries(s.availableByModel)).toEqual({ a: 7n, v: 12n });
  });

  it('zero and exact boundaries: an exactly used scoped lot keeps nothing, nothing reserved keeps all', () => {
    const exact = spendOfLots([lot('s', 10n, ['m'])], 10n, reserved({ m: 10n }));
    expect(exact.unspent.get('s')).toBe(0n);
    expect(exact.available).toBe(0n);
    expect(exact.availableByModel.size).toBe(0);
    const idle = spendOfLots([lot('s', 10n, ['m'])], 10n, reserved());
    expect(idle.available).toBe(0n);
    expect(Object.fromEntries(idle.availableByModel)).toEqual({ m: 10n });
  });

  it('property: each lot keeps between 0 and its remainder, what was taken never exceeds what was reserved, and a model never has less than any model', () => {
    const models = ['a', 'b', 'c'];
    const arbLot = fc.record({
      remaining: fc.bigInt({ min: 1n, max: 1000n }),
      models: fc.option(fc.subarray(models, { minLength: 1 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(arbLot, { maxLength: 6 }),
        fc.dictionary(fc.constantFrom(...models), fc.bigInt({ min: 0n, max: 1500n })),
        fc.bigInt({ min: 0n, max: 500n }),
        fc.bigInt({ min: 0n, max: 300n }),
        (raw, unbilled, pending, other) => {
          const lots = raw.map((l, i) => lot(`l${i}`, l.remaining, l.models));
          const posted = lots.reduce((a, l) => a + l.remainingMinor, 0n);
          const r = reserved(unbilled, pending, other);
          const s = spendOfLots(lots, posted, r);
          let kept = 0n;
          for (const l of lots) {
            const u = s.unspent.get(l.id)!;
            expect(u >= 0n && u <= l.remainingMinor).toBe(true);
            kept += u;
          }
          const consumed = posted - kept;
          // Sum of unspent + consumed = remaining, and nothing is consumed beyond what is reserved.
          expect(consumed <= r.unbilledMinor + r.pendingMinor).toBe(true);
          // A model with scoped credits left can use more than any model can.
          for (const v of s.availableByModel.values()) expect(v > s.available).toBe(true);
          const scopedKept = lots
            .filter((l) => l.models !== null)
            .reduce((a, l) => a + s.unspent.get(l.id)!, 0n);
          expect(s.available).toBe(posted - r.pendingMinor - r.unbilledMinor - scopedKept);
        },
      ),
    );
  });
});

describe('burnOrder and parseModels', () => {
  it('orders by priority, then scoped before unscoped, then soonest expiry (none last), then oldest', () => {
    const base = { priority: 0, models: null, expiresAtMs: null, createdAtMs: 0 };
    const lots = [
      { ...base, id: 'unscoped-soon', expiresAtMs: 5 },
      { ...base, id: 'priority-1-scoped', priority: 1, models: ['m'] },
      { ...base, id: 'scoped-never', models: ['m'] },
      { ...base, id: 'scoped-late-new', models: ['m'], expiresAtMs: 9, createdAtMs: 2 },
      { ...base, id: 'scoped-late-old', models: ['m'], expiresAtMs: 9, createdAtMs: 1 },
    ];
    expect([...lots].sort(burnOrder).map((l) => l.id)).toEqual([
      'scoped-late-old',
      'scoped-late-new',
      'scoped-never',
      'unscoped-soon',
      'priority-1-scoped',
    ]);
  });

  it('takes 1 to 50 distinct printable names, or none', () => {
    expect(parseModels(undefined)).toEqual({ ok: true, value: null });
    expect(parseModels(null)).toEqual({ ok: true, value: null });
    expect(parseModels(['video-8s-1080p'])).toEqual({ ok: true, value: ['video-8s-1080p'] });
    const fifty = Array.from({ length: 50 }, (_, i) => `m${i}`);
    expect(parseModels(fifty).ok).toBe(true);
    for (const bad of [[], [...fifty, 'm50'], ['a', 'a'], ['has space'], [''], [7], 'video'])
      expect(parseModels(bad)).toMatchObject({ ok: false, code: 'validation_failed' });
  });
});
