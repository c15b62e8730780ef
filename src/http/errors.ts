import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, FieldIssue, Refusal, Result } from '../core/kernel/errors.ts';

/** The one place an error code gets its HTTP status. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'unauthorized':
      return 401;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'validation_failed':
    case 'payment_out_of_range':
    case 'amount_out_of_range':
      return 422;
    case 'malformed_json':
    case 'invalid_signature':
      return 400;
    case 'payload_too_large':
      return 413;
    case 'api_key_limit_reached':
    case 'api_key_not_suspended':
    case 'insufficient_credits':
    case 'spend_limit_reached':
    case 'idempotency_conflict':
    case 'invalid_state':
    case 'request_in_progress':
      return 409;
    case 'concurrency_limit_reached':
    case 'rate_limited':
      return 429;
    case 'forbidden':
      return 403;
    case 'unavailable':
      return 503;
    case 'internal_error':
      return 500;
  }
}

/**
 * The status the metering middleware answers the operator's own customer with: out of credits or
 * past a spend limit is 402 Payment Required there (the operator's API answers 409 for the same
 * codes, a conflict with the account's state); every other code as `statusOf`.
 */
export function customerStatusOf(code: ErrorCode): ContentfulStatusCode {
  return code === 'insufficient_credits' || code === 'spend_limit_reached' ? 402 : statusOf(code);
}

/** Thrown by handlers to answer with the error envelope; caught by `app.onError`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
  }
}

export const fromRefusal = (r: Refusal): ApiError => new ApiError(r.code, r.message, r.details);

/** The value of a core result, or the refusal as an API error. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw fromRefusal(r);
  return r.value;
}

/** Seconds a client should wait before retrying an `unavailable` answer. */
export const RETRY_AFTER_SECONDS = '5';

/** The error envelope of API.md. */
export function envelope(e: ApiError, requestId: string | null) {
  return {
    error: {
      code: e.code,
      message: e.message,
      request_id: requestId,
      ...(e.details ? { details: e.details } : {}),
    },
  };
}

/** Headers an error answer carries beyond its body: `Retry-After` when nothing was written and a retry may succeed. */
export const errorHeaders = (code: ErrorCode): Record<string, string> =>
  code === 'unavailable'
    ? { 'retry-after': RETRY_AFTER_SECONDS }
    : code === 'request_in_progress' || code === 'concurrency_limit_reached' || code === 'rate_limited'
      ? { 'retry-after': '1' }
      : {};

/** Answers the error envelope through Hono. */
export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details?: FieldIssue[],
): Response {
  const requestId = c.get('requestId') ?? null;
  for (const [name, value] of Object.entries(errorHeaders(code))) c.header(name, value);
  return c.json(envelope(new ApiError(code, message, details), requestId), statusOf(code));
}
