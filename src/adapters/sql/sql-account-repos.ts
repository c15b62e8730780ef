import {
  type BillingDetailsJson,
  billingDetailsFromJson,
  billingDetailsJson,
} from '../../core/kernel/billing-details.ts';
import type { Account, ApiKey, ApiKeyStatus, AutoTopUp, SpendLimit } from '../../core/kernel/model.ts';
import type { AccountRepo, KeyRepo } from '../../core/kernel/ports.ts';
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
} from './sql-connection.ts';

/** A spend limit from its two columns (null: no limit): the operator's cap, or with `budget` the customer's. */
export const toLimit = (r: Row, column: 'spend_limit' | 'spend_budget' = 'spend_limit'): SpendLimit | null =>
  r[`${column}_minor`] === null || r[`${column}_minor`] === undefined
    ? null
    : { creditsMinor: big(r[`${column}_minor`]), period: str(r[`${column}_period`]) as SpendLimit['period'] };

const toAccount = (r: Row): Account => ({
  id: str(r.id),
  name: str(r.name),
  email: strOrNull(r.email),
  externalId: strOrNull(r.external_id),
  ledgerAccountId: str(r.ledger_account_id),
  lowBalanceThresholdMinor: bigOrNull(r.low_balance_threshold_minor),
  spendLimit: toLimit(r),
  spendBudget: toLimit(r, 'spend_budget'),
  autoTopUp: toAutoTopUp(r.auto_top_up),
  billingDetails:
    r.billing_details == null
      ? null
      : billingDetailsFromJson(JSON.parse(str(r.billing_details)) as BillingDetailsJson),
  currency: strOrNull(r.currency),
  createdAtMs: num(r.created_at_ms),
});

/** Auto top-up settings, kept as JSON with amounts as decimal strings of minor units. */
export const toAutoTopUp = (v: unknown): AutoTopUp | null => {
  if (v === null || v === undefined) return null;
  const j = JSON.parse(str(v)) as Record<string, string>;
  return {
    thresholdMinor: BigInt(j.threshold_minor!),
    creditsMinor: BigInt(j.credits_minor!),
    monthlyMaxTotalMinor: BigInt(j.monthly_max_total_minor!),
    provider: j.provider!,
  };
};

const autoTopUpJson = (a: AutoTopUp | null): string | null =>
  a &&
  JSON.stringify({
    threshold_minor: a.thresholdMinor.toString(),
    credits_minor: a.creditsMinor.toString(),
    monthly_max_total_minor: a.monthlyMaxTotalMinor.toString(),
    provider: a.provider,
  });

export class SqlAccountRepo implements AccountRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(a: Account): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO accounts (id, name, email, external_id, ledger_account_id, low_balance_threshold_minor, currency, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.name,
        a.email,
        a.externalId,
        a.ledgerAccountId,
        a.lowBalanceThresholdMinor,
        a.currency ?? null,
        a.createdAtMs,
      );
  }

  async get(id: string): Promise<Account | undefined> {
    const row = (await this.c.stmt('SELECT * FROM accounts WHERE id = ?').get(id)) as Row | undefined;
    return row && toAccount(row);
  }

  /** With concurrent writers (PostgreSQL) the row stays locked to the end of the unit of work. */
  async lock(id: string): Promise<Account | undefined> {
    const row = (await this.c.stmt(`SELECT * FROM accounts WHERE id = ?${this.c.forUpdate}`).get(id)) as
      | Row
      | undefined;
    return row && toAccount(row);
  }

  async lockMany(ids: string[]): Promise<void> {
    if (ids.length === 0 || !this.c.forUpdate) return; // one writer (SQLite): nothing to lock
    for (const chunk of chunks([...ids].sort())) {
      const list = inList(chunk);
      await this.c
        .stmt(`SELECT id FROM accounts WHERE id IN (${list.marks}) ORDER BY id${this.c.forUpdate}`)
        .all(...list.values);
    }
  }

  async findByExternalId(externalId: string): Promise<Account | undefined> {
    const row = (await this.c.stmt('SELECT * FROM accounts WHERE external_id = ?').get(externalId)) as
      | Row
      | undefined;
    return row && toAccount(row);
  }

  async list(f: {
    email?: string;
    externalId?: string;
    limit: number;
    afterId?: string;
  }): Promise<Account[]> {
    // Only the conditions given, so each statement takes its index (email, external id, or the
    // creation order from the cursor on) instead of scanning past OR-ed placeholders.
    const where: string[] = [];
    const values: unknown[] = [];
    if (f.email !== undefined) {
      where.push('a.email = ?');
      values.push(f.email);
    }
    if (f.externalId !== undefined) {
      where.push('a.external_id = ?');
      values.push(f.externalId);
    }
    if (f.afterId !== undefined) {
      where.push('(a.created_at_ms, a.id) < (SELECT c.created_at_ms, c.id FROM accounts c WHERE c.id = ?)');
      values.push(f.afterId);
    }
    const rows = (await this.c
      .stmt(
        `SELECT * FROM accounts a${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
         ORDER BY a.created_at_ms DESC, a.id DESC LIMIT ?`,
      )
      .all(...values, f.limit)) as Row[];
    return rows.map(toAccount);
  }

  async update(a: Account): Promise<void> {
    await this.c
      .stmt(
        'UPDATE accounts SET name = ?, email = ?, low_balance_threshold_minor = ?, spend_limit_minor = ?, spend_limit_period = ?, spend_budget_minor = ?, spend_budget_period = ?, auto_top_up = ?, billing_details = ?, currency = ? WHERE id = ?',
      )
      .run(
        a.name,
        a.email,
        a.lowBalanceThresholdMinor,
        a.spendLimit?.creditsMinor ?? null,
        a.spendLimit?.period ?? null,
        a.spendBudget?.creditsMinor ?? null,
        a.spendBudget?.period ?? null,
        autoTopUpJson(a.autoTopUp),
        a.billingDetails ? JSON.stringify(billingDetailsJson(a.billingDetails)) : null,
        a.currency ?? null,
        a.id,
      );
  }
}

const toKey = (r: Row): ApiKey => ({
  id: str(r.id),
  accountId: str(r.account_id),
  nickname: str(r.nickname),
  secretHash: str(r.secret_hash),
  hint: str(r.hint),
  status: str(r.status) as ApiKeyStatus,
  createdAtMs: num(r.created_at_ms),
  lastUsedAtMs: numOrNull(r.last_used_at_ms),
  spendLimit: toLimit(r),
  spendBudget: toLimit(r, 'spend_budget'),
});

export class SqlKeyRepo implements KeyRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(k: ApiKey): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO api_keys (id, account_id, nickname, secret_hash, hint, status, created_at_ms, last_used_at_ms, status_changed_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        k.id,
        k.accountId,
        k.nickname,
        k.secretHash,
        k.hint,
        k.status,
        k.createdAtMs,
        k.lastUsedAtMs,
        k.createdAtMs,
      );
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const row = (await this.c.stmt('SELECT * FROM api_keys WHERE id = ?').get(id)) as Row | undefined;
    return row && toKey(row);
  }

  async countActive(accountId: string): Promise<number> {
    const row = (await this.c
      .stmt(`SELECT count(*) AS n FROM api_keys WHERE account_id = ? AND status = 'active'`)
      .get(accountId)) as Row;
    return num(row.n);
  }

  async update(k: ApiKey): Promise<void> {
    await this.c
      .stmt(
        'UPDATE api_keys SET nickname = ?, spend_limit_minor = ?, spend_limit_period = ?, spend_budget_minor = ?, spend_budget_period = ? WHERE id = ?',
      )
      .run(
        k.nickname,
        k.spendLimit?.creditsMinor ?? null,
        k.spendLimit?.period ?? null,
        k.spendBudget?.creditsMinor ?? null,
        k.spendBudget?.period ?? null,
        k.id,
      );
  }

  async setStatus(id: string, status: ApiKeyStatus, atMs: number): Promise<void> {
    await this.c
      .stmt('UPDATE api_keys SET status = ?, status_changed_at_ms = ? WHERE id = ?')
      .run(status, atMs, id);
  }

  async list(accountId: string): Promise<ApiKey[]> {
    const rows = (await this.c
      .stmt(`SELECT * FROM api_keys WHERE account_id = ? AND status != 'deleted' ORDER BY created_at_ms, id`)
      .all(accountId)) as Row[];
    return rows.map(toKey);
  }

  async findByHash(secretHash: string): Promise<ApiKey | undefined> {
    const row = (await this.c.stmt('SELECT * FROM api_keys WHERE secret_hash = ?').get(secretHash)) as
      | Row
      | undefined;
    return row && toKey(row);
  }

  /** One statement per chunk of keys; a stored later use is kept. */
  async touch(lastUsed: { id: string; atMs: number }[]): Promise<void> {
    const latest = new Map<string, number>();
    for (const u of lastUsed) latest.set(u.id, Math.max(u.atMs, latest.get(u.id) ?? u.atMs));
    for (const chunk of chunks([...latest])) {
      await this.c
        .stmt(
          `UPDATE api_keys SET last_used_at_ms = v.column2 FROM (VALUES ${idBigintTuples(chunk.length, 1)}) AS v
           WHERE api_keys.id = v.column1 AND (api_keys.last_used_at_ms IS NULL OR api_keys.last_used_at_ms < v.column2)`,
        )
        .run(...chunk.flat());
    }
  }
}
