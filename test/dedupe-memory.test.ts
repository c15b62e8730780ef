/**
 * The in-memory index that deduplicates usage-event ids on SQLite is bounded by the dedupe window:
 * ids leave it once their events arrived before the window, and the memory comes back.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { createTollgate } from '../src/index.ts';
import { HOUR, ManualClock, must } from './helpers.ts';

describe('the usage-id index (SQLite)', () => {
  it('lets ids go once they leave the dedupe window, and shrinks back', async () => {
    const clock = new ManualClock();
    // A one-hour window (the default is 35 days) so the test can step past it.
    const engine = await createTollgate({ clock, config: { lateEventMaxAgeMs: HOUR } });
    const storage = engine.storage as SqliteStorage;
    try {
      const acc = must(await engine.accounts.create({ name: 'Acme' }));
      const send = async (ids: string[]) =>
        (
          await engine.usage.ingest(
            ids.map((id) => ({
              id,
              account_id: acc.id,
              model: 'm',
              quantity: '1',
              credits: '1',
              timestamp: new Date(clock.ms).toISOString(),
            })),
          )
        ).map((r) => r.status);
      const empty = storage.usageIdIndexBytes;
      const first: string[] = [];
      for (let b = 0; b < 200; b++) {
        const ids = Array.from({ length: 1000 }, () => randomUUID());
        first.push(...ids);
        await send(ids);
      }
      const full = storage.usageIdIndexBytes;
      // 16 bytes a slot, at most 4 slots an id once grown: 200,000 ids hold 4 to 16 MiB.
      expect(full).toBeGreaterThan(200_000 * 16);
      expect(full).toBeLessThanOrEqual(200_000 * 64 + empty);
      // Inside the window a retry is a duplicate (the index found it).
      expect(await send([first[123]!])).toEqual(['duplicate']);

      // Past the window (and the hour of margin for clock steps), the next batch lets them go.
      clock.advance(3 * HOUR);
      const later = Array.from({ length: 1000 }, () => randomUUID());
      expect(await send(later)).toEqual(later.map(() => 'accepted'));
      expect(storage.usageIdIndexBytes).toBe(empty);
      // The ids still in the window are still found.
      expect(await send([later[7]!])).toEqual(['duplicate']);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
