import { createHash } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Engine } from '../core/engine.ts';
import { formatAmount, parseCredits } from '../core/kernel/amount.ts';
import type { ErrorCode } from '../core/kernel/errors.ts';
import { toApiError } from '../http/edge.ts';
import { ApiError, customerStatusOf, envelope, errorHeaders } from '../http/errors.ts';
import { requestIds } from '../http/request-id.ts';

/**
 * What the framework middlewares (`tollgate/hono`, `tollgate/express`) share: reading and
 * verifying the customer's key, reserving a hold, and after the answer metering it and resolving
 * the hold. The rules themselves (verification, holds, rating, dedupe) are the engine's; this
 * module only orders the calls and maps their refusals to HTTP answers.
 */

/** The caller of a guarded route, as the handler sees it (`c.get('tollgate')`, `req.tollgate`). */
export interface TollgateCaller {
  accountId: string;
  keyId: string;
  /** The hold reserved for this request, on a route with the `hold` option. */
  holdId?: string;
}

/** How much of `model` one answer used: a count of units, rated by the rate card. */
export type Quantity = number | string;
/** What one answer used of a model priced by several dimensions: `{ input_tokens: 1200, ... }`. */
export type Quantities = Record<string, number | string>;

export interface MeterOptionsOf<Q> {
  /** The price-book model each usage event names. */
  model: string;
  /** Units used by one 2xx answer (default 1), or a function of the request and response. */
  quantity?: Quantity | Q;
  /**
   * For a model priced by several dimensions: the quantities of one 2xx answer, or a function of
   * the request and response answering them (`{ input_tokens: 1200, output_tokens: 350 }`).
   */
  quantities?: Quantities | Q;
  /** Credits reserved before the handler runs; the request is refused (402) when they are not available. */
  hold?: Quantity;
  /** Header holding the customer's key (default `Authorization: Bearer <key>`). */
  header?: string;
  /**
   * Called when an answer was served but could not be metered or its hold not resolved (storage
   * down, an event the engine rejected: e.g. a model without a price). Default: `console.error`.
   */
  onError?: (error: Error, caller: TollgateCaller) => void;
}

/** A refusal before the handler: status, headers and the platform's error envelope. */
export interface Denial {
  ok: false;
  /** As `customerStatusOf` (src/http/errors.ts) says: 401, 402, 409, 422, 503. */
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  body: ReturnType<typeof envelope>;
}

export interface Admission {
  ok: true;
  caller: TollgateCaller;
  eventId: string;
  /** Whether the event id comes from the client's `Idempotency-Key`. */
  idempotent: boolean;
}

const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const MAX_EVENT_ID = 128;
const MAX_IDEMPOTENCY_KEY = 255;

/**
 * The metering steps of one guarded route, framework-neutral.
 * @example const m = createMeter(engine, { model: 'image-1024', hold: 2 }); const a = await m.admit(h);
 */
export function createMeter<Q extends (...args: never[]) => unknown>(
  engine: Engine,
  options: MeterOptionsOf<Q>,
) {
  if (typeof options?.model !== 'string' || options.model.length === 0)
    throw new TypeError('meter: options.model must be the name of a model of the price book');
  const scale = engine.config.scales.credits;
  let holdCredits: string | null = null;
  if (options.hold !== undefined) {
    const parsed = parseCredits(String(options.hold), scale, engine.config.maxCreditsMinor, 'hold');
    if (!parsed.ok) throw new TypeError(`meter: options.${parsed.message}`);
    holdCredits = formatAmount(parsed.value, scale);
  }
  const q = options.quantity;
  if (q !== undefined && typeof q !== 'function' && typeof q !== 'number' && typeof q !== 'string')
    throw new TypeError('meter: options.quantity must be a number, a decimal string or a function');
  // A fixed quantity is checked when the route is set up: one that could never be metered (more
  // decimals than the scale, past the maximum) would serve every request and bill none.
  if (typeof q === 'number' || typeof q === 'string') {
    const parsed = parseCredits(String(q), scale, engine.config.maxCreditsMinor, 'quantity');
    if (!parsed.ok) throw new TypeError(`meter: options.${parsed.message}`);
  }
  const qs = options.quantities;
  if (
    qs !== undefined &&
    (q !== undefined || (typeof qs !== 'function' && (typeof qs !== 'object' || qs === null)))
  )
    throw new TypeError(
      'meter: options.quantities must be an object of dimensions or a function, without quantity',
    );
  const header = options.header?.toLowerCase();
  const newRequestId = requestIds();
  const onError =
    options.onError ??
    ((error: Error, caller: TollgateCaller) =>
      console.error(`tollgate meter (account ${caller.accountId}): ${error.message}`));

  const deny = (code: ErrorCode, message: string, requestId: string): Denial => ({
    ok: false,
    status: customerStatusOf(code),
    headers: { ...errorHeaders(code), 'x-request-id': requestId },
    body: envelope(new ApiError(code, message), requestId),
  });

  /** The customer's key from the request: the named header, or `Authorization: Bearer`. */
  const secretOf = (get: (name: string) => string | undefined): string | undefined => {
    if (header) return get(header) || undefined;
    const auth = get('authorization');
    // The scheme is case-insensitive (RFC 9110 11.1).
    return auth && /^bearer /i.test(auth) ? auth.slice(7).trim() || undefined : undefined;
  };

  /**
   * Verifies the key and reserves the hold. Refusals, first wins: `unauthorized` (no, unknown or
   * suspended key), `validation_failed` (an `Idempotency-Key` over 255 characters),
   * `idempotency_conflict` (an `Idempotency-Key` whose request was served and metered before:
   * nothing stores that answer to replay it, and serving it again would be work never charged),
   * `insufficient_credits` / `spend_limit_reached` (verification, then the hold), `unavailable`.
   */
  async function admit(get: (name: string) => string | undefined): Promise<Admission | Denial> {
    const requestId = newRequestId();
    try {
      const secret = secretOf(get);
      if (!secret)
        return deny(
          'unauthorized',
          header
            ? `an API key is required in the ${header} header`
            : 'an API key is required (Authorization: Bearer)',
          requestId,
        );
      const verdict = await engine.keys.verify(secret, options.model);
      if (!verdict.valid) {
        if (verdict.code === 'unknown_key') return deny('unauthorized', 'unknown API key', requestId);
        if (verdict.code === 'suspended') return deny('unauthorized', 'this API key is suspended', requestId);
        if (verdict.code === 'insufficient_credits')
          return deny(
            'insufficient_credits',
            'no credits left on this account; buy credits to continue',
            requestId,
          );
        return deny('spend_limit_reached', 'the spend limit of this key or account is reached', requestId);
      }
      const key = get('idempotency-key');
      if (key !== undefined && (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY))
        return deny(
          'validation_failed',
          `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY} characters`,
          requestId,
        );
      const eventId = key === undefined ? requestId : eventIdOf(verdict.accountId, key);
      if (key !== undefined && (await engine.usage.event(eventId)))
        return deny(
          'idempotency_conflict',
          'this Idempotency-Key was used before: that request was served and metered; send a new key for new work',
          requestId,
        );
      let holdId: string | null = null;
      if (holdCredits !== null) {
        // Made for the key: the key's spend limit counts it while open, as the account's does.
        const hold = await engine.holds.create(verdict.accountId, {
          credits: holdCredits,
          reference: requestId,
          apiKeyId: verdict.keyId,
        });
        if (!hold.ok) {
          if (hold.code === 'not_found') return deny('unauthorized', 'unknown API key', requestId);
          return deny(hold.code, hold.message, requestId);
        }
        holdId = hold.value.id;
      }
      return {
        ok: true,
        caller: {
          accountId: verdict.accountId,
          keyId: verdict.keyId,
          ...(holdId !== null ? { holdId } : {}),
        },
        eventId,
        idempotent: key !== undefined,
      };
    } catch (error) {
      const e = toApiError(error, requestId);
      return deny(e.code, e.message, requestId);
    }
  }

  /**
   * After the answer: on success (`used` given) meters one usage event, then releases the hold
   * (the event now carries the credits, so the hold's reservation is no longer needed and nothing
   * is charged twice; metering first means the credits are never unreserved in between). On any
   * other answer or a throw (`used` null) only releases the hold. Never throws: failures go to
   * `onError`, since the answer has already been decided.
   */
  async function settle(admission: Admission, used: (() => unknown) | null): Promise<void> {
    const { caller } = admission;
    try {
      if (used) {
        const amount = await used();
        const measured =
          options.quantities !== undefined
            ? { quantities: amount }
            : { quantity: typeof amount === 'number' ? String(amount) : amount };
        const [result] = await engine.usage.ingest([
          {
            id: admission.eventId,
            api_key_id: caller.keyId,
            model: options.model,
            ...measured,
            timestamp: new Date().toISOString(),
          },
        ]);
        // The same Idempotency-Key again is the same work, metered once: a retry's event differs
        // from the first only by its timestamp (a conflict), and the first one stands.
        if (
          result?.status === 'rejected' &&
          !(admission.idempotent && result.code === 'idempotency_conflict')
        )
          onError(
            new Error(`usage event ${result.id} not metered: ${result.code}: ${result.message}`),
            caller,
          );
      }
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)), caller);
    }
    if (caller.holdId === undefined) return;
    try {
      const released = await engine.holds.release(caller.holdId);
      if (!released.ok) onError(new Error(`hold ${caller.holdId} not released: ${released.message}`), caller);
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)), caller);
    }
  }

  /** Units of one answer: the option's value (`quantities` first), its function's answer, or 1. */
  const used = options.quantities ?? q;
  const quantityOf = (...args: Parameters<Q>): unknown =>
    used === undefined
      ? 1
      : typeof used === 'function'
        ? (used as (...a: Parameters<Q>) => unknown)(...args)
        : used;

  return { admit, settle, quantityOf };
}

/**
 * A usage event id from a client's `Idempotency-Key`, scoped to the account (two customers may both
 * send `order-1`): `<account id>/<key>` when that is a valid event id, else the key's SHA-256.
 */
function eventIdOf(accountId: string, key: string): string {
  const id = `${accountId}/${key}`;
  if (id.length <= MAX_EVENT_ID && PRINTABLE_ID.test(key)) return id;
  return `${accountId}/sha256-${createHash('sha256').update(key).digest('hex').slice(0, 48)}`;
}
