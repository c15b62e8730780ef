/**
 * The closed set of error codes tollgate answers with. Each is stable: clients branch on it.
 * The HTTP status of each is chosen once, in `src/http/errors.ts`.
 */
export const ERROR_CODES = {
  unauthorized: 'unauthorized',
  not_found: 'not_found',
  method_not_allowed: 'method_not_allowed',
  validation_failed: 'validation_failed',
  malformed_json: 'malformed_json',
  payload_too_large: 'payload_too_large',
  api_key_limit_reached: 'api_key_limit_reached',
  api_key_not_suspended: 'api_key_not_suspended',
  payment_out_of_range: 'payment_out_of_range',
  insufficient_credits: 'insufficient_credits',
  spend_limit_reached: 'spend_limit_reached',
  idempotency_conflict: 'idempotency_conflict',
  invalid_state: 'invalid_state',
  invalid_signature: 'invalid_signature',
  forbidden: 'forbidden',
  amount_out_of_range: 'amount_out_of_range',
  request_in_progress: 'request_in_progress',
  concurrency_limit_reached: 'concurrency_limit_reached',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  internal_error: 'internal_error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One field that did not fit, as listed in a `validation_failed` answer. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** An expected refusal: a business outcome, not a bug. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: FieldIssue[];
}

export type Result<T> = { ok: true; value: T } | Refusal;

/** @example `return ok(account)` */
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** @example `return refuse('not_found', 'no such account')` */
export const refuse = (code: ErrorCode, message: string, details?: FieldIssue[]): Refusal =>
  details ? { ok: false, code, message, details } : { ok: false, code, message };

/** A refusal naming one field. @example `invalidField('nickname', 'is required')` */
export const invalidField = (field: string, message: string): Refusal =>
  refuse('validation_failed', `${field} ${message}`, [{ field, message }]);

/**
 * Thrown only to unwind a unit of work with a refusal (so the transaction rolls back);
 * the engine turns it back into a value before it leaves the core.
 */
export class RefusalSignal extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * Thrown by a storage adapter when the store cannot answer now: unreachable, restarting, failed
 * over, full, or failing its I/O. The unit of work did not commit (or its outcome is unknown and a
 * retry with the same ids is safe); a retry later may succeed. The HTTP edge answers it as
 * `unavailable` (503, `Retry-After`). Adapters translate their driver's errors into it, so the core
 * never reads a SQLite or PostgreSQL message.
 * @example throw new StorageUnavailable('PostgreSQL: connection refused', { cause: error })
 */
export class StorageUnavailable extends Error {
  /** The mark the HTTP edge reads (`unavailable`), kept as a plain field so it survives any wrapping. */
  readonly unavailable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailable';
  }
}
