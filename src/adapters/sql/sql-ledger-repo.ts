import type {
  LedgerAccount,
  LedgerPlan,
  LedgerView,
  Resolution,
  Transfer,
  TransferKind,
} from '../../core/ledger.ts';
import type { LedgerRepo } from '../../core/ports.ts';
import {
  big,
  bigOrNull,
  num,
  numOrNull,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
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

  async insertAccounts(accounts: LedgerAccount[]): Promise<void> {
    const insert = this.c.stmt(
      `INSERT INTO ledger_accounts (id, asset, kind, overdraft_minor, debits_posted, credits_posted, debits_pending, credits_pending, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING`,
    );
    for (const a of accounts) {
      await insert.run(
        a.id,
        a.asset,
        a.kind,
        a.overdraftMinor,
        a.debitsPosted,
        a.creditsPosted,
        a.debitsPending,
        a.creditsPending,
      );
    }
  }

  async getAccount(id: string): Promise<LedgerAccount | undefined> {
    const row = (await this.c.stmt('SELECT * FROM ledger_accounts WHERE id = ?').get(id)) as Row | undefined;
    return row && toAccount(row);
  }

  async loadView(transferIds: string[], accountIds: string[]): Promise<LedgerView> {
    const view: LedgerView = { accounts: new Map(), transfers: new Map(), resolutions: new Map() };
    const getTransfer = this.c.stmt('SELECT * FROM transfers WHERE id = ?');
    const getResolution = this.c.stmt('SELECT resolution FROM pending_resolutions WHERE pending_id = ?');
    const wanted = new Set(accountIds);
    for (const id of transferIds) {
      const row = (await getTransfer.get(id)) as Row | undefined;
      if (!row) continue;
      const t = toTransfer(row);
      view.transfers.set(id, t);
      if (t.kind === 'pending') {
        wanted.add(t.debitAccountId).add(t.creditAccountId);
        const res = (await getResolution.get(id)) as Row | undefined;
        if (res) view.resolutions.set(id, str(res.resolution) as Resolution);
      }
    }
    // Locked in id order where writers are concurrent, so two batches never deadlock.
    const lock = this.c.stmt(`SELECT * FROM ledger_accounts WHERE id = ?${this.c.forUpdate}`);
    for (const id of [...wanted].sort()) {
      const row = (await lock.get(id)) as Row | undefined;
      if (row) view.accounts.set(id, toAccount(row));
    }
    return view;
  }

  async apply(plan: LedgerPlan): Promise<void> {
    const insert = this.c.stmt(
      `INSERT INTO transfers (id, kind, debit_account_id, credit_account_id, asset, amount, pending_id, timeout_at_ms, code, metadata, fingerprint, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const t of plan.transfers) {
      await insert.run(
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
      );
    }
    const resolve = this.c.stmt(
      'INSERT INTO pending_resolutions (pending_id, resolution, transfer_id) VALUES (?, ?, ?)',
    );
    for (const r of plan.resolutions) await resolve.run(r.pendingId, r.resolution, r.transferId);
    const update = this.c.stmt(
      `UPDATE ledger_accounts SET debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ? WHERE id = ?`,
    );
    for (const a of plan.accounts)
      await update.run(a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending, a.id);
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
