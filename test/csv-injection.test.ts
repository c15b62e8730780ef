import { describe, expect, it } from 'vitest';
import { ManualClock, makeApi } from './helpers.ts';

describe('usage records CSV', () => {
  it('opens cells that begin like a formula as text, and leaves other cells as they were', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30));
    const { call } = await makeApi({ clock });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'a' })).body;
    const ids = ['=1+2', '+SUM(A1:A9)', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x.example/",1),', 'evt-1=2'];
    const posted = await call('POST', '/v1/usage_events', {
      events: ids.map((id, i) => ({
        id,
        api_key_id: key.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: new Date(Date.UTC(2026, 10, 25, 12, i)).toISOString(),
      })),
    });
    expect(posted.body.results.map((r: { status: string }) => r.status)).toEqual(ids.map(() => 'accepted'));

    const csv = await call('GET', `/v1/accounts/${acc.id}/usage/records.csv`);
    const idCells = csv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(line.indexOf(',') + 1, line.lastIndexOf(`,${key.id},`)));
    expect(idCells.sort()).toEqual(
      [
        "'=1+2",
        "'+SUM(A1:A9)",
        "'-2+3",
        "'@SUM(A1)",
        `"'=HYPERLINK(""http://x.example/"",1),"`,
        'evt-1=2',
      ].sort(),
    );
    // Numbers keep their form: the credits and quantity columns are not prefixed.
    expect(csv.text).toContain(`,${key.id},image-1024,1,2,accepted,2,,,,prv_initial\n`);
  });
});
