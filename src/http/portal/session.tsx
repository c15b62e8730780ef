import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Identity } from '../../core/kernel/ports.ts';
import { errorResponse } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import { COOKIE, OIDC_COOKIE, type Portal } from './kit.tsx';
import { crossSite } from './middleware/csrf.ts';

/**
 * How a portal session starts and ends: a one-time link the operator's app asks for
 * (`POST /v1/accounts/{id}/portal_sessions`), opened by the customer's confirming POST; a
 * standalone OpenID Connect sign-in; and Sign out.
 */
export function sessionRoutes(app: AppType, p: Portal): void {
  const { engine, page } = p;

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/portal_sessions',
      summary: 'A one-time link into the customer portal for this account',
      request: { params: z.object({ id: z.string() }) },
      responses: { 201: { description: '{ url, expires_at }' } },
    }),
  );
  app.post('/v1/accounts/:id/portal_sessions', async (c) => {
    const r = await engine.portal.createLink(c.req.param('id'));
    if (!r.ok) return errorResponse(c, r.code, r.message);
    return c.json(
      { url: `${p.origin(c)}/portal/session/${r.value.token}`, expires_at: p.s.time(r.value.expiresAtMs) },
      201,
    );
  });

  const expired = (c: Context) =>
    page(
      c,
      404,
      'Link expired',
      'This portal link has expired or was already used. Open the dashboard again from your account.',
    );
  // Opening a link only asks: a link sent to someone cannot swap their session by itself.
  app.get('/portal/session/:token', async (c) => {
    const link = await engine.portal.peekLink(c.req.param('token'));
    if (!link.ok) return expired(c);
    const current = await engine.portal.session(getCookie(c, COOKIE));
    const other = current && current.accountId !== link.value.accountId;
    c.header('cache-control', 'no-store');
    // Not no-referrer: under it a browser sends `Origin: null` with the confirming POST.
    c.header('referrer-policy', 'same-origin');
    return page(
      c,
      200,
      'Open your dashboard',
      <form method="post" action={c.req.path}>
        <p>
          This link opens the dashboard of{' '}
          <strong data-testid="link-account">{link.value.accountName}</strong>.
        </p>
        {other && (
          <p class="notice warn">
            This browser is signed in to another account's dashboard; continuing signs it out.
          </p>
        )}
        <button type="submit" autofocus>
          Open the dashboard
        </button>
      </form>,
    );
  });
  app.post('/portal/session/:token', async (c) => {
    if (crossSite(c, p.options.publicUrl))
      return page(c, 403, 'Refused', 'This request came from another site.');
    const r = await engine.portal.openLink(c.req.param('token'));
    if (!r.ok) return expired(c);
    await engine.portal.endSession(getCookie(c, COOKIE));
    return p.startSession(c, r.value, 303);
  });

  app.get('/portal', p.guard, (c) => c.redirect('/portal/keys', 302));
  app.post('/portal/logout', p.guard, async (c) => {
    await engine.portal.endSession(getCookie(c, COOKIE));
    p.clearSession(c);
    return c.redirect('/portal/signed-out', 303);
  });
  app.get('/portal/signed-out', (c) => p.signedOut(c, 200, 'Signed out'));

  // Standalone sign-in (OpenID Connect): the first sign-in with a verified email registers the account.
  const signIn = engine.portal.signIn;
  app.get('/portal/login', async (c) => {
    if (!signIn)
      return page(c, 404, 'Sign-in', 'Sign-in is not configured here. Open the dashboard from your account.');
    const { url, state } = await signIn.start(`${p.origin(c)}/portal/callback`);
    setCookie(c, OIDC_COOKIE, state, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: p.isHttps(c),
      path: '/portal',
      maxAge: 600,
    });
    return c.redirect(url, 302);
  });
  app.get('/portal/callback', async (c) => {
    const kept = getCookie(c, OIDC_COOKIE);
    if (!signIn || !kept) return page(c, 400, 'Sign-in', 'This sign-in has expired. Please sign in again.');
    deleteCookie(c, OIDC_COOKIE, { path: '/portal' });
    let identity: Identity;
    try {
      const current = new URL(c.req.url);
      identity = await signIn.finish(`${p.origin(c)}${current.pathname}${current.search}`, kept);
    } catch {
      return page(c, 401, 'Sign-in failed', 'The sign-in could not be verified. Please sign in again.');
    }
    const r = await engine.portal.signInWith(identity);
    if (!r.ok) return page(c, 401, 'Sign-in failed', r.message);
    return p.startSession(c, r.value);
  });
}
