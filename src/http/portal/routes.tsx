import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { formatAmount } from '../../core/amount.ts';
import type { Engine } from '../../core/engine.ts';
import { QUANTITY_SCALE } from '../../core/metering.ts';
import type { Identity, PortalSession } from '../../core/ports.ts';
import { errorResponse, statusOf } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import { csvResponse } from '../routes/usage.ts';
import type { Serializers } from '../serialize.ts';
import { Layout } from './layout.tsx';
import { BillingPage, type Frame, KeysPage, UsagePage } from './pages.tsx';

export interface PortalOptions {
  supportEmail?: string;
  /** The public origin of the server, for portal links (default: the request's origin). */
  publicUrl?: string;
  /** The payment provider of the Add Credits button (default: stripe when configured, else manual). */
  provider?: string;
}

const COOKIE = 'tollgate_portal';
const OIDC_COOKIE = 'tollgate_oidc';
const DAY = 86_400_000;

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The customer portal: API Keys, Billing and Usage, server-rendered, for the one account a portal
 * session belongs to. Sessions start from a one-time link (`POST /v1/accounts/{id}/portal_sessions`);
 * the cookie is http-only, SameSite=Lax, Secure behind https; every change carries a CSRF token.
 */
export function portalRoutes(
  app: AppType,
  engine: Engine,
  s: Serializers,
  options: PortalOptions = {},
): void {
  const supportEmail = options.supportEmail ?? 'support@example.com';
  const provider = options.provider ?? (engine.credits.providers().includes('stripe') ? 'stripe' : 'manual');
  const time = (ms: number | null) =>
    ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

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
    const origin = options.publicUrl ?? new URL(c.req.url).origin;
    return c.json(
      { url: `${origin}/portal/session/${r.value.token}`, expires_at: s.time(r.value.expiresAtMs) },
      201,
    );
  });

  const page = (c: Context, status: number, title: string, text: string) =>
    c.html(
      <Layout title={title} tab={null} supportEmail={supportEmail}>
        <section>
          <p>{text}</p>
        </section>
      </Layout>,
      status as 200,
    );

  app.get('/portal/session/:token', async (c) => {
    const r = await engine.portal.openLink(c.req.param('token'));
    if (!r.ok)
      return page(
        c,
        404,
        'Link expired',
        'This portal link has expired or was already used. Open the dashboard again from your account.',
      );
    return startSession(c, r.value);
  });

  const isHttps = (c: Context) =>
    (c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';
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

  // Standalone sign-in (OpenID Connect): the first sign-in with a verified email registers the account.
  const signIn = engine.portal.signIn;
  const origin = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin;
  app.get('/portal/login', async (c) => {
    if (!signIn)
      return page(c, 404, 'Sign-in', 'Sign-in is not configured here. Open the dashboard from your account.');
    const { url, state } = await signIn.start(`${origin(c)}/portal/callback`);
    setCookie(c, OIDC_COOKIE, state, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
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
      identity = await signIn.finish(`${origin(c)}${current.pathname}${current.search}`, kept);
    } catch {
      return page(c, 401, 'Sign-in failed', 'The sign-in could not be verified. Please sign in again.');
    }
    const r = await engine.portal.signInWith(identity);
    if (!r.ok) return page(c, 401, 'Sign-in failed', r.message);
    return startSession(c, r.value);
  });

  app.use('/portal/*', async (c, next) => {
    if (
      c.req.path.startsWith('/portal/session/') ||
      c.req.path === '/portal/login' ||
      c.req.path === '/portal/callback'
    )
      return next();
    const session = await engine.portal.session(getCookie(c, COOKIE));
    if (!session)
      return page(
        c,
        401,
        'Signed out',
        signIn
          ? 'You are signed out. Sign in at /portal/login, or open the dashboard again from your account.'
          : 'Your session has ended. Open the dashboard again from your account.',
      );
    if (c.req.method === 'POST') {
      // Cross-site requests: the cookie is SameSite=Lax, the origin must be ours, and the form must carry the token.
      const origin = c.req.header('origin');
      if (origin && origin !== new URL(c.req.url).origin && origin !== options.publicUrl)
        return page(c, 403, 'Refused', 'This request came from another site.');
      const form = await c.req.parseBody();
      if (typeof form._csrf !== 'string' || !sameText(form._csrf, session.csrf))
        return page(c, 403, 'Refused', 'This form has expired. Reload the page and try again.');
      c.set('form' as never, form as never);
    }
    c.set('portal' as never, session as never);
    return next();
  });
  app.get('/portal', (c) => c.redirect('/portal/keys', 302));

  const frame = async (c: Context): Promise<Frame & { accountId: string }> => {
    const session = c.get('portal' as never) as PortalSession;
    const balance = await engine.accounts.balance(session.accountId);
    return {
      accountId: session.accountId,
      supportEmail,
      csrf: session.csrf,
      available: balance.ok ? s.credits(balance.value.available) : '0',
      time,
      credits: s.credits,
    };
  };
  const form = (c: Context) => c.get('form' as never) as Record<string, string | File>;

  const keysPage = async (
    c: Context,
    extra: { secret?: { nickname: string; value: string }; error?: string } = {},
    status = 200,
  ) => {
    const f = await frame(c);
    const keys = await engine.keys.list(f.accountId);
    return c.html(
      <KeysPage {...f} {...extra} keys={keys.ok ? keys.value : []} maxActive={engine.config.maxActiveKeys} />,
      status as 200,
    );
  };
  app.get('/portal/keys', (c) => keysPage(c));
  app.post('/portal/keys', async (c) => {
    const { accountId } = await frame(c);
    const r = await engine.keys.create(accountId, String(form(c).nickname ?? ''));
    if (!r.ok) return keysPage(c, { error: r.message }, statusOf(r.code));
    // Rendered, not redirected: the secret exists in this one answer only.
    c.header('cache-control', 'no-store');
    return keysPage(c, { secret: { nickname: r.value.key.nickname, value: r.value.secret } }, 201);
  });
  for (const action of ['suspend', 'activate', 'delete'] as const) {
    app.post(`/portal/keys/:id/${action}`, async (c) => {
      const { accountId } = await frame(c);
      const key = await engine.keys.get(c.req.param('id'));
      if (!key.ok || key.value.accountId !== accountId) return keysPage(c, { error: 'No such key.' }, 404);
      const r = await engine.keys[action](key.value.id);
      if (!r.ok) return keysPage(c, { error: r.message }, statusOf(r.code));
      return c.redirect('/portal/keys', 303);
    });
  }

  const billingPage = async (
    c: Context,
    message?: { kind: 'notice' | 'error'; text: string },
    status = 200,
  ) => {
    const f = await frame(c);
    const balance = await engine.accounts.balance(f.accountId);
    const invoices = await engine.invoices.list(f.accountId);
    const b = balance.ok ? balance.value : { posted: 0n, pending: 0n, unbilled: 0n };
    return c.html(
      <BillingPage
        {...f}
        {...(message ? { message } : {})}
        balance={{
          posted: s.credits(b.posted),
          pending: s.credits(b.pending),
          unbilled: s.credits(b.unbilled),
        }}
        invoices={invoices.ok ? invoices.value : []}
        price={engine.config.creditPrice}
        taxRate={engine.config.taxRate}
        min={s.usd(engine.config.paymentMinMinor)}
        max={s.usd(engine.config.paymentMaxMinor)}
        idempotencyKey={`portal_${randomUUID()}`}
        usd={s.usd}
      />,
      status as 200,
    );
  };
  app.get('/portal/billing', (c) =>
    billingPage(
      c,
      c.req.query('paid')
        ? { kind: 'notice', text: 'Thank you: your credits appear as soon as the payment is confirmed.' }
        : undefined,
    ),
  );
  app.get('/portal/api/quote', async (c) => {
    const q = engine.credits.quote(c.req.query('credits') ?? '');
    if (!q.ok) return errorResponse(c, q.code, q.message);
    return c.json({
      credits: s.credits(q.value.creditsMinor),
      subtotal: s.usd(q.value.subtotalMinor),
      tax: s.usd(q.value.taxMinor),
      total: s.usd(q.value.totalMinor),
      currency: 'USD',
    });
  });
  app.post('/portal/billing/purchase', async (c) => {
    const { accountId } = await frame(c);
    const f = form(c);
    const r = await engine.credits.purchase(
      accountId,
      { credits: String(f.credits ?? '').trim(), provider },
      String(f.idempotency_key ?? ''),
    );
    if (!r.ok) return billingPage(c, { kind: 'error', text: r.message }, statusOf(r.code));
    if (r.value.purchase.checkoutUrl) return c.redirect(r.value.purchase.checkoutUrl, 303);
    return billingPage(
      c,
      {
        kind: 'notice',
        text: `Purchase of ${s.credits(r.value.purchase.creditsMinor)} credits ($${s.usd(r.value.purchase.totalMinor)}) received: the credits appear once the payment is confirmed.`,
      },
      201,
    );
  });
  app.get('/portal/invoices/:id/pdf', async (c) => {
    const { accountId } = await frame(c);
    const invoice = await engine.invoices.get(c.req.param('id'));
    if (!invoice.ok || invoice.value.accountId !== accountId)
      return page(c, 404, 'Not found', 'No such invoice.');
    const pdf = await engine.invoices.render(invoice.value.snapshot);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${invoice.value.number}.pdf"`,
    });
  });

  const usageQuery = (c: Context) => {
    const today = new Date().toISOString().slice(0, 10);
    const from = c.req.query('from') || new Date(Date.now() - 6 * DAY).toISOString().slice(0, 10);
    const to = c.req.query('to') || today;
    return {
      from,
      to,
      granularity: c.req.query('granularity') === 'hour' ? 'hour' : 'day',
      groupBy: c.req.query('group_by') === 'api_key' ? 'api_key' : 'model',
    };
  };
  const range = (q: { from: string; to: string }) => ({
    from: `${q.from}T00:00:00Z`,
    to: new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY).toISOString(),
  });
  app.get('/portal/usage', async (c) => {
    const f = await frame(c);
    const q = usageQuery(c);
    const r = range(q);
    const summary = await engine.usage.summary({
      accountId: f.accountId,
      ...r,
      granularity: q.granularity,
      groupBy: q.groupBy,
    });
    const cursor = c.req.query('cursor');
    const records = await engine.usage.records({
      accountId: f.accountId,
      ...r,
      limit: '50',
      ...(cursor ? { cursor } : {}),
    });
    const csvHref = `/portal/usage.csv?${new URLSearchParams({ from: q.from, to: q.to })}`;
    const error = !summary.ok ? summary.message : !records.ok ? records.message : undefined;
    return c.html(
      <UsagePage
        {...f}
        query={q}
        buckets={summary.ok ? summary.value : []}
        records={records.ok ? records.value.records : []}
        nextCursor={records.ok ? records.value.nextCursor : null}
        csvHref={csvHref}
        quantity={(m) => formatAmount(m, QUANTITY_SCALE)}
        {...(error ? { error } : {})}
      />,
    );
  });
  app.get('/portal/usage.csv', async (c) => {
    const { accountId } = await frame(c);
    const r = range(usageQuery(c));
    return csvResponse(c, engine, s, { accountId, ...r });
  });
}

export { statusOf };
