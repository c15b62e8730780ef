import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Engine } from '../../../core/engine.ts';
import type { PortalSession } from '../../../core/kernel/ports.ts';
import { COOKIE, cookieOptions } from './cookies.ts';
import type { PortalEnv } from './env.ts';

/**
 * Sets the session cookie (http-only, SameSite=Lax, Secure behind https) for as long as the
 * session lasts by the engine's clock, and opens the portal.
 */
export function startSession(
  engine: Engine,
  c: Context,
  session: { sessionToken: string; expiresAtMs: number },
  status: 302 | 303 = 302,
): Response {
  setCookie(c, COOKIE, session.sessionToken, {
    ...cookieOptions(c),
    maxAge: Math.floor((session.expiresAtMs - engine.clock.nowMs()) / 1000),
  });
  return c.redirect('/portal', status);
}

/** Removes the session cookie from the browser. */
export function clearSession(c: Context): void {
  deleteCookie(c, COOKIE, cookieOptions(c));
}

/** The browser's session, or null (signed out, expired, or never signed in). */
export const sessionOf = (engine: Engine, c: Context): Promise<PortalSession | null> =>
  engine.portal.session(getCookie(c, COOKIE)).then((s) => s ?? null);

/**
 * Admits a request with a valid session cookie and leaves its session on the request (`portal`);
 * without one, `signedOut` answers (and a stale cookie is removed).
 * @example app.get('/portal/keys', sessionGuard(engine, signedOut), handler)
 */
export function sessionGuard(
  engine: Engine,
  signedOut: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const found = await sessionOf(engine, c);
    if (!found) {
      if (getCookie(c, COOKIE) !== undefined) clearSession(c);
      return signedOut(c);
    }
    c.set('portal', found);
    await next();
    return undefined;
  };
}
