import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.ts';
import { allows, JSON_TYPE, refusals, toApiError } from './edge.ts';
import type { Caller } from './env.ts';
import { type ApiError, envelope, errorHeaders, statusOf } from './errors.ts';
import { hotHandlers, parse } from './hot.ts';
import { requestIds } from './request-id.ts';

export interface FastPathOptions {
  /** Makes request ids (default: `requestIds()`); the app shares its own. */
  requestIds?: () => string;
  limitBytes: number;
  /** The caller of an `Authorization` header on a connection (see `callers` in edge.ts). */
  caller: (authorization: string | undefined, connection: object) => Caller | null | Promise<Caller | null>;
  log?: (line: Record<string, unknown>) => void;
  /** One access line per request (see `AppOptions.access`). */
  access?: AccessLog;
  observe?: (method: string, route: string, status: number, seconds: number) => void;
}

/** Receives one access record per request; the standalone server formats it without a logger. */
export type AccessLog = (
  requestId: string,
  method: string,
  route: string,
  status: number,
  ms: number,
) => void;

/**
 * Answers the hot routes straight from Node's request: the same checks, answers, error envelope,
 * request id, access line and metrics as through the app, without the web-standard objects and
 * without a promise per step (the body is read with plain stream events).
 * Returns false for any other request, which the caller hands to the app.
 */
export function fastPath(
  engine: Engine,
  options: FastPathOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const handlers = hotHandlers(engine);
  const { limitBytes, access, observe, log } = options;
  const newRequestId = options.requestIds ?? requestIds();

  const answer = (
    res: ServerResponse,
    route: string,
    requestId: string,
    started: number,
    status: number,
    payload: unknown,
    extra?: Record<string, string>,
  ) => {
    const body = JSON.stringify(payload);
    const headers = [
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(body)),
      'x-request-id',
      requestId,
    ];
    if (extra) for (const [name, value] of Object.entries(extra)) headers.push(name, value);
    res.writeHead(status, headers);
    res.end(body);
    const ms = performance.now() - started;
    observe?.('POST', route, status, ms / 1000);
    access?.(requestId, 'POST', route, status, ms);
  };

  const fail = (res: ServerResponse, route: string, requestId: string, started: number, error: unknown) => {
    const e = toApiError(error, requestId, log);
    answer(res, route, requestId, started, statusOf(e.code), envelope(e, requestId), errorHeaders(e.code));
  };

  /** The refusal before the body is read, in the edge's order; null when the request may go on. */
  const refusal = (caller: Caller | null, req: IncomingMessage, route: string): ApiError | null => {
    if (!caller) return refusals.unauthorized();
    if (!allows(caller, 'POST', route)) return refusals.forbidden(caller, 'POST', route);
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > limitBytes) return refusals.tooLarge(limitBytes);
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) return refusals.notJson();
    return null;
  };

  const serve = (
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    handler: (typeof handlers)[keyof typeof handlers],
    requestId: string,
    started: number,
    caller: Caller | null,
  ) => {
    const refused = refusal(caller, req, route);
    if (refused) {
      // The body is not read; Node discards it once the answer is sent.
      fail(res, route, requestId, started, refused);
      return;
    }
    // Anonymous callbacks: the TypeScript loader names every named closure at creation, a cost on
    // each request here. A body over the limit is answered at once and the rest drained unread.
    let first: Buffer | null = null;
    let rest: Buffer[] | null = null;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limitBytes) return;
      size += chunk.length;
      if (size > limitBytes) {
        fail(res, route, requestId, started, refusals.tooLarge(limitBytes));
        first = rest = null;
      } else if (first === null) first = chunk;
      else if (rest === null) rest = [first, chunk];
      else rest.push(chunk);
    });
    req.on('end', () => {
      if (size > limitBytes) return;
      let body: unknown;
      try {
        body = parse(rest ? Buffer.concat(rest).toString('utf8') : first ? first.toString('utf8') : '');
      } catch (error) {
        fail(res, route, requestId, started, error);
        return;
      }
      // The token is checked again once the body has arrived: one revoked meanwhile changes nothing.
      let again: Caller | null | Promise<Caller | null>;
      try {
        again = options.caller(req.headers.authorization, req.socket);
      } catch (error) {
        fail(res, route, requestId, started, error);
        return;
      }
      if (again instanceof Promise)
        again.then(
          (c) => (c ? run(body) : fail(res, route, requestId, started, refusals.unauthorized())),
          (error: unknown) => fail(res, route, requestId, started, error),
        );
      else if (again) run(body);
      else fail(res, route, requestId, started, refusals.unauthorized());
    });
    const run = (body: unknown) =>
      handler(body)
        .then(
          (payload) => answer(res, route, requestId, started, 200, payload),
          (error: unknown) => fail(res, route, requestId, started, error),
        )
        .catch((error: unknown) => {
          // Answering itself failed (a bug): logged, and the connection closed rather than left hanging.
          log?.({
            request_id: requestId,
            level: 'error',
            error: error instanceof Error ? error.message : String(error),
          });
          res.destroy();
        });
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const route = req.url!;
    const handler = handlers[route as keyof typeof handlers];
    if (!handler) return false;
    const started = performance.now();
    const requestId = newRequestId();
    let caller: Caller | null | Promise<Caller | null>;
    try {
      caller = options.caller(req.headers.authorization, req.socket);
    } catch (error) {
      fail(res, route, requestId, started, error);
      return true;
    }
    if (caller instanceof Promise)
      caller.then(
        (c) => serve(req, res, route, handler, requestId, started, c),
        (error: unknown) => fail(res, route, requestId, started, error),
      );
    else serve(req, res, route, handler, requestId, started, caller);
    return true;
  };
}
