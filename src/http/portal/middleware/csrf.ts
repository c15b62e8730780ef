import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { PortalEnv } from './env.ts';

/**
 * A POST a browser sent from another site (the Origin header, which browsers send on every
 * cross-site POST); requests without one (scripts, old clients) carry no ambient victim.
 */
export function crossSite(c: Context, publicUrl: string | undefined): boolean {
  const from = c.req.header('origin');
  return from !== undefined && from !== new URL(c.req.url).origin && from !== publicUrl;
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * After the session guard: a POST must come from this site and carry the form's CSRF token (the
 * session cookie is SameSite=Lax); its fields are left on the request (`form`). `refuse` answers.
 * @example app.post('/portal/keys', sessionGuard(...), csrfGuard(publicUrl, refuse), handler)
 */
export function csrfGuard(
  publicUrl: string | undefined,
  refuse: (c: Context, why: string) => Response | Promise<Response>,
): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    if (c.req.method === 'POST') {
      if (crossSite(c, publicUrl)) return refuse(c, 'This request came from another site.');
      const fields = await c.req.parseBody();
      const token = c.get('portal').csrf;
      if (typeof fields._csrf !== 'string' || !sameText(fields._csrf, token))
        return refuse(c, 'This form has expired. Reload the page and try again.');
      c.set('form', fields);
    }
    await next();
    return undefined;
  };
}
