import { Decimal } from '../kernel/amount.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Contract, Dimension, PriceVersion, RateEntry } from '../kernel/model.ts';

export type { Contract, Dimension, PriceVersion, RateEntry };

/** The dimension of a one-dimension model (`{ model, credits, per? }`, events' `quantity`). */
export const QUANTITY = 'quantity';
export const MAX_MODELS = 1000;
export const MAX_DIMENSIONS = 16;
const MODEL = /^[\x21-\x7e]{1,128}$/;
const DIMENSION = /^[a-z][a-z0-9_]{0,63}$/;
/** A price: a non-negative decimal of at most 12 places and 15 integer digits. */
const PRICE = /^(0|[1-9]\d{0,14})(\.\d{1,12})?$/;

/**
 * Reads rate card entries as the API and the price file write them: `{ model, dimensions: [ {
 * name, credits, per?, whole? } ] }` or the one-dimension short form `{ model, credits, per?,
 * whole? }`. Prices are decimal strings (`numbers` also accepts JSON numbers, for files).
 * @example parseRateEntries([{ model: 'img', credits: '2', whole: true }]) // ok([{ model: 'img', dimensions: [{ name: 'quantity', credits: '2', per: '1', whole: true }] }])
 */
export function parseRateEntries(
  input: unknown,
  field = 'models',
  options: { numbers?: boolean; allowEmpty?: boolean } = {},
): Result<RateEntry[]> {
  if (!Array.isArray(input)) return invalid(`${field} must be an array of rate card entries`);
  if (input.length === 0 && !options.allowEmpty) return invalid(`${field} must list at least one model`);
  if (input.length > MAX_MODELS) return invalid(`${field} may list at most ${MAX_MODELS} models`);
  const entries: RateEntry[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of input.entries()) {
    const at = `${field}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return invalid(`${at} must be an object`);
    const e = raw as Record<string, unknown>;
    if (typeof e.model !== 'string' || !MODEL.test(e.model))
      return invalid(`${at}.model must be 1 to 128 printable ASCII characters`);
    if (seen.has(e.model)) return invalid(`${at}: model ${e.model} is listed twice`);
    seen.add(e.model);
    const short = e.dimensions === undefined;
    if (short && e.credits === undefined) return invalid(`${at} needs credits or dimensions`);
    if (!short && (e.credits !== undefined || e.per !== undefined || e.whole !== undefined))
      return invalid(`${at}: give either credits or dimensions, not both`);
    for (const k of Object.keys(e))
      if (!['model', 'dimensions', 'credits', 'per', 'whole'].includes(k))
        return invalid(`${at}: unknown field ${k}`);
    const rawDims = short
      ? [{ name: QUANTITY, credits: e.credits, per: e.per, whole: e.whole }]
      : e.dimensions;
    if (!Array.isArray(rawDims) || rawDims.length === 0 || rawDims.length > MAX_DIMENSIONS)
      return invalid(`${at}.dimensions must list 1 to ${MAX_DIMENSIONS} dimensions`);
    const dimensions: Dimension[] = [];
    for (const [j, d] of rawDims.entries()) {
      const dim = parseDimension(d, short ? at : `${at}.dimensions[${j}]`, options.numbers ?? false);
      if (!dim.ok) return dim;
      if (dimensions.some((x) => x.name === dim.value.name))
        return invalid(`${at}: dimension ${dim.value.name} is listed twice`);
      dimensions.push(dim.value);
    }
    entries.push({ model: e.model, dimensions });
  }
  return ok(entries);
}

function parseDimension(raw: unknown, at: string, numbers: boolean): Result<Dimension> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid(`${at} must be an object`);
  const d = raw as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!['name', 'credits', 'per', 'whole'].includes(k)) return invalid(`${at}: unknown field ${k}`);
  if (typeof d.name !== 'string' || !DIMENSION.test(d.name))
    return invalid(`${at}.name must be lower-case letters, digits and _ (such as input_tokens), at most 64`);
  const text = (v: unknown) => (numbers && typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
  const credits = text(d.credits);
  if (typeof credits !== 'string' || !PRICE.test(credits))
    return invalid(`${at}.credits must be a non-negative decimal string of at most 12 places, such as "2.5"`);
  const per = d.per === undefined ? '1' : text(d.per);
  if (typeof per !== 'string' || !PRICE.test(per) || new Decimal(per).isZero())
    return invalid(`${at}.per must be a positive decimal string, such as "1000000"`);
  if (d.whole !== undefined && typeof d.whole !== 'boolean')
    return invalid(`${at}.whole must be true or false`);
  return ok({ name: d.name, credits, per, whole: d.whole === true });
}

const invalid = (message: string) => refuse('validation_failed', message);

/** One dimension's price as an exact fraction of credits per unit: `num / den`. */
export interface CompiledDimension {
  name: string;
  num: bigint;
  den: bigint;
  whole: boolean;
}

/** A model's entry ready for rating: bigint arithmetic only. */
export interface CompiledEntry {
  model: string;
  dimensions: CompiledDimension[];
  /** The one dimension is `quantity`: the event's `quantity` alone. */
  single: boolean;
  /** What a record shows of its rating: `2.5` (one dimension per 1 unit) or `a=2.5/1000000;b=...`. */
  label: string;
}

const fraction = (text: string): { num: bigint; den: bigint } => {
  const d = new Decimal(text);
  const places = d.decimalPlaces();
  return { num: BigInt(d.mul(new Decimal(10).pow(places)).toFixed(0)), den: 10n ** BigInt(places) };
};

/**
 * Compiles an entry once, so an event is rated with bigint arithmetic alone.
 * @example compileEntry({ model: 'm', dimensions: [{ name: 'seconds', credits: '5', per: '1', whole: false }] }).label // 'seconds=5/1'
 */
export function compileEntry(entry: RateEntry): CompiledEntry {
  const dimensions = entry.dimensions.map((d) => {
    const c = fraction(d.credits);
    const p = fraction(d.per);
    return { name: d.name, num: c.num * p.den, den: c.den * p.num, whole: d.whole };
  });
  const single = entry.dimensions.length === 1 && entry.dimensions[0]!.name === QUANTITY;
  const label =
    single && entry.dimensions[0]!.per === '1'
      ? entry.dimensions[0]!.credits
      : entry.dimensions.map((d) => `${d.name}=${d.credits}/${d.per}`).join(';');
  return { model: entry.model, dimensions, single, label };
}

/**
 * An event's credits: the exact sum over its dimensions of `quantity x credits / per`, rounded
 * once, half up, to the credit scale. Quantities are minor units at `quantityScale`, in the
 * order of `entry.dimensions` (a dimension the event lacks counts 0).
 * @example rateDimensions(entry, [1200_000000n, 350_000000n], 6, 6) // input and output tokens
 */
export function rateDimensions(
  entry: CompiledEntry,
  quantities: readonly bigint[],
  quantityScale: number,
  creditsScale: number,
): bigint {
  let num = 0n;
  let den = 1n;
  for (let i = 0; i < entry.dimensions.length; i++) {
    const q = quantities[i] ?? 0n;
    if (q === 0n) continue;
    const d = entry.dimensions[i]!;
    // num/den + q*d.num/d.den, kept exact; the denominators are powers of ten times `per`.
    if (d.den === den) num += q * d.num;
    else {
      num = num * d.den + q * d.num * den;
      den *= d.den;
    }
  }
  if (num === 0n) return 0n;
  const n = num * pow10(creditsScale);
  const m = den * pow10(quantityScale);
  return (2n * n + m) / (2n * m);
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10n ** BigInt(i));
const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);

/**
 * A price less a discount, exact: `credits x (100 - percent) / 100` (a decimal times a decimal
 * ends; no rounding here, the event's sum is rounded once).
 * @example discounted('2.5', '10') // '2.25'
 */
export function discounted(credits: string, percent: string): string {
  return new Decimal(credits).mul(new Decimal(100).minus(percent)).div(100).toFixed();
}

/**
 * The prices an account pays: the card's entries, each replaced by the contract's entry for its
 * model when it has one, else less the contract's discount; a model only the contract prices is
 * added. Without a contract, the card itself.
 */
export function applyContract(card: readonly RateEntry[], contract: Contract | undefined): RateEntry[] {
  if (!contract) return [...card];
  const own = new Map(contract.models.map((e) => [e.model, e]));
  const out: RateEntry[] = card.map((e) => {
    const mine = own.get(e.model);
    if (mine) return mine;
    const pct = contract.discountPercent;
    if (pct === null || new Decimal(pct).isZero()) return e;
    return {
      model: e.model,
      dimensions: e.dimensions.map((d) => ({ ...d, credits: discounted(d.credits, pct) })),
    };
  });
  for (const e of contract.models) if (!card.some((c) => c.model === e.model)) out.push(e);
  return out;
}

/**
 * The version in effect at `atMs`: the last with `effectiveAtMs <= atMs` (versions sorted by
 * `effectiveAtMs`, oldest first); undefined before the first.
 */
export function versionAt<V extends { effectiveAtMs: number }>(
  versions: readonly V[],
  atMs: number,
): V | undefined {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.effectiveAtMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : versions[lo - 1];
}

/** The contract of an account in effect at `atMs` (contracts of one account, any order). */
export function contractAt(contracts: readonly Contract[] | undefined, atMs: number): Contract | undefined {
  if (!contracts) return undefined;
  let found: Contract | undefined;
  for (const c of contracts)
    if (c.startsAtMs <= atMs && (c.endsAtMs === null || atMs < c.endsAtMs))
      if (!found || c.startsAtMs > found.startsAtMs) found = c;
  return found;
}

/**
 * The old price-book shape (`{ model: "credits per unit" }`) as rate card entries.
 * @example fromPriceBook({ 'image-1024': '2' }) // [{ model: 'image-1024', dimensions: [{ name: 'quantity', credits: '2', per: '1', whole: false }] }]
 */
export function fromPriceBook(book: Record<string, string>): RateEntry[] {
  return Object.entries(book).map(([model, credits]) => ({
    model,
    dimensions: [{ name: QUANTITY, credits, per: '1', whole: false }],
  }));
}

/** One dimension of how a stored event was rated: `quantity x credits / per`. */
export interface RatingLine {
  dimension: string;
  quantity: string;
  credits: string;
  per: string;
}

/**
 * How a stored event was rated, read back from what it keeps (`unitPrice`, `quantities` and its
 * quantity): one line per dimension; null for an event that carried its own credits.
 * @example ratingOf('input_tokens=2.5/1000000;output_tokens=10/1000000', 'input_tokens=1200;output_tokens=350', '1550') // two lines
 */
export function ratingOf(
  unitPrice: string | null,
  quantities: string | null,
  quantity: string,
): RatingLine[] | null {
  if (unitPrice === null) return null;
  if (!unitPrice.includes('=')) return [{ dimension: QUANTITY, quantity, credits: unitPrice, per: '1' }];
  const sent = new Map<string, string>();
  if (quantities === null) sent.set(QUANTITY, quantity);
  else
    for (const part of quantities.split(';')) {
      const at = part.indexOf('=');
      sent.set(part.slice(0, at), part.slice(at + 1));
    }
  return unitPrice.split(';').map((part) => {
    const at = part.indexOf('=');
    const dimension = part.slice(0, at);
    const [credits, per] = part.slice(at + 1).split('/') as [string, string];
    return { dimension, quantity: sent.get(dimension) ?? '0', credits, per };
  });
}

/** Quantities by dimension of a stored event (`{ quantity }` for a one-dimension one). */
export function quantitiesOf(quantities: string | null, quantity: string): Record<string, string> {
  if (quantities === null) return { [QUANTITY]: quantity };
  const out: Record<string, string> = {};
  if (quantities === '') return out;
  for (const part of quantities.split(';')) {
    const at = part.indexOf('=');
    out[part.slice(0, at)] = part.slice(at + 1);
  }
  return out;
}
