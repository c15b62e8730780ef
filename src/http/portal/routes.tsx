import type { Engine } from '../../core/engine.ts';
import type { AppType } from '../routes/common.ts';
import type { Serializers } from '../serialize.ts';
import { billingRoutes } from './billing.tsx';
import { type PortalOptions, portalKit } from './common.tsx';
import { keysRoutes } from './keys.tsx';
import { sessionRoutes } from './session.tsx';
import { usageRoutes } from './usage.tsx';

export type { PortalOptions };

/**
 * The customer portal: API Keys, Billing and Usage, server-rendered, for the one account a portal
 * session belongs to. Sessions start from a one-time link (`POST /v1/accounts/{id}/portal_sessions`);
 * the cookie is http-only, SameSite=Lax, Secure behind https; every change carries a CSRF token.
 * Each page registers its own routes; the session routes come first, as they need no session.
 */
export function portalRoutes(
  app: AppType,
  engine: Engine,
  s: Serializers,
  options: PortalOptions = {},
): void {
  const p = portalKit(engine, s, options);
  sessionRoutes(app, p);
  app.use('/portal/*', async (c, next) => {
    if (
      c.req.path.startsWith('/portal/session/') ||
      c.req.path === '/portal/login' ||
      c.req.path === '/portal/callback'
    )
      return next();
    return p.guard(c, next);
  });
  app.get('/portal', (c) => c.redirect('/portal/keys', 302));
  keysRoutes(app, p);
  billingRoutes(app, p);
  usageRoutes(app, p);
}
