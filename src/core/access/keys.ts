import { availableFor, type Balance, balanceIn } from '../kernel/balance.ts';
import { type Context, fail, read, unit } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { ApiKey, ApiKeyStatus } from '../kernel/model.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { keysSpent, parseSpendLimit, spendRefusal, spendRefusalCached } from '../spend/index.ts';
import { emit } from '../webhooks/index.ts';

export type VerifyResult =
  | { valid: true; accountId: string; keyId: string; available: bigint }
  | { valid: false; code: 'unknown_key' | 'suspended' | 'insufficient_credits' | 'spend_limit_reached' };

/** Longest secret worth hashing: anything longer is not a key of ours (the verify route's schema says it too). */
export const MAX_SECRET_LENGTH = 256;

/** The longest API key nickname: the core checks it; the route schema and the portal form show it. */
export const NICKNAME_MAX_CHARS = 64;

function cacheKey(ctx: Context, key: ApiKey): void {
  ctx.cache.keysByHash.set(key.secretHash, { value: key, atMs: ctx.clock.nowMs() });
  ctx.cache.keysById.set(key.id, key);
}

/**
 * Creates an active key; the secret is in this answer only. Refused at the active-key limit.
 * @example const r = await createKey(ctx, 'acc_1', 'production'); if (r.ok) show(r.value.secret)
 */
export async function createKey(
  ctx: Context,
  accountId: string,
  rawNickname: unknown,
): Promise<Result<{ key: ApiKey; secret: string }>> {
  const valid = validNickname(rawNickname);
  if (!valid.ok) return valid;
  const nickname = valid.value;
  const secret = ctx.ids.newSecret(ctx.config.keyPrefix);
  const result = await unit(ctx, async (tx) => {
    // The account lock serialises creates and activations of one account, so two racing at
    // limit-1 active keys cannot both pass the count.
    const account = await tx.accounts.lock(accountId);
    if (!account) fail(refuse('not_found', `no account ${accountId}`));
    if ((await tx.keys.countActive(accountId)) >= ctx.config.maxActiveKeys) {
      fail(
        refuse('api_key_limit_reached', `an account has at most ${ctx.config.maxActiveKeys} active API keys`),
      );
    }
    const now = ctx.clock.nowMs();
    const key: ApiKey = {
      id: ctx.ids.newId('key'),
      accountId,
      nickname,
      secretHash: ctx.ids.hashSecret(secret),
      hint: `${ctx.config.keyPrefix}...${secret.slice(-4)}`,
      status: 'active',
      createdAtMs: now,
      lastUsedAtMs: null,
      spendLimit: null,
    };
    await tx.keys.insert(key);
    await emit(ctx, tx, 'api_key.created', {
      key_id: key.id,
      account_id: accountId,
      nickname,
      hint: key.hint,
    });
    return key;
  });
  if (!result.ok) return result;
  cacheKey(ctx, result.value);
  return ok({ key: result.value, secret });
}

/** A key as its answers show it: with the credits it used in its current spend period. */
export type KeyView = ApiKey & { spentMinor: bigint };

export async function getKey(ctx: Context, keyId: string): Promise<Result<KeyView>> {
  const key = await read(ctx, (tx) => tx.keys.get(keyId));
  if (!key || key.status === 'deleted') return refuse('not_found', `no API key ${keyId}`);
  return ok((await keysSpent(ctx, [withUse(ctx, key)]))[0]!);
}

/** Keys of an account that are not deleted, oldest first. */
export async function listKeys(ctx: Context, accountId: string): Promise<Result<KeyView[]>> {
  const keys = await read(ctx, async (tx) =>
    (await tx.accounts.get(accountId)) ? tx.keys.list(accountId) : undefined,
  );
  if (!keys) return refuse('not_found', `no account ${accountId}`);
  return ok(
    await keysSpent(
      ctx,
      keys.map((k) => withUse(ctx, k)),
    ),
  );
}

export interface KeyPatch {
  nickname?: unknown;
  /** The operator's cap: `{ credits, period }` or null; parsed by `parseSpendLimit`. */
  spendLimit?: unknown;
  /** The customer's own budget for the key (the portal sets only this): `{ credits, period }` or null. */
  spendBudget?: unknown;
}

/**
 * Renames a key or sets its spend limits (the operator's cap, the customer's budget). Refusals,
 * first wins: `nickname`, `spend_limit`, `spend_budget`, then
 * `not_found` (deleted keys too).
 * @example await updateKey(ctx, 'key_1', { spendLimit: { credits: '100', period: 'day' } })
 */
export async function updateKey(ctx: Context, keyId: string, patch: KeyPatch): Promise<Result<KeyView>> {
  const nickname = patch.nickname === undefined ? undefined : validNickname(patch.nickname);
  if (nickname && !nickname.ok) return nickname;
  const limit =
    patch.spendLimit === undefined ? undefined : parseSpendLimit(ctx, patch.spendLimit, 'spend_limit');
  if (limit && !limit.ok) return limit;
  const budget =
    patch.spendBudget === undefined ? undefined : parseSpendLimit(ctx, patch.spendBudget, 'spend_budget');
  if (budget && !budget.ok) return budget;
  const accountId = await accountOf(ctx, keyId);
  if (accountId === null) return refuse('not_found', `no API key ${keyId}`);
  // A limit set is a change of the account's spend settings: one already reached is announced in it.
  const result = await balanceUnit(
    ctx,
    async (tx) => {
      const key = await tx.keys.get(keyId);
      if (!key || key.status === 'deleted') fail(refuse('not_found', `no API key ${keyId}`));
      const next: ApiKey = {
        ...key,
        ...(nickname ? { nickname: nickname.value } : {}),
        ...(limit ? { spendLimit: limit.value } : {}),
        ...(budget ? { spendBudget: budget.value } : {}),
      };
      await tx.keys.update(next);
      return next;
    },
    'full',
    limit || budget ? [accountId] : [],
  );
  if (!result.ok) return result;
  cacheKey(ctx, result.value);
  return ok((await keysSpent(ctx, [withUse(ctx, result.value)]))[0]!);
}

function validNickname(raw: unknown): Result<string> {
  const nickname = typeof raw === 'string' ? raw.trim() : '';
  if (nickname.length < 1 || nickname.length > NICKNAME_MAX_CHARS)
    return invalidField('nickname', `is required, 1 to ${NICKNAME_MAX_CHARS} characters`);
  return ok(nickname);
}

// The last use not yet written still shows.
function withUse(ctx: Context, key: ApiKey): ApiKey {
  const use = ctx.cache.keyUse.get(key.id);
  return use && (key.lastUsedAtMs ?? 0) < use.usedAtMs ? { ...key, lastUsedAtMs: use.usedAtMs } : key;
}

export const suspendKey = (ctx: Context, keyId: string) => changeStatus(ctx, keyId, 'suspended');
export const activateKey = (ctx: Context, keyId: string) => changeStatus(ctx, keyId, 'active');
export const deleteKey = (ctx: Context, keyId: string) => changeStatus(ctx, keyId, 'deleted');

/** The account of a key (never changes), or null when there is no such key. */
async function accountOf(ctx: Context, keyId: string): Promise<string | null> {
  const key = await read(ctx, (tx) => tx.keys.get(keyId));
  return key && key.status !== 'deleted' ? key.accountId : null;
}

async function changeStatus(ctx: Context, keyId: string, status: ApiKeyStatus): Promise<Result<KeyView>> {
  const accountId = await accountOf(ctx, keyId);
  if (accountId === null) return refuse('not_found', `no API key ${keyId}`);
  // A key that stops (or starts) counting changes the account's limits: its spend settings change.
  const result = await balanceUnit(
    ctx,
    async (tx) => {
      const found = await tx.keys.get(keyId);
      if (!found || found.status === 'deleted') fail(refuse('not_found', `no API key ${keyId}`));
      await tx.accounts.lock(found.accountId);
      const key = (await tx.keys.get(keyId))!;
      if (key.status === status) return key;
      if (status === 'deleted' && key.status !== 'suspended') {
        fail(refuse('api_key_not_suspended', 'only a suspended key can be deleted; suspend it first'));
      }
      if (status === 'active' && (await tx.keys.countActive(key.accountId)) >= ctx.config.maxActiveKeys) {
        fail(
          refuse(
            'api_key_limit_reached',
            `an account has at most ${ctx.config.maxActiveKeys} active API keys`,
          ),
        );
      }
      await tx.keys.setStatus(keyId, status, ctx.clock.nowMs());
      if (status !== 'active') {
        await emit(ctx, tx, status === 'suspended' ? 'api_key.suspended' : 'api_key.deleted', {
          key_id: key.id,
          account_id: key.accountId,
          nickname: key.nickname,
          hint: key.hint,
        });
      }
      return { ...key, status };
    },
    'full',
    [accountId],
  );
  // Takes effect on the very next verification in this process.
  if (!result.ok) return result;
  cacheKey(ctx, result.value);
  return ok((await keysSpent(ctx, [withUse(ctx, result.value)]))[0]!);
}

/**
 * Whether the store has scoped lots with credits left, from the in-process cache when fresh: while
 * it has none, balances are read without looking at lots (a platform that does not use scoped
 * credits pays nothing for them). A scoped lot made in this process sets it at once; one made by
 * another process is seen within the shared cache TTL, as its balance change is.
 */
async function storeHasScoped(ctx: Context): Promise<boolean> {
  const known = ctx.cache.anyScoped;
  const now = ctx.clock.nowMs();
  if (known && now - known.atMs < ctx.cache.ttlMs) return known.value;
  const value = await read(ctx, (tx) => tx.lots.anyScoped());
  if (!ctx.cache.anyScoped?.value) ctx.cache.anyScoped = { value, atMs: now };
  return value;
}

/** The balance of an account, from the in-process cache when it is fresh. */
export async function cachedBalance(ctx: Context, accountId: string): Promise<Balance | undefined> {
  const cached = ctx.cache.balances.get(accountId);
  if (cached && ctx.clock.nowMs() - cached.atMs < ctx.cache.ttlMs) return cached.value;
  const scoped = await storeHasScoped(ctx);
  const balance = await read(ctx, (tx) => balanceIn(tx, accountId, { scoped }));
  if (balance) ctx.cache.balances.set(accountId, { value: balance, atMs: ctx.clock.nowMs() });
  return balance;
}

/**
 * Verifies a key secret: the hottest read of the platform. Lookups are cached in process;
 * `last_used_at` is written at most once per `keyLastUsedIntervalMs` per key, in the background.
 * With `model`, `available` (and `insufficient_credits`) is judged on what that model can use:
 * its scoped credits too (`availableFor`); the cached balance already holds them, so it costs
 * nothing more.
 * @example const v = await verifyKey(ctx, req.header('x-api-key'), 'video-8s'); if (!v.valid) deny(v.code)
 */
export function verifyKey(ctx: Context, secret: unknown, model?: string): Promise<VerifyResult> {
  const known = verifyFromCache(ctx, secret, model);
  if (known) {
    ctx.observer.verification?.(known.valid ? 'valid' : known.code);
    return Promise.resolve(known);
  }
  return verifyFromStorage(ctx, secret as string, model).then((result) => {
    ctx.observer.verification?.(result.valid ? 'valid' : result.code);
    return result;
  });
}

/**
 * The answer when everything it needs is cached (the common case: no promise, no await), or
 * undefined when the key or the balance has to be read.
 */
function verifyFromCache(ctx: Context, secret: unknown, model?: string): VerifyResult | undefined {
  if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) {
    return { valid: false, code: 'unknown_key' };
  }
  const now = ctx.clock.nowMs();
  const cached = ctx.cache.keysByHash.get(ctx.ids.hashSecret(secret));
  if (!cached || now - cached.atMs >= ctx.cache.ttlMs) return undefined;
  const key = cached.value;
  if (key.status !== 'active') return answerFor(ctx, key, undefined, false, model);
  const balance = ctx.cache.balances.get(key.accountId);
  if (!balance || now - balance.atMs >= ctx.cache.ttlMs) return undefined;
  const limited = spendRefusalCached(ctx, key.accountId, key.id);
  if (limited === undefined) return undefined;
  return answerFor(ctx, key, balance.value, limited, model);
}

async function verifyFromStorage(ctx: Context, secret: string, model?: string): Promise<VerifyResult> {
  const hash = ctx.ids.hashSecret(secret);
  const cached = ctx.cache.keysByHash.get(hash);
  let key = cached && ctx.clock.nowMs() - cached.atMs < ctx.cache.ttlMs ? cached.value : undefined;
  if (!key) {
    key = await read(ctx, (tx) => tx.keys.findByHash(hash));
    if (!key) return { valid: false, code: 'unknown_key' };
    cacheKey(ctx, key);
  }
  if (key.status !== 'active') return answerFor(ctx, key, undefined, false, model);
  const balance = await cachedBalance(ctx, key.accountId);
  return answerFor(ctx, key, balance, await spendRefusal(ctx, key.accountId, key.id), model);
}

/** Refusals, first wins: `unknown_key` (deleted), `suspended`, `insufficient_credits`, `spend_limit_reached`. */
function answerFor(
  ctx: Context,
  key: ApiKey,
  balance: Balance | undefined,
  limited: boolean,
  model: string | undefined,
): VerifyResult {
  if (key.status === 'deleted') return { valid: false, code: 'unknown_key' };
  if (key.status === 'suspended') return { valid: false, code: 'suspended' };
  const available = balance ? availableFor(balance, model) : 0n;
  if (available <= 0n) return { valid: false, code: 'insufficient_credits' };
  if (limited) return { valid: false, code: 'spend_limit_reached' };
  // Only a verification that lets the call through is a use of the key (`last_used_at`).
  noteUse(ctx, key.id);
  return { valid: true, accountId: key.accountId, keyId: key.id, available };
}

function noteUse(ctx: Context, keyId: string): void {
  const now = ctx.clock.nowMs();
  const use = ctx.cache.keyUse.get(keyId);
  if (!use) {
    ctx.cache.keyUse.set(keyId, { usedAtMs: now, writtenAtMs: 0 });
    void flushKeyUse(ctx);
    return;
  }
  use.usedAtMs = now;
  if (now - use.writtenAtMs >= ctx.config.keyLastUsedIntervalMs) void flushKeyUse(ctx);
}

/** Writes the `last_used_at` of keys used since their last write and due again. */
export async function flushKeyUse(ctx: Context, force = false): Promise<void> {
  if (ctx.cache.flushingKeyUse) return;
  ctx.cache.flushingKeyUse = true;
  try {
    const now = ctx.clock.nowMs();
    const due: { id: string; atMs: number }[] = [];
    for (const [id, use] of ctx.cache.keyUse) {
      if (
        use.usedAtMs > use.writtenAtMs &&
        (force || now - use.writtenAtMs >= ctx.config.keyLastUsedIntervalMs)
      ) {
        due.push({ id, atMs: use.usedAtMs });
        use.writtenAtMs = now;
      }
    }
    if (due.length > 0) await ctx.storage.transaction((tx) => tx.keys.touch(due), { durability: 'normal' });
  } finally {
    ctx.cache.flushingKeyUse = false;
  }
}
