import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { Engine } from '../../core/engine.ts';
import type { Refusal } from '../../core/errors.ts';
import type { PortalSession } from '../../core/ports.ts';
import type { Serializers } from '../serialize.ts';
import { type Frame, Layout } from './layout.tsx';

export interface PortalOptions {
  supportEmail?: string;
  /** The product's name at the top of every page (default "Tollgate"). */
  brandName?: string;
  /** The public origin of the server, for portal links (default: the request's origin). */
  publicUrl?: string;
  /** The payment provider of the Add Credits button (default: stripe when configured, else manual). */
  provider?: string;
  /** Receives a line when an audit line could not be written (the change itself stands). */
  log?: (line: Record<string, unknown>) => void;
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
  const origin = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin;

  /** A page of one message, for refusals, dead ends and confirmations. */
  const page = (c: Context, status: number, title: string, body: Child) =>
    c.html(
      <Layout title={title} tab={null} supportEmail={supportEmail}>
        <section>{typeof body === 'string' ? <p>{body}</p> : body}</section>
      </Layout>,
      status as 200,
    );

  /** What a signed-out visitor reads, with the way back in. */
  const signedOut = (c: Context, status: number, title: string) =>
    page(
      c,
      status,
      title,
      engine.portal.signIn ? (
        <p>
          You are signed out. <a href="/portal/login">Sign in</a>, or open the dashboard again from your
          account.
        </p>
      ) : (
        'Your session has ended. Open the dashboard again from your account.'
      ),
    );

  /**
   * A POST a browser sent from another site (the Origin header, which browsers send on every
   * cross-site POST); requests without one (scripts, old clients) carry no ambient victim.
   */
  const crossSite = (c: Context) => {
    const from = c.req.header('origin');
    return from !== undefined && from !== new URL(c.req.url).origin && from !== options.publicUrl;
  };

  /** Sets the session cookie (http-only, SameSite=Lax, Secure behind https) and opens the portal. */
  const startSession = (
    c: Context,
    session: { sessionToken: string; expiresAtMs: number },
    status: 302 | 303 = 302,
  ) => {
    setCookie(c, COOKIE, session.sessionToken, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
      path: '/portal',
      maxAge: Math.floor((session.expiresAtMs - Date.now()) / 1000),
    });
    return c.redirect('/portal', status);
  };

  /** Removes the session cookie from the browser. */
  const clearSession = (c: Context) =>
    deleteCookie(c, COOKIE, { path: '/portal', secure: isHttps(c), httpOnly: true, sameSite: 'Lax' });

  /** The session the guard admitted. */
  const session = (c: Context) => c.get('portal' as never) as PortalSession;

  /** The fields of a POST the guard checked. */
  const form = (c: Context) => c.get('form' as never) as Record<string, string | File>;

  const frame = async (c: Context): Promise<Frame & { accountId: string }> => {
    const { accountId, csrf } = session(c);
    const [account, balance] = await Promise.all([
      engine.accounts.get(accountId),
      engine.accounts.balance(accountId),
    ]);
    return {
      accountId,
      account: account.ok ? account.value.name : accountId,
      supportEmail,
      csrf,
      available: balance.ok ? s.credits(balance.value.available) : '0',
      time,
      credits: s.credits,
    };
  };

  /**
   * Admits a request with a valid session cookie; a POST must also come from this site and carry
   * the form's CSRF token (the cookie is SameSite=Lax). Every signed-in route names it.
   */
  const guard: MiddlewareHandler = async (c, next) => {
    const cookie = getCookie(c, COOKIE);
    const found = await engine.portal.session(cookie);
    if (!found) {
      if (cookie !== undefined) clearSession(c);
      return signedOut(c, 401, 'Signed out');
    }
    if (c.req.method === 'POST') {
      if (crossSite(c)) return page(c, 403, 'Refused', 'This request came from another site.');
      const fields = await c.req.parseBody();
      if (typeof fields._csrf !== 'string' || !sameText(fields._csrf, found.csrf))
        return page(c, 403, 'Refused', 'This form has expired. Reload the page and try again.');
      c.set('form' as never, fields as never);
    }
    c.set('portal' as never, found as never);
    return next();
  };

  /** Names what a change made, when it is not the `:id` of the path (a created key, a purchase). */
  const target = (c: Context, id: string) => c.set('auditTarget' as never, id as never);

  /**
   * A signed-in POST that changes something: the handler runs, and when it succeeded (an answer
   * under 400) one audit line says who (`portal:<account id>`), what, on which object, from where.
   * Every changing portal route is declared through it, so none can forget the log.
   * @example app.post('/portal/keys/:id/suspend', p.guard, p.change('suspend key', handler))
   */
  const change =
    (action: string, handler: (c: Context) => Response | Promise<Response>) => async (c: Context) => {
      const res = await handler(c);
      if (res.status >= 400) return res;
      const { accountId } = session(c);
      const requestId = (c.get('requestId' as never) as string | undefined) ?? null;
      try {
        await engine.audit.record({
          actor: { kind: 'portal', tokenId: null, name: `portal:${accountId}` },
          action: `portal: ${action}`,
          targetId: (c.get('auditTarget' as never) as string | undefined) ?? c.req.param('id') ?? accountId,
          requestId,
          ip: (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null,
        });
      } catch (error) {
        options.log?.({
          request_id: requestId,
          level: 'error',
          error: `audit log line not written: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      return res;
    };

  /**
   * A refusal in the customer's words: the field it names, by its label on the form.
   * @example refusalText(r, { 'spend_limit.credits': 'The limit' }) // "The limit must be greater than zero"
   */
  const refusalText = (r: Refusal, labels: Record<string, string>) => {
    const detail = r.details?.[0];
    const label = detail && labels[detail.field];
    return label ? `${label} ${detail.message}.` : r.message;
  };

  return {
    engine,
    s,
    options,
    supportEmail,
    time,
    isHttps,
    origin,
    page,
    signedOut,
    crossSite,
    startSession,
    clearSession,
    frame,
    form,
    guard,
    change,
    target,
    refusalText,
  };
}
