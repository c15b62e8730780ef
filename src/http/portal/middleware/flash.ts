import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { COOKIE, cookieOptions, FLASH_COOKIE } from './cookies.ts';
import type { PortalEnv } from './env.ts';

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
 * A refusal is marked (`refused`), so the audit middleware writes no line for it.
 * @example return redirect(c, '/portal/keys', { kind: 'error', text: 'Nickname is required.' })
 */
export function redirect(c: Context<PortalEnv>, to: string, flash?: Flash): Response {
  if (flash?.kind === 'error') c.set('refused', true);
  if (flash) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', flashKey(c), iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(flash), 'utf8'), cipher.final()]);
    setCookie(c, FLASH_COOKIE, Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url'), {
      ...cookieOptions(c),
      maxAge: 120,
    });
  }
  c.header('cache-control', 'no-store');
  return c.redirect(to, 303);
}

/** Whether the handler refused what the form asked (its redirect carries an error). */
export const refused = (c: Context<PortalEnv>): boolean => c.get('refused') === true;

/** The flash a redirect left for this page view, cleared as it is read (a reload shows it no more). */
export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (raw === undefined) return null;
  deleteCookie(c, FLASH_COOKIE, cookieOptions(c));
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
}
