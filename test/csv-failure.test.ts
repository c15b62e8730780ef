/**
 * A CSV export that fails part-way (the store going down after the first pages) fails the
 * download itself: the client never gets a shorter file that looks complete.
 */
import { describe, expect, it } from 'vitest';
import { StorageUnavailable } from '../src/core/kernel/errors.ts';
import { ADMIN, makeApi, must } from './helpers.ts';

describe('CSV exports', () => {
  it('break the download when the store fails after the first page, and answer 503 when it fails before', async () => {
    const { engine, clock, app } = await makeApi();
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const ts = new Date(clock.ms).toISOString();
    for (let b = 0; b < 3; b++) {
      const events = Array.from({ length: 1000 }, (_, i) => ({
        id: `e-${b}-${i}`,
        account_id: acc.id,
        model: 'm',
        quantity: '1',
        credits: '1',
        timestamp: ts,
      }));
      await engine.usage.ingest(events);
    }
    const path = `/v1/accounts/${acc.id}/usage/records.csv?from=${ts.slice(0, 10)}`;
    const get = () => app.request(path, { headers: { authorization: `Bearer ${ADMIN}` } });
    // Whole: a header and 3,000 rows.
    expect((await (await get()).text()).trim().split('\n')).toHaveLength(3001);

    const pages = engine.storage.usageRecords.bind(engine.storage);
    let calls = 0;
    engine.storage.usageRecords = (q) => {
      calls++;
      // The check before answering and the first page of 1,000 go through; the next fails.
      return calls <= 2 ? pages(q) : Promise.reject(new StorageUnavailable('storage is down (test)'));
    };
    const cut = await get();
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow(/storage is down/);

    calls = 10;
    const before = await get();
    expect(before.status).toBe(503);
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    await engine.close();
  });
});
