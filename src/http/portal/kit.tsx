import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { Engine } from '../../core/engine.ts';
import type { Refusal } from '../../core/kernel/errors.ts';
import type { PortalSession } from '../../core/kernel/ports.ts';
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
/** The one-time message a form's redirect leaves for the page it lands on. */
const FLASH_COOKIE = 'tollgate_flash';

/**
 * What a form's POST says to the page its redirect opens, once: the outcome, what was typed when it
 * was refused (to fill the form again), and a new key's secret (shown on that one page view).
 */
export interface Flash {
  kind: 'notice' | 'error';
  text: string;
  draft?: Record<string, string>;
  secret?: { nickname: string; value: string };
}

/**
 * A number as people type it in a form: "1,500", "1 500" or "1500" are 1500. Thousands groups
 * are taken out only when they are well formed ("1,50" stays as typed and is refused as such).
 * @example formNumber(' 12,500.5 ') // '12500.5'
 */
export function formNumber(text: string): string {
  const t = text.trim();
  return /^\d{1,3}([, ]\d{3})+(\.\d+)?$/.test(t) ? t.replace(/[, ]/g, '') : t;
}

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
  const brandName = options.brandName ?? 'Tollgate';
  const time = (ms: number | null) =>
    ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const isHttps = (c: Context) =>
    (c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';
  const origin = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin;

  /** A page of one message, for refusals, dead ends and confirmations; with the account's frame when signed in. */
  const page = (c: Context, status: number, title: string, body: Child, signedIn?: Frame) =>
    c.html(
      <Layout
        title={title}
        tab={null}
        supportEmail={supportEmail}
        brandName={brandName}
        {...(signedIn ? { frame: signedIn } : {})}
      >
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
      maxAge: Math.floor((session.expiresAtMs - engine.clock.nowMs()) / 1000),
    });
    return c.redirect('/portal', status);
  };

  /** The frame of the browser's session when it has one (pages outside the guard), else undefined. */
  const frameIfSignedIn = async (c: Context): Promise<Frame | undefined> => {
    const found = await engine.portal.session(getCookie(c, COOKIE));
    if (!found) return undefined;
    c.set('portal' as never, found as never);
    return frame(c);
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
      email: account.ok ? account.value.email : null,
      brandName,
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
      if (res.status >= 400 || c.get('refused' as never)) return res;
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
   * The flash is sealed (AES-256-GCM) with a key derived from the session token, which only this
   * browser holds: it can carry a new key's secret without the server storing it, it means nothing
   * without the session, and any server process of a PostgreSQL deployment can open it.
   */
  const flashKey = (c: Context) => {
    const token = getCookie(c, COOKIE) ?? '';
    return Buffer.from(hkdfSync('sha256', token, '', 'tollgate portal flash', 32));
  };

  /**
   * Post/Redirect/Get: every form's POST answers a 303 to a page, so a reload of that page repeats
   * nothing; the outcome travels in a one-time cookie that the next page view reads and clears.
   * A refusal is marked, so `change` writes no audit line for it.
   * @example return p.redirect(c, '/portal/keys', { kind: 'error', text: 'Nickname is required.' })
   */
  const redirect = (c: Context, to: string, flash?: Flash) => {
    if (flash?.kind === 'error') c.set('refused' as never, true as never);
    if (flash) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', flashKey(c), iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(flash), 'utf8'), cipher.final()]);
      setCookie(c, FLASH_COOKIE, Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url'), {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c),
        path: '/portal',
        maxAge: 120,
      });
    }
    c.header('cache-control', 'no-store');
    return c.redirect(to, 303);
  };

  /** The flash a redirect left for this page view, cleared as it is read (a reload shows it no more). */
  const takeFlash = (c: Context): Flash | null => {
    const raw = getCookie(c, FLASH_COOKIE);
    if (raw === undefined) return null;
    deleteCookie(c, FLASH_COOKIE, { path: '/portal', secure: isHttps(c), httpOnly: true, sameSite: 'Lax' });
    c.header('cache-control', 'no-store');
    try {
      const bytes = Buffer.from(raw, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', flashKey(c), bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Flash;
    } catch {
      return null; // another session's, or tampered with: nothing to show
    }
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
    brandName,
    time,
    isHttps,
    redirect,
    takeFlash,
    origin,
    page,
    signedOut,
    crossSite,
    startSession,
    clearSession,
    frame,
    frameIfSignedIn,
    form,
    guard,
    change,
    target,
    refusalText,
  };
}
