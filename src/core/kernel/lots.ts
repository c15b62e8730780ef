import { invalidField, ok, type Result } from './errors.ts';
import type { Lot } from './model.ts';

/**
 * Takes `amount` from lots already in burn order (priority, soonest expiry, oldest).
 * Answers the new remainders and what no lot covered (usage billed past zero).
 * @example burn([{ id: 'a', remainingMinor: 5n }, { id: 'b', remainingMinor: 5n }], 7n) // updates a->0, b->3
 */
export function burn(
  lots: Pick<Lot, 'id' | 'remainingMinor'>[],
  amount: bigint,
): { updates: { id: string; remainingMinor: bigint }[]; uncovered: bigint } {
  const updates: { id: string; remainingMinor: bigint }[] = [];
  let left = amount;
  for (const lot of lots) {
    if (left <= 0n) break;
    const take = lot.remainingMinor < left ? lot.remainingMinor : left;
    if (take <= 0n) continue;
    updates.push({ id: lot.id, remainingMinor: lot.remainingMinor - take });
    left -= take;
  }
  return { updates, uncovered: left };
}

/**
 * Whether a lot may pay for usage of `model`; `null` is a use of no particular model (a hold and
 * its capture), which only unscoped lots pay for.
 * @example paysFor({ models: ['video-8s'] }, 'video-8s') // true
 */
export function paysFor(lot: Pick<Lot, 'models'>, model: string | null): boolean {
  return lot.models === null || (model !== null && lot.models.includes(model));
}

/**
 * The burn order of lots (storage lists open lots in it): priority, then scoped before unscoped,
 * then soonest expiry (none last), then oldest. Among the lots that may pay for one model this is
 * the order of API.md; a use of no model keeps it among the unscoped lots.
 * @example lots.sort(burnOrder)
 */
export function burnOrder(
  a: Pick<Lot, 'id' | 'priority' | 'models' | 'expiresAtMs' | 'createdAtMs'>,
  b: Pick<Lot, 'id' | 'priority' | 'models' | 'expiresAtMs' | 'createdAtMs'>,
): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if ((a.models === null) !== (b.models === null)) return a.models === null ? 1 : -1;
  if (a.expiresAtMs !== b.expiresAtMs) {
    if (a.expiresAtMs === null) return 1;
    if (b.expiresAtMs === null) return -1;
    return a.expiresAtMs - b.expiresAtMs;
  }
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What a lot needs for the spend simulation. */
export type SpendLot = Pick<Lot, 'id' | 'remainingMinor' | 'models'>;

/** What an account owes its lots: the usage metered but not billed, per model, and its holds. */
export interface Reserved {
  /** Credits held by pending holds (a use of no model: unscoped lots only). */
  pendingMinor: bigint;
  /** Every unbilled credit of the account. */
  unbilledMinor: bigint;
  /**
   * Unbilled credits of the models scoped lots cover; what `unbilledMinor` has beyond them burns
   * unscoped lots only. An account without scoped lots passes an empty map.
   */
  unbilledByModel: ReadonlyMap<string, bigint>;
}

/**
 * The one definition of what an account's credits can still pay for, scoped lots included. It
 * burns the lots (in burn order) as billing and captures will: each model's unbilled usage, models
 * in name order, from the lots that may pay for that model (so scoped lots covering it first, at
 * equal priority); the unbilled usage of other models, then the holds, from unscoped lots only.
 * Answers what each lot keeps (`unspent`: what neither a refund nor an expiry may take beyond),
 * `available` (what any model can use: posted - pending - unbilled - what scoped lots keep, since
 * those credits pay only some models), and `availableByModel` for each model a scoped lot with
 * credits left covers (`available` + what the scoped lots covering it keep). Usage no lot covers
 * lowers `available` below zero as before: the ledger is per account, scope is a property of lots.
 * @example spendOfLots(lots, 100n, { pendingMinor: 0n, unbilledMinor: 30n, unbilledByModel: new Map([['v', 30n]]) })
 */
export function spendOfLots(
  lots: readonly SpendLot[],
  postedMinor: bigint,
  reserved: Reserved,
): { unspent: Map<string, bigint>; available: bigint; availableByModel: Map<string, bigint> } {
  const left = new Map(lots.map((l) => [l.id, l.remainingMinor]));
  const take = (model: string | null, amount: bigint) => {
    let due = amount;
    for (const lot of lots) {
      if (due <= 0n) return;
      if (!paysFor(lot, model)) continue;
      const has = left.get(lot.id)!;
      const t = has < due ? has : due;
      left.set(lot.id, has - t);
      due -= t;
    }
  };
  let ofModels = 0n;
  for (const model of [...reserved.unbilledByModel.keys()].sort()) {
    const amount = reserved.unbilledByModel.get(model)!;
    ofModels += amount;
    take(model, amount);
  }
  take(null, reserved.unbilledMinor - ofModels);
  take(null, reserved.pendingMinor);
  let scopedLeft = 0n;
  for (const lot of lots) if (lot.models !== null) scopedLeft += left.get(lot.id)!;
  const available = postedMinor - reserved.pendingMinor - reserved.unbilledMinor - scopedLeft;
  const availableByModel = new Map<string, bigint>();
  for (const lot of lots) {
    const keeps = left.get(lot.id)!;
    if (lot.models === null || keeps <= 0n) continue;
    for (const m of lot.models) availableByModel.set(m, (availableByModel.get(m) ?? available) + keeps);
  }
  return { unspent: left, available, availableByModel };
}

/** A model name, as events name it: 1 to 128 printable ASCII characters. */
export const MODEL_NAME = /^[\x21-\x7e]{1,128}$/;

/** The most models one lot, purchase or allowance may be scoped to. */
export const MAX_SCOPE_MODELS = 50;

/**
 * A scope as a request gives it: absent or null is unscoped (null); else 1 to 50 distinct model
 * names. Refusal: `validation_failed` on `field`.
 * @example parseModels(['video-8s-1080p']) // ok(['video-8s-1080p'])
 */
export function parseModels(raw: unknown, field = 'models'): Result<string[] | null> {
  if (raw === undefined || raw === null) return ok(null);
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_SCOPE_MODELS)
    return invalidField(field, `must be a list of 1 to ${MAX_SCOPE_MODELS} model names`);
  for (const m of raw)
    if (typeof m !== 'string' || !MODEL_NAME.test(m))
      return invalidField(field, 'each model must be 1 to 128 printable ASCII characters');
  if (new Set(raw).size !== raw.length) return invalidField(field, 'must not name a model twice');
  return ok([...(raw as string[])]);
}
