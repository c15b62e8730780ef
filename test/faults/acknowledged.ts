import pg from 'pg';
import { expect } from 'vitest';
import { PostgresStorage } from '../../src/adapters/postgres/postgres-storage.ts';
import type { Storage } from '../../src/core/kernel/ports.ts';
import type { client } from '../server-process.ts';

/** What the store holds after the run: every acknowledged write, and a ledger that balances. */
export async function assertAcknowledgedWrites(
  url: string,
  report: { ackedEvents: Set<string>; paidPurchases: Set<string> },
  accountId: string,
  api: ReturnType<typeof client>,
  grantCredits: number,
) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const events = [...report.ackedEvents];
    const found = await db.query<{ id: string }>('SELECT id FROM usage_events WHERE id = ANY($1)', [events]);
    const stored = new Set(found.rows.map((r) => r.id));
    expect(events.filter((id) => !stored.has(id))).toEqual([]);
    const paid = await db.query<{ id: string }>("SELECT id FROM purchases WHERE status = 'paid'");
    const paidIds = new Set(paid.rows.map((r) => r.id));
    expect([...report.paidPurchases].filter((id) => !paidIds.has(id))).toEqual([]);
    // Posted credits are the grant and every paid purchase (usage of this hour is not billed yet).
    const balance = (await api('GET', `/v1/accounts/${accountId}/balance`)).body;
    expect(Number(balance.posted)).toBe(grantCredits + 1000 * paidIds.size);
  } finally {
    await db.end();
  }
  await assertLedgerBalanced(await PostgresStorage.open({ url, poolSize: 2 }));
}

/** The ledger's own audit on a store (closed after): every asset sums to zero, every balance matches its entries. */
export async function assertLedgerBalanced(storage: Pick<Storage, 'audit' | 'close'>): Promise<void> {
  try {
    const audit = await storage.audit();
    expect(audit.mismatchedAccounts).toEqual([]);
    for (const a of audit.assetSums) expect(a.sum).toBe(0n);
  } finally {
    await storage.close();
  }
}
