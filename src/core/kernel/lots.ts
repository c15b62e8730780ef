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
 * What each lot keeps once the reserved credits (consumed but unbilled, and held) have burned it:
 * those credits are spoken for, so neither a refund nor an expiry may take them. `lots` are in
 * burn order, as usage will burn them.
 * @example unspentByLot([{ id: 'a', remainingMinor: 5n }, { id: 'b', remainingMinor: 5n }], 7n) // a->0, b->3
 */
export function unspentByLot(
  lots: Pick<Lot, 'id' | 'remainingMinor'>[],
  reservedMinor: bigint,
): Map<string, bigint> {
  const unspent = new Map<string, bigint>();
  let reserved = reservedMinor;
  for (const lot of lots) {
    const take = lot.remainingMinor < reserved ? lot.remainingMinor : reserved;
    reserved -= take;
    unspent.set(lot.id, lot.remainingMinor - take);
  }
  return unspent;
}
