import { formatAmount, parseAmount, parseCredits } from '../kernel/amount.ts';
import type { Context } from '../kernel/context.ts';
import { read } from '../kernel/context.ts';
import { hash64Hex } from '../kernel/hash.ts';
import type { IngestStatus, RatedEvent } from '../kernel/model.ts';
import { parseInstant, startOfHour } from '../kernel/time.ts';
import { afterBalanceChange } from '../kernel/unit-of-work.ts';
import {
  type CompiledEntry,
  freshPrices,
  type PriceState,
  pricesAt,
  QUANTITY,
  rateDimensions,
} from '../prices/index.ts';

/** Quantities are kept with 6 decimal places. */
export const QUANTITY_SCALE = 6;
export const MAX_EVENTS_PER_CALL = 1000;
const MAX_PROPERTIES_CHARS = 4096;
// ISO 8601 with a zone: 2026-11-25T13:00:00Z, 2026-11-25T13:00:00.123+01:00
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const EVENT_ID = /^[\x21-\x7e]{1,128}$/;
const EVENT_FIELDS = new Set([
  'id',
  'api_key_id',
  'account_id',
  'model',
  'quantity',
  'quantities',
  'timestamp',
  'credits',
  'properties',
]);
const MODEL = /^[\x21-\x7e]{1,128}$/;

export type EventCode =
  | 'validation_failed'
  | 'idempotency_conflict'
  | 'unknown_key'
  | 'unknown_account'
  | 'unknown_model'
  | 'too_old'
  | 'in_future'
  | 'amount_out_of_range';

export type EventResult =
  | { id: string; status: 'accepted' | 'duplicate' }
  | { id: string; status: 'rejected'; code: EventCode; message: string };

/** Group commit: events of the calls of one event-loop turn go to storage in one transaction. */
interface Pending {
  events: RatedEvent[];
  resolve: (statuses: IngestStatus[]) => void;
  reject: (error: unknown) => void;
}

export interface MeteringState {
  prices: PriceState;
  /** Parsed quantity and its price, by compiled entry and quantity text (bounded; see `remember`). */
  priced: WeakMap<CompiledEntry, Map<string, { quantityMinor: bigint; creditsMinor: bigint }>>;
  pricedCount: number;
  queue: Pending[];
  scheduled: boolean;
  knownAccounts: Set<string>;
}

const MAX_PRICED = 4096;

function remember(
  state: MeteringState,
  entry: CompiledEntry,
  quantityText: string,
  value: { quantityMinor: bigint; creditsMinor: bigint },
): void {
  if (state.pricedCount >= MAX_PRICED) {
    state.priced = new WeakMap();
    state.pricedCount = 0;
  }
  let byQuantity = state.priced.get(entry);
  if (!byQuantity) {
    byQuantity = new Map();
    state.priced.set(entry, byQuantity);
  }
  byQuantity.set(quantityText, value);
  state.pricedCount++;
}

const reject = (id: string, code: EventCode, message: string): EventResult => ({
  id,
  status: 'rejected',
  code,
  message,
});

/**
 * Meters a batch of usage events: each is validated, rated against the price book and stored
 * once. Answers per event, in input order: accepted, duplicate (same id and content) or rejected.
 * @example await ingestUsage(ctx, state, [{ id: 'evt_1', api_key_id: 'key_1', model: 'video-4s-720p', quantity: '1', timestamp: '2026-11-25T13:00:00Z' }])
 */
export async function ingestUsage(
  ctx: Context,
  state: MeteringState,
  raw: unknown[],
): Promise<EventResult[]> {
  const now = ctx.clock.nowMs();
  const results: EventResult[] = new Array(raw.length);
  const rated: RatedEvent[] = [];
  const positions: number[] = [];
  await resolveUnknown(ctx, state, raw);
  await freshPrices(ctx, state.prices);
  for (let i = 0; i < raw.length; i++) {
    const r = rateOne(ctx, state, raw[i], now);
    if ('status' in r) results[i] = r;
    else {
      rated.push(r);
      positions.push(i);
    }
  }
  if (rated.length > 0) {
    const statuses = await submit(ctx, state, rated);
    for (let j = 0; j < rated.length; j++) {
      const e = rated[j]!;
      const s = statuses[j]!;
      results[positions[j]!] =
        s === 'conflict'
          ? reject(e.id, 'idempotency_conflict', 'this event id was sent before with other content')
          : { id: e.id, status: s };
    }
  }
  if (ctx.observer.usageEvents) {
    const counts = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of results) counts[r.status]++;
    ctx.observer.usageEvents(counts);
  }
  return results;
}

/** Loads, in one read, the keys and accounts the batch names that are not cached yet. */
async function resolveUnknown(ctx: Context, state: MeteringState, raw: unknown[]): Promise<void> {
  const keys = new Set<string>();
  const accounts = new Set<string>();
  for (const e of raw) {
    if (typeof e !== 'object' || e === null) continue;
    const { api_key_id: k, account_id: a } = e as Record<string, unknown>;
    if (typeof k === 'string' && k.length <= 64 && !ctx.cache.keysById.has(k)) keys.add(k);
    if (typeof a === 'string' && a.length <= 64 && !state.knownAccounts.has(a)) accounts.add(a);
  }
  if (keys.size === 0 && accounts.size === 0) return;
  await read(ctx, async (tx) => {
    for (const id of keys) {
      const key = await tx.keys.get(id);
      if (key) ctx.cache.keysById.set(key.id, key);
    }
    for (const id of accounts) if (await tx.accounts.get(id)) state.knownAccounts.add(id);
  });
}

function rateOne(ctx: Context, state: MeteringState, raw: unknown, now: number): RatedEvent | EventResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return reject('', 'validation_failed', 'an event must be an object');
  const e = raw as Record<string, unknown>;
  const id = typeof e.id === 'string' ? e.id : '';
  if (!EVENT_ID.test(id))
    return reject(id, 'validation_failed', 'id must be 1 to 128 printable ASCII characters');
  for (const field in e) {
    if (!EVENT_FIELDS.has(field)) return reject(id, 'validation_failed', `unknown field ${field}`);
  }
  if (typeof e.model !== 'string' || !MODEL.test(e.model))
    return reject(id, 'validation_failed', 'model must be 1 to 128 printable ASCII characters');
  const timestampMs = typeof e.timestamp === 'string' ? parseInstant(e.timestamp) : Number.NaN;
  if (Number.isNaN(timestampMs)) {
    return typeof e.timestamp === 'string' && ISO_TIMESTAMP.test(e.timestamp)
      ? reject(id, 'validation_failed', 'timestamp is not a valid time')
      : reject(
          id,
          'validation_failed',
          'timestamp must be an ISO 8601 time with a zone, such as 2026-11-25T13:00:00Z',
        );
  }
  if (timestampMs > now + ctx.config.futureToleranceMs)
    return reject(
      id,
      'in_future',
      `timestamp is more than ${Math.round(ctx.config.futureToleranceMs / 60_000)} minutes in the future`,
    );
  if (timestampMs < now - ctx.config.lateEventMaxAgeMs)
    return reject(id, 'too_old', 'timestamp is older than the late-event window');
  let properties: string | null = null;
  if (e.properties !== undefined && e.properties !== null) {
    if (typeof e.properties !== 'object' || Array.isArray(e.properties))
      return reject(id, 'validation_failed', 'properties must be an object');
    if (depthOver(e.properties, MAX_PROPERTIES_DEPTH))
      return reject(id, 'validation_failed', `properties nest deeper than ${MAX_PROPERTIES_DEPTH} levels`);
    properties = JSON.stringify(e.properties);
    if (properties.length > MAX_PROPERTIES_CHARS)
      return reject(id, 'validation_failed', 'properties are larger than 4 KiB');
  }
  let accountId: string;
  let apiKeyId: string | null = null;
  const hasKey = e.api_key_id !== undefined && e.api_key_id !== null;
  const hasAccount = e.account_id !== undefined && e.account_id !== null;
  if (hasKey === hasAccount)
    return reject(id, 'validation_failed', 'give exactly one of api_key_id and account_id');
  if (hasKey) {
    if (typeof e.api_key_id !== 'string')
      return reject(id, 'validation_failed', 'api_key_id must be a string');
    const key = ctx.cache.keysById.get(e.api_key_id);
    if (!key) return reject(id, 'unknown_key', `no API key ${e.api_key_id}`);
    // Usage of a key suspended or deleted since is still usage that happened: it is billed.
    accountId = key.accountId;
    apiKeyId = key.id;
  } else {
    if (typeof e.account_id !== 'string')
      return reject(id, 'validation_failed', 'account_id must be a string');
    if (!state.knownAccounts.has(e.account_id))
      return reject(id, 'unknown_account', `no account ${e.account_id}`);
    accountId = e.account_id;
  }
  const max = ctx.config.maxCreditsMinor;
  const ownCredits = e.credits !== undefined && e.credits !== null;
  // The version in effect at the event's time, with the account's contract applied.
  const card = pricesAt(state.prices, accountId, timestampMs);
  const entry = card?.entries.get(e.model);
  if (!entry && !ownCredits)
    return reject(
      id,
      'unknown_model',
      `model ${e.model} has no price at ${new Date(timestampMs).toISOString()}; send credits with the event or add it to the rate card`,
    );
  const measured = measure(e, entry, max, state.priced, ownCredits);
  if ('code' in measured) return reject(id, measured.code, measured.message);
  let creditsMinor: bigint;
  if (ownCredits) {
    const c = parseCredits(e.credits, ctx.config.scales.credits, max, 'credits', { allowZero: true });
    if (!c.ok) return reject(id, c.code === 'amount_out_of_range' ? c.code : 'validation_failed', c.message);
    creditsMinor = c.value;
  } else if (measured.credits !== undefined) creditsMinor = measured.credits;
  else {
    creditsMinor = rateDimensions(entry!, measured.byDimension, QUANTITY_SCALE, ctx.config.scales.credits);
    // Most events of a platform repeat a few (model, quantity) pairs: their parse and price are kept.
    if (measured.cacheAs !== undefined)
      remember(state, entry!, measured.cacheAs, { quantityMinor: measured.quantityMinor, creditsMinor });
  }
  if (creditsMinor > max)
    return reject(
      id,
      'amount_out_of_range',
      `the event rates at more than ${formatAmount(max, ctx.config.scales.credits)} credits`,
    );
  const quantityMinor = measured.quantityMinor;
  const quantities = measured.quantities;
  // A rating by a contract keeps the contract beside the version: `prv_x/ctr_y`.
  const ratedBy =
    ownCredits || !card ? null : card.contract ? `${card.version.id}/${card.contract.id}` : card.version.id;
  // The content compared when the same id comes again, kept as a 64-bit hash: a false match
  // needs the same id and a hash collision of two contents (about 1 in 2^64).
  // Fields joined by NUL, which no id, model or JSON text contains.
  const fingerprint = hash64Hex(
    `${accountId}\u0000${apiKeyId ?? ''}\u0000${e.model}\u0000${measured.content ?? quantityMinor}\u0000${timestampMs}\u0000${e.credits ?? ''}\u0000${properties ?? ''}`,
  );
  return {
    id,
    accountId,
    apiKeyId,
    model: e.model,
    quantityMinor,
    creditsMinor,
    timestampMs,
    hourMs: startOfHour(timestampMs),
    properties,
    // A multi-dimension entry's label is long: reads take it from the version (`explainRated`).
    unitPrice: ownCredits || !entry || !entry.single ? null : entry.label,
    priceVersionId: ratedBy,
    quantities,
    fingerprint,
  };
}

type Measured =
  | {
      /** The event's `quantity`, or the sum of its dimensions' quantities. */
      quantityMinor: bigint;
      /** Quantities in the order of the entry's dimensions. */
      byDimension: bigint[];
      /**
       * What the event keeps of its quantities when the model has several dimensions: the values
       * in the order of the entry's dimensions (`1200;0;350`), or `name=decimal;...` for a model
       * without a price (the event brought its credits).
       */
      quantities: string | null;
      /** Its quantities as sent, in name order: what a retry is compared on. */
      content?: string;
      /** Credits already known for this quantity (the cache). */
      credits?: bigint;
      /** The text to keep the price under (one-dimension events). */
      cacheAs?: string;
    }
  | { code: EventCode; message: string };

const NO_QUANTITIES: bigint[] = [];

/**
 * Reads an event's `quantity` or `quantities` against its model's entry: every dimension named
 * must be priced, a whole dimension takes whole quantities, each is bounded like an amount. Without
 * an entry (the event brings its own credits) the quantities are kept as sent.
 */
function measure(
  e: Record<string, unknown>,
  entry: CompiledEntry | undefined,
  max: bigint,
  priced: MeteringState['priced'],
  ownCredits: boolean,
): Measured {
  const hasQuantity = e.quantity !== undefined && e.quantity !== null;
  const hasQuantities = e.quantities !== undefined && e.quantities !== null;
  if (hasQuantity && hasQuantities)
    return { code: 'validation_failed', message: 'give quantity or quantities, not both' };
  if (!hasQuantities) {
    if (entry && !entry.single)
      return {
        code: 'validation_failed',
        message: `model ${entry.model} is priced by ${entry.dimensions.map((d) => d.name).join(', ')}: send quantities`,
      };
    const text =
      typeof e.quantity === 'number' && Number.isSafeInteger(e.quantity) ? String(e.quantity) : e.quantity;
    const known = entry && typeof text === 'string' ? priced.get(entry)?.get(text) : undefined;
    if (known)
      return {
        quantityMinor: known.quantityMinor,
        byDimension: NO_QUANTITIES,
        quantities: null,
        credits: known.creditsMinor,
      };
    const q = oneQuantity(text, QUANTITY, entry?.dimensions[0]?.whole ?? false, max);
    if ('code' in q) return q;
    return { quantityMinor: q.minor, byDimension: [q.minor], quantities: null, cacheAs: text as string };
  }
  if (typeof e.quantities !== 'object' || Array.isArray(e.quantities))
    return {
      code: 'validation_failed',
      message: 'quantities must be an object of dimension -> quantity, such as { "input_tokens": "1200" }',
    };
  const given = Object.entries(e.quantities as Record<string, unknown>);
  if (given.length === 0 || given.length > 16)
    return { code: 'validation_failed', message: 'quantities must name 1 to 16 dimensions' };
  const dims = entry?.dimensions;
  const byDimension = dims ? new Array<bigint>(dims.length).fill(0n) : NO_QUANTITIES;
  const named: string[] = [];
  let sum = 0n;
  for (const [name, value] of given) {
    const at = dims ? dims.findIndex((d) => d.name === name) : -1;
    if (dims && at < 0)
      return {
        code: 'validation_failed',
        message: `model ${entry!.model} does not price ${name.slice(0, 64)}; it prices ${dims.map((d) => d.name).join(', ')}`,
      };
    if (!dims && !/^[a-z][a-z0-9_]{0,63}$/.test(name))
      return { code: 'validation_failed', message: 'a dimension name is lower-case letters, digits and _' };
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    const q = oneQuantity(text, name, dims?.[at]?.whole ?? false, max);
    if ('code' in q) return q;
    if (dims) byDimension[at] = q.minor;
    sum += q.minor;
    // A dimension sent as 0 is the same as one left out (it counts 0): a retry with or without it
    // is the same event.
    if (q.minor !== 0n) named.push(`${name}=${q.minor}`);
  }
  if (sum > max)
    return {
      code: 'amount_out_of_range',
      message: `quantities must add up to at most ${formatAmount(max, QUANTITY_SCALE)}`,
    };
  // A one-dimension model sent as quantities is the same event as with quantity.
  if (entry?.single) return { quantityMinor: sum, byDimension, quantities: null };
  // The content a retry is compared on: the dimensions as sent, in name order.
  const content = named.sort().join(';');
  // Named in full when nothing else can name them: an event with its own credits keeps no version.
  const namedText = content.replace(/=(\d+)/g, (_, m) => `=${formatAmount(BigInt(m), QUANTITY_SCALE)}`);
  if (!dims || ownCredits) return { quantityMinor: sum, byDimension, quantities: namedText || null, content };
  // Stored lean: the quantities alone, in the order of the entry's dimensions (the version and
  // contract the event keeps name that entry, so reads give each its name back).
  let stored = '';
  for (let i = 0; i < byDimension.length; i++)
    stored += (i > 0 ? ';' : '') + formatAmount(byDimension[i]!, QUANTITY_SCALE);
  return { quantityMinor: sum, byDimension, quantities: stored, content };
}

const WHOLE = 10n ** BigInt(6);

function oneQuantity(
  text: unknown,
  name: string,
  whole: boolean,
  max: bigint,
): { minor: bigint } | { code: EventCode; message: string } {
  const field = name === QUANTITY ? 'quantity' : `quantities.${name}`;
  const q = parseAmount(text, QUANTITY_SCALE, field, { allowZero: true });
  if (!q.ok) return { code: 'validation_failed', message: q.message };
  // Quantities share the bound of credits (as a count of units): rollup sums stay in range.
  if (q.value > max)
    return {
      code: 'amount_out_of_range',
      message: `${field} must be at most ${formatAmount(max, QUANTITY_SCALE)}`,
    };
  if (whole && q.value % WHOLE !== 0n)
    return {
      code: 'validation_failed',
      message: `${field} must be a whole number (this model prices whole units)`,
    };
  return { minor: q.value };
}

/** Queues rated events for the next group commit and answers their statuses once it commits. */
function submit(ctx: Context, state: MeteringState, events: RatedEvent[]): Promise<IngestStatus[]> {
  return new Promise((resolve, reject) => {
    state.queue.push({ events, resolve, reject });
    if (!state.scheduled) {
      state.scheduled = true;
      ctx.schedule(() => void flush(ctx, state));
    }
  });
}

const MAX_EVENTS_PER_COMMIT = 10_000;

async function flush(ctx: Context, state: MeteringState): Promise<void> {
  state.scheduled = false;
  while (state.queue.length > 0) {
    const batch: Pending[] = [];
    let size = 0;
    while (
      state.queue.length > 0 &&
      (batch.length === 0 || size + state.queue[0]!.events.length <= MAX_EVENTS_PER_COMMIT)
    ) {
      const p = state.queue.shift()!;
      batch.push(p);
      size += p.events.length;
    }
    const all = batch.length === 1 ? batch[0]!.events : batch.flatMap((p) => p.events);
    const started = ctx.clock.nowMs();
    const after = afterBalanceChange(ctx);
    try {
      const statuses = await ctx.storage.ingestUsage(all, {
        durability: ctx.config.usageDurability,
        receivedMs: started,
        inTransaction: after.inTransaction,
      });
      ctx.observer.groupCommit?.(all.length, ctx.clock.nowMs() - started);
      after.afterCommit();
      let at = 0;
      for (const p of batch) {
        p.resolve(statuses.slice(at, at + p.events.length));
        at += p.events.length;
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}

/** Resolves once every queued event is committed (for shutdown). */
export async function drainUsage(ctx: Context, state: MeteringState): Promise<void> {
  if (state.queue.length > 0) await flush(ctx, state);
}

/** How deep `properties` may nest: deeper is refused for that event alone (its batch goes on). */
const MAX_PROPERTIES_DEPTH = 32;

/** Whether a JSON value nests deeper than `max` objects or arrays, without recursion. */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  let seen = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    // Wide values are left to the 4 KiB size check, which sees them anyway.
    if (++seen > 10_000) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
