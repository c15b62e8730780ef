import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, FieldIssue, Refusal, Result } from '../core/errors.ts';

/** The one place an error code gets its HTTP status. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'unauthorized':
      return 401;
    case 'not_found':
      return 404;
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
    case 'idempotency_conflict':
    case 'invalid_state':
      return 409;
    case 'forbidden':
      return 403;
    case 'unavailable':
      return 503;
    case 'internal_error':
      return 500;
  }
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

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details?: FieldIssue[],
): Response {
  const body: Record<string, unknown> = { code, message, request_id: c.get('requestId' as never) ?? null };
  if (details) body.details = details;
  // Storage (or a provider) is out of reach for now: nothing was written, and a retry may succeed.
  if (code === 'unavailable') c.header('Retry-After', '5');
  return c.json({ error: body }, statusOf(code));
}
