import type { Actor, OperatorScope } from '../core/kernel/model.ts';

/** The operator behind a request: a stored token, or the bootstrap token of the server. */
export interface Caller {
  actor: Actor;
  scopes: readonly OperatorScope[];
}

/** The Hono environment of every route: what a request carries through the middleware. */
export type Env = { Variables: { requestId: string; caller: Caller } };
