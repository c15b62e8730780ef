import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { ADMIN, makeEngine, must, portalClient } from './helpers.ts';

/** A browser over `app.request` (the shared portal client) and its cookie jar. */
function browser(app: Parameters<typeof portalClient>[0]) {
  const send = portalClient(app);
  return { send, jar: send.jar };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('the one-time flash of a form', () => {
  it("shows a new key's secret on the page the redirect opens, once, and to that session only", async () => {
    const { engine } = await makeEngine();
    const app = createApp(engine, { adminToken: ADMIN });
    const account = must(await engine.accounts.create({ name: 'Acme Films' })).id;
    const open = async () => {
      const b = browser(app);
      const link = must(await engine.portal.createLink(account));
      expect((await b.send(`/portal/session/${link.token}`, {})).status).toBe(303);
      return b;
    };
    const alice = await open();
    const csrf = csrfOf(await (await alice.send('/portal/keys')).text());

    const created = await alice.send('/portal/keys', { _csrf: csrf, nickname: 'render farm' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/portal/keys');
    const sealed = alice.jar.get('tollgate_flash')!;
    expect(sealed).toBeTruthy();
    const [key] = must(await engine.keys.list(account));
    // The cookie carries the secret sealed: its hint does not appear in it.
    expect(sealed).not.toContain(key!.hint.slice(-4));

    // Another session given the same cookie reads nothing from it.
    const mallory = await open();
    mallory.jar.set('tollgate_flash', sealed);
    const stolen = await (await mallory.send('/portal/keys')).text();
    expect(stolen).not.toContain('data-testid="new-secret"');

    const shown = await alice.send('/portal/keys');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const secret = /data-testid="new-secret">\s*([^<\s]+)/.exec(await shown.text())![1]!;
    expect(secret.endsWith(key!.hint.slice(-4))).toBe(true);
    // The secret of the key made (known, only without credits yet).
    expect(await engine.keys.verify(secret)).toMatchObject({ valid: false, code: 'insufficient_credits' });
    // Read once: the next view of the page (a reload) has no secret, and no key was created twice.
    expect(await (await alice.send('/portal/keys')).text()).not.toContain(secret);
    expect(must(await engine.keys.list(account))).toHaveLength(1);

    // A tampered flash is ignored, not an error.
    alice.jar.set('tollgate_flash', `${sealed.slice(0, -4)}AAAA`);
    const tampered = await alice.send('/portal/keys');
    expect(tampered.status).toBe(200);
    expect(await tampered.text()).not.toContain('data-testid="new-secret"');
  });

  it('a refused purchase comes back to the form with what was typed and the error; a grouped number buys', async () => {
    const { engine } = await makeEngine();
    const app = createApp(engine, { adminToken: ADMIN });
    const account = must(await engine.accounts.create({ name: 'Acme Films' })).id;
    const b = browser(app);
    const link = must(await engine.portal.createLink(account));
    await b.send(`/portal/session/${link.token}`, {});
    const csrf = csrfOf(await (await b.send('/portal/billing')).text());

    const refused = await b.send('/portal/billing/purchase', {
      _csrf: csrf,
      credits: '500',
      idempotency_key: 'k1',
    });
    expect(refused.status).toBe(303);
    const page = await (await b.send('/portal/billing')).text();
    expect(page).toMatch(
      /class="notice error" role="alert"[^>]*>500 credits would be \$5\.00\. Buy 1,000 to 1,000,000 credits at a time/,
    );
    expect(page).toMatch(/id="credits"[^>]*value="500"|value="500"[^>]*id="credits"/);
    expect(must(await engine.credits.listPurchases(account))).toHaveLength(0);

    const bought = await b.send('/portal/billing/purchase', {
      _csrf: csrf,
      credits: '1,500',
      idempotency_key: 'k2',
    });
    expect(bought.status).toBe(303);
    // The same form sent again (a double click, a resend) buys once: the idempotency key holds.
    await b.send('/portal/billing/purchase', { _csrf: csrf, credits: '1,500', idempotency_key: 'k2' });
    const purchases = must(await engine.credits.listPurchases(account));
    expect(purchases.map((p) => [p.status, p.creditsMinor])).toEqual([['pending', 1_500_000_000n]]);
    const after = await (await b.send('/portal/billing')).text();
    expect(after).toContain('Pending payment');
    const quote = await b.send('/portal/api/quote?credits=12%2C000');
    expect(await quote.json()).toMatchObject({
      credits: '12000',
      credits_grouped: '12,000',
      total: '120.00',
    });
  });
});
