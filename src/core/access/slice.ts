import { balanceIn } from '../kernel/balance.ts';
import type { Context } from '../kernel/context.ts';
import { read } from '../kernel/context.ts';
import { ok, refuse } from '../kernel/errors.ts';
import type { AuditInput } from '../kernel/model.ts';
import type { Identity, SignInProvider } from '../kernel/ports.ts';
import { accountSpend, runwaySeconds } from '../spend/index.ts';
import {
  type AccountInput,
  type AccountListQuery,
  type AccountPatch,
  createAccount,
  getAccount,
  listAccounts,
  readBalance,
  updateAccount,
} from './accounts.ts';
import {
  activateKey,
  cachedBalance,
  createKey,
  deleteKey,
  flushKeyUse,
  getKey,
  type KeyPatch,
  listKeys,
  suspendKey,
  updateKey,
  verifyKey,
} from './keys.ts';
import {
  authenticateOperator,
  createOperatorToken,
  listAudit,
  listOperatorTokens,
  newOperatorState,
  type OperatorTokenInput,
  operatorGeneration,
  recordAudit,
  revokeOperatorToken,
} from './operators.ts';
import {
  createPortalLink,
  endPortalSession,
  openPortalLink,
  peekPortalLink,
  portalSession,
  signInToPortal,
} from './portal.ts';

/**
 * The access feature's slice of the engine: accounts, API keys, the customer portal's sessions,
 * operator tokens and the audit log.
 * @example const { accounts, keys } = accessSlice(ctx, deps.signIn)
 */
export function accessSlice(ctx: Context, signIn: SignInProvider | undefined) {
  const operators = newOperatorState();
  return {
    accounts: {
      create: (input: AccountInput) => createAccount(ctx, input),
      get: (id: string) => getAccount(ctx, id),
      /** Accounts newest first, by email or external id if given, a page at a time. */
      list: (q: AccountListQuery) => listAccounts(ctx, q),
      update: (id: string, patch: AccountPatch) => updateAccount(ctx, id, patch),
      /** The balance as stored now (the cache is for verification). */
      balance: async (id: string) => {
        const b = await readBalance(ctx, id);
        return b ? ok(b) : refuse('not_found', `no account ${id}`);
      },
      /** The balance as stored now and, in the same read, how long it lasts (`runwaySeconds`). */
      balanceWithRunway: async (id: string) => {
        const b = await read(ctx, async (tx) => {
          const balance = await balanceIn(tx, id);
          return (
            balance && { ...balance, runwaySeconds: await runwaySeconds(ctx, tx, id, balance.available) }
          );
        });
        return b ? ok(b) : refuse('not_found', `no account ${id}`);
      },
      cachedBalance: (id: string) => cachedBalance(ctx, id),
      /** The account's binding spend limit and the credits used in its period; null without a limit. */
      spend: (id: string) => read(ctx, (tx) => accountSpend(ctx, tx, id)),
    },
    keys: {
      create: (accountId: string, nickname: unknown) => createKey(ctx, accountId, nickname),
      get: (id: string) => getKey(ctx, id),
      list: (accountId: string) => listKeys(ctx, accountId),
      suspend: (id: string) => suspendKey(ctx, id),
      activate: (id: string) => activateKey(ctx, id),
      delete: (id: string) => deleteKey(ctx, id),
      update: (id: string, patch: KeyPatch) => updateKey(ctx, id, patch),
      verify: (secret: unknown, model?: string) => verifyKey(ctx, secret, model),
      flushLastUsed: () => flushKeyUse(ctx, true),
    },
    portal: {
      createLink: (accountId: string) => createPortalLink(ctx, accountId),
      peekLink: (token: string) => peekPortalLink(ctx, token),
      openLink: (token: string) => openPortalLink(ctx, token),
      session: (token: string | undefined) => portalSession(ctx, token),
      endSession: (token: string | undefined) => endPortalSession(ctx, token),
      /** Standalone sign-in, when a provider is configured. */
      signIn,
      signInWith: (identity: Identity) => signInToPortal(ctx, identity),
    },
    /** Operator tokens with scopes; the bootstrap token is the server's, not stored. */
    operators: {
      create: (input: OperatorTokenInput) => createOperatorToken(ctx, operators, input),
      list: () => listOperatorTokens(ctx),
      revoke: (id: string) => revokeOperatorToken(ctx, operators, id),
      /** The active token of this secret, or null; without an await while the snapshot is fresh. */
      authenticate: (secret: string) => authenticateOperator(ctx, operators, secret),
      /** Changes whenever the set of active tokens may have changed (see `OperatorState`). */
      generation: () => operatorGeneration(ctx, operators),
    },
    /** The append-only log of changes made through the API, the portal and the CLI. */
    audit: {
      record: (input: AuditInput) => recordAudit(ctx, input),
      list: (limit: number, cursor?: string) => listAudit(ctx, limit, cursor),
    },
  };
}
