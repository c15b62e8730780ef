import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Engine } from '../core/engine.ts';
import { ApiError, statusOf } from './errors.ts';
import { hotHandlers, JSON_TYPE, parse } from './hot.ts';
import { requestIds } from './request-id.ts';

const AUTHORIZED = Symbol('tollgate.authorized');

export interface FastPathOptions {
  /** Makes request ids (default: `requestIds()`); the app shares its own. */
  requestIds?: () => string;
  limitBytes: number;
  /** True when the request carries the operator's token. */
  authorized: (authorization: string | undefined) => boolean;
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

  // A connection that presented the operator's token is remembered with the exact header it sent;
  // the next request on that connection with the same header skips the hash. The remembered
  // value is only ever set after a constant-time check succeeded on this very connection, so
  // comparing with it tells nobody anything they did not already hold.
  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    const socket = req.socket as Socket & { [AUTHORIZED]?: string };
    if (header !== undefined && socket[AUTHORIZED] === header) return true;
    if (!options.authorized(header)) return false;
    if (header !== undefined) socket[AUTHORIZED] = header;
    return true;
  };

  const answer = (
    res: ServerResponse,
    route: string,
    requestId: string,
    started: number,
    status: number,
    payload: unknown,
  ) => {
    const body = JSON.stringify(payload);
    res.writeHead(status, [
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(body)),
      'x-request-id',
      requestId,
    ]);
    res.end(body);
    const ms = performance.now() - started;
    observe?.('POST', route, status, ms / 1000);
    access?.(requestId, 'POST', route, status, ms);
  };

  const fail = (res: ServerResponse, route: string, requestId: string, started: number, error: unknown) => {
    const e =
      error instanceof ApiError
        ? error
        : new ApiError('internal_error', 'internal error; the request id identifies it in the logs');
    if (!(error instanceof ApiError))
      log?.({
        request_id: requestId,
        level: 'error',
        error: error instanceof Error ? error.message : String(error),
      });
    const envelope = {
      code: e.code,
      message: e.message,
      request_id: requestId,
      ...(e.details ? { details: e.details } : {}),
    };
    answer(res, route, requestId, started, statusOf(e.code), { error: envelope });
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const route = req.url!;
    const handler = handlers[route as keyof typeof handlers];
    if (!handler) return false;
    const started = performance.now();
    const requestId = newRequestId();
    let refused: ApiError | null = null;
    const length = req.headers['content-length'];
    if (!authorized(req)) refused = new ApiError('unauthorized', 'a valid operator bearer token is required');
    else if (length !== undefined && Number(length) > limitBytes)
      refused = new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`);
    else if (!JSON_TYPE.test(req.headers['content-type'] ?? ''))
      refused = new ApiError('malformed_json', 'the body must be JSON (Content-Type: application/json)');
    if (refused) {
      // The body is not read; Node discards it once the answer is sent.
      fail(res, route, requestId, started, refused);
      return true;
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
        fail(
          res,
          route,
          requestId,
          started,
          new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`),
        );
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
    });
    return true;
  };
}
