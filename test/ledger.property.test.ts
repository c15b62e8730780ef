import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import type { LedgerAccount, TransferInput } from '../src/core/kernel/ledger.ts';
import { makeEngine } from './helpers.ts';

/** Runs per property in CI; raise locally with FC_RUNS=1000. */
const RUNS = Number(process.env.FC_RUNS ?? 60);

const customer = (id: string, overdraft: bigint): LedgerAccount => ({
  id,
  asset: 'credits',
  kind: 'customer',
  overdraftMinor: overdraft,
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});
const ACCOUNTS = ['sys_credits_issued', 'c0', 'c1', 'c2'];
const FLOORS: Record<string, bigint> = { c0: 0n, c1: 0n, c2: -50n };

const op = fc.oneof(
  fc.record({
    type: fc.constant('transfer' as const),
    id: fc.integer({ min: 0, max: 30 }),
    from: fc.integer({ min: 0, max: 3 }),
    to: fc.integer({ min: 0, max: 3 }),
    amount: fc.bigInt({ min: -5n, max: 400n }),
  }),
  fc.record({
    type: fc.constant('pending' as const),
    id: fc.integer({ min: 0, max: 10 }),
    from: fc.integer({ min: 1, max: 3 }),
    amount: fc.bigInt({ min: 1n, max: 200n }),
    ttl: fc.integer({ min: 1, max: 120 }),
  }),
  fc.record({
    type: fc.constant('post' as const),
    pending: fc.integer({ min: 0, max: 10 }),
    amount: fc.bigInt({ min: 1n, max: 250n }),
  }),
  fc.record({ type: fc.constant('void' as const), pending: fc.integer({ min: 0, max: 10 }) }),
  fc.record({
    type: fc.constant('expire' as const),
    pending: fc.integer({ min: 0, max: 10 }),
    seconds: fc.integer({ min: 0, max: 150 }),
  }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function toInput(o: Op, batch: number): TransferInput {
  switch (o.type) {
    case 'transfer':
      return {
        id: `t${o.id}`,
        debitAccountId: ACCOUNTS[o.from],
        creditAccountId: ACCOUNTS[o.to],
        amount: o.amount,
        code: 'prop',
      };
    case 'pending':
      return {
        id: `h${o.id}`,
        kind: 'pending',
        debitAccountId: ACCOUNTS[o.from],
        creditAccountId: 'sys_credits_issued',
        amount: o.amount,
        timeoutSeconds: o.ttl,
        code: 'prop',
      };
    case 'post':
      return {
        id: `p${o.pending}_${batch}`,
        kind: 'post_pending',
        pendingId: `h${o.pending}`,
        amount: o.amount,
        code: 'prop',
      };
    case 'void':
      return {
        id: `v${o.pending}_${batch}`,
        kind: 'void_pending',
        pendingId: `h${o.pending}`,
        amount: 0n,
        code: 'prop',
      };
    case 'expire':
      return {
        id: `x${o.pending}_${batch}`,
        kind: 'void_pending',
        pendingId: `h${o.pending}`,
        amount: 0n,
        code: 'prop',
        expire: true,
      };
  }
}

describe('ledger invariants under random operations, retries and refusals', () => {
  it('keeps balances summing to zero, each balance equal to its entries, floors held, holds resolved once, retries posted once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
        async (batches) => {
          const { engine, clock } = await makeEngine();
          const storage = engine.storage as SqliteStorage;
          await storage.transaction((tx) =>
            tx.ledger.insertAccounts([customer('c0', 0n), customer('c1', 0n), customer('c2', 50n)]),
          );
          // The model: balances as the sum of what the ledger said it created.
          const expected = new Map<string, bigint>(ACCOUNTS.map((a) => [a, 0n]));
          const created = new Set<string>();
          for (const [i, batch] of batches.entries()) {
            const inputs = batch.map((o) => toInput(o, i));
            if (batch.some((o) => o.type === 'expire'))
              clock.advance(Math.max(...batch.map((o) => (o.type === 'expire' ? o.seconds : 0))) * 1000);
            const results = await engine.ledger.post(inputs);
            // Retrying the same batch never posts twice.
            const retried = await engine.ledger.post(inputs);
            for (const [j, r] of results.entries()) {
              if (r.status === 'created') {
                expect(created.has(r.id)).toBe(false);
                created.add(r.id);
                if (r.transfer.kind === 'posted' || r.transfer.kind === 'post_pending') {
                  expected.set(
                    r.transfer.creditAccountId,
                    expected.get(r.transfer.creditAccountId)! + r.transfer.amount,
                  );
                  expected.set(
                    r.transfer.debitAccountId,
                    expected.get(r.transfer.debitAccountId)! - r.transfer.amount,
                  );
                }
                expect(retried[j]!.status).toBe('exists');
              }
            }
            const audit = await engine.ledger.audit();
            expect(audit.mismatchedAccounts).toEqual([]);
            for (const s of audit.assetSums) expect(s.sum).toBe(0n);
            const db = storage.connection.db;
            for (const id of ['c0', 'c1', 'c2']) {
              const row = db
                .prepare(
                  'SELECT credits_posted - debits_posted AS posted, debits_pending AS pending FROM ledger_accounts WHERE id = ?',
                )
                .get(id) as {
                posted: bigint;
                pending: bigint;
              };
              expect(row.posted).toBe(expected.get(id));
              expect(row.posted - row.pending >= FLOORS[id]!).toBe(true);
            }
            const twice = db
              .prepare(
                `SELECT pending_id FROM transfers WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1`,
              )
              .all();
            expect(twice).toEqual([]);
          }
          await engine.close();
        },
      ),
      { numRuns: RUNS },
    );
  });
});
