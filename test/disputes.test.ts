import { describe, expect, it } from 'vitest';
import { HOUR, LOOPBACK_WEBHOOKS, ManualClock, makeApi, must, portalClient, STORES } from './helpers.ts';

describe.each(STORES)('usage disputes ($name)', (store) => {
  it('a customer disputes a record in the portal; the operator voids it and the credits come back', async () => {
    const clock = new ManualClock(Date.now());
    const { engine, app, call } = await makeApi({ store, clock, config: LOOPBACK_WEBHOOKS });
    const hook = must(await engine.webhooks.create('http://127.0.0.1:9/hooks', ['usage.disputed']));
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const other = (await call('POST', '/v1/accounts', { name: 'Other' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'start' });
    const ts = new Date(clock.ms).toISOString();
    const ingest = (id: string, account: string, credits: string) =>
      call('POST', '/v1/usage_events', {
        events: [{ id, account_id: account, model: 'm', quantity: '1', credits, timestamp: ts }],
      });
    await ingest('job-1', acc.id, '30');
    await ingest('job-2', acc.id, '5');
    await ingest('theirs', other.id, '1');
    clock.advance(HOUR);
    await engine.billing.run();

    // The customer, signed in to the portal.
    const send = portalClient(app);
    const link = must(await engine.portal.createLink(acc.id));
    expect((await send(`/portal/session/${link.token}`, {})).status).toBe(303);
    const day = ts.slice(0, 10);
    const usagePage = async () => (await send(`/portal/usage?from=${day}&to=${day}`)).text();
    const page = await usagePage();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    expect(page).toContain('Dispute');
    // A bar of the chart opens that bucket's records: the day per hour, then one hour alone.
    expect(page).toContain(`href="/portal/usage?from=${day}&amp;to=${day}&amp;granularity=hour`);
    const hh = ts.slice(11, 13);
    const hourPage = await (
      await send(`/portal/usage?from=${day}&to=${day}&granularity=hour&hour=${hh}`)
    ).text();
    expect(hourPage).toContain('job-1');
    const otherHour = String((Number(hh) + 1) % 24).padStart(2, '0');
    const emptyHour = await (
      await send(`/portal/usage?from=${day}&to=${day}&granularity=hour&hour=${otherHour}`)
    ).text();
    expect(emptyHour).not.toContain('job-1');

    const disputed = await send('/portal/usage/disputes', {
      _csrf: csrf,
      event_id: 'job-1',
      reason: 'the job failed, no video came back',
      back: `/portal/usage?from=${day}&to=${day}`,
    });
    expect(disputed.status).toBe(303);
    // Another account's event is not this customer's to dispute.
    const foreign = await send('/portal/usage/disputes', { _csrf: csrf, event_id: 'theirs', reason: 'x' });
    // The refusal reaches the page the redirect opens (a one-time flash), once.
    expect(foreign.headers.get('location')).toBe('/portal/usage');
    expect(await (await send('/portal/usage')).text()).toContain('no usage event theirs');
    expect(await usagePage()).toContain('Open: under review');
    expect(must(await engine.webhooks.deliveries(hook.id))).toHaveLength(1);

    // The operator sees it and voids the event.
    const open = (await call('GET', '/v1/usage_disputes?status=open')).body.data;
    expect(open).toMatchObject([
      { account_id: acc.id, event_id: 'job-1', reason: 'the job failed, no video came back', status: 'open' },
    ]);
    const resolved = await call('POST', `/v1/usage_disputes/${open[0].id}/resolve`, {
      outcome: 'void',
      note: 'Sorry: refunded.',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'void', note: 'Sorry: refunded.' });
    const again = await call('POST', `/v1/usage_disputes/${open[0].id}/resolve`, {
      outcome: 'reject',
      note: 'x',
    });
    expect(again.body.outcome).toBe('void');
    await engine.billing.run();
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      posted: '95',
      available: '95',
    });
    const after = await usagePage();
    expect(after).toContain('Resolved: voided, credits returned');
    expect(after).toContain('Sorry: refunded.');
    expect((await call('GET', '/v1/usage_disputes?status=open')).body.data).toEqual([]);

    // A rejected dispute leaves the charge.
    await send('/portal/usage/disputes', { _csrf: csrf, event_id: 'job-2', reason: 'too expensive' });
    const second = (await call('GET', '/v1/usage_disputes?status=open')).body.data[0];
    await call('POST', `/v1/usage_disputes/${second.id}/resolve`, {
      outcome: 'reject',
      note: 'The job ran.',
    });
    expect(await usagePage()).toContain('Resolved: charge stands');
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('95');
  });
});
