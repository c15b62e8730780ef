import { hash, timingSafeEqual } from 'node:crypto';
import type { Engine } from '../core/engine.ts';
import type { OperatorToken } from '../core/kernel/model.ts';
import type { Caller } from './env.ts';
import { ApiError } from './errors.ts';

/**
 * The edge every request crosses, written once for the Hono app and the Node fast path: who the
 * caller is and what their scopes allow, how a body is refused before it is read, and how any
 * failure becomes the error envelope. Order of refusals, first wins: `unauthorized`, `forbidden`,
 * `payload_too_large` (declared length), `malformed_json` (content type).
 */

export const refusals = {
  unauthorized: () => new ApiError('unauthorized', 'a valid operator bearer token is required'),
  forbidden: (caller: Caller, method: string, path: string) =>
    new ApiError(
      'forbidden',
      `the token "${caller.actor.name}" (scopes: ${caller.scopes.join(', ')}) may not call ${method} ${path}`,
    ),
  tooLarge: (limitBytes: number) =>
    new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`),
  notJson: () => new ApiError('malformed_json', 'the body must be JSON (Content-Type: application/json)'),
  internal: () => new ApiError('internal_error', 'internal error; the request id identifies it in the logs'),
  unavailable: () =>
    new ApiError('unavailable', 'storage is unavailable for now; nothing was written; retry shortly'),
};

export const JSON_TYPE = /^application\/(.+\+)?json/i;

/** Routes an `ingest` token may call: verification, usage ingest (both shapes) and holds. */
const INGEST_ROUTES = [
  /^\/v1\/api_keys\/verify$/,
  /^\/v1\/usage_events$/,
  /^\/v1\/events$/,
  /^\/v1\/accounts\/[^/]+\/holds$/,
  /^\/v1\/holds\/[^/]+\/(capture|release)$/,
];

/** Whether the caller's scopes allow this request (API.md "Operator tokens and audit log"). */
export function allows(caller: Caller, method: string, path: string): boolean {
  for (const scope of caller.scopes) {
    if (scope === 'admin') return true;
    if (scope === 'read' && (method === 'GET' || method === 'HEAD')) return true;
    if (scope === 'ingest' && method === 'POST' && INGEST_ROUTES.some((r) => r.test(path))) return true;
  }
  return false;
}

/** Changes the audit log leaves out: verification and usage ingest are traffic, not changes. */
export const isTraffic = (method: string, path: string): boolean =>
  method === 'POST' &&
  (path === '/v1/api_keys/verify' || path === '/v1/usage_events' || path === '/v1/events');

const digest = (s: string) => hash('sha256', s, 'buffer');

/** Constant-time comparison of a presented token with the expected one (or its SHA-256). */
export function tokenMatches(presented: string, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(presented), typeof expected === 'string' ? digest(expected) : expected);
}

const BOOTSTRAP: Caller = {
  actor: { kind: 'operator', tokenId: null, name: 'bootstrap' },
  scopes: ['admin'],
};

const REMEMBERED = Symbol('tollgate.caller');

interface Remembered {
  header: Buffer;
  caller: Caller;
  generation: number;
}

/**
 * Finds the caller of an `Authorization` header: the bootstrap token (compared in constant time)
 * or an active operator token. A keep-alive connection remembers its caller with the exact header
 * it sent; the next request on it is compared with that header in constant time and only while no
 * token was created or revoked since, so a revocation takes effect on open connections too.
 * @example const who = await callers(engine, token)(req.headers.authorization, req.socket)
 */
export function callers(
  engine: Engine,
  bootstrapToken: string,
): (header: string | undefined, connection?: object) => Caller | null | Promise<Caller | null> {
  const bootstrapDigest = digest(bootstrapToken);
  const find = (token: string): Caller | null | Promise<Caller | null> => {
    if (tokenMatches(token, bootstrapDigest)) return BOOTSTRAP;
    const found = engine.operators.authenticate(token);
    const toCaller = (t: OperatorToken | null): Caller | null =>
      t ? { actor: { kind: 'operator', tokenId: t.id, name: t.name }, scopes: t.scopes } : null;
    return found instanceof Promise ? found.then(toCaller) : toCaller(found);
  };
  return (header, connection) => {
    // The scheme is case-insensitive (RFC 9110 11.1): `bearer`, `BEARER` and `Bearer` alike.
    if (header === undefined || !isBearer(header)) return null;
    const generation = engine.operators.generation();
    if (generation instanceof Promise) return generation.then(() => find(header.slice(7)));
    const socket = connection as { [REMEMBERED]?: Remembered } | undefined;
    const memo = socket?.[REMEMBERED];
    if (memo && memo.generation === generation && memo.header.length === Buffer.byteLength(header)) {
      if (timingSafeEqual(Buffer.from(header), memo.header)) return memo.caller;
    }
    const caller = find(header.slice(7));
    const remember = (c: Caller | null) => {
      if (c && socket) socket[REMEMBERED] = { header: Buffer.from(header), caller: c, generation };
      return c;
    };
    return caller instanceof Promise ? caller.then(remember) : remember(caller);
  };
}

/** Whether an Authorization header uses the Bearer scheme, in any case: its token starts at 7. */
export const isBearer = (header: string): boolean =>
  header.length > 7 && header.charCodeAt(6) === 32 && header.slice(0, 6).toLowerCase() === 'bearer';

/**
 * What any thrown value answers: an `ApiError` as it is; a store that is unreachable, full or
 * failing as `unavailable` (the adapters mark such errors); anything else is a bug, answered as
 * `internal_error` and logged with the request id.
 */
export function toApiError(
  error: unknown,
  requestId: string | null,
  log?: (line: Record<string, unknown>) => void,
): ApiError {
  if (error instanceof ApiError) return error;
  const unavailable = isUnavailable(error);
  log?.({
    request_id: requestId,
    level: unavailable ? 'warn' : 'error',
    error: error instanceof Error ? error.message : String(error),
  });
  return unavailable ? refusals.unavailable() : refusals.internal();
}

/** A storage failure that a retry may get past, as the adapters mark it (`storageUnavailable`). */
function isUnavailable(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { unavailable?: unknown }).unavailable === true
  );
}
