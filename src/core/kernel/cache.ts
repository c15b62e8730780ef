import type { Balance } from './balance.ts';
import type { ApiKey } from './model.ts';

/**
 * In-process caches of the hot read path (key verification, usage pricing): every change made in
 * this process updates or drops what it changes; an entry older than `ttlMs` is not used.
 */
export interface HotCache {
  keysByHash: Map<string, { value: ApiKey; atMs: number }>;
  keysById: Map<string, ApiKey>;
  balances: Map<string, { value: Balance; atMs: number }>;
  /** Key id -> last use not yet written, and when it was last written. */
  keyUse: Map<string, { usedAtMs: number; writtenAtMs: number }>;
  /**
   * Whether the store has any scoped lot with credits left (null: not known yet): while false,
   * verification reads balances without looking at lots. Set for good once this process makes one.
   */
  anyScoped: { value: boolean; atMs: number } | null;
  /** Whether a write of keys' last use is in flight (one at a time). */
  flushingKeyUse: boolean;
  /**
   * How long a cached key or balance may be used. Unbounded for a store one process owns (every
   * change passes through this process); short when several processes share the store.
   */
  ttlMs: number;
}

/** Drops the cached balances of these accounts (after a commit that changed them). */
export function dropBalances(cache: HotCache, accountIds: Iterable<string>): void {
  for (const id of accountIds) cache.balances.delete(id);
}

/**
 * An empty cache.
 * @example const cache = createHotCache(storage.shared ? config.sharedCacheTtlMs : Infinity);
 */
export function createHotCache(ttlMs: number): HotCache {
  return {
    keysByHash: new Map(),
    keysById: new Map(),
    balances: new Map(),
    keyUse: new Map(),
    anyScoped: null,
    flushingKeyUse: false,
    ttlMs,
  };
}

/** Notes that the store has scoped lots (this process just made one): verification reads them from now on. */
export function noteScoped(cache: HotCache): void {
  cache.anyScoped = { value: true, atMs: Number.POSITIVE_INFINITY };
}
