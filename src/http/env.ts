import type { Actor, OperatorScope } from '../core/kernel/model.ts';
import type { PortalSession } from '../core/kernel/ports.ts';

/** The operator behind a request: a stored token, or the bootstrap token of the server. */
export interface Caller {
  actor: Actor;
  scopes: readonly OperatorScope[];
}

/** The Hono environment of every route: what a request carries through the middleware. */
export type Env = {
  Variables: {
    requestId: string;
    /** The operator, on /v1 (src/http/app.ts). */
    caller: Caller;
    /** The customer's session, on the portal's signed-in routes (portal/middleware/session.ts). */
    portal: PortalSession;
    /** The fields of a portal POST the CSRF guard checked (portal/middleware/csrf.ts). */
    form: Record<string, string | File>;
    /** Set when a portal form's handler refused what it asked (portal/middleware/flash.ts). */
    refused: boolean;
  };
};
