import type { HotCache } from './cache.ts';
import type { TollgateConfig } from './config.ts';
import { ok, type Refusal, RefusalSignal, type Result } from './errors.ts';
import type { Observer } from './observer.ts';
import type { PaymentProvider } from './payments.ts';
import type { Clock, Durability, IdSource, RequestScopes, Storage, Tx } from './ports.ts';
import type { SpendState } from './spend-state.ts';
import type { WebhookState } from './webhook-state.ts';

/** Runs work after the current turn of the event loop (group commit); injected to keep the core pure. */
export type Scheduler = (fn: () => void) => void;

/**
 * What every use case works with: the ports and configuration the engine was given (storage,
 * clock, ids, config, payment providers, scheduler), then the state this process keeps in memory,
 * each piece a named type of its own (the hot cache, webhook delivery, the observer, ...).
 * Only the core sees it: tests and tools beside the engine use `engine.storage`.
 */
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
  /** In-process caches of the hot read path. */
  cache: HotCache;
  /** The request the running code works for (core/kernel/retries.ts), and when kept requests were last purged. */
  requests: { scopes: RequestScopes; lastPurgeMs: number };
  /** What follows every change of a balance, registered by the features at wiring, run in order. */
  listeners: readonly BalanceListener[];
}

/**
 * What a unit of work changed: the accounts whose balance changed (collected by the unit of work
 * from its postings, voids and ingest, never by hand) and those whose spend settings (limits,
 * budgets, auto top-up) it set.
 */
export interface BalanceChange {
  accountIds: readonly string[];
  settingsOf: readonly string[];
}

/** Work to do once the change committed (never awaited by the change). */
export type AfterCommit = () => void;

/**
 * A feature's part in what must follow every change of a balance (Formance ledger's `Listener`):
 * run inside the change's transaction, so what it writes (a webhook, a started top-up) commits
 * with the change or not at all; it answers what to do once the change committed, if anything.
 * Registered once at wiring (core/engine.ts), so no use case can forget one.
 */
export interface BalanceListener {
  readonly name: string;
  inTransaction(ctx: Context, tx: Tx, change: BalanceChange): Promise<AfterCommit | undefined>;
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
  // What the request this unit works for must commit with its change (core/kernel/retries.ts).
  const hook = ctx.requests.scopes.current();
  const run = hook
    ? async (tx: Tx) => {
        const value = await fn(tx);
        await hook.inTransaction(tx, value);
        return value;
      }
    : fn;
  try {
    return ok(await ctx.storage.transaction(run, { durability }));
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
