/**
 * Batches larger than one statement takes, on every storage: the shared repositories split them
 * into multi-row statements, and on PostgreSQL a batch costs a few round trips, not one per row.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PostgresStorage } from '../../src/adapters/postgres/postgres-storage.ts';
import { SqliteStorage } from '../../src/adapters/sqlite/sqlite-storage.ts';
import { planTransfers, type TransferInput } from '../../src/core/kernel/ledger.ts';
import type { Storage } from '../../src/core/kernel/ports.ts';
import { acct as account } from './storage.cases.ts';

const url = process.env.TOLLGATE_PG_URL;
const schemas: string[] = [];
const stores: { name: string; open: () => Promise<Storage> }[] = [
  {
    name: 'sqlite',
    open: () => SqliteStorage.open({ database: ':memory:', dedupeWindowMs: 0, nowMs: 0 }),
  },
  ...(url
    ? [
        {
          name: 'postgres',
          open: () => {
            const schema = `tg_batch_${randomBytes(6).toString('hex')}`;
            schemas.push(schema);
            return PostgresStorage.open({ url, schema, poolSize: 2 });
          },
        },
      ]
    : []),
];

afterAll(async () => {
  if (!url || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`);
  await client.end();
});

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

describe.each(stores)('batches beyond one statement ($name)', ({ name, open }) => {
  it('posts 370 transfers over 251 accounts and settles 120 pending ones, each step in a few statements', async () => {
    const s = await open();
    try {
      const customers = ids('c', 250);
      const grants = ids('g', 250);
      const pendings = ids('p', 120);
      await s.transaction((tx) =>
        tx.ledger.insertAccounts([account('sys', 'system'), ...customers.map((c) => account(c, 'customer'))]),
      );
      const inputs: TransferInput[] = [
        ...grants.map((id, i) => ({
          id,
          debitAccountId: 'sys',
          creditAccountId: customers[i]!,
          amount: 100n,
          code: 'grant',
        })),
        ...pendings.map((id, i) => ({
          id,
          kind: 'pending' as const,
          debitAccountId: customers[i]!,
          creditAccountId: 'sys',
          amount: 30n,
          timeoutSeconds: 60,
          code: 'hold',
        })),
      ];
      // Round trips of the step that loads and posts the batch (PostgreSQL only: SQLite has none).
      const queries = vi.spyOn(pg.Client.prototype, 'query');
      await s.transaction(async (tx) => {
        const view = await tx.ledger.loadView(
          inputs.map((t) => t.id),
          ['sys', ...customers],
        );
        const { results, plan } = planTransfers(inputs, view, 0);
        expect(results.filter((r) => r.status !== 'created')).toEqual([]);
        await tx.ledger.apply(plan!);
      });
      const roundTrips = queries.mock.calls.length;
      queries.mockRestore();
      // BEGIN, 4 chunks of transfers read, 3 of accounts locked, 4 of transfers written, 3 of
      // accounts updated, COMMIT: about 16, where a round trip per row would be over a thousand.
      if (name === 'postgres') {
        expect(roundTrips).toBeGreaterThan(2); // the count sees the client's queries
        expect(roundTrips).toBeLessThanOrEqual(20);
      }

      const settle: TransferInput[] = pendings.map((pendingId, i) => ({
        id: `s${pendingId}`,
        kind: i % 2 ? 'void_pending' : 'post_pending',
        pendingId,
        amount: 30n,
        code: 'settle',
      }));
      await s.transaction(async (tx) => {
        const view = await tx.ledger.loadView(settle.map((t) => t.id).concat(pendings), []);
        expect(view.accounts.size).toBe(121); // the accounts of the pending transfers, found through them
        await tx.ledger.apply(planTransfers(settle, view, 0).plan!);
      });

      const view = await s.transaction(
        (tx) => tx.ledger.loadView([...grants, ...pendings], ['sys', ...customers]),
        {
          readOnly: true,
        },
      );
      expect(view.transfers.size).toBe(370);
      expect([...view.transfers.keys()]).toEqual([...grants, ...pendings]);
      expect(view.resolutions.size).toBe(120);
      expect(view.resolutions.get('p000')).toBe('posted');
      expect(view.resolutions.get('p001')).toBe('voided');
      expect([...view.accounts.keys()]).toEqual([...customers, 'sys'].sort());
      expect(view.accounts.get('c000')).toMatchObject({
        creditsPosted: 100n,
        debitsPosted: 30n,
        debitsPending: 0n,
      });
      expect(view.accounts.get('c001')).toMatchObject({
        creditsPosted: 100n,
        debitsPosted: 0n,
        debitsPending: 0n,
      });
      expect(view.accounts.get('c249')).toMatchObject({ creditsPosted: 100n, debitsPosted: 0n });
      expect(await s.audit()).toEqual({ assetSums: [{ asset: 'credits', sum: 0n }], mismatchedAccounts: [] });
    } finally {
      await s.close();
    }
  });
});
