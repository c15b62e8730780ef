import { type Context, fail, read, unit } from '../kernel/context.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Identity, PortalSession } from '../kernel/ports.ts';
import { createAccount } from './accounts.ts';

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
    // Each new link sweeps the expired ones, so neither table grows without bound.
    await tx.portal.purgeExpired(ctx.clock.nowMs());
    await tx.portal.insertLink({ tokenHash: ctx.ids.hashSecret(token), accountId, expiresAtMs });
    return { token, expiresAtMs };
  });
}

/**
 * The account a link opens, with the link left unused: what the confirming page shows before
 * the customer presses its button.
 * @example const r = await peekPortalLink(ctx, token); if (r.ok) show(`Open the dashboard of ${r.value.accountName}?`)
 */
export async function peekPortalLink(
  ctx: Context,
  token: string,
): Promise<Result<{ accountId: string; accountName: string }>> {
  if (token.length > 200) return refuse('not_found', 'this portal link is not valid');
  const account = await read(ctx, async (tx) => {
    const accountId = await tx.portal.findLink(ctx.ids.hashSecret(token), ctx.clock.nowMs());
    return accountId ? tx.accounts.get(accountId) : undefined;
  });
  return account
    ? ok({ accountId: account.id, accountName: account.name })
    : refuse('not_found', 'this portal link has expired or was already used');
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
  const opened = await unit(ctx, async (tx) => {
    const accountId = await tx.portal.takeLink(ctx.ids.hashSecret(token), now);
    if (!accountId) {
      // Not a refusal inside the unit: the sweep of an expired link must commit.
      await tx.portal.purgeExpired(now);
      return undefined;
    }
    const session = { accountId, csrf, expiresAtMs: now + PORTAL_SESSION_TTL_MS };
    await tx.portal.insertSession({
      ...session,
      tokenHash: ctx.ids.hashSecret(sessionToken),
      createdAtMs: now,
    });
    return { ...session, sessionToken };
  });
  if (opened.ok && !opened.value)
    return refuse('not_found', 'this portal link has expired or was already used');
  return opened as Result<PortalSession & { sessionToken: string }>;
}

/** The session a cookie token belongs to, if it is still valid. */
export async function portalSession(
  ctx: Context,
  sessionToken: string | undefined,
): Promise<PortalSession | undefined> {
  if (!sessionToken || sessionToken.length > 200) return undefined;
  const tokenHash = ctx.ids.hashSecret(sessionToken);
  const session = await read(ctx, (tx) => tx.portal.getSession(tokenHash));
  if (!session) return undefined;
  if (session.expiresAtMs > ctx.clock.nowMs()) return session;
  await unit(ctx, (tx) => tx.portal.deleteSession(tokenHash));
  return undefined;
}

/**
 * Ends a session (the portal's Sign out): its cookie token opens nothing afterwards.
 * @example await endPortalSession(ctx, getCookie(c, 'tollgate_portal'))
 */
export async function endPortalSession(ctx: Context, sessionToken: string | undefined): Promise<void> {
  if (!sessionToken || sessionToken.length > 200) return;
  await unit(ctx, (tx) => tx.portal.deleteSession(ctx.ids.hashSecret(sessionToken)));
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
