import type { TollgateConfig } from '../kernel/config.ts';
import { type Context, read } from '../kernel/context.ts';
import { ok, type Result, refuse } from '../kernel/errors.ts';
import type { Contract, PriceVersion, RateEntry } from '../kernel/model.ts';
import { parseInstant } from '../kernel/time.ts';
import {
  applyContract,
  type CompiledEntry,
  compileEntry,
  contractAt,
  fromPriceBook,
  parseRateEntries,
  versionAt,
} from './rate-card.ts';

/**
 * The rate card as rating reads it, in memory: every version and every contract, and each
 * (version, contract) pair's prices compiled once. Reloaded from storage when older than the
 * shared cache's TTL (several processes on one store); a change made here updates it at once.
 */
export interface PriceState {
  versions: PriceVersion[];
  contracts: Map<string, Contract[]>;
  contractsById: Map<string, Contract>;
  compiled: Map<string, Map<string, CompiledEntry>>;
  loadedAtMs: number;
  loading: Promise<void> | null;
  ttlMs: number;
}

export function newPriceState(ttlMs: number): PriceState {
  return {
    versions: [],
    contracts: new Map(),
    contractsById: new Map(),
    compiled: new Map(),
    loadedAtMs: Number.NEGATIVE_INFINITY,
    loading: null,
    ttlMs,
  };
}

/** The seeded first version: in effect since the epoch, so every event has a price to find. */
export const FIRST_VERSION_ID = 'prv_initial';

/**
 * Seeds the first version from the configured price book when none exists (two processes
 * starting at once: the second insert finds the first's), then loads the card.
 */
export async function startPrices(ctx: Context, state: PriceState, config: TollgateConfig): Promise<void> {
  await ctx.storage.transaction(async (tx) => {
    if ((await tx.prices.listVersions()).length > 0) return;
    await tx.prices.insertVersion({
      id: FIRST_VERSION_ID,
      effectiveAtMs: 0,
      models: seedEntries(config.priceBook),
      note: 'seeded from the price book',
      createdAtMs: ctx.clock.nowMs(),
    });
  });
  await reloadPrices(ctx, state);
}

function seedEntries(book: TollgateConfig['priceBook']): RateEntry[] {
  return Array.isArray(book) ? book : fromPriceBook(book);
}

/** Reads every version and contract again (one read). */
export async function reloadPrices(ctx: Context, state: PriceState): Promise<void> {
  const { versions, contracts } = await read(ctx, async (tx) => ({
    versions: await tx.prices.listVersions(),
    contracts: await tx.prices.listContracts(),
  }));
  const byAccount = new Map<string, Contract[]>();
  for (const c of contracts) {
    const list = byAccount.get(c.accountId);
    if (list) list.push(c);
    else byAccount.set(c.accountId, [c]);
  }
  state.versions = versions;
  state.contracts = byAccount;
  state.contractsById = new Map(contracts.map((c) => [c.id, c]));
  state.compiled = new Map();
  state.loadedAtMs = ctx.clock.nowMs();
}

/** Reloads the card when it is older than its TTL; otherwise answers at once. */
export function freshPrices(ctx: Context, state: PriceState): Promise<void> | undefined {
  if (ctx.clock.nowMs() - state.loadedAtMs <= state.ttlMs) return undefined;
  state.loading ??= reloadPrices(ctx, state).finally(() => {
    state.loading = null;
  });
  return state.loading;
}

/**
 * What rates an account's event at `atMs`: the version in effect, and its prices with the
 * account's contract applied, compiled (kept per pair of version and contract).
 */
export function pricesAt(
  state: PriceState,
  accountId: string,
  atMs: number,
):
  | { version: PriceVersion; contract: Contract | undefined; entries: Map<string, CompiledEntry> }
  | undefined {
  const version = versionAt(state.versions, atMs);
  if (!version) return undefined;
  const contract = contractAt(state.contracts.get(accountId), atMs);
  return { version, contract, entries: compiledFor(state, version, contract) };
}

function compiledFor(state: PriceState, version: PriceVersion, contract: Contract | undefined) {
  const key = contract ? `${version.id}|${contract.id}` : version.id;
  let entries = state.compiled.get(key);
  if (!entries) {
    entries = new Map(applyContract(version.models, contract).map((e) => [e.model, compileEntry(e)]));
    state.compiled.set(key, entries);
  }
  return entries;
}

interface Rated {
  model: string;
  unitPrice: string | null;
  quantities: string | null;
  priceVersionId: string | null;
}

/**
 * A stored event's rating as answers show it. An event keeps what rated it lean (`prv_x` or
 * `prv_x/ctr_y`, and a multi-dimension event its quantities alone, in the entry's order): this
 * gives back the version id, the contract, the entry's label as `unitPrice` and each quantity
 * its dimension's name (`input_tokens=1200;output_tokens=350`, dimensions of 0 left out).
 */
export async function explainRated<R extends Rated>(
  ctx: Context,
  state: PriceState,
  records: R[],
): Promise<(R & { contractId: string | null })[]> {
  await freshPrices(ctx, state);
  if (records.some((r) => r.priceVersionId !== null && !known(state, r.priceVersionId)))
    await reloadPrices(ctx, state);
  return records.map((r) => explainOne(state, r));
}

const splitRatedBy = (ratedBy: string) => {
  const at = ratedBy.indexOf('/');
  return at < 0
    ? { versionId: ratedBy, contractId: null }
    : { versionId: ratedBy.slice(0, at), contractId: ratedBy.slice(at + 1) };
};

function known(state: PriceState, ratedBy: string): boolean {
  const { versionId, contractId } = splitRatedBy(ratedBy);
  return (
    state.versions.some((v) => v.id === versionId) &&
    (contractId === null || state.contractsById.has(contractId))
  );
}

function explainOne<R extends Rated>(state: PriceState, r: R): R & { contractId: string | null } {
  if (r.priceVersionId === null) return { ...r, contractId: null };
  const { versionId, contractId } = splitRatedBy(r.priceVersionId);
  const base = { ...r, priceVersionId: versionId, contractId };
  const compact = r.quantities !== null && !r.quantities.includes('=');
  if (r.unitPrice !== null && !compact) return base;
  const version = state.versions.find((v) => v.id === versionId);
  const contract = contractId === null ? undefined : state.contractsById.get(contractId);
  const entry = version && compiledFor(state, version, contract).get(r.model);
  if (!entry) return base;
  let quantities = r.quantities;
  if (compact) {
    const values = r.quantities!.split(';');
    quantities = entry.dimensions
      .map((d, i) => (values[i] === undefined || values[i] === '0' ? '' : `${d.name}=${values[i]}`))
      .filter((x) => x !== '')
      .join(';');
  }
  return { ...base, unitPrice: r.unitPrice ?? entry.label, quantities };
}

/**
 * Adds a version of the whole card, in effect from `effective_at` (now or later: the past is
 * never re-rated). Two versions at the same instant: 409 `invalid_state`.
 */
export async function createPriceVersion(
  ctx: Context,
  state: PriceState,
  input: { effective_at?: unknown; models?: unknown; note?: unknown },
): Promise<Result<PriceVersion>> {
  const now = ctx.clock.nowMs();
  const at = instant(input.effective_at, 'effective_at');
  if (!at.ok) return at;
  // A second of slack for the caller's clock: "now" written by a client is a moment ago here.
  if (at.value < now - 1000) return refuse('validation_failed', 'effective_at must not be in the past');
  const models = parseRateEntries(input.models);
  if (!models.ok) return models;
  const note = optionalText(input.note, 'note');
  if (!note.ok) return note;
  const version: PriceVersion = {
    id: ctx.ids.newId('prv'),
    effectiveAtMs: Math.max(at.value, now),
    models: models.value,
    note: note.value,
    createdAtMs: now,
  };
  const inserted = await ctx.storage.transaction((tx) => tx.prices.insertVersion(version));
  if (!inserted) return refuse('invalid_state', 'a price version takes effect at that instant already');
  await reloadPrices(ctx, state);
  return ok(version);
}

/** Every version, newest `effective_at` first. */
export async function listPriceVersions(ctx: Context): Promise<PriceVersion[]> {
  return (await read(ctx, (tx) => tx.prices.listVersions())).reverse();
}

/** The card in effect at `at` (default now), with the account's contract when one is named. */
export async function priceList(
  ctx: Context,
  state: PriceState,
  input: { at?: unknown; accountId?: string },
): Promise<Result<{ version: PriceVersion; contract: Contract | undefined; models: RateEntry[] }>> {
  let atMs = ctx.clock.nowMs();
  if (input.at !== undefined) {
    const at = instant(input.at, 'at');
    if (!at.ok) return at;
    atMs = at.value;
  }
  await freshPrices(ctx, state);
  if (input.accountId !== undefined && !(await read(ctx, (tx) => tx.accounts.get(input.accountId!))))
    return refuse('not_found', `no account ${input.accountId}`);
  const version = versionAt(state.versions, atMs);
  if (!version) return refuse('not_found', 'no price version is in effect at that time');
  const contract = input.accountId ? contractAt(state.contracts.get(input.accountId), atMs) : undefined;
  return ok({ version, contract, models: applyContract(version.models, contract) });
}

/** The next version after `atMs`, if one is set (the portal shows what changes and when). */
export function nextVersion(state: PriceState, atMs: number): PriceVersion | undefined {
  return state.versions.find((v) => v.effectiveAtMs > atMs);
}

/**
 * Gives an account a contract from `starts_at` (default now) until `ends_at` (open when left
 * out): its own entries and/or a discount on the card. Contracts of one account do not overlap.
 */
export async function createContract(
  ctx: Context,
  state: PriceState,
  accountId: string,
  input: { starts_at?: unknown; ends_at?: unknown; discount_percent?: unknown; models?: unknown },
): Promise<Result<Contract>> {
  const now = ctx.clock.nowMs();
  const starts = input.starts_at === undefined ? ok(now) : instant(input.starts_at, 'starts_at');
  if (!starts.ok) return starts;
  const ends =
    input.ends_at === undefined || input.ends_at === null ? ok(null) : instant(input.ends_at, 'ends_at');
  if (!ends.ok) return ends;
  if (ends.value !== null && ends.value <= starts.value)
    return refuse('validation_failed', 'ends_at must be after starts_at');
  let discount: string | null = null;
  if (input.discount_percent !== undefined && input.discount_percent !== null) {
    const raw = input.discount_percent;
    // A JSON number is read as the decimal it writes (15, 12.5), never through a float sum.
    const d = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof d !== 'string' || !/^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/.test(d))
      return refuse(
        'validation_failed',
        'discount_percent must be a decimal string from "0" to "100", such as "15"',
      );
    discount = d;
  }
  const models =
    input.models === undefined
      ? ok<RateEntry[]>([])
      : parseRateEntries(input.models, 'models', { allowEmpty: true });
  if (!models.ok) return models;
  if (discount === null && models.value.length === 0)
    return refuse('validation_failed', 'a contract needs discount_percent or models');
  const contract: Contract = {
    id: ctx.ids.newId('ctr'),
    accountId,
    startsAtMs: starts.value,
    endsAtMs: ends.value,
    discountPercent: discount,
    models: models.value,
    createdAtMs: now,
  };
  const result = await ctx.storage.transaction(async (tx): Promise<Result<Contract>> => {
    if (!(await tx.accounts.lock(accountId))) return refuse('not_found', `no account ${accountId}`);
    for (const other of await tx.prices.listContracts(accountId))
      if (overlaps(other, contract))
        return refuse('invalid_state', `the account's contract ${other.id} covers part of that period`);
    await tx.prices.insertContract(contract);
    return ok(contract);
  });
  if (result.ok) await reloadPrices(ctx, state);
  return result;
}

const overlaps = (a: Contract, b: Contract) =>
  a.startsAtMs < (b.endsAtMs ?? Number.POSITIVE_INFINITY) &&
  b.startsAtMs < (a.endsAtMs ?? Number.POSITIVE_INFINITY);

export async function listContracts(ctx: Context, accountId: string): Promise<Result<Contract[]>> {
  return read(ctx, async (tx) => {
    if (!(await tx.accounts.get(accountId))) return refuse('not_found', `no account ${accountId}`);
    return ok(await tx.prices.listContracts(accountId));
  });
}

/** Ends a contract now (events from now on are rated by the card); again: the same answer. */
export async function endContract(ctx: Context, state: PriceState, id: string): Promise<Result<Contract>> {
  const now = ctx.clock.nowMs();
  const result = await ctx.storage.transaction(async (tx): Promise<Result<Contract>> => {
    const c = await tx.prices.getContract(id);
    if (!c) return refuse('not_found', `no contract ${id}`);
    if (c.endsAtMs !== null && c.endsAtMs <= now) return ok(c);
    const ended = { ...c, endsAtMs: Math.max(now, c.startsAtMs) };
    await tx.prices.setContractEnd(id, ended.endsAtMs);
    return ok(ended);
  });
  if (result.ok) await reloadPrices(ctx, state);
  return result;
}

function instant(value: unknown, field: string): Result<number> {
  const ms = typeof value === 'string' ? parseInstant(value) : Number.NaN;
  if (Number.isNaN(ms))
    return refuse(
      'validation_failed',
      `${field} must be an ISO 8601 time with a zone, such as 2026-12-01T00:00:00Z`,
    );
  return ok(ms);
}

function optionalText(value: unknown, field: string): Result<string | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== 'string' || value.length > 500)
    return refuse('validation_failed', `${field} must be a string of at most 500 characters`);
  return ok(value);
}
