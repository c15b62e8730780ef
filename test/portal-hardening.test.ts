import { describe, expect, it } from 'vitest';
import { systemIds } from '../src/adapters/system/system.ts';
import { HOUR, ManualClock, makeApi, STORES } from './helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** `tollgate_portal=<value>` from an answer's Set-Cookie, or undefined when it sets none. */
function sessionCookie(res: Response): string | undefined {
  const set = res.headers.get('set-cookie') ?? '';
  return /tollgate_portal=([^;]*)/.exec(set)?.[0];
}

async function setup(store: (typeof STORES)[number]) {
  const clock = new ManualClock(Date.now());
  const { app, call, engine } = await makeApi({ store, clock });
  const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films' })).body;
  const linkPath = async (accountId = acc.id) =>
    new URL((await call('POST', `/v1/accounts/${accountId}/portal_sessions`)).body.url).pathname;
  const get = (path: string, cookie?: string) => app.request(path, { headers: cookie ? { cookie } : {} });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(form) });
  /** Opens a fresh link the way the confirming page does, and answers the session cookie. */
  const signIn = async (accountId = acc.id) => sessionCookie(await post(await linkPath(accountId), {}))!;
  const csrfOf = async (cookie: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await get('/portal/keys', cookie)).text())![1]!;
  /** Whether storage still holds a session or an unused link, expired or not (tokens hashed as the engine does). */
  const ids = systemIds(clock);
  const stored = {
    session: (cookie: string) =>
      engine.storage.transaction((tx) => tx.portal.getSession(ids.hashSecret(cookie.split('=')[1]!)), {
        readOnly: true,
      }),
    link: (path: string) =>
      engine.storage.transaction((tx) => tx.portal.findLink(ids.hashSecret(path.split('/').pop()!), 0), {
        readOnly: true,
      }),
  };
  return { acc, call, clock, linkPath, get, post, signIn, csrfOf, stored };
}

describe.each(STORES)('portal sessions and pages ($name)', (store) => {
  it('opening a link only asks; the confirming POST signs in, once, and not from another site', async () => {
    const { linkPath, get, post } = await setup(store);
    const path = await linkPath();
    const ask = await get(path);
    expect(ask.status).toBe(200);
    expect(sessionCookie(ask)).toBeUndefined();
    expect(ask.headers.get('referrer-policy')).toBe('same-origin');
    const html = await ask.text();
    expect(html).toContain('Acme Films');
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(html).toMatch(/<button type="submit" autofocus[^>]*>\s*Open the dashboard/);
    // Asking again still asks: the GET used nothing up.
    expect((await get(path)).status).toBe(200);

    const forged = await post(path, {}, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(sessionCookie(forged)).toBeUndefined();

    const open = await post(path, {});
    expect(open.status).toBe(303);
    expect(open.headers.get('location')).toBe('/portal');
    expect(open.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(open.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    const cookie = sessionCookie(open)!;
    expect((await get('/portal', cookie)).headers.get('location')).toBe('/portal/keys');
    const keys = await get('/portal/keys', cookie);
    expect(keys.status).toBe(200);
    expect(await keys.text()).toMatch(/data-testid="account">\s*<strong>Acme Films<\/strong>/);

    expect((await post(path, {})).status).toBe(404);
    expect((await get(path)).status).toBe(404);
  });

  it('warns a browser signed in to another account before the link swaps its session', async () => {
    const { call, linkPath, get, signIn } = await setup(store);
    const other = (await call('POST', '/v1/accounts', { name: 'Other Co' })).body;
    const cookie = await signIn(other.id);
    const html = await (await get(await linkPath(), cookie)).text();
    expect(html).toContain('signed in to another account');
    // Opening the link it was sent did not sign the browser out of its own account.
    expect(await (await get('/portal/keys', cookie)).text()).toContain('Other Co');
  });

  it('Sign out clears the cookie and ends the session; it needs the form token', async () => {
    const { get, post, signIn, csrfOf, stored } = await setup(store);
    const cookie = await signIn();
    expect((await post('/portal/logout', {}, { cookie })).status).toBe(403);
    expect((await get('/portal/keys', cookie)).status).toBe(200);

    const out = await post('/portal/logout', { _csrf: await csrfOf(cookie) }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/portal/signed-out');
    expect(out.headers.get('set-cookie')).toMatch(/tollgate_portal=;.*Max-Age=0/i);
    expect((await get(out.headers.get('location')!)).status).toBe(200);
    // The old cookie, kept by a copy of the browser, opens nothing.
    const after = await get('/portal', cookie);
    expect(after.status).toBe(401);
    expect(await after.text()).toContain('Signed out');
    expect(await stored.session(cookie)).toBeUndefined();
  });

  it('expired links and sessions are purged: when met, and when a new link is made', async () => {
    const { clock, linkPath, get, signIn, stored } = await setup(store);
    const unused = await linkPath();
    const idle = await signIn();
    const met = await signIn();
    expect(await stored.link(unused)).toBeDefined();
    clock.advance(13 * HOUR);
    const expired = await get('/portal/keys', met);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('set-cookie')).toMatch(/tollgate_portal=;/);
    expect(await stored.session(met)).toBeUndefined();
    expect(await stored.session(idle)).toBeDefined();
    expect((await get(unused)).status).toBe(404);

    await linkPath();
    expect(await stored.session(idle)).toBeUndefined();
    expect(await stored.link(unused)).toBeUndefined();
  });

  it('the Usage page answers 400 for a date that is not one, and the CSV too', async () => {
    const { get, signIn } = await setup(store);
    const cookie = await signIn();
    for (const query of ['to=nope', 'from=2026-02-30', 'from=2026-11-25T00:00:00Z', 'to=99999-01-01']) {
      const res = await get(`/portal/usage?${query}`, cookie);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('must be dates such as');
    }
    const csv = await get('/portal/usage.csv?to=nope', cookie);
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toMatch(/text\/html/);
    const reversed = await get('/portal/usage?from=2026-11-25&to=2026-11-01', cookie);
    expect(reversed.status).toBeGreaterThanOrEqual(400);
    expect(reversed.status).toBeLessThan(500);
    expect((await get('/portal/usage?from=2026-11-01&to=2026-11-25', cookie)).status).toBe(200);
  });

  it('an unknown portal path answers an HTML 404 page, signed in or not', async () => {
    const { get, post, signIn } = await setup(store);
    const cookie = await signIn();
    for (const res of [
      await get('/portal/nope'),
      await get('/portal/nope', cookie),
      await get('/portal/keys/extra/deep', cookie),
      await post('/portal/keys/key_1/explode', {}, { cookie }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('There is no such page in the dashboard.');
    }
  });
});
