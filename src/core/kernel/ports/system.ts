/** The time, ids and the request the running code works for: ports of the runtime. */
import type { Tx } from './storage.ts';

/** The time, injected so tests replay exactly. */
export interface Clock {
  nowMs(): number;
}

/** Identifiers and secrets, injected for the same reason. */
export interface IdSource {
  /** A prefixed, time-sortable, opaque id: `acc_...`. */
  newId(prefix: string): string;
  /** `prefix` followed by at least 32 random bytes in base62. */
  newSecret(prefix: string): string;
  /** SHA-256 of a secret, hex. */
  hashSecret(secret: string): string;
  /** A uniform random number in [0, 1), for retry jitter. */
  fraction(): number;
}

/** What a unit of work does, in its own transaction, for the request it runs for (core/kernel/retries.ts). */
export interface RequestHook {
  inTransaction(tx: Tx, value: unknown): Promise<void>;
}

/**
 * Which request, if any, the running code works for: a port, since following a request across
 * awaits is the runtime's business (the server gives an AsyncLocalStorage; the default knows none).
 */
export interface RequestScopes {
  current(): RequestHook | undefined;
  run<T>(hook: RequestHook, fn: () => Promise<T>): Promise<T>;
}
