import type { Engine } from '../../core/engine.ts';
import type { AppType } from '../routes/common.ts';
import type { Serializers } from '../serialize.ts';
import { billingRoutes } from './billing-page.tsx';
import { keysRoutes } from './keys-page.tsx';
import { type PortalOptions, portalKit } from './kit.tsx';
import { ICON_SVG } from './layout.tsx';
import { pricingRoutes } from './pricing-page.tsx';
import { sessionRoutes } from './session.tsx';
import { usageRoutes } from './usage-page.tsx';

export type { PortalOptions };

/**
 * The customer portal: API Keys, Billing and Usage, server-rendered, for the one account a portal
 * session belongs to. Sessions start from a one-time link (`POST /v1/accounts/{id}/portal_sessions`);
 * the cookie is http-only, SameSite=Lax, Secure behind https; every change carries a CSRF token.
 * Each page registers its own routes, each signed-in route behind the session guard; any other
 * path under /portal answers an HTML 404 page, signed in or not.
 */
export function portalRoutes(
  app: AppType,
  engine: Engine,
  s: Serializers,
  options: PortalOptions = {},
): void {
  const p = portalKit(engine, s, options);
  // No other site may frame the portal (clickjacking a Delete or a purchase).
  app.use('/portal/*', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', "frame-ancestors 'none'");
    c.res.headers.set('x-frame-options', 'DENY');
  });
  app.get('/portal/favicon.svg', (c) =>
    c.body(ICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }),
  );
  sessionRoutes(app, p);
  keysRoutes(app, p);
  billingRoutes(app, p);
  usageRoutes(app, p);
  pricingRoutes(app, p);
  app.all('/portal/*', async (c) =>
    p.page(
      c,
      404,
      'Not found',
      <p>
        There is no such page in the dashboard. <a href="/portal/keys">Go to your API keys</a>,{' '}
        <a href="/portal/billing">billing</a> or <a href="/portal/usage">usage</a>.
      </p>,
      await p.frameIfSignedIn(c),
    ),
  );
}
