import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { ADMIN, ManualClock, makeEngine, must } from './helpers.ts';

const RECORDS = 1_000_000;

describe('CSV export', () => {
  it(`streams ${RECORDS.toLocaleString('en')} records in constant memory (the process grows by less than 100 MB)`, async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
    const { engine } = await makeEngine({
      clock,
      database: join(mkdtempSync(join(tmpdir(), 'tollgate-csv-')), 'csv.db'),
    });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const start = clock.ms - 20 * 24 * 3_600_000;
    for (let b = 0; b < RECORDS / 1000; b++) {
      const batch = [];
      for (let i = 0; i < 1000; i++) {
        const n = b * 1000 + i;
        batch.push({
          id: `evt_${n}`,
          account_id: acc.id,
          model: 'image-1024',
          quantity: '1',
          timestamp: new Date(start + n * 1000).toISOString(),
        });
      }
      await engine.usage.ingest(batch);
    }
    const app = createApp(engine, { adminToken: ADMIN });
    expect(global.gc, 'vitest runs with --expose-gc').toBeTypeOf('function');
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const res = await app.request(
      `/v1/accounts/${acc.id}/usage/records.csv?from=${new Date(start).toISOString()}`,
      { headers: { authorization: `Bearer ${ADMIN}` } },
    );
    const reader = res.body!.getReader();
    let lines = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const byte of value) if (byte === 10) lines++;
      if (++chunks % 200 === 0) {
        global.gc?.();
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(lines).toBe(RECORDS + 1);
    const grownMb = (peak - before) / 1024 / 1024;
    console.log(`CSV export: ${lines - 1} records, rss grew ${grownMb.toFixed(1)} MB`);
    expect(grownMb).toBeLessThan(100);
    await engine.close();
  }, 300_000);
});
