import type { Context } from './context.ts';
import type { Transfer } from './ledger.ts';
import type { Lot } from './model.ts';
import type { LedgerRepo, LotMovement, LotMovementKind, LotRepo, Tx } from './ports.ts';

/** What a lot losing credits to a transfer of this code is, for finance reports. */
const OUT_KIND: Record<string, LotMovementKind> = { refund: 'refunded', breakage: 'expired' };

/** Where a lot's credits came from, by its source. */
const IN_KIND: Record<Lot['source'], LotMovementKind> = {
  purchase: 'purchased',
  grant: 'granted',
  // Credits given back for a voided event whose own lots had expired: a give-back of usage.
  void: 'consumed',
};

/**
 * The unit of work's repositories, with every change of a lot's credits journaled in the same
 * transaction (table `lot_movements`): each movement names the transfer of this unit of work that
 * caused it and what it was (bought, granted, used or given back, refunded, expired), which is what
 * finance reports value at the price each lot was bought at. Lots change only after the transfer
 * that moves their credits is posted (a purchase, grant, billing, capture, refund, expiry or
 * give-back), and the credits a transfer takes from or gives to an account's lots are matched to
 * its transfers in the order they were posted (burning many hours at once burns them in order).
 * Called by `balanceUnit`, the one path of every change of a balance, so no use case can forget it;
 * the movements are written in one batch by `flush`, before the unit of work commits.
 * @example const j = journaled(ctx, tx); await j.tx.lots.setRemaining(updates); await j.flush() // lot_movements
 */
export function journaled(ctx: Context, tx: Tx): { tx: Tx; flush: () => Promise<void> } {
  /** The movements of this unit of work, written by `flush` before it commits. */
  const journal: LotMovement[] = [];
  /** Lots read in this unit of work: their credits as last seen. */
  const seen = new Map<string, { accountId: string; remaining: bigint }>();
  /** Per account, the transfers of this unit of work and what of them no lot movement has matched yet. */
  const outOf = new Map<string, { transfer: Transfer; left: bigint }[]>();
  const into = new Map<string, { transfer: Transfer; left: bigint }[]>();
  const queue = (m: typeof outOf, accountId: string) => {
    const q = m.get(accountId) ?? [];
    m.set(accountId, q);
    return q;
  };
  const remember = <L extends Lot>(lots: L[]): L[] => {
    for (const l of lots) seen.set(l.id, { accountId: l.accountId, remaining: l.remainingMinor });
    return lots;
  };
  /** Splits a change of a lot over the transfers it came from, first posted first. */
  const match = (
    accountId: string,
    lotId: string,
    change: bigint,
    fallback: LotMovementKind,
  ): LotMovement[] => {
    const q = queue(change < 0n ? outOf : into, accountId);
    let left = change < 0n ? -change : change;
    const sign = change < 0n ? -1n : 1n;
    const rows: LotMovement[] = [];
    const row = (transfer: Transfer | null, credits: bigint): LotMovement => ({
      id: ctx.ids.newId('lmv'),
      lotId,
      accountId,
      transferId: transfer?.id ?? null,
      kind: change < 0n && transfer ? (OUT_KIND[transfer.code] ?? 'consumed') : fallback,
      creditsMinor: sign * credits,
      atMs: transfer?.createdAtMs ?? ctx.clock.nowMs(),
    });
    for (const entry of q) {
      if (left === 0n) break;
      if (entry.left === 0n) continue;
      const take = entry.left < left ? entry.left : left;
      entry.left -= take;
      left -= take;
      rows.push(row(entry.transfer, take));
    }
    if (left > 0n) rows.push(row(null, left));
    return rows;
  };

  const ledger = Object.create(tx.ledger) as LedgerRepo;
  ledger.apply = async (plan) => {
    await tx.ledger.apply(plan);
    for (const t of plan.transfers) {
      if (t.kind !== 'posted' && t.kind !== 'post_pending') continue;
      queue(outOf, t.debitAccountId).push({ transfer: t, left: t.amount });
      queue(into, t.creditAccountId).push({ transfer: t, left: t.amount });
    }
  };

  const lots = Object.create(tx.lots) as LotRepo;
  lots.listOpen = async (accountId) => remember(await tx.lots.listOpen(accountId));
  lots.listRefillable = async (accountId, nowMs) => remember(await tx.lots.listRefillable(accountId, nowMs));
  lots.listExpired = async (nowMs, limit, after) => remember(await tx.lots.listExpired(nowMs, limit, after));
  lots.findBySource = async (sourceId) => {
    const lot = await tx.lots.findBySource(sourceId);
    if (lot) remember([lot]);
    return lot;
  };
  lots.insert = async (lot) => {
    await tx.lots.insert(lot);
    seen.set(lot.id, { accountId: lot.accountId, remaining: lot.remainingMinor });
    const rows = match(lot.accountId, lot.id, lot.creditsMinor, IN_KIND[lot.source]);
    // Credits of a new lot that paid off a debt (usage billed past zero earlier) are used at once,
    // by the transfer that brought them (the journal shows that use as a line of its own).
    const debt = lot.creditsMinor - lot.remainingMinor;
    if (debt > 0n)
      rows.push({
        id: ctx.ids.newId('lmv'),
        lotId: lot.id,
        accountId: lot.accountId,
        transferId: rows[0]!.transferId,
        kind: 'consumed',
        creditsMinor: -debt,
        atMs: rows[0]!.atMs,
      });
    journal.push(...rows);
  };
  lots.setRemaining = async (updates) => {
    await tx.lots.setRemaining(updates);
    const rows: LotMovement[] = [];
    for (const u of updates) {
      const known = seen.get(u.id);
      if (!known) throw new Error(`lot ${u.id} changed without being read in this unit of work`);
      const change = u.remainingMinor - known.remaining;
      known.remaining = u.remainingMinor;
      if (change !== 0n) rows.push(...match(known.accountId, u.id, change, 'consumed'));
    }
    journal.push(...rows);
  };

  const wrapped = Object.create(tx) as Tx;
  wrapped.ledger = ledger;
  wrapped.lots = lots;
  return {
    tx: wrapped,
    // One batch for the whole unit of work (a billing run changes the lots of many accounts).
    flush: async () => {
      if (journal.length > 0) await tx.finance.insertMovements(journal.splice(0));
    },
  };
}
