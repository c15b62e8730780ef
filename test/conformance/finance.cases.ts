/**
 * Conformance of the finance repository (lot journal, report reads) on every storage adapter:
 * the same cases as storage.cases.ts runs, in a file of their own.
 */
import { describe, expect, it } from 'vitest';
import { planTransfers, type TransferInput } from '../../src/core/kernel/ledger.ts';
import type { LotMovement, Storage, Tx } from '../../src/core/kernel/ports.ts';
import { acct } from './storage.cases.ts';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const HOUR = 3_600_000;

const move = (
  id: string,
  lotId: string,
  transferId: string | null,
  credits: bigint,
  atMs: number,
): LotMovement => ({
  id,
  lotId,
  accountId: 'alice',
  transferId,
  kind: credits > 0n ? 'purchased' : 'consumed',
  creditsMinor: credits,
  atMs,
});

async function seed(tx: Tx): Promise<void> {
  await tx.ledger.insertAccounts([acct('sys', 'system'), acct('alice', 'customer')]);
  await tx.accounts.insert({
    id: 'alice',
    name: 'Alice',
    email: null,
    externalId: null,
    ledgerAccountId: 'alice',
    lowBalanceThresholdMinor: null,
    spendLimit: null,
    autoTopUp: null,
    createdAtMs: T0,
  });
  await tx.purchases.insert({
    id: 'pur_1',
    accountId: 'alice',
    idempotencyKey: 'k',
    requestFingerprint: 'f',
    creditsMinor: 3000n,
    unitPrice: '0.01',
    subtotalMinor: 3000n,
    taxMinor: 600n,
    totalMinor: 3600n,
    provider: 'manual',
    status: 'paid',
    providerRef: null,
    checkoutUrl: null,
    invoiceId: null,
    createdAtMs: T0,
    resolvedAtMs: T0,
    origin: 'customer',
  });
  const lot = { accountId: 'alice', priority: 10, expiresAtMs: null, createdAtMs: T0, models: null };
  await tx.lots.insert({
    ...lot,
    id: 'lot_p',
    source: 'purchase',
    sourceId: 'pur_1',
    creditsMinor: 3000n,
    remainingMinor: 3000n,
  });
  await tx.lots.insert({
    ...lot,
    id: 'lot_g',
    source: 'grant',
    sourceId: 'grant_1',
    creditsMinor: 50n,
    remainingMinor: 50n,
  });
  const inputs: TransferInput[] = [
    {
      id: 'purchase_pur_1',
      debitAccountId: 'sys',
      creditAccountId: 'alice',
      amount: 3000n,
      code: 'purchase',
    },
    { id: 'usage_1', debitAccountId: 'alice', creditAccountId: 'sys', amount: 1000n, code: 'usage' },
  ];
  const view = await tx.ledger.loadView(
    inputs.map((i) => i.id),
    ['sys', 'alice'],
  );
  await tx.ledger.apply(planTransfers(inputs, view, T0).plan!);
  await tx.finance.insertMovements([
    move('lmv_1', 'lot_p', 'purchase_pur_1', 3000n, T0),
    move('lmv_2', 'lot_g', null, 50n, T0),
    move('lmv_3', 'lot_p', 'usage_1', -1000n, T0 + HOUR),
    move('lmv_4', 'lot_p', 'usage_1', -500n, T0 + 2 * HOUR),
  ]);
}

export function financeConformance(name: string, open: () => Promise<Storage>): void {
  const test = (title: string, fn: (s: Storage) => Promise<void>) =>
    it(title, async () => {
      const storage = await open();
      try {
        await fn(storage);
      } finally {
        await storage.close();
      }
    });

  describe(`finance conformance: ${name}`, () => {
    test('journals lot movements and reads them back by time, by lot and by transfer', async (s) => {
      await s.transaction(seed);
      const read = <T>(fn: (tx: Tx) => Promise<T>) => s.transaction(fn, { readOnly: true });
      expect(await read((tx) => tx.finance.remainingBefore(T0 + HOUR))).toEqual(
        new Map([
          ['lot_p', 3000n],
          ['lot_g', 50n],
        ]),
      );
      expect(await read((tx) => tx.finance.remainingBefore(T0 + 3 * HOUR))).toEqual(
        new Map([
          ['lot_p', 1500n],
          ['lot_g', 50n],
        ]),
      );
      const between = await read((tx) => tx.finance.movementsBetween(T0 + HOUR, T0 + 3 * HOUR));
      expect(between.map((m) => [m.id, m.creditsMinor, m.transferId, m.kind])).toEqual([
        ['lmv_3', -1000n, 'usage_1', 'consumed'],
        ['lmv_4', -500n, 'usage_1', 'consumed'],
      ]);
      const ofUsage = await read((tx) => tx.finance.movementsOfTransfers(['usage_1']));
      expect(ofUsage.sort((a, b) => a.atMs - b.atMs).map((m) => [m.id, m.remainingBeforeMinor])).toEqual([
        ['lmv_3', 3000n],
        ['lmv_4', 2000n],
      ]);
      // Only a purchase's lot has a cost.
      expect(await read((tx) => tx.finance.lotCosts(['lot_p', 'lot_g']))).toEqual(
        new Map([['lot_p', { lotId: 'lot_p', creditsMinor: 3000n, costMinor: 3000n, currency: 'USD' }]]),
      );
    });

    test('lists transfers in a range, oldest first, a page at a time', async (s) => {
      await s.transaction(seed);
      const read = <T>(fn: (tx: Tx) => Promise<T>) => s.transaction(fn, { readOnly: true });
      const first = await read((tx) => tx.finance.transfersBetween(T0, T0 + 1, 1));
      expect(first.map((t) => [t.id, t.amount, t.code, t.kind])).toEqual([
        ['purchase_pur_1', 3000n, 'purchase', 'posted'],
      ]);
      const next = await read((tx) =>
        tx.finance.transfersBetween(T0, T0 + 1, 10, { createdAtMs: first[0]!.createdAtMs, id: first[0]!.id }),
      );
      expect(next.map((t) => [t.id, t.debitAccountId, t.creditAccountId])).toEqual([
        ['usage_1', 'alice', 'sys'],
      ]);
      expect(await read((tx) => tx.finance.transfersBetween(T0 + 1, T0 + HOUR, 10))).toEqual([]);
    });
  });
}
