import type { Balance } from './balance.ts';
import type { TollgateConfig } from './config.ts';
import { ok, type Refusal, RefusalSignal, type Result } from './errors.ts';
import type { ApiKey } from './model.ts';
import type { Observer } from './observer.ts';
import type { PaymentProvider } from './payments.ts';
import type { Clock, Durability, IdSource, Storage, Tx } from './ports.ts';
import type { SpendState } from './spend.ts';
import type { WebhookState } from './webhook-state.ts';

/** Runs work after the current turn of the event loop (group commit); injected to keep the core pure. */
export type Scheduler = (fn: () => void) => void;

/** What every use case works with. */
export interface Context {
  storage: Storage;
  clock: Clock;
  ids: IdSource;
  config: TollgateConfig;
  payments: Record<string, PaymentProvider>;
  schedule: Scheduler;
  webhooks: WebhookState;
  observer: Observer;
  /** Spend limits and the credits used in their periods, as verification reads them. */
  spend: SpendState;
  /** Accounts whose balance changed; cached balances of them are dropped after each commit. */
  invalidateBalances(accountIds: Iterable<string>): void;
  /** In-process caches of the hot read path; every change made in this process updates them. */
  cache: {
    keysByHash: Map<string, { value: ApiKey; atMs: number }>;
    keysById: Map<string, ApiKey>;
    balances: Map<string, { value: Balance; atMs: number }>;
    /** Key id -> last use not yet written, and when it was last written. */
    keyUse: Map<string, { usedAtMs: number; writtenAtMs: number }>;
    flushingKeyUse: boolean;
    /**
     * How long a cached key or balance may be used. Unbounded for a store one process owns (every
     * change passes through this process); short when several processes share the store.
     */
    ttlMs: number;
  };
}

/**
 * One unit of work whose refusals are values: `fail(refusal)` inside `fn` rolls the transaction
 * back and the refusal comes back as the result.
 */
export async function unit<T>(
  ctx: Context,
  fn: (tx: Tx) => Promise<T>,
  durability: Durability = 'full',
): Promise<Result<T>> {
  try {
    return ok(await ctx.storage.transaction(fn, { durability }));
  } catch (error) {
    if (error instanceof RefusalSignal) return error.refusal;
    throw error;
  }
}

/** Aborts the enclosing unit of work with a refusal. */
export function fail(refusal: Refusal): never {
  throw new RefusalSignal(refusal);
}

/** The value of a result, or aborts the unit of work with its refusal. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) fail(r);
  return r.value;
}

/** A consistent read, no write lock. */
export function read<T>(ctx: Context, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.storage.transaction(fn, { readOnly: true });
}
