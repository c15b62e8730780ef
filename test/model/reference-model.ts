/**
 * The reference model of tollgate's money: what a customer paid, used, got back and lost to
 * expiry, written as plainly as possible (arrays and bigints, no storage, no engine code), so
 * that it is obviously right. The model-based test drives it and the real engine with the same
 * operations and compares every answer and every balance.
 *
 * The rules it states (the product's, DESIGN.md "Product-level money invariants"):
 * - credits come in as lots (purchases once paid, grants, monthly allowances); usage, captures,
 *   refunds and expiry take them out; a lot may be scoped to models (it pays for those only);
 *   usage of a model burns, among the lots that may pay for it, by priority, then scoped before
 *   unscoped, then soonest expiry (none last), then oldest; a hold names no model: unscoped lots;
 * - what is consumed but not billed (unbilled usage) and what is held is *reserved*: it will burn
 *   lots as billing will (each model's usage, models in name order, then holds), so neither a
 *   refund nor an expiry may take it;
 * - `available` is what any model can use: posted - pending - unbilled - what scoped lots keep;
 *   a model with scoped credits can also use what the scoped lots covering it keep;
 * - usage is billed once per event, even past zero; a later unscoped lot pays the debt first (a
 *   scoped one keeps its credits: the debt stays in `available`);
 * - an allowance grants its credits once per UTC month (the first at once), expiring at month end;
 * - a voided event leaves unbilled usage at once; if it was billed, the next billing run gives its
 *   credits back (void by void, oldest first): first to a debt, then to the lots that may pay for
 *   its model that usage burned, scoped ones first, each group in reverse burn order (each
 *   up to what usage took from it, never what was refunded; expired lots none), the rest as a lot
 *   of its own without expiry;
 * - every amount in a request is at most MAX_CREDITS.
 */

export const C = 1_000_000n; // minor units per credit
export const HOUR = 3_600_000;
export const MAX_CREDITS = 1_000_000_000n * C;
export const LATE_MS = 35 * 24 * HOUR;
export const FUTURE_MS = 5 * 60_000;
/** USD per credit 0.013 (1.3 cents) and 20 % tax: both round, so the rounding rules are exercised. */
export const PRICE = { centsNum: 13n, centsDen: 10n };
export const TAX = { num: 2n, den: 10n };
export const PAYMENT_MIN = 1000n;
export const PAYMENT_MAX = 1_000_000n;
/**
 * The currencies accounts buy in: the price of a credit in minor units (a fraction) and the
 * payment bounds in minor units. USD at 1.3 cents; JPY (no minor unit) at 1.9 yen, 10 to 10,000 yen.
 */
export const CURRENCIES: Record<
  string,
  { num: bigint; den: bigint; min: bigint; max: bigint; units: number }
> = {
  USD: { num: 13n, den: 10n, min: PAYMENT_MIN, max: PAYMENT_MAX, units: 2 },
  JPY: { num: 19n, den: 10n, min: 10n, max: 10_000n, units: 0 },
};
export const GRANT_PRIORITY = 0;
export const PURCHASE_PRIORITY = 10;
/** Per unit of model `tokens-1k`: 0.05 credits. */
export const TOKENS_PRICE = { num: 5n, den: 100n };

/** a / b rounded half up, for non-negative a and positive b. */
export const halfUp = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

export interface MLot {
  id: string;
  sourceId: string;
  priority: number;
  expiresAtMs: number | null;
  seq: number;
  /** Its size when it came in. */
  credits: bigint;
  remaining: bigint;
  /** Credits refunded from it: paid back, so never refilled by credits given back. */
  refunded: bigint;
  /** The models it pays for; null: any. */
  models: string[] | null;
}

export interface MAllowance {
  id: string;
  account: string;
  credits: bigint;
  models: string[] | null;
  createdAtMs: number;
  endedAtMs: number | null;
  /** The months (`YYYY-MM`) granted. */
  granted: Set<string>;
}

/** Whether a lot may pay for usage of `model` (null: a hold, which names none). */
export const paysFor = (lot: MLot, model: string | null): boolean =>
  lot.models === null || (model !== null && lot.models.includes(model));

export interface MHold {
  id: string;
  account: string;
  credits: bigint;
  expiresAtMs: number;
  status: 'pending' | 'captured' | 'released' | 'expired';
  captured: bigint | null;
}

export interface MPurchase {
  id: string;
  account: string;
  /** Its money's currency: the account's (fixed once it paid). */
  currency: string;
  credits: bigint;
  tax: bigint;
  total: bigint;
  status: 'pending' | 'paid' | 'failed';
  models: string[] | null;
  refundedCredits: bigint;
  refundedMoney: bigint;
}

export interface MEvent {
  account: string;
  model: string;
  /** When it was voided (give-backs go void by void, oldest first). */
  voidedAtMs: number | null;
  content: string;
  credits: bigint;
  hourMs: number;
  billed: boolean;
  voided: boolean;
  /** Billed, then voided: what the next billing run gives back. */
  toGiveBack: bigint;
}

export interface MAccount {
  id: string;
  currency: string;
  posted: bigint;
  lots: MLot[];
  /** Totals the customer would see on their statements. */
  paid: bigint;
  granted: bigint;
  used: bigint;
  refunded: bigint;
  expired: bigint;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };
const no = (code: string): { ok: false; code: string } => ({ ok: false, code });

export class Model {
  accounts = new Map<string, MAccount>();
  purchases = new Map<string, MPurchase>();
  holds = new Map<string, MHold>();
  events = new Map<string, MEvent>();
  allowances = new Map<string, MAllowance>();
  invoices = 0;
  creditNotes = 0;
  private seq = 0;

  constructor(public nowMs: number) {}

  addAccount(id: string, currency = 'USD'): void {
    this.accounts.set(id, {
      id,
      currency,
      posted: 0n,
      lots: [],
      paid: 0n,
      granted: 0n,
      used: 0n,
      refunded: 0n,
      expired: 0n,
    });
  }

  account(id: string): MAccount {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`model: no account ${id}`);
    return a;
  }

  pending(account: string): bigint {
    let sum = 0n;
    for (const h of this.holds.values())
      if (h.account === account && h.status === 'pending') sum += h.credits;
    return sum;
  }

  unbilled(account: string): bigint {
    let sum = 0n;
    for (const e of this.events.values())
      if (e.account === account && !e.billed && !e.voided) sum += e.credits;
    return sum;
  }

  /** Unbilled credits per model, models in name order. */
  unbilledByModel(account: string): [string, bigint][] {
    const by = new Map<string, bigint>();
    for (const e of this.events.values())
      if (e.account === account && !e.billed && !e.voided)
        by.set(e.model, (by.get(e.model) ?? 0n) + e.credits);
    return [...by].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  balance(account: string) {
    const posted = this.account(account).posted;
    const pending = this.pending(account);
    const unbilled = this.unbilled(account);
    const unspent = this.unspent(account);
    let scopedLeft = 0n;
    for (const lot of this.burnOrder(account)) if (lot.models !== null) scopedLeft += unspent.get(lot.id)!;
    return { posted, pending, unbilled, available: posted - pending - unbilled - scopedLeft };
  }

  /** Per model that scoped lots with unspent credits pay for: what it can use. */
  availableByModel(account: string): Record<string, bigint> {
    const available = this.balance(account).available;
    const unspent = this.unspent(account);
    const out: Record<string, bigint> = {};
    for (const lot of this.burnOrder(account)) {
      const keeps = unspent.get(lot.id)!;
      if (lot.models === null || keeps <= 0n) continue;
      for (const m of lot.models) out[m] = (out[m] ?? available) + keeps;
    }
    return out;
  }

  /** Lots with credits left, in burn order. */
  burnOrder(account: string): MLot[] {
    return this.account(account)
      .lots.filter((l) => l.remaining > 0n)
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          Number(a.models === null) - Number(b.models === null) ||
          (a.expiresAtMs ?? Number.POSITIVE_INFINITY) - (b.expiresAtMs ?? Number.POSITIVE_INFINITY) ||
          a.seq - b.seq,
      );
  }

  /** Takes `amount` from the lots that may pay for `model`, in burn order; what none covers is debt. */
  private burn(account: string, amount: bigint, model: string | null): void {
    let left = amount;
    for (const lot of this.burnOrder(account)) {
      if (!paysFor(lot, model)) continue;
      const take = lot.remaining < left ? lot.remaining : left;
      lot.remaining -= take;
      left -= take;
    }
  }

  /** What each lot keeps once the reserved credits (unbilled per model, then held) have burned it. */
  unspent(account: string): Map<string, bigint> {
    const lots = this.burnOrder(account);
    const out = new Map(lots.map((l) => [l.id, l.remaining]));
    const take = (model: string | null, amount: bigint) => {
      let left = amount;
      for (const lot of lots) {
        if (!paysFor(lot, model)) continue;
        const has = out.get(lot.id)!;
        const t = has < left ? has : left;
        out.set(lot.id, has - t);
        left -= t;
      }
    };
    for (const [model, amount] of this.unbilledByModel(account)) take(model, amount);
    take(null, this.pending(account));
    return out;
  }

  private addLot(
    account: string,
    lot: Omit<MLot, 'seq' | 'remaining' | 'credits' | 'refunded'>,
    credits: bigint,
  ): void {
    const a = this.account(account);
    const debt = a.posted < 0n && lot.models === null ? -a.posted : 0n;
    a.lots.push({
      ...lot,
      seq: this.seq++,
      credits,
      remaining: credits > debt ? credits - debt : 0n,
      refunded: 0n,
    });
    a.posted += credits;
  }

  /** What `credits` cost an account, in its currency's minor units. */
  quote(credits: bigint, account: string): Outcome<{ subtotal: bigint; tax: bigint; total: bigint }> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    const cur = CURRENCIES[this.account(account).currency]!;
    const subtotal = halfUp(credits * cur.num, C * cur.den);
    const tax = halfUp(subtotal * TAX.num, TAX.den);
    const total = subtotal + tax;
    if (total < cur.min || total > cur.max) return no('payment_out_of_range');
    return { ok: true, value: { subtotal, tax, total } };
  }

  createPurchase(
    id: string,
    account: string,
    credits: bigint,
    models: string[] | null = null,
  ): Outcome<MPurchase> {
    const q = this.quote(credits, account);
    if (!q.ok) return q;
    const p: MPurchase = {
      id,
      account,
      currency: this.account(account).currency,
      credits,
      tax: q.value.tax,
      total: q.value.total,
      status: 'pending',
      models,
      refundedCredits: 0n,
      refundedMoney: 0n,
    };
    this.purchases.set(id, p);
    return { ok: true, value: p };
  }

  confirm(id: string): Outcome<MPurchase> {
    const p = this.purchases.get(id);
    if (!p) return no('not_found');
    if (p.status === 'paid') return { ok: true, value: p };
    if (p.status !== 'pending') return no('invalid_state');
    p.status = 'paid';
    this.invoices++;
    this.addLot(
      p.account,
      {
        id: `lot-of-${p.id}`,
        sourceId: p.id,
        priority: PURCHASE_PRIORITY,
        expiresAtMs: null,
        models: p.models,
      },
      p.credits,
    );
    this.account(p.account).paid += p.credits;
    return { ok: true, value: p };
  }

  fail(id: string): Outcome<MPurchase> {
    const p = this.purchases.get(id);
    if (!p) return no('not_found');
    if (p.status === 'failed') return { ok: true, value: p };
    if (p.status !== 'pending') return no('invalid_state');
    p.status = 'failed';
    return { ok: true, value: p };
  }

  grant(
    account: string,
    lotId: string,
    credits: bigint,
    expiresAtMs: number | null,
    priority = GRANT_PRIORITY,
    models: string[] | null = null,
  ): Outcome<true> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    if (expiresAtMs !== null && expiresAtMs <= this.nowMs) return no('validation_failed');
    this.addLot(account, { id: lotId, sourceId: lotId, priority, expiresAtMs, models }, credits);
    this.account(account).granted += credits;
    return { ok: true, value: true };
  }

  /** Refunds unspent credits of a paid purchase: its lot's remainder not reserved. */
  refund(id: string, requested: bigint | undefined): Outcome<{ credits: bigint; total: bigint }> {
    const p = this.purchases.get(id);
    if (!p) return no('not_found');
    if (requested !== undefined && requested > MAX_CREDITS) return no('amount_out_of_range');
    if (p.status !== 'paid') return no('invalid_state');
    const lot = this.account(p.account).lots.find((l) => l.sourceId === p.id)!;
    const unspent = this.unspent(p.account).get(lot.id) ?? 0n;
    // Never past what the account can give back (a debt of usage no lot covered is never refunded).
    const b = this.balance(p.account);
    const room = lot.models === null ? b.available : b.posted - b.pending - b.unbilled;
    const refundable = unspent < room ? unspent : room > 0n ? room : 0n;
    const credits = requested ?? refundable;
    if (credits <= 0n || credits > refundable) return no('insufficient_credits');
    const cumulative = p.refundedCredits + credits;
    const total = halfUp(p.total * cumulative, p.credits) - p.refundedMoney;
    p.refundedCredits = cumulative;
    p.refundedMoney += total;
    lot.remaining -= credits;
    lot.refunded += credits;
    const a = this.account(p.account);
    a.posted -= credits;
    a.refunded += credits;
    this.creditNotes++;
    return { ok: true, value: { credits, total } };
  }

  /** The unspent credits of a purchase's lot (what a refund may return), for failure messages. */
  unspentOfPurchase(id: string): string {
    const p = this.purchases.get(id);
    if (p?.status !== 'paid') return 'not paid';
    const lot = this.account(p.account).lots.find((l) => l.sourceId === p.id)!;
    return `${this.unspent(p.account).get(lot.id) ?? 0n} of ${lot.remaining} left`;
  }

  /** A usage event: its fate (accepted, duplicate, rejected with a code). */
  ingest(
    id: string,
    account: string,
    timestampMs: number,
    /** Its credits, or why it cannot be rated (`too_big_quantity`, `unknown_model`, `validation_failed`). */
    credits: bigint | string,
    content: string,
    model = 'video-custom',
  ): 'accepted' | 'duplicate' | string {
    if (timestampMs > this.nowMs + FUTURE_MS) return 'in_future';
    if (timestampMs < this.nowMs - LATE_MS) return 'too_old';
    if (credits === 'too_big_quantity') return 'amount_out_of_range';
    if (typeof credits === 'string') return credits;
    if (credits > MAX_CREDITS) return 'amount_out_of_range';
    const seen = this.events.get(id);
    if (seen) return seen.content === content ? 'duplicate' : 'idempotency_conflict';
    const hourMs = timestampMs - (timestampMs % HOUR);
    this.events.set(id, {
      account,
      model,
      voidedAtMs: null,
      content,
      credits,
      hourMs,
      billed: false,
      voided: false,
      toGiveBack: 0n,
    });
    return 'accepted';
  }

  /** Voids an event: what of it is given back, now (unbilled) or at the next billing run (billed). */
  voidEvent(id: string): Outcome<{ givenBackLater: bigint }> {
    const e = this.events.get(id);
    if (!e) return no('not_found');
    if (!e.voided) {
      e.voided = true;
      e.voidedAtMs = this.nowMs;
      if (e.billed) e.toGiveBack = e.credits;
    }
    return { ok: true, value: { givenBackLater: e.billed ? e.credits : 0n } };
  }

  createHold(id: string, account: string, credits: bigint, ttlSeconds: number): Outcome<MHold> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    if (credits > this.balance(account).available) return no('insufficient_credits');
    const hold: MHold = {
      id,
      account,
      credits,
      expiresAtMs: this.nowMs + ttlSeconds * 1000,
      status: 'pending',
      captured: null,
    };
    this.holds.set(id, hold);
    return { ok: true, value: hold };
  }

  capture(id: string, amount: bigint): Outcome<MHold> {
    const h = this.holds.get(id);
    if (!h) return no('not_found');
    if (amount <= 0n) return no('validation_failed');
    if (amount > MAX_CREDITS) return no('amount_out_of_range');
    if (h.status === 'captured' && h.captured === amount) return { ok: true, value: h };
    if (h.status !== 'pending') return no('invalid_state');
    if (this.nowMs >= h.expiresAtMs) return no('invalid_state');
    if (amount > h.credits) return no('validation_failed');
    h.status = 'captured';
    h.captured = amount;
    const a = this.account(h.account);
    a.posted -= amount;
    a.used += amount;
    this.burn(h.account, amount, null);
    return { ok: true, value: h };
  }

  release(id: string): Outcome<MHold> {
    const h = this.holds.get(id);
    if (!h) return no('not_found');
    if (h.status === 'released') return { ok: true, value: h };
    if (h.status !== 'pending') return no('invalid_state');
    if (this.nowMs >= h.expiresAtMs) return no('invalid_state');
    h.status = 'released';
    return { ok: true, value: h };
  }

  expireHolds(): number {
    let n = 0;
    for (const h of this.holds.values()) {
      if (h.status === 'pending' && this.nowMs >= h.expiresAtMs) {
        h.status = 'expired';
        n++;
      }
    }
    return n;
  }

  /** Bills every closed hour: per account, the unbilled credits leave the balance and burn lots. */
  bill(): { accounts: number; credits: bigint } {
    const currentHour = this.nowMs - (this.nowMs % HOUR);
    const perAccount = new Map<string, bigint>();
    const perModel = new Map<string, Map<string, bigint>>();
    for (const e of this.events.values()) {
      if (e.billed || e.voided || e.hourMs >= currentHour) continue;
      e.billed = true;
      perAccount.set(e.account, (perAccount.get(e.account) ?? 0n) + e.credits);
      const m = perModel.get(e.account) ?? new Map<string, bigint>();
      perModel.set(e.account, m);
      m.set(e.model, (m.get(e.model) ?? 0n) + e.credits);
    }
    let credits = 0n;
    for (const [account, amount] of perAccount) {
      const a = this.account(account);
      a.posted -= amount;
      a.used += amount;
      // Each model's credits, models in name order, from the lots that may pay for it.
      for (const [model, m] of [...perModel.get(account)!].sort(([x], [y]) => (x < y ? -1 : 1)))
        this.burn(account, m, model);
      credits += amount;
    }
    // Then what voids of billed events give back: void by void, oldest first.
    const back = [...this.events.entries()]
      .filter(([, e]) => e.toGiveBack > 0n)
      .sort(([x, a], [y, b]) => a.voidedAtMs! - b.voidedAtMs! || (x < y ? -1 : x > y ? 1 : 0));
    for (const [id, e] of back) {
      this.giveBack(e.account, e.toGiveBack, e.model, id);
      e.toGiveBack = 0n;
    }
    return { accounts: [...perAccount.values()].filter((v) => v > 0n).length, credits };
  }

  /** Credits of voided usage back to the account: its debt first, then lots, then a lot of their own. */
  private giveBack(account: string, amount: bigint, model: string, eventId: string): void {
    const a = this.account(account);
    const floor = (n: bigint) => (n > 0n ? n : 0n);
    let left = floor(a.posted + amount) - floor(a.posted);
    a.posted += amount;
    a.used -= amount;
    // What usage took from a lot: all it lost but what refunds took (expired lots take nothing).
    const used = (l: MLot) => l.credits - l.remaining - l.refunded;
    const reverseBurnOrder = a.lots
      .filter(
        (l) => used(l) > 0n && (l.expiresAtMs === null || l.expiresAtMs > this.nowMs) && paysFor(l, model),
      )
      .sort(
        (x, y) =>
          y.priority - x.priority ||
          Number(y.models === null) - Number(x.models === null) ||
          (y.expiresAtMs ?? Number.POSITIVE_INFINITY) - (x.expiresAtMs ?? Number.POSITIVE_INFINITY) ||
          y.seq - x.seq,
      );
    const scopedFirst = [
      ...reverseBurnOrder.filter((l) => l.models !== null),
      ...reverseBurnOrder.filter((l) => l.models === null),
    ];
    for (const lot of scopedFirst) {
      if (left <= 0n) break;
      const put = used(lot) < left ? used(lot) : left;
      lot.remaining += put;
      left -= put;
    }
    if (left > 0n)
      a.lots.push({
        id: `void-${this.seq}`,
        sourceId: `void_${eventId}`,
        models: null,
        priority: PURCHASE_PRIORITY,
        expiresAtMs: null,
        seq: this.seq++,
        credits: left,
        remaining: left,
        refunded: 0n,
      });
  }

  /** Creates an allowance and grants its current month. */
  createAllowance(
    id: string,
    account: string,
    credits: bigint,
    models: string[] | null,
  ): Outcome<MAllowance> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    const a: MAllowance = {
      id,
      account,
      credits,
      models,
      createdAtMs: this.nowMs,
      endedAtMs: null,
      granted: new Set(),
    };
    this.allowances.set(id, a);
    this.grantMonth(a);
    return { ok: true, value: a };
  }

  endAllowance(id: string): Outcome<MAllowance> {
    const a = this.allowances.get(id);
    if (!a) return no('not_found');
    a.endedAtMs ??= this.nowMs;
    return { ok: true, value: a };
  }

  /** Grants every due allowance's current month not granted yet; answers how many. */
  grantAllowances(): number {
    const monthStart = Date.UTC(new Date(this.nowMs).getUTCFullYear(), new Date(this.nowMs).getUTCMonth(), 1);
    let n = 0;
    for (const a of this.allowances.values()) {
      if (a.endedAtMs !== null && a.endedAtMs <= monthStart) continue;
      if (this.grantMonth(a)) n++;
    }
    return n;
  }

  private grantMonth(a: MAllowance): boolean {
    const d = new Date(this.nowMs);
    const month = d.toISOString().slice(0, 7);
    if (a.granted.has(month)) return false;
    a.granted.add(month);
    const sourceId = `${a.id}:${month}`;
    this.addLot(
      a.account,
      {
        id: sourceId,
        sourceId,
        priority: GRANT_PRIORITY,
        expiresAtMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
        models: a.models,
      },
      a.credits,
    );
    this.account(a.account).granted += a.credits;
    return true;
  }

  /** Expired lots lose what is unspent and unheld; what is reserved stays for the usage it covers. */
  expireLots(): bigint {
    let total = 0n;
    for (const a of this.accounts.values()) {
      const unspent = this.unspent(a.id);
      for (const lot of a.lots) {
        if (lot.expiresAtMs === null || lot.expiresAtMs > this.nowMs) continue;
        const take = unspent.get(lot.id) ?? 0n;
        if (take <= 0n) continue;
        lot.remaining -= take;
        a.posted -= take;
        a.expired += take;
        total += take;
      }
    }
    return total;
  }
}
