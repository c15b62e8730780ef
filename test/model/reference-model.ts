/**
 * The reference model of tollgate's money: what a customer paid, used, got back and lost to
 * expiry, written as plainly as possible (arrays and bigints, no storage, no engine code), so
 * that it is obviously right. The model-based test drives it and the real engine with the same
 * operations and compares every answer and every balance.
 *
 * The rules it states (the product's, DESIGN.md "Product-level money invariants"):
 * - credits come in as lots (purchases once paid, grants); usage, captures, refunds and expiry
 *   take them out; lots burn by priority, then soonest expiry (none last), then oldest;
 * - what is consumed but not billed (unbilled usage) and what is held is *reserved*: it will burn
 *   the first lots in burn order, so neither a refund nor an expiry may take it;
 * - usage is billed once per event, even past zero; a later lot pays the debt first;
 * - a voided event leaves unbilled usage at once; if it was billed, the next billing run gives its
 *   credits back: first to a debt, then to the lots that usage burned in reverse burn order (each
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
}

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
  credits: bigint;
  tax: bigint;
  total: bigint;
  status: 'pending' | 'paid' | 'failed';
  refundedCredits: bigint;
  refundedMoney: bigint;
}

export interface MEvent {
  account: string;
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
  invoices = 0;
  creditNotes = 0;
  private seq = 0;

  constructor(public nowMs: number) {}

  addAccount(id: string): void {
    this.accounts.set(id, {
      id,
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

  balance(account: string) {
    const posted = this.account(account).posted;
    const pending = this.pending(account);
    const unbilled = this.unbilled(account);
    return { posted, pending, unbilled, available: posted - pending - unbilled };
  }

  /** Lots with credits left, in burn order. */
  burnOrder(account: string): MLot[] {
    return this.account(account)
      .lots.filter((l) => l.remaining > 0n)
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          (a.expiresAtMs ?? Number.POSITIVE_INFINITY) - (b.expiresAtMs ?? Number.POSITIVE_INFINITY) ||
          a.seq - b.seq,
      );
  }

  /** Takes `amount` from the lots in burn order; what no lot covers is debt (posted below zero). */
  private burn(account: string, amount: bigint): void {
    let left = amount;
    for (const lot of this.burnOrder(account)) {
      const take = lot.remaining < left ? lot.remaining : left;
      lot.remaining -= take;
      left -= take;
    }
  }

  /** What each lot keeps once the reserved credits (unbilled and held) have burned it. */
  unspent(account: string): Map<string, bigint> {
    let reserved = this.unbilled(account) + this.pending(account);
    const out = new Map<string, bigint>();
    for (const lot of this.burnOrder(account)) {
      const take = lot.remaining < reserved ? lot.remaining : reserved;
      reserved -= take;
      out.set(lot.id, lot.remaining - take);
    }
    return out;
  }

  private addLot(
    account: string,
    lot: Omit<MLot, 'seq' | 'remaining' | 'credits' | 'refunded'>,
    credits: bigint,
  ): void {
    const a = this.account(account);
    const debt = a.posted < 0n ? -a.posted : 0n;
    a.lots.push({
      ...lot,
      seq: this.seq++,
      credits,
      remaining: credits > debt ? credits - debt : 0n,
      refunded: 0n,
    });
    a.posted += credits;
  }

  quote(credits: bigint): Outcome<{ subtotal: bigint; tax: bigint; total: bigint }> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    const subtotal = halfUp(credits * PRICE.centsNum, C * PRICE.centsDen);
    const tax = halfUp(subtotal * TAX.num, TAX.den);
    const total = subtotal + tax;
    if (total < PAYMENT_MIN || total > PAYMENT_MAX) return no('payment_out_of_range');
    return { ok: true, value: { subtotal, tax, total } };
  }

  createPurchase(id: string, account: string, credits: bigint): Outcome<MPurchase> {
    const q = this.quote(credits);
    if (!q.ok) return q;
    const p: MPurchase = {
      id,
      account,
      credits,
      tax: q.value.tax,
      total: q.value.total,
      status: 'pending',
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
      { id: `lot-of-${p.id}`, sourceId: p.id, priority: PURCHASE_PRIORITY, expiresAtMs: null },
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
  ): Outcome<true> {
    if (credits <= 0n) return no('validation_failed');
    if (credits > MAX_CREDITS) return no('amount_out_of_range');
    if (expiresAtMs !== null && expiresAtMs <= this.nowMs) return no('validation_failed');
    this.addLot(account, { id: lotId, sourceId: lotId, priority, expiresAtMs }, credits);
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
    const refundable = this.unspent(p.account).get(lot.id) ?? 0n;
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
  ): 'accepted' | 'duplicate' | string {
    if (timestampMs > this.nowMs + FUTURE_MS) return 'in_future';
    if (timestampMs < this.nowMs - LATE_MS) return 'too_old';
    if (credits === 'too_big_quantity') return 'amount_out_of_range';
    if (typeof credits === 'string') return credits;
    if (credits > MAX_CREDITS) return 'amount_out_of_range';
    const seen = this.events.get(id);
    if (seen) return seen.content === content ? 'duplicate' : 'idempotency_conflict';
    const hourMs = timestampMs - (timestampMs % HOUR);
    this.events.set(id, { account, content, credits, hourMs, billed: false, voided: false, toGiveBack: 0n });
    return 'accepted';
  }

  /** Voids an event: what of it is given back, now (unbilled) or at the next billing run (billed). */
  voidEvent(id: string): Outcome<{ givenBackLater: bigint }> {
    const e = this.events.get(id);
    if (!e) return no('not_found');
    if (!e.voided) {
      e.voided = true;
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
    this.burn(h.account, amount);
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
    for (const e of this.events.values()) {
      if (e.billed || e.voided || e.hourMs >= currentHour) continue;
      e.billed = true;
      perAccount.set(e.account, (perAccount.get(e.account) ?? 0n) + e.credits);
    }
    let credits = 0n;
    for (const [account, amount] of perAccount) {
      const a = this.account(account);
      a.posted -= amount;
      a.used += amount;
      this.burn(account, amount);
      credits += amount;
    }
    // Then, per account, what voids of billed events give back, in one amount.
    const back = new Map<string, bigint>();
    for (const e of this.events.values()) {
      if (e.toGiveBack === 0n) continue;
      back.set(e.account, (back.get(e.account) ?? 0n) + e.toGiveBack);
      e.toGiveBack = 0n;
    }
    for (const [account, amount] of back) this.giveBack(account, amount);
    return { accounts: [...perAccount.values()].filter((v) => v > 0n).length, credits };
  }

  /** Credits of voided usage back to the account: its debt first, then lots, then a lot of their own. */
  private giveBack(account: string, amount: bigint): void {
    const a = this.account(account);
    const floor = (n: bigint) => (n > 0n ? n : 0n);
    let left = floor(a.posted + amount) - floor(a.posted);
    a.posted += amount;
    a.used -= amount;
    // What usage took from a lot: all it lost but what refunds took (expired lots take nothing).
    const used = (l: MLot) => l.credits - l.remaining - l.refunded;
    const reverseBurnOrder = a.lots
      .filter((l) => used(l) > 0n && (l.expiresAtMs === null || l.expiresAtMs > this.nowMs))
      .sort(
        (x, y) =>
          y.priority - x.priority ||
          (y.expiresAtMs ?? Number.POSITIVE_INFINITY) - (x.expiresAtMs ?? Number.POSITIVE_INFINITY) ||
          y.seq - x.seq,
      );
    for (const lot of reverseBurnOrder) {
      if (left <= 0n) break;
      const put = used(lot) < left ? used(lot) : left;
      lot.remaining += put;
      left -= put;
    }
    if (left > 0n)
      a.lots.push({
        id: `void-${this.seq}`,
        sourceId: 'void',
        priority: PURCHASE_PRIORITY,
        expiresAtMs: null,
        seq: this.seq++,
        credits: left,
        remaining: left,
        refunded: 0n,
      });
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
