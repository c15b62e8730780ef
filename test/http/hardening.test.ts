import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/http/csv.ts';
import { makeApi } from '../helpers.ts';

/** Issue 27's review findings at the edges, each refused or answered as a user would expect. */
describe('edges found by review', () => {
  it('low_balance_threshold is bounded like every amount: amount_out_of_range, not a 500', async () => {
    const { call } = await makeApi();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const huge = await call('PATCH', `/v1/accounts/${acc.id}`, { low_balance_threshold: '9'.repeat(30) });
    expect(huge.status).toBe(422);
    expect(huge.body.error.code).toBe('amount_out_of_range');
    const fine = await call('PATCH', `/v1/accounts/${acc.id}`, { low_balance_threshold: '100' });
    expect(fine.status).toBe(200);
  });

  it('one event with deeply nested properties is rejected alone; the rest of its batch is accepted', async () => {
    const { call, clock } = await makeApi();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const DEEP = '__deep__';
    const ts = new Date(clock.ms).toISOString();
    const base = { account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: ts };
    // Built as text: nested 20,000 deep, past what a recursive JSON.stringify survives.
    const body = JSON.stringify({
      events: [
        { ...base, id: 'ok-1' },
        { ...base, id: 'deep', properties: DEEP },
        { ...base, id: 'ok-2', properties: { prompt: 'a cat' } },
      ],
    }).replace(`"${DEEP}"`, `${'{"d":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    const r = await call('POST', '/v1/usage_events', body);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
    ]);
    expect(r.body.results[1].code).toBe('validation_failed');
  });

  it('an event id of 65 to 128 characters (the middleware makes 82) can be voided through the API', async () => {
    const { call, clock } = await makeApi();
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const ts = new Date(clock.ms).toISOString();
    const id = `${acc.id}/${'k'.repeat(128 - acc.id.length - 1)}`;
    expect(id).toHaveLength(128);
    const sent = await call('POST', '/v1/usage_events', {
      events: [{ id, account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: ts }],
    });
    expect(sent.body.results[0].status).toBe('accepted');
    const voided = await call('POST', `/v1/usage_events/${encodeURIComponent(id)}/void`, { reason: 'test' });
    expect(voided.status).toBe(200);
    expect(voided.body.status).toBe('voided');
  });

  it('CSV cells holding ; are quoted, so a semicolon-separated spreadsheet keeps them whole', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('portal pages may not be framed by another site', async () => {
    const { app } = await makeApi();
    for (const path of ['/portal/keys', '/portal/nowhere']) {
      const res = await app.request(path);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });
});
