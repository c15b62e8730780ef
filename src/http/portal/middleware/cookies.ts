import type { Context } from 'hono';

/** The session cookie, and the one that carries an OpenID Connect sign-in across the provider. */
export const COOKIE = 'tollgate_portal';
export const OIDC_COOKIE = 'tollgate_oidc';
/** The one-time message a form's redirect leaves for the page it lands on. */
export const FLASH_COOKIE = 'tollgate_flash';

/** Whether the browser reached us over https (directly, or as the proxy in front says). */
export const isHttps = (c: Context): boolean =>
  (c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';

/** How every portal cookie is set: http-only, SameSite=Lax, Secure behind https, for /portal only. */
export const cookieOptions = (c: Context) =>
  ({ httpOnly: true, sameSite: 'Lax', secure: isHttps(c), path: '/portal' }) as const;
