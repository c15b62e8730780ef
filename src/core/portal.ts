import { createAccount } from './accounts.ts';
import { type Context, fail, read, unit } from './context.ts';
import { ok, type Result, refuse } from './errors.ts';
import type { Identity, PortalSession } from './ports.ts';

/** How long a portal link may wait to be opened, and how long the session it opens lasts. */
export const PORTAL_LINK_TTL_MS = 10 * 60_000;
export const PORTAL_SESSION_TTL_MS = 12 * 3_600_000;

/**
 * A one-time link into the customer portal for one account, for the operator's app to hand to
 * its signed-in user. Only the hash of the token is stored.
 * @example const { token } = must(await createPortalLink(ctx, 'acc_1')); redirect(`/portal/session/${token}`)
 */
export async function createPortalLink(
  ctx: Context,
  accountId: string,
): Promise<Result<{ token: string; expiresAtMs: number }>> {
  const token = ctx.ids.newSecret('pl_');
  const expiresAtMs = ctx.clock.nowMs() + PORTAL_LINK_TTL_MS;
  return unit(ctx, async (tx) => {
    if (!(await tx.accounts.get(accountId))) fail(refuse('not_found', `no account ${accountId}`));
    await tx.portal.insertLink({ tokenHash: ctx.ids.hashSecret(token), accountId, expiresAtMs });
    return { token, expiresAtMs };
  });
}

/** Opens a link (once, before it expires) into a session: a cookie token and a CSRF token. */
export async function openPortalLink(
  ctx: Context,
  token: string,
): Promise<Result<PortalSession & { sessionToken: string }>> {
  if (token.length > 200) return refuse('not_found', 'this portal link is not valid');
  const now = ctx.clock.nowMs();
  const sessionToken = ctx.ids.newSecret('ps_');
  const csrf = ctx.ids.newSecret('');
  return unit(ctx, async (tx) => {
    const accountId = await tx.portal.takeLink(ctx.ids.hashSecret(token), now);
    if (!accountId) fail(refuse('not_found', 'this portal link has expired or was already used'));
    const session = { accountId, csrf, expiresAtMs: now + PORTAL_SESSION_TTL_MS };
    await tx.portal.insertSession({
      ...session,
      tokenHash: ctx.ids.hashSecret(sessionToken),
      createdAtMs: now,
    });
    return { ...session, sessionToken };
  });
}

/** The session a cookie token belongs to, if it is still valid. */
export async function portalSession(
  ctx: Context,
  sessionToken: string | undefined,
): Promise<PortalSession | undefined> {
  if (!sessionToken || sessionToken.length > 200) return undefined;
  const session = await read(ctx, (tx) => tx.portal.getSession(ctx.ids.hashSecret(sessionToken)));
  return session && session.expiresAtMs > ctx.clock.nowMs() ? session : undefined;
}

/**
 * Signs a person in to the portal after a verified OpenID Connect sign-in: the first sign-in with a
 * verified email registers an account (external id = issuer + subject), later ones open its portal.
 */
export async function signInToPortal(
  ctx: Context,
  identity: Identity,
): Promise<Result<PortalSession & { sessionToken: string; created: boolean }>> {
  if (!identity.email || !identity.emailVerified)
    return refuse('unauthorized', 'the sign-in did not give a verified email address');
  const externalId = `oidc:${identity.issuer}:${identity.subject}`;
  let created = false;
  let account = await read(ctx, (tx) => tx.accounts.findByExternalId(externalId));
  if (!account) {
    const r = await createAccount(ctx, {
      name: identity.name ?? identity.email,
      email: identity.email,
      externalId,
    });
    if (!r.ok) return r;
    account = r.value;
    created = true;
  }
  const link = await createPortalLink(ctx, account.id);
  if (!link.ok) return link;
  const session = await openPortalLink(ctx, link.value.token);
  return session.ok ? ok({ ...session.value, created }) : session;
}
