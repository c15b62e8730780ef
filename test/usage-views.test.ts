import { describe, expect, it } from 'vitest';
import { HOUR, ManualClock, makeApi } from './helpers.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('usage views', () => {
  it('sums by hour and by day in UTC, grouped by model or key', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30));
    const { call } = await makeApi({ clock });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const k1 = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'a' })).body;
    const k2 = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'b' })).body;
    const at = (h: number, m = 0) => iso(Date.UTC(2026, 10, 25, h, m));
    await call('POST', '/v1/usage_events', {
      events: [
        { id: '1', api_key_id: k1.id, model: 'video-4s-720p', quantity: '1', timestamp: at(11, 5) },
        { id: '2', api_key_id: k1.id, model: 'video-4s-720p', quantity: '2', timestamp: at(11, 55) },
        { id: '3', api_key_id: k2.id, model: 'image-1024', quantity: '5', timestamp: at(12, 0) },
        { id: '4', api_key_id: k2.id, model: 'video-4s-720p', quantity: '1', timestamp: at(13, 29) },
      ],
    });
    const q = (s: string) =>
      call('GET', `/v1/accounts/${acc.id}/usage/summary?from=${at(0)}&to=${at(23)}${s}`);
    expect((await q('&granularity=hour')).body.data).toEqual([
      { start: '2026-11-25T11:00:00Z', events: 2, quantity: '3', credits: '60' },
      { start: '2026-11-25T12:00:00Z', events: 1, quantity: '5', credits: '10' },
      { start: '2026-11-25T13:00:00Z', events: 1, quantity: '1', credits: '20' },
    ]);
    const byModel = (await q('&granularity=day&group_by=model')).body.data;
    expect(byModel).toEqual(
      expect.arrayContaining([
        { start: '2026-11-25T00:00:00Z', model: 'video-4s-720p', events: 3, quantity: '4', credits: '80' },
        { start: '2026-11-25T00:00:00Z', model: 'image-1024', events: 1, quantity: '5', credits: '10' },
      ]),
    );
    const byKey = (await q('&granularity=day&group_by=api_key')).body.data;
    expect(byKey).toHaveLength(2);
    expect((await q('&granularity=week')).body.error.code).toBe('validation_failed');
    expect((await q('&tz=Mars/Olympus')).body.error.code).toBe('validation_failed');
  });

  it('cuts days at local midnight across daylight-saving changes when tz is given', async () => {
    // Europe/Paris leaves summer time on 2026-10-25: that day has 25 hours.
    const clock = new ManualClock(Date.UTC(2026, 9, 27, 12));
    const { call } = await makeApi({ clock });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const events = [];
    // One event every hour, UTC, from Oct 24 22:00 to Oct 26 23:00.
    for (let h = 0; h < 50; h++)
      events.push({
        id: `e${h}`,
        account_id: acc.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: iso(Date.UTC(2026, 9, 24, 22) + h * HOUR),
      });
    await call('POST', '/v1/usage_events', { events });
    const r = await call(
      'GET',
      `/v1/accounts/${acc.id}/usage/summary?from=${iso(Date.UTC(2026, 9, 24, 22))}&to=${iso(Date.UTC(2026, 9, 27))}&granularity=day&tz=Europe/Paris`,
    );
    expect(r.body.data.map((b: { start: string; events: number }) => [b.start, b.events])).toEqual([
      ['2026-10-25T00:00:00+02:00', 25],
      ['2026-10-26T00:00:00+01:00', 24],
      ['2026-10-27T00:00:00+01:00', 1],
    ]);
  });

  it('pages detailed records with a cursor and filters, and exports them as CSV', async () => {
    const { call, clock } = await makeApi();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const events = Array.from({ length: 25 }, (_, i) => ({
      id: `e${String(i).padStart(2, '0')}`,
      account_id: acc.id,
      model: i % 2 ? 'image-1024' : 'video-4s-720p',
      quantity: '1',
      timestamp: iso(clock.ms - (25 - i) * 1000),
    }));
    await call('POST', '/v1/usage_events', { events });
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await call(
        'GET',
        `/v1/accounts/${acc.id}/usage/records?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((r: { id: string }) => r.id));
      if (!page.body.next_cursor) break;
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual(events.map((e) => e.id));
    const images = await call('GET', `/v1/accounts/${acc.id}/usage/records?model=image-1024&limit=100`);
    expect(images.body.data).toHaveLength(12);
    expect(images.body.data[0]).toMatchObject({ model: 'image-1024', quantity: '1', credits: '2' });
    const csv = await call('GET', `/v1/accounts/${acc.id}/usage/records.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'timestamp,id,api_key_id,model,quantity,credits,status,unit_price,billed_at,billing_transfer_id,quantities,price_version_id',
    );
    expect(lines).toHaveLength(26);
    expect((await call('GET', `/v1/accounts/${acc.id}/usage/records?limit=0`)).body.error.code).toBe(
      'validation_failed',
    );
    expect((await call('GET', `/v1/accounts/${acc.id}/usage/records?cursor=%%%`)).body.error.code).toBe(
      'validation_failed',
    );
  });
});
