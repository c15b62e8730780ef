import type { PoolClient } from 'pg';
import type { IngestStatus, RatedEvent, UsageRecord } from '../../core/kernel/model.ts';
import type {
  RecordsQuery,
  UnbilledHour,
  UsageBilling,
  UsageHour,
  UsageQuery,
  UsageRepo,
} from '../../core/kernel/ports.ts';
import { HOUR_MS } from '../../core/kernel/time.ts';
import { big, num, type Row, str } from '../sql/sql-connection.ts';
import { rollUp } from '../sql/sql-usage-rollup.ts';
import { billingsOf, toUsageHour, toUsageRecord } from '../sql/sql-usage-rows.ts';
import { PgTxConnection } from './postgres-connection.ts';

/**
 * Usage in PostgreSQL. Several server processes share the database, so dedupe is a unique index
 * on the event id (no process sees all ids in memory), and a batch costs a handful of round trips:
 * events, rollup and unbilled totals are each written with one statement over arrays.
 */
export class PgUsageRepo implements UsageRepo {
  constructor(private readonly client: PoolClient) {}

  /** Stores a batch; answers each event's status. Runs inside the caller's transaction. */
  async ingest(events: RatedEvent[]): Promise<{ statuses: IngestStatus[]; accepted: RatedEvent[] }> {
    // First occurrence of each id in the batch; later ones are compared with it.
    const first = new Map<string, RatedEvent>();
    for (const e of events) if (!first.has(e.id)) first.set(e.id, e);
    const candidates = [...first.values()];
    const inserted = new Set<string>();
    if (candidates.length > 0) {
      const r = await this.client.query(
        `INSERT INTO usage_events (ts_ms, id, account_id, api_key_id, model, quantity_minor, credits_minor, properties, fingerprint, unit_price, price_version_id, quantities)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          candidates.map((e) => e.timestampMs),
          candidates.map((e) => e.id),
          candidates.map((e) => e.accountId),
          candidates.map((e) => e.apiKeyId),
          candidates.map((e) => e.model),
          candidates.map((e) => e.quantityMinor.toString()),
          candidates.map((e) => e.creditsMinor.toString()),
          candidates.map((e) => e.properties),
          candidates.map((e) => e.fingerprint),
          candidates.map((e) => e.unitPrice ?? null),
          candidates.map((e) => e.priceVersionId ?? null),
          candidates.map((e) => e.quantities ?? null),
        ],
      );
      for (const row of r.rows as { id: string }[]) inserted.add(row.id);
    }
    const stored = new Map<string, string>();
    const missing = candidates.filter((e) => !inserted.has(e.id)).map((e) => e.id);
    if (missing.length > 0) {
      const r = await this.client.query(
        'SELECT id, fingerprint FROM usage_events WHERE id = ANY($1::text[])',
        [missing],
      );
      for (const row of r.rows as { id: string; fingerprint: string }[]) stored.set(row.id, row.fingerprint);
    }
    const statuses: IngestStatus[] = [];
    const seen = new Set<string>();
    const accepted: RatedEvent[] = [];
    for (const e of events) {
      if (inserted.has(e.id) && !seen.has(e.id)) {
        seen.add(e.id);
        accepted.push(e);
        statuses.push('accepted');
        continue;
      }
      const fingerprint = inserted.has(e.id) ? first.get(e.id)!.fingerprint : stored.get(e.id);
      statuses.push(fingerprint === e.fingerprint ? 'duplicate' : 'conflict');
    }
    await this.addToRollup(accepted);
    return { statuses, accepted };
  }

  private async addToRollup(accepted: RatedEvent[]): Promise<void> {
    if (accepted.length === 0) return;
    const { groups, unbilled } = rollUp(accepted);
    // Rows in primary-key order, as billing locks them: concurrent batches never deadlock.
    const rows = [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, g]) => g);
    await this.client.query(
      `INSERT INTO usage_rollup (account_id, hour_ms, api_key_id, model, events, quantity_minor, credits_minor, billed_minor)
       SELECT a, h, k, m, n, q, c, 0 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) AS t(a, h, k, m, n, q, c)
       ON CONFLICT (account_id, hour_ms, api_key_id, model) DO UPDATE SET
         events = usage_rollup.events + excluded.events,
         quantity_minor = usage_rollup.quantity_minor + excluded.quantity_minor,
         credits_minor = usage_rollup.credits_minor + excluded.credits_minor`,
      [
        rows.map((g) => g.accountId),
        rows.map((g) => g.hourMs),
        rows.map((g) => g.apiKeyId),
        rows.map((g) => g.model),
        rows.map((g) => g.events.toString()),
        rows.map((g) => g.quantityMinor.toString()),
        rows.map((g) => g.creditsMinor.toString()),
      ],
    );
    const accounts = [...unbilled.keys()].sort();
    await this.client.query(
      `INSERT INTO account_usage (account_id, unbilled_minor) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (account_id) DO UPDATE SET unbilled_minor = account_usage.unbilled_minor + excluded.unbilled_minor`,
      [accounts, accounts.map((a) => unbilled.get(a)!.toString())],
    );
  }

  async unbilled(accountId: string): Promise<bigint> {
    const r = await this.client.query('SELECT unbilled_minor FROM account_usage WHERE account_id = $1', [
      accountId,
    ]);
    return r.rows[0] ? big((r.rows[0] as Row).unbilled_minor) : 0n;
  }

  async unbilledByModel(accountId: string): Promise<Map<string, bigint>> {
    const r = await this.client.query(
      `SELECT model, SUM(credits_minor - billed_minor) AS unbilled FROM usage_rollup
       WHERE account_id = $1 AND credits_minor > billed_minor GROUP BY model`,
      [accountId],
    );
    return new Map((r.rows as Row[]).map((row) => [str(row.model), big(row.unbilled)]));
  }

  async unbilledAccounts(beforeMs: number): Promise<string[]> {
    const r = await this.client.query(
      'SELECT DISTINCT account_id FROM usage_rollup WHERE credits_minor > billed_minor AND hour_ms < $1 ORDER BY account_id',
      [beforeMs],
    );
    return (r.rows as Row[]).map((row) => str(row.account_id));
  }

  /**
   * Locks the unbilled rollup rows of these accounts (so ingest and other billing runs wait on
   * them) and sums them per account and hour; what each hour billed before comes in the same
   * round trip. Rows inserted after this read are not among them, and `markBilled` touches only
   * these: late usage waits for the next run instead of being marked billed unbilled.
   */
  async listUnbilled(beforeMs: number, accountIds: string[]): Promise<UnbilledHour[]> {
    if (accountIds.length === 0) return [];
    const r = await this.client.query(
      `WITH locked AS (
         SELECT account_id, hour_ms, api_key_id, model, credits_minor, billed_minor FROM usage_rollup
         WHERE account_id = ANY($2::text[]) AND credits_minor > billed_minor AND hour_ms < $1
         ORDER BY account_id, hour_ms, api_key_id, model FOR UPDATE
       )
       SELECT l.*, (SELECT coalesce(sum(b.billed_minor), 0) FROM usage_rollup b
                    WHERE b.account_id = l.account_id AND b.hour_ms = l.hour_ms) AS billed_before
       FROM locked l ORDER BY l.account_id, l.hour_ms`,
      [beforeMs, accountIds],
    );
    // Taken once the rows are locked: a writer of a locked row committed before (in the credits
    // read, and seen) or commits after this billing (not seen); see migration 010.
    const seen = str(((await this.client.query('SELECT pg_current_snapshot()::text AS s')).rows[0] as Row).s);
    const hours = new Map<string, UnbilledHour>();
    for (const row of r.rows as Row[]) {
      const key = `${str(row.account_id)}\u0000${num(row.hour_ms)}`;
      let h = hours.get(key);
      if (!h) {
        h = {
          accountId: str(row.account_id),
          hourMs: num(row.hour_ms),
          creditsMinor: 0n,
          billedBeforeMinor: big(row.billed_before),
          rows: [],
          seen,
        };
        hours.set(key, h);
      }
      h.creditsMinor += big(row.credits_minor) - big(row.billed_minor);
      h.rows.push({
        apiKeyId: str(row.api_key_id),
        model: str(row.model),
        creditsMinor: big(row.credits_minor),
        billedMinor: big(row.billed_minor),
      });
    }
    return [...hours.values()];
  }

  /** One statement for the rows, one for their billings, one for the totals, whatever the number of hours. */
  async markBilled(hours: (UnbilledHour & { transferId: string })[], atMs: number): Promise<void> {
    if (hours.length === 0) return;
    const rows = hours.flatMap((h) =>
      h.rows.map((r) => ({
        ...r,
        accountId: h.accountId,
        hourMs: h.hourMs,
        seen: h.seen,
        transferId: h.transferId,
      })),
    );
    await this.client.query(
      `INSERT INTO usage_billings (account_id, hour_ms, api_key_id, model, n, snapshot, credits_minor, transfer_id, billed_at_ms)
       SELECT v.a, v.h, v.k, v.m,
         (SELECT coalesce(max(b.n), 0) + 1 FROM usage_billings b
          WHERE b.account_id = v.a AND b.hour_ms = v.h AND b.api_key_id = v.k AND b.model = v.m),
         v.s, v.c, v.t, $8
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) AS v(a, h, k, m, s, c, t)`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => String(r.hourMs)),
        rows.map((r) => r.apiKeyId),
        rows.map((r) => r.model),
        rows.map((r) => r.seen),
        rows.map((r) => (r.creditsMinor - r.billedMinor).toString()),
        rows.map((r) => r.transferId),
        atMs,
      ],
    );
    await this.client.query(
      `UPDATE usage_rollup u SET billed_minor = v.billed
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[]) AS v(account_id, hour_ms, api_key_id, model, billed)
       WHERE u.account_id = v.account_id AND u.hour_ms = v.hour_ms AND u.api_key_id = v.api_key_id AND u.model = v.model`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => String(r.hourMs)),
        rows.map((r) => r.apiKeyId),
        rows.map((r) => r.model),
        rows.map((r) => r.creditsMinor.toString()),
      ],
    );
    const perAccount = new Map<string, bigint>();
    for (const h of hours) perAccount.set(h.accountId, (perAccount.get(h.accountId) ?? 0n) + h.creditsMinor);
    await this.client.query(
      `UPDATE account_usage a SET unbilled_minor = a.unbilled_minor - v.credits
       FROM unnest($1::text[], $2::bigint[]) AS v(account_id, credits) WHERE a.account_id = v.account_id`,
      [[...perAccount.keys()], [...perAccount.values()].map(String)],
    );
  }

  async hours(q: UsageQuery): Promise<UsageHour[]> {
    const r = await this.client.query(
      `SELECT hour_ms, api_key_id, model, events, quantity_minor, credits_minor FROM usage_rollup
       WHERE account_id = $1 AND hour_ms >= $2 AND hour_ms < $3 AND ($4::text IS NULL OR api_key_id = $4) AND ($5::text IS NULL OR model = $5)
       ORDER BY hour_ms`,
      [q.accountId, q.fromMs, q.toMs, q.apiKeyId ?? null, q.model ?? null],
    );
    return (r.rows as Row[]).map(toUsageHour);
  }

  async billingsOf(transferId: string): Promise<UsageBilling[]> {
    return billingsOf(new PgTxConnection(this.client), transferId);
  }

  async findEvent(id: string): Promise<UsageRecord | undefined> {
    const r = await this.client.query(`SELECT ${WITH_BILLING} WHERE e.id = $1`, [id]);
    return r.rows[0] ? toUsageRecord(r.rows[0] as Row) : undefined;
  }

  async records(q: RecordsQuery): Promise<UsageRecord[]> {
    const newest = q.newestFirst === true;
    // The cursor bounds the walk on its side: (ts, id) past it, in the direction of the walk.
    const edgeTs = q.after?.timestampMs ?? (newest ? q.toMs : -1);
    const r = await this.client.query(
      `SELECT ${WITH_BILLING}
       WHERE e.account_id = $1 AND e.ts_ms >= $2 AND e.ts_ms < $3
         AND (e.ts_ms, e.id) ${newest ? '<' : '>'} ($4::bigint, $5::text)
         AND ($6::text IS NULL OR e.api_key_id = $6) AND ($7::text IS NULL OR e.model = $7)
       ORDER BY ${newest ? 'e.ts_ms DESC, e.id DESC' : 'e.ts_ms, e.id'} LIMIT $8`,
      [
        q.accountId,
        newest ? q.fromMs : Math.max(q.fromMs, edgeTs),
        newest ? Math.min(q.toMs, edgeTs + 1) : q.toMs,
        edgeTs,
        q.after?.id ?? '',
        q.apiKeyId ?? null,
        q.model ?? null,
        q.limit,
      ],
    );
    return (r.rows as Row[]).map(toUsageRecord);
  }
}

/**
 * Events with the billing that billed each: the first billing of its rollup row (hour, key,
 * model) whose snapshot sees the event's transaction; events stored before migration 010 (no
 * `xid`) count as billed by the row's first billing (the one before the migration, if any).
 */
const WITH_BILLING = `e.*, b.transfer_id AS billing_transfer_id, b.billed_at_ms
  FROM usage_events e
  LEFT JOIN LATERAL (
    SELECT transfer_id, billed_at_ms FROM usage_billings
    WHERE account_id = e.account_id AND hour_ms = e.ts_ms - e.ts_ms % ${HOUR_MS}
      AND api_key_id = coalesce(e.api_key_id, '') AND model = e.model
      AND CASE WHEN e.xid IS NULL THEN true ELSE pg_visible_in_snapshot(e.xid, snapshot::pg_snapshot) END
    ORDER BY n LIMIT 1
  ) b ON true`;
