import type {
  LedgerAccount,
  LedgerPlan,
  LedgerView,
  Resolution,
  Transfer,
  TransferKind,
} from '../../core/kernel/ledger.ts';
import type { LedgerRepo } from '../../core/kernel/ports.ts';
import {
  big,
  bigOrNull,
  chunks,
  idBigintTuples,
  inList,
  num,
  numOrNull,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
  tuples,
} from './sql-connection.ts';

const toAccount = (r: Row): LedgerAccount => ({
  id: str(r.id),
  asset: str(r.asset),
  kind: str(r.kind) as LedgerAccount['kind'],
  overdraftMinor: bigOrNull(r.overdraft_minor),
  debitsPosted: big(r.debits_posted),
  creditsPosted: big(r.credits_posted),
  debitsPending: big(r.debits_pending),
  creditsPending: big(r.credits_pending),
});

const toTransfer = (r: Row): Transfer => ({
  id: str(r.id),
  kind: str(r.kind) as TransferKind,
  debitAccountId: str(r.debit_account_id),
  creditAccountId: str(r.credit_account_id),
  asset: str(r.asset),
  amount: big(r.amount),
  pendingId: strOrNull(r.pending_id),
  timeoutAtMs: numOrNull(r.timeout_at_ms),
  code: str(r.code),
  metadata: r.metadata ? (JSON.parse(str(r.metadata)) as Record<string, string>) : null,
  fingerprint: str(r.fingerprint),
  createdAtMs: num(r.created_at_ms),
});

/** The ledger in SQL (SQLite or PostgreSQL); the unit of work is the caller's. */
export class SqlLedgerRepo implements LedgerRepo {
  constructor(private readonly c: SqlConnection) {}

  /** One statement per chunk of accounts; an account that exists is left as it is. */
  async insertAccounts(accounts: LedgerAccount[]): Promise<void> {
    for (const chunk of chunks(accounts)) {
      await this.c
        .stmt(
          `INSERT INTO ledger_accounts (id, asset, kind, overdraft_minor, debits_posted, credits_posted, debits_pending, credits_pending, created_at_ms)
           VALUES ${tuples(chunk.length, 9)} ON CONFLICT (id) DO NOTHING`,
        )
        .run(
          ...chunk.flatMap((a) => [
            a.id,
            a.asset,
            a.kind,
            a.overdraftMinor,
            a.debitsPosted,
            a.creditsPosted,
            a.debitsPending,
            a.creditsPending,
            0,
          ]),
        );
    }
  }

  async getAccount(id: string): Promise<LedgerAccount | undefined> {
    const row = (await this.c.stmt('SELECT * FROM ledger_accounts WHERE id = ?').get(id)) as Row | undefined;
    return row && toAccount(row);
  }

  /**
   * One statement for the transfers (with the resolution of each pending one), one for the
   * accounts, per chunk of ids, whatever the size of the batch.
   */
  async loadView(transferIds: string[], accountIds: string[]): Promise<LedgerView> {
    const view: LedgerView = { accounts: new Map(), transfers: new Map(), resolutions: new Map() };
    const found = new Map<string, Row>();
    for (const chunk of chunks([...new Set(transferIds)])) {
      const ids = inList(chunk);
      const rows = (await this.c
        .stmt(
          `SELECT t.*, r.resolution FROM transfers t LEFT JOIN pending_resolutions r ON r.pending_id = t.id
           WHERE t.id IN (${ids.marks})`,
        )
        .all(...ids.values)) as Row[];
      for (const row of rows) found.set(str(row.id), row);
    }
    const wanted = new Set(accountIds);
    for (const id of transferIds) {
      const row = found.get(id);
      if (!row) continue;
      const t = toTransfer(row);
      view.transfers.set(id, t);
      if (t.kind === 'pending') {
        wanted.add(t.debitAccountId).add(t.creditAccountId);
        if (row.resolution != null) view.resolutions.set(id, str(row.resolution) as Resolution);
      }
    }
    // Locked in id order where writers are concurrent, so two batches never deadlock.
    for (const chunk of chunks([...wanted].sort())) {
      const ids = inList(chunk);
      const rows = (await this.c
        .stmt(`SELECT * FROM ledger_accounts WHERE id IN (${ids.marks}) ORDER BY id${this.c.forUpdate}`)
        .all(...ids.values)) as Row[];
      for (const row of rows) view.accounts.set(str(row.id), toAccount(row));
    }
    return view;
  }

  /** One statement per chunk of transfers, of resolutions and of accounts. */
  async apply(plan: LedgerPlan): Promise<void> {
    for (const chunk of chunks(plan.transfers)) {
      await this.c
        .stmt(
          `INSERT INTO transfers (id, kind, debit_account_id, credit_account_id, asset, amount, pending_id, timeout_at_ms, code, metadata, fingerprint, created_at_ms)
           VALUES ${tuples(chunk.length, 12)}`,
        )
        .run(
          ...chunk.flatMap((t) => [
            t.id,
            t.kind,
            t.debitAccountId,
            t.creditAccountId,
            t.asset,
            t.amount,
            t.pendingId,
            t.timeoutAtMs,
            t.code,
            t.metadata ? JSON.stringify(t.metadata) : null,
            t.fingerprint,
            t.createdAtMs,
          ]),
        );
    }
    for (const chunk of chunks(plan.resolutions)) {
      await this.c
        .stmt(
          `INSERT INTO pending_resolutions (pending_id, resolution, transfer_id) VALUES ${tuples(chunk.length, 3)}`,
        )
        .run(...chunk.flatMap((r) => [r.pendingId, r.resolution, r.transferId]));
    }
    // The last totals of an account named twice win, as they would one update after another.
    const accounts = [...new Map(plan.accounts.map((a) => [a.id, a])).values()];
    for (const chunk of chunks(accounts)) {
      await this.c
        .stmt(
          `UPDATE ledger_accounts SET debits_posted = v.column2, credits_posted = v.column3,
             debits_pending = v.column4, credits_pending = v.column5
           FROM (VALUES ${idBigintTuples(chunk.length, 4)}) AS v
           WHERE ledger_accounts.id = v.column1`,
        )
        .run(
          ...chunk.flatMap((a) => [a.id, a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending]),
        );
    }
  }
}

/**
 * The ledger's invariants as SQL, the same on every dialect: per asset the sum of balances, and
 * the accounts whose stored totals differ from the sum of their posted entries.
 */
export async function auditLedger(
  c: SqlConnection,
): Promise<{ assetSums: { asset: string; sum: bigint }[]; mismatchedAccounts: string[] }> {
  const sums = (await c
    .stmt(
      'SELECT asset, sum(credits_posted - debits_posted) AS s FROM ledger_accounts GROUP BY asset ORDER BY asset',
    )
    .all()) as Row[];
  const mismatched = (await c
    .stmt(
      `SELECT a.id FROM ledger_accounts a
       LEFT JOIN (SELECT debit_account_id AS id, sum(amount) AS d FROM transfers WHERE kind IN ('posted', 'post_pending') GROUP BY debit_account_id) d ON d.id = a.id
       LEFT JOIN (SELECT credit_account_id AS id, sum(amount) AS c FROM transfers WHERE kind IN ('posted', 'post_pending') GROUP BY credit_account_id) c ON c.id = a.id
       WHERE a.debits_posted != coalesce(d.d, 0) OR a.credits_posted != coalesce(c.c, 0)`,
    )
    .pluck(true)
    .all()) as string[];
  return {
    assetSums: sums.map((r) => ({ asset: str(r.asset), sum: big(r.s) })),
    mismatchedAccounts: mismatched,
  };
}
