import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { every } from 'hono/combine';
import type { Child } from 'hono/jsx';
import type { Engine } from '../../core/engine.ts';
import type { Refusal } from '../../core/kernel/errors.ts';
import { runChange } from '../audit.ts';
import type { Serializers } from '../serialize.ts';
import { type Frame, Layout } from './layout.tsx';
import { isHttps } from './middleware/cookies.ts';
import { csrfGuard } from './middleware/csrf.ts';
import type { PortalEnv } from './middleware/env.ts';
import { redirect, refused, takeFlash } from './middleware/flash.ts';
import {
  clearSession,
  sessionGuard,
  sessionOf,
  startSession as startSessionCookie,
} from './middleware/session.ts';

export { COOKIE, OIDC_COOKIE } from './middleware/cookies.ts';
export type { Flash } from './middleware/flash.ts';

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

/**
 * A number as people type it in a form: "1,500", "1 500" or "1500" are 1500. Thousands groups
 * are taken out only when they are well formed ("1,50" stays as typed and is refused as such).
 * @example formNumber(' 12,500.5 ') // '12500.5'
 */
export function formNumber(text: string): string {
  const t = text.trim();
  return /^\d{1,3}([, ]\d{3})+(\.\d+)?$/.test(t) ? t.replace(/[, ]/g, '') : t;
}

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

  const startSession = (
    c: Context,
    session: { sessionToken: string; expiresAtMs: number },
    status: 302 | 303 = 302,
  ) => startSessionCookie(engine, c, session, status);

  /** The frame of the browser's session when it has one (pages outside the guard), else undefined. */
  const frameIfSignedIn = async (c: Context<PortalEnv>): Promise<Frame | undefined> => {
    const found = await sessionOf(engine, c);
    if (!found) return undefined;
    c.set('portal', found);
    return frame(c);
  };

  /** The session the guard admitted. */
  const session = (c: Context<PortalEnv>) => c.get('portal');

  /** The fields of a POST the guard checked. */
  const form = (c: Context<PortalEnv>) => c.get('form');

  const frame = async (c: Context<PortalEnv>): Promise<Frame & { accountId: string }> => {
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
  const guard = every(
    sessionGuard(engine, (c) => signedOut(c, 401, 'Signed out')),
    csrfGuard(options.publicUrl, (c, why) => page(c, 403, 'Refused', why)),
  );

  /**
   * A signed-in POST that changes something, through the same path as every change of the API
   * (src/http/audit.ts): each unit of work it runs commits one audit line with its change, saying
   * who (`portal:<account id>`), what, on which object (the path's id, else what the change made)
   * and from where. A refused form (its redirect carries an error) changed nothing and has none.
   * Every changing portal route is declared through it, so none can forget the log.
   * @example app.post('/portal/keys/:id/suspend', p.guard, p.change('suspend key', handler))
   */
  const change =
    (action: string, handler: (c: Context<PortalEnv>) => Response | Promise<Response>) =>
    async (c: Context<PortalEnv>) => {
      const { accountId } = session(c);
      const requestId = c.get('requestId') ?? null;
      const outcome = await runChange(
        engine,
        {
          scope: `portal:${accountId}`,
          fingerprint: '',
          audit: {
            actor: { kind: 'portal', tokenId: null, name: `portal:${accountId}` },
            action: `portal: ${action}`,
            targetId: c.req.param('id') ?? null,
            requestId,
            ip:
              (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null,
          },
        },
        async () => handler(c),
        // What the audit reads of the answer: a form's answer is a redirect, a refusal marked.
        async (res) => ({ status: res.status >= 400 || refused(c) ? 400 : 200, contentType: null, body: '' }),
        (error) =>
          options.log?.({
            request_id: requestId,
            level: 'error',
            error: `audit log line not written: ${error instanceof Error ? error.message : String(error)}`,
          }),
      );
      // Without an Idempotency-Key a change always runs.
      return outcome.kind === 'ran' ? outcome.value : page(c, 409, 'Refused', 'Try again.');
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
    startSession,
    clearSession,
    frame,
    frameIfSignedIn,
    form,
    guard,
    change,
    refusalText,
  };
}
