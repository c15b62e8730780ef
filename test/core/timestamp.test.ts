import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant, parseTimeParam } from '../../src/core/kernel/time.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('parseInstant', () => {
  it('agrees with Date.parse on every valid instant, zone and fraction', () => {
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 0, max: 9999 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 28 }),
          h: fc.integer({ min: 0, max: 23 }),
          mi: fc.integer({ min: 0, max: 59 }),
          s: fc.integer({ min: 0, max: 59 }),
          frac: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
          zone: fc.oneof(
            fc.constant('Z'),
            fc
              .tuple(
                fc.constantFrom('+', '-'),
                fc.integer({ min: 0, max: 23 }),
                fc.integer({ min: 0, max: 59 }),
              )
              .map(([sign, oh, om]) => `${sign}${pad(oh, 2)}:${pad(om, 2)}`),
          ),
        }),
        (t) => {
          const text = `${pad(t.y, 4)}-${pad(t.mo, 2)}-${pad(t.d, 2)}T${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}${t.frac === undefined ? '' : `.${t.frac}`}${t.zone}`;
          expect(parseInstant(text), text).toBe(Date.parse(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the days of each month and leap years', () => {
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseInstant('2026-12-31T23:59:59.999Z')).toBe(Date.parse('2026-12-31T23:59:59.999Z'));
    expect(parseInstant('2026-11-25T13:00:00.5+01:00')).toBe(Date.UTC(2026, 10, 25, 12, 0, 0, 500));
  });

  it('refuses what is not an instant with a zone, including days a month does not have', () => {
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01T00:00:00',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00.1234567890Z',
      '2026-01-01T00:00:00+25:00',
      '2026-01-01T00:00:00+05:99',
      '2026-01-01T00:00:00+0500',
      '2026-01-01 00:00:00Z',
      '2026-1-01T00:00:00Z',
      '２０２６-01-01T00:00:00Z',
      '2026-01-01T00:00:00Zjunk',
      '+2026-01-01T00:00:00Z',
      '',
    ]) {
      expect(parseInstant(bad), bad).toBeNaN();
    }
  });
});

describe('times given in queries, bodies and on the command line', () => {
  it('take an instant with a zone or a UTC date, and refuse dates that do not exist', () => {
    expect(parseTimeParam('2026-11-25')).toBe(Date.UTC(2026, 10, 25));
    expect(parseTimeParam('2026-11-25T13:00:00Z')).toBe(Date.UTC(2026, 10, 25, 13));
    expect(parseTimeParam('2026-02-30')).toBeNaN();
    expect(parseTimeParam('2026-02-30T00:00:00Z')).toBeNaN();
    expect(parseTimeParam('soon')).toBeNaN();
  });
});
