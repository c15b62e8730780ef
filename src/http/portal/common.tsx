import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Engine } from '../../core/engine.ts';
import type { PortalSession } from '../../core/ports.ts';
import type { Serializers } from '../serialize.ts';
import { Layout } from './layout.tsx';

export interface PortalOptions {
  supportEmail?: string;
  /** The public origin of the server, for portal links (default: the request's origin). */
  publicUrl?: string;
  /** The payment provider of the Add Credits button (default: stripe when configured, else manual). */
  provider?: string;
}

/** What every portal page shows around its content. */
export interface Frame {
  supportEmail: string;
  csrf: string;
  available: string;
  time: (ms: number | null) => string;
  credits: (m: bigint) => string;
}

/** The session cookie, and the one that carries an OpenID Connect sign-in across the provider. */
export const COOKIE = 'tollgate_portal';
export const OIDC_COOKIE = 'tollgate_oidc';

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** What the portal's pages share: the engine, the options resolved once, and the helpers below. */
export type Portal = ReturnType<typeof portalKit>;

/**
 * The portal's shared helpers, built once per app.
 * @example const p = portalKit(engine, s, { supportEmail: 'help@acme.test' }); p.page(c, 404, 'Not found', 'No such page.')
 */
export function portalKit(engine: Engine, s: Serializers, options: PortalOptions) {
  const supportEmail = options.supportEmail ?? 'support@example.com';
  const time = (ms: number | null) =>
    ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const isHttps = (c: Context) =>
    (c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';

  /** A page of one message, for refusals and dead ends. */
  const page = (c: Context, status: number, title: string, text: string) =>
    c.html(
      <Layout title={title} tab={null} supportEmail={supportEmail}>
        <section>
          <p>{text}</p>
        </section>
      </Layout>,
      status as 200,
    );

  /** Sets the session cookie (http-only, SameSite=Lax, Secure behind https) and opens the portal. */
  const startSession = (c: Context, session: { sessionToken: string; expiresAtMs: number }) => {
    setCookie(c, COOKIE, session.sessionToken, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
      path: '/portal',
      maxAge: Math.floor((session.expiresAtMs - Date.now()) / 1000),
    });
    return c.redirect('/portal', 302);
  };

  /** The session the guard admitted. */
  const session = (c: Context) => c.get('portal' as never) as PortalSession;

  /** The fields of a POST the guard checked. */
  const form = (c: Context) => c.get('form' as never) as Record<string, string | File>;

  const frame = async (c: Context): Promise<Frame & { accountId: string }> => {
    const { accountId, csrf } = session(c);
    const balance = await engine.accounts.balance(accountId);
    return {
      accountId,
      supportEmail,
      csrf,
      available: balance.ok ? s.credits(balance.value.available) : '0',
      time,
      credits: s.credits,
    };
  };

  /**
   * Admits a request with a valid session cookie; a POST must also come from this site and carry
   * the form's CSRF token (the cookie is SameSite=Lax).
   */
  const guard: MiddlewareHandler = async (c, next) => {
    const found = await engine.portal.session(getCookie(c, COOKIE));
    if (!found)
      return page(
        c,
        401,
        'Signed out',
        engine.portal.signIn
          ? 'You are signed out. Sign in at /portal/login, or open the dashboard again from your account.'
          : 'Your session has ended. Open the dashboard again from your account.',
      );
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin && origin !== new URL(c.req.url).origin && origin !== options.publicUrl)
        return page(c, 403, 'Refused', 'This request came from another site.');
      const fields = await c.req.parseBody();
      if (typeof fields._csrf !== 'string' || !sameText(fields._csrf, found.csrf))
        return page(c, 403, 'Refused', 'This form has expired. Reload the page and try again.');
      c.set('form' as never, fields as never);
    }
    c.set('portal' as never, found as never);
    return next();
  };

  return {
    engine,
    s,
    options,
    supportEmail,
    time,
    isHttps,
    page,
    startSession,
    frame,
    form,
    guard,
    /** The public origin: the configured one, else the request's. */
    origin: (c: Context) => options.publicUrl ?? new URL(c.req.url).origin,
  };
}
