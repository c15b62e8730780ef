import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { ADMIN, ManualClock, makeEngine, must, portalClient, STORES } from './helpers.ts';

const HOUR = 3_600_000;

describe.each(STORES)('the Usage page lists records newest first, page after page ($name)', (store) => {
  it('every record once, newest first, across hours, events sharing a millisecond and voided ones', async () => {
    const now = Date.now();
    const { engine } = await makeEngine({ store, clock: new ManualClock(now) });
    const account = must(await engine.accounts.create({ name: 'Acme Films' })).id;
    // 130 events over the last 30 hours; some share a millisecond, so ids break the tie.
    const events = Array.from({ length: 130 }, (_, i) => ({
      id: `evt_${String(i).padStart(3, '0')}`,
      account_id: account,
      model: 'image-1024',
      quantity: '1',
      timestamp: new Date(now - 60_000 - Math.floor(i / 2) * 13 * 60_000).toISOString(),
    }));
    const results = await engine.usage.ingest(events);
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    // Voided events are records too (not counted in the hourly rollup): they must still be listed.
    for (const id of ['evt_001', 'evt_050', 'evt_051']) must(await engine.usage.void(id, 'test'));

    const app = createApp(engine, { adminToken: ADMIN });
    const browse = portalClient(app);
    const link = must(await engine.portal.createLink(account));
    expect((await browse(`/portal/session/${link.token}`, {})).status).toBe(303);

    const from = new Date(now - 3 * 24 * HOUR).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    let path: string | null = `/portal/usage?from=${from}&to=${to}`;
    const pages: string[][] = [];
    while (path && pages.length < 10) {
      const res = await browse(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      pages.push([...html.matchAll(/data-event="([^"]+)"/g)].map((m) => m[1]!));
      const older = /<a href="([^"]+)">\s*Older records/.exec(html);
      path = older ? older[1]!.replaceAll('&amp;', '&').replace(/#.*$/, '') : null;
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
    // Newest first: by time, then by id, as the engine orders them, turned around.
    const expected = events
      .map((e) => ({ id: e.id, ms: Date.parse(e.timestamp) }))
      .sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
    expect(pages.flat()).toEqual(expected);
  }, 60_000);

  it('a view reads one page of records from storage, however many the hour holds', async () => {
    const now = Date.now();
    const { engine } = await makeEngine({ store, clock: new ManualClock(now) });
    const account = must(await engine.accounts.create({ name: 'Busy Films' })).id;
    const hourStart = now - (now % HOUR);
    const at = (i: number) => new Date(Math.max(hourStart, now - 1 - (i % 1000))).toISOString();
    for (let batch = 0; batch < 6; batch++)
      await engine.usage.ingest(
        Array.from({ length: 1000 }, (_, i) => ({
          id: `e${batch}_${String(i).padStart(4, '0')}`,
          account_id: account,
          model: 'image-1024',
          quantity: '1',
          timestamp: at(i),
        })),
      );
    const reads: number[] = [];
    const storage = engine.storage as { usageRecords: (q: unknown) => Promise<unknown[]> };
    const original = storage.usageRecords.bind(storage);
    storage.usageRecords = async (q) => {
      const rows = await original(q);
      reads.push(rows.length);
      return rows;
    };
    const app = createApp(engine, { adminToken: ADMIN });
    const browse = portalClient(app);
    const link = must(await engine.portal.createLink(account));
    expect((await browse(`/portal/session/${link.token}`, {})).status).toBe(303);
    const day = new Date(now).toISOString().slice(0, 10);
    const html = await (await browse(`/portal/usage?from=${day}&to=${day}`)).text();
    const shown = [...html.matchAll(/data-event="([^"]+)"/g)].map((m) => m[1]!);
    expect(shown).toHaveLength(50);
    // The newest: the events one millisecond before now, by id descending.
    expect(shown.slice(0, 3)).toEqual(['e5_0000', 'e4_0000', 'e3_0000']);
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(51);
  }, 60_000);
});
