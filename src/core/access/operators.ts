import { type Context, fail, read, unit } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { AuditEntry, AuditInput, OperatorScope, OperatorToken } from '../kernel/model.ts';

export type { AuditInput };

/** The scopes an operator token may carry (API.md "Operator tokens and audit log"). */
export const OPERATOR_SCOPES: readonly OperatorScope[] = ['admin', 'ingest', 'read'];

/** Prefix of operator token secrets, so a leaked one is recognisable in a scan. */
export const OPERATOR_TOKEN_PREFIX = 'tgo_';

const NAME_MAX_CHARS = 100;

/** The longest page of the audit log one call answers. */
export const AUDIT_PAGE_MAX = 500;

/**
 * What a process keeps of the operator tokens: every active one, by the hash of its secret, so a
 * request is authenticated without a read. A change made in this process rebuilds it at once;
 * where several processes share the store, it is reloaded once older than the cache lifetime.
 */
export interface OperatorState {
  byHash: Map<string, OperatorToken>;
  loadedAtMs: number;
  /** Bumped on every reload, so anything remembered from an older snapshot is checked again. */
  generation: number;
  loading: Promise<void> | null;
}

export const newOperatorState = (): OperatorState => ({
  byHash: new Map(),
  loadedAtMs: Number.NEGATIVE_INFINITY,
  generation: 0,
  loading: null,
});

async function reload(ctx: Context, state: OperatorState): Promise<void> {
  state.loading ??= (async () => {
    try {
      const loadedAtMs = ctx.clock.nowMs();
      const tokens = await read(ctx, (tx) => tx.operators.list());
      state.byHash = new Map(tokens.filter((t) => t.revokedAtMs === null).map((t) => [t.tokenHash, t]));
      state.loadedAtMs = loadedAtMs;
      state.generation++;
    } finally {
      state.loading = null;
    }
  })();
  return state.loading;
}

/** Loaded at least once, and not older than the cache lifetime (unbounded on a store this process owns). */
const isFresh = (ctx: Context, state: OperatorState): boolean =>
  state.generation > 0 && ctx.clock.nowMs() - state.loadedAtMs <= ctx.cache.ttlMs;

/** After a change this process made: a load already under way may have read before it, so load again. */
async function reloadAfterChange(ctx: Context, state: OperatorState): Promise<void> {
  if (state.loading) await state.loading.catch(() => undefined);
  await reload(ctx, state);
}

/**
 * The active token whose secret this is, or null. Answers without an await while the snapshot is
 * fresh (always, on a store this process owns).
 * @example const t = authenticateOperator(ctx, state, secret); if (t instanceof Promise) await t;
 */
export function authenticateOperator(
  ctx: Context,
  state: OperatorState,
  secret: string,
): OperatorToken | null | Promise<OperatorToken | null> {
  if (!secret.startsWith(OPERATOR_TOKEN_PREFIX) || secret.length > 256) return null;
  const find = () => state.byHash.get(ctx.ids.hashSecret(secret)) ?? null;
  if (isFresh(ctx, state)) return find();
  return reload(ctx, state).then(find);
}

/** The generation of the snapshot, reloading it first when stale (see `OperatorState`). */
export function operatorGeneration(ctx: Context, state: OperatorState): number | Promise<number> {
  if (isFresh(ctx, state)) return state.generation;
  return reload(ctx, state).then(() => state.generation);
}

export interface OperatorTokenInput {
  name?: unknown;
  scopes?: unknown;
}

/**
 * Creates a token; its secret is in this answer only. Refusals, first wins: `name`, then `scopes`
 * (a non-empty list of distinct known scopes).
 * @example const r = await createOperatorToken(ctx, state, { name: 'gateway', scopes: ['ingest'] });
 */
export async function createOperatorToken(
  ctx: Context,
  state: OperatorState,
  input: OperatorTokenInput,
): Promise<Result<{ token: OperatorToken; secret: string }>> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 1 || name.length > NAME_MAX_CHARS)
    return invalidField('name', `is required, 1 to ${NAME_MAX_CHARS} characters`);
  const scopes = input.scopes;
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    new Set(scopes).size !== scopes.length ||
    !scopes.every((s) => OPERATOR_SCOPES.includes(s))
  )
    return invalidField('scopes', `must be a list of distinct scopes among ${OPERATOR_SCOPES.join(', ')}`);
  const secret = ctx.ids.newSecret(OPERATOR_TOKEN_PREFIX);
  const token: OperatorToken = {
    id: ctx.ids.newId('opt'),
    name,
    scopes: [...(scopes as OperatorScope[])],
    tokenHash: ctx.ids.hashSecret(secret),
    hint: `${OPERATOR_TOKEN_PREFIX}...${secret.slice(-4)}`,
    createdAtMs: ctx.clock.nowMs(),
    revokedAtMs: null,
  };
  const r = await unit(ctx, async (tx) => {
    await tx.operators.insert(token);
    return token;
  });
  if (!r.ok) return r;
  await reloadAfterChange(ctx, state);
  return ok({ token, secret });
}

/** Revokes a token at once in this process (within the cache lifetime in others). Idempotent. */
export async function revokeOperatorToken(
  ctx: Context,
  state: OperatorState,
  id: string,
): Promise<Result<OperatorToken>> {
  // A unit of work that commits is a change (its audit line commits with it): unknown is a refusal.
  const r = await unit(ctx, async (tx) => {
    const token = await tx.operators.get(id);
    if (!token) fail(refuse('not_found', `no operator token ${id}`));
    if (token.revokedAtMs === null) await tx.operators.revoke(id, ctx.clock.nowMs());
    return (await tx.operators.get(id))!;
  });
  if (!r.ok) return r;
  await reloadAfterChange(ctx, state);
  return ok(r.value);
}

/** Every token that is not revoked, oldest first. */
export async function listOperatorTokens(ctx: Context): Promise<OperatorToken[]> {
  const all = await read(ctx, (tx) => tx.operators.list());
  return all.filter((t) => t.revokedAtMs === null);
}

/** Appends one line to the audit log. @example await recordAudit(ctx, { actor, action: 'portal: create key' }) */
export async function recordAudit(ctx: Context, input: AuditInput): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: ctx.ids.newId('aud'),
    atMs: ctx.clock.nowMs(),
    actor: input.actor,
    action: input.action.slice(0, 200),
    targetId: input.targetId ?? null,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    amounts: null,
  };
  await ctx.storage.transaction((tx) => tx.audit.append([entry]));
  return entry;
}

/** A page of the audit log, oldest first, and the cursor of the next page (null at the end). */
export async function listAudit(
  ctx: Context,
  limit: number,
  cursor?: string,
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const size = Math.min(Math.max(1, Math.trunc(limit)), AUDIT_PAGE_MAX);
  const rows = await read(ctx, (tx) => tx.audit.list(size + 1, cursor));
  const data = rows.slice(0, size);
  return { data, nextCursor: rows.length > size ? data[data.length - 1]!.id : null };
}
