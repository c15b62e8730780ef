import { formatAmount } from './amount.ts';
import { type Context, fail } from './context.ts';
import { formatMoney } from './currency.ts';
import { type Refusal, refuse } from './errors.ts';
import type { AuditEntry, AuditInput, KeptAnswer, KeptRequest } from './model.ts';

import type { RequestHook, RequestScopes, Tx } from './ports.ts';

/**
 * Retries: every change happens once (API.md). A request that changes something runs inside a
 * request scope; every unit of work it commits calls the scope's hook inside its own transaction,
 * so what must commit with the change commits with it or not at all: the mark that the caller's
 * `Idempotency-Key` changed something (a retry can never change money again, even when the
 * process dies before the answer is kept) and the audit line naming the target and the amounts.
 */

/** No request scopes: units of work run for no request (an engine built without the runtime's). */
export const NO_SCOPES: RequestScopes = { current: () => undefined, run: (_hook, fn) => fn() };

/** Kept requests are answered again for at least this long (API.md: 35 days). */
export const KEPT_FOR_MS = 35 * 24 * 3600 * 1000;
/** A claim not finished within this long is taken to be its owner's crash. */
export const LEASE_MS = 60_000;
const MAX_KEY = 255;

export interface RequestInput {
  /** Whose keys these are: the operator token, the bootstrap token, or a portal account. */
  scope: string;
  /** The `Idempotency-Key` header, if sent. */
  key?: string | undefined;
  /** SHA-256 of the method, path and body, so the same key with another request is told apart. */
  fingerprint: string;
  /** The audit line to write with the change (null: the change is not audited). */
  audit: AuditInput | null;
  /**
   * The use case finds its own work again (a purchase, by its account's key): a retry whose first
   * request committed but lost its answer runs it again and answers what it finds, instead of
   * `invalid_state`.
   */
  findsItsOwn?: boolean;
}

/** A request under way: its hook for units of work, and how it ends. */
export interface OpenRequest {
  hook: RequestHook;
  /** Keeps the answer (2xx, 4xx) or gives the key back (5xx: null); writes the audit line if no unit did. */
  finish(answer: KeptAnswer | null): Promise<void>;
}

export type Admission =
  | { kind: 'run'; request: OpenRequest }
  | { kind: 'replay'; answer: KeptAnswer }
  | { kind: 'refused'; refusal: Refusal };

/** A valid `Idempotency-Key`: 1 to 255 printable ASCII characters. */
export const validKey = (key: string): boolean =>
  key.length >= 1 && key.length <= MAX_KEY && /^[\x20-\x7e]+$/.test(key);

/**
 * Admits a request that changes something: with a key, claims it (or answers what the first
 * request with it answered, or refuses a twin); without one, only the audit hook.
 * @example const a = await beginRequest(ctx, { scope: 'tok_1', key: 'k1', fingerprint, audit })
 */
export async function beginRequest(ctx: Context, input: RequestInput): Promise<Admission> {
  const auditId = ctx.ids.newId('aud');
  const key = input.key;
  const owner = ctx.ids.newId('req');
  const line = (value: unknown): AuditEntry | null =>
    input.audit && {
      id: auditId,
      atMs: ctx.clock.nowMs(),
      actor: input.audit.actor,
      action: input.audit.action.slice(0, 200),
      targetId: input.audit.targetId ?? idOf(value),
      requestId: input.audit.requestId ?? null,
      ip: input.audit.ip ?? null,
      amounts: amountsOf(ctx, value),
    };
  let open = true;
  const hook: RequestHook = {
    inTransaction: async (tx, value) => {
      if (!open) return;
      const entry = line(value);
      if (entry) await tx.audit.append([entry]);
      // A claim a retry took over (this request outlived its lease): its change must not commit too.
      if (
        key !== undefined &&
        !(await tx.idempotency.committed(
          input.scope,
          key,
          owner,
          ctx.clock.nowMs(),
          entry?.targetId ?? idOf(value),
        ))
      )
        fail(
          refuse(
            'request_in_progress',
            'a retry with this Idempotency-Key took it over while this request ran; nothing changed here',
          ),
        );
    },
  };
  const finishAudit = async (answer: KeptAnswer | null, tx: Tx) => {
    // A change that ran no unit of work of its own (or none that reached the hook) is still a line.
    const entry = answer && answer.status < 300 ? line(undefined) : null;
    if (entry) await tx.audit.append([entry]);
  };
  if (key === undefined) {
    return {
      kind: 'run',
      request: {
        hook,
        finish: async (answer) => {
          open = false;
          if (answer && answer.status < 300 && input.audit)
            await ctx.storage.transaction((tx) => finishAudit(answer, tx));
        },
      },
    };
  }
  if (!validKey(key))
    return {
      kind: 'refused',
      refusal: refuse('validation_failed', 'Idempotency-Key must be 1 to 255 printable ASCII characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]),
    };
  const now = ctx.clock.nowMs();
  const claim: KeptRequest = {
    scope: input.scope,
    key,
    fingerprint: input.fingerprint,
    owner,
    leaseUntilMs: now + LEASE_MS,
    createdAtMs: now,
    committedAtMs: null,
    targetId: null,
    answer: null,
  };
  const found = await ctx.storage.transaction(async (tx) => {
    let row = await tx.idempotency.claim(claim);
    if (row.createdAtMs < now - KEPT_FOR_MS) {
      await tx.idempotency.purge(now - KEPT_FOR_MS);
      row = await tx.idempotency.claim(claim);
    }
    const stopped = row.owner !== owner && row.leaseUntilMs < now && !row.answer;
    // Its owner stopped before changing anything (or the use case finds its own work again): this
    // request runs it, if no other retry took it over first.
    if (stopped && row.fingerprint === input.fingerprint && (row.committedAtMs === null || input.findsItsOwn))
      if (
        await tx.idempotency.takeOver(
          input.scope,
          key,
          row.owner,
          owner,
          now + LEASE_MS,
          input.findsItsOwn === true,
        )
      )
        return { ...row, owner };
    return row;
  });
  if (now - ctx.requests.lastPurgeMs >= 3600_000) {
    // Kept requests past 35 days are forgotten at most once an hour per process, off the request's path.
    ctx.requests.lastPurgeMs = now;
    void ctx.storage.transaction((tx) => tx.idempotency.purge(now - KEPT_FOR_MS)).catch(() => undefined);
  }
  if (found.fingerprint !== input.fingerprint)
    return {
      kind: 'refused',
      refusal: refuse(
        'idempotency_conflict',
        'this Idempotency-Key was used with another method, path or body; send a new key for new work',
      ),
    };
  if (found.answer) return { kind: 'replay', answer: found.answer };
  if (found.owner !== owner) {
    if (found.committedAtMs !== null && found.leaseUntilMs < now)
      return {
        kind: 'refused',
        refusal: refuse(
          'invalid_state',
          `the first request with this Idempotency-Key made its change${found.targetId ? ` (${found.targetId})` : ''} but its answer was lost; read the object instead of retrying`,
        ),
      };
    return {
      kind: 'refused',
      refusal: refuse(
        'request_in_progress',
        'a request with this Idempotency-Key is still running; retry shortly',
      ),
    };
  }
  return {
    kind: 'run',
    request: {
      hook,
      finish: async (answer) => {
        open = false;
        await ctx.storage.transaction(async (tx) => {
          if (answer) {
            await tx.idempotency.keep(input.scope, key, owner, answer);
            await finishAudit(answer, tx);
          } else await tx.idempotency.release(input.scope, key, owner);
        });
      },
    },
  };
}

/** The id of the object a change made or changed, when its value names one. */
function idOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  for (const name of ['id', 'sourceId', 'eventId']) if (typeof v[name] === 'string') return v[name] as string;
  for (const inner of ['key', 'token', 'purchase', 'note'])
    if (typeof v[inner] === 'object' && v[inner] !== null) return idOf(v[inner]);
  return null;
}

const CREDIT_FIELDS = ['creditsMinor', 'capturedMinor', 'reversalMinor'] as const;
const MONEY_FIELDS = ['subtotalMinor', 'taxMinor', 'totalMinor'] as const;

/** The amounts a change's value carries, as decimal strings (`credits`, `total`, ...). */
function amountsOf(ctx: Context, value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of CREDIT_FIELDS)
    if (typeof v[f] === 'bigint')
      out[f.slice(0, -5)] = formatAmount(v[f] as bigint, ctx.config.scales.credits);
  // Money at the minor units of its currency (a purchase's or credit note's own; USD before #30).
  const currency = typeof v.currency === 'string' ? v.currency : null;
  for (const f of MONEY_FIELDS)
    if (typeof v[f] === 'bigint')
      out[f.slice(0, -5)] = currency
        ? formatMoney(v[f] as bigint, currency)
        : formatAmount(v[f] as bigint, ctx.config.scales.usd, true);
  if (currency && MONEY_FIELDS.some((f) => typeof v[f] === 'bigint')) out.currency = currency;
  return Object.keys(out).length > 0 ? out : null;
}
