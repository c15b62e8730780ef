import type { IngestStatus, RatedEvent, UsageRecord } from '../../core/kernel/model.ts';
import type {
  Durability,
  RecordsQuery,
  UnbilledHour,
  UsageBilling,
  UsageHour,
  UsageQuery,
  UsageRepo,
} from '../../core/kernel/ports.ts';
import { tuples } from '../sql/sql-connection.ts';
import { rollUp } from '../sql/sql-usage-rollup.ts';
import { billingsOf, toUsageHour } from '../sql/sql-usage-rows.ts';
import { RecentIds } from './recent-ids.ts';
import { big, num, type Row, type SqliteConnection, str } from './sqlite-connection.ts';
import { inChunks, SqliteRollup } from './sqlite-rollup.ts';
import { accountRecords, withBillings } from './sqlite-usage-records.ts';

/** Usage events, the hourly rollup and the unbilled totals in SQLite. */
export class SqliteUsage implements UsageRepo {
  /** Ids leave the index once they arrived before the window (see `RecentIds`). */
  private readonly recent = new RecentIds(1 << 16, () =>
    this.firstArrivalSince(this.lastReceivedMs - this.dedupeWindowMs),
  );
  private lastReceivedMs = 0;
  private compactedAtMs = 0;
  /** The rollup and unbilled totals, with what recent commits add kept in memory. */
  readonly rollup: SqliteRollup;

  constructor(
    private readonly c: SqliteConnection,
    private readonly indexEvery = INDEX_EVERY,
    private readonly dedupeWindowMs = Number.POSITIVE_INFINITY,
  ) {
    this.rollup = new SqliteRollup(c);
  }

  /** Bytes the in-memory id index holds now. */
  get recentIdsBytes(): number {
    return this.recent.bytes;
  }

  /**
   * Rebuilds the id index from the events that can still be retried (timestamp within the
   * window), reading from the first event that arrived in it (`firstArrivalSince`).
   */
  loadRecentIds(sinceMs: number): number {
    this.lastReceivedMs = sinceMs + this.dedupeWindowMs;
    this.compactedAtMs = this.lastReceivedMs;
    const rows = this.c.db
      .prepare('SELECT seq, id FROM usage_events WHERE seq >= ? AND ts_ms >= ?')
      .raw(true)
      .iterate(this.firstArrivalSince(sinceMs), sinceMs);
    for (const [seq, id] of rows as Iterable<[bigint, string]>) this.recent.add(id, Number(seq));
    return this.recent.size;
  }

  /**
   * The first arrival number of the events that arrived after `sinceMs` less an hour (room for
   * clock steps): an event is accepted at most minutes ahead of its arrival, so no event that
   * arrived before can still be in the window. Found by bisecting the arrival order, not by scanning.
   */
  private firstArrivalSince(sinceMs: number): number {
    if (!Number.isFinite(sinceMs)) return 0;
    const receivedAt = this.c
      .stmt('SELECT seq, received_ms FROM usage_events WHERE seq >= ? ORDER BY seq LIMIT 1')
      .raw(true);
    const bounds = this.c.stmt('SELECT min(seq), max(seq) FROM usage_events').raw(true).get() as [
      bigint | null,
      bigint | null,
    ];
    let lo = Number(bounds[0] ?? 0);
    let hi = Number(bounds[1] ?? 0) + 1;
    const from = sinceMs - 3_600_000;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = receivedAt.get(mid) as [bigint, bigint] | undefined;
      if (row && Number(row[1]) < from) lo = Number(row[0]) + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * One commit for the whole batch. Dedupe: the id index names candidate rows, each confirmed by
   * reading (arrival number, id); the rollup and unbilled totals are summed in memory and written
   * once per group; every `indexEvery` events the tail is indexed by account.
   */
  ingest(
    events: RatedEvent[],
    durability: Durability,
    inTransaction?: (accountIds: string[]) => Promise<void>,
    receivedMs: number = Date.now(),
  ): Promise<IngestStatus[]> {
    if (receivedMs > this.lastReceivedMs) this.lastReceivedMs = receivedMs;
    let added: { firstSeq: number; ids: string[] } | null = null;
    return this.c
      .transaction(
        durability,
        async () => {
          // An eighth of the window after the last time, ids that left it leave the index.
          if (receivedMs - this.compactedAtMs >= this.dedupeWindowMs / 8) {
            this.recent.compact();
            this.compactedAtMs = receivedMs;
          }
          const statuses: IngestStatus[] = [];
          const inBatch = new Map<string, RatedEvent>();
          const findFingerprint = this.c
            .stmt('SELECT fingerprint FROM usage_events WHERE seq = ? AND id = ?')
            .pluck(true);
          // Arrival numbers are given here (one writer holds the transaction), so rows go in with
          // multi-row statements instead of one statement per event.
          const firstSeq =
            num(this.c.stmt('SELECT coalesce(max(seq), 0) FROM usage_events').pluck(true).get()) + 1;
          let seq = firstSeq;
          const rows: unknown[] = [];
          for (const e of events) {
            let stored = inBatch.get(e.id)?.fingerprint;
            if (stored === undefined) {
              for (const candidate of this.recent.candidates(e.id)) {
                stored = findFingerprint.get(candidate, e.id) as string | undefined;
                if (stored !== undefined) break;
              }
            }
            if (stored !== undefined) {
              statuses.push(stored === e.fingerprint ? 'duplicate' : 'conflict');
              continue;
            }
            rows.push(
              seq++,
              e.timestampMs,
              e.id,
              e.accountId,
              e.apiKeyId,
              e.model,
              e.quantityMinor,
              e.creditsMinor,
              e.properties,
              e.unitPrice ?? null,
              e.priceVersionId ?? null,
              e.quantities ?? null,
              e.fingerprint,
              receivedMs,
            );
            inBatch.set(e.id, e);
            statuses.push('accepted');
          }
          this.insertRows(rows);
          const lastSeq = seq - 1;
          const { groups, unbilled } = rollUp(inBatch.values());
          // The batch's rollup and unbilled totals are kept in memory (see `SqliteRollup`).
          if (lastSeq >= firstSeq)
            this.rollup.begin({ groups, unbilled }, firstSeq, lastSeq, lastSeq - firstSeq + 1);
          if (lastSeq >= firstSeq) {
            const indexedSeq = this.indexedSeq();
            if (lastSeq - indexedSeq >= this.indexEvery) this.indexTail(indexedSeq, lastSeq);
          }
          if (inTransaction && unbilled.size > 0) await inTransaction([...unbilled.keys()]);
          added = { firstSeq, ids: [...inBatch.keys()] };
          return statuses;
        },
        {
          // Ingest reads nothing of the rollup: what other units write first (`settle`) can wait.
          settle: null,
          // Only once committed do the ids join the index and the batch the kept rollup; a
          // rollback leaves both untouched.
          afterCommit: () => {
            this.rollup.committed();
            if (!added) return;
            let next = added.firstSeq;
            for (const id of added.ids) this.recent.add(id, next++);
          },
        },
      )
      .catch((error: unknown) => {
        this.rollup.abandon();
        throw error;
      });
  }

  async unbilled(accountId: string): Promise<bigint> {
    // Inside an ingest transaction (its alerts): the tables get the batch and what is kept first.
    this.rollup.writeInFlight();
    const v = this.c
      .stmt('SELECT unbilled_minor FROM account_usage WHERE account_id = ?')
      .pluck(true)
      .get(accountId);
    // A read whose unit could not write what is kept (a full disk) still answers the whole total.
    return (v === undefined ? 0n : big(v)) + this.rollup.keptUnbilled(accountId);
  }

  async unbilledByModel(accountId: string): Promise<Map<string, bigint>> {
    this.rollup.writeInFlight();
    const rows = this.c
      .stmt(
        `SELECT model, SUM(credits_minor - billed_minor) AS unbilled FROM usage_rollup
         WHERE account_id = ? AND credits_minor > billed_minor GROUP BY model`,
      )
      .all(accountId) as Row[];
    // What is kept in memory (a full disk) is left out: it burns unscoped lots only (see spendOfLots).
    return new Map(rows.map((row) => [str(row.model), big(row.unbilled)]));
  }

  async unbilledAccounts(beforeMs: number): Promise<string[]> {
    return this.c
      .stmt(
        'SELECT DISTINCT account_id FROM usage_rollup WHERE credits_minor > billed_minor AND hour_ms < ? ORDER BY account_id',
      )
      .pluck(true)
      .all(beforeMs) as string[];
  }

  async listUnbilled(beforeMs: number, accountIds: string[]): Promise<UnbilledHour[]> {
    const rows = this.c.stmt(
      `SELECT hour_ms, api_key_id, model, credits_minor, billed_minor FROM usage_rollup
       WHERE account_id = ? AND credits_minor > billed_minor AND hour_ms < ? ORDER BY hour_ms`,
    );
    // What the whole hour had billed before (all its rows): it only grows, so the billing transfer
    // id built from it is new at every run that finds late usage.
    const billedBefore = this.c
      .stmt('SELECT sum(billed_minor) FROM usage_rollup WHERE account_id = ? AND hour_ms = ?')
      .pluck(true);
    // One writer: every event stored so far is in the rows read, and none after.
    const seen = String(num(this.c.stmt('SELECT coalesce(max(seq), 0) FROM usage_events').pluck(true).get()));
    const hours: UnbilledHour[] = [];
    for (const accountId of accountIds) {
      let hour: UnbilledHour | undefined;
      for (const r of rows.all(accountId, beforeMs) as Row[]) {
        const hourMs = num(r.hour_ms);
        if (hour?.hourMs !== hourMs) {
          hour = {
            accountId,
            hourMs,
            creditsMinor: 0n,
            billedBeforeMinor: big(billedBefore.get(accountId, hourMs)),
            rows: [],
            seen,
          };
          hours.push(hour);
        }
        hour.creditsMinor += big(r.credits_minor) - big(r.billed_minor);
        hour.rows.push({
          apiKeyId: str(r.api_key_id),
          model: str(r.model),
          creditsMinor: big(r.credits_minor),
          billedMinor: big(r.billed_minor),
        });
      }
    }
    return hours;
  }

  /** Within the dedupe window: the id index names the candidate rows, each read by arrival number. */
  async findEvent(id: string): Promise<UsageRecord | undefined> {
    const read = this.c.stmt('SELECT * FROM usage_events WHERE seq = ?');
    for (const seq of this.recent.candidates(id)) {
      const row = read.get(seq) as Row | undefined;
      if (row && str(row.id) === id) return withBillings(this.c, row.account_id as string, [row])[0];
    }
    return undefined;
  }

  /**
   * Two statements an hour, whatever its number of rows (up to 16 a statement): each row is marked
   * billed to the credits read, and its billing recorded with the credits it took.
   */
  async markBilled(hours: (UnbilledHour & { transferId: string })[], atMs: number): Promise<void> {
    const subtract = this.c.stmt(
      'UPDATE account_usage SET unbilled_minor = unbilled_minor - ? WHERE account_id = ?',
    );
    for (const h of hours) {
      for (let i = 0; i < h.rows.length; i += 16) {
        const rows = h.rows.slice(i, i + 16);
        const values = rows.flatMap((r) => [
          r.apiKeyId,
          r.model,
          r.creditsMinor,
          r.creditsMinor - r.billedMinor,
        ]);
        const v = `(VALUES ${Array(rows.length).fill('(?, ?, ?, ?)').join(', ')}) v`;
        this.c
          .stmt(
            `INSERT INTO usage_billings (account_id, hour_ms, api_key_id, model, n, through_seq, credits_minor, transfer_id, billed_at_ms)
             SELECT ?, ?, v.column1, v.column2,
               (SELECT coalesce(max(b.n), 0) + 1 FROM usage_billings b
                WHERE b.account_id = ? AND b.hour_ms = ? AND b.api_key_id = v.column1 AND b.model = v.column2),
               ?, v.column4, ?, ? FROM ${v}`,
          )
          .run(h.accountId, h.hourMs, h.accountId, h.hourMs, Number(h.seen), h.transferId, atMs, ...values);
        this.c
          .stmt(
            `UPDATE usage_rollup SET billed_minor = v.column3 FROM ${v}
             WHERE account_id = ? AND hour_ms = ? AND api_key_id = v.column1 AND model = v.column2`,
          )
          .run(...values, h.accountId, h.hourMs);
      }
      subtract.run(h.creditsMinor, h.accountId);
    }
  }

  async billingsOf(transferId: string): Promise<UsageBilling[]> {
    return billingsOf(this.c, transferId);
  }

  hours(q: UsageQuery): UsageHour[] {
    const rows = this.c
      .stmt(
        `SELECT hour_ms, api_key_id, model, events, quantity_minor, credits_minor FROM usage_rollup
         WHERE account_id = ? AND hour_ms >= ? AND hour_ms < ?
           AND (? IS NULL OR api_key_id = ?) AND (? IS NULL OR model = ?)
         ORDER BY hour_ms`,
      )
      .all(
        q.accountId,
        q.fromMs,
        q.toMs,
        q.apiKeyId ?? null,
        q.apiKeyId ?? null,
        q.model ?? null,
        q.model ?? null,
      ) as Row[];
    return rows.map(toUsageHour);
  }

  /** Inserts rows of `ROW_COLUMNS` values each, many to a statement. */
  private insertRows(values: unknown[]): void {
    inChunks(values, ROW_COLUMNS.length, (n) =>
      this.c.stmt(
        `INSERT INTO usage_events (${ROW_COLUMNS.join(', ')}) VALUES ${tuples(n, ROW_COLUMNS.length)}`,
      ),
    );
  }

  /**
   * Moves the tail (events that arrived after the last fill) into `usage_account_index`, sorted,
   * in the caller's transaction.
   */
  private indexTail(indexedSeq: number, lastSeq: number): void {
    this.c
      .stmt(
        `INSERT INTO usage_account_index (account_id, ts_ms, id, seq)
         SELECT account_id, ts_ms, id, seq FROM usage_events WHERE seq > ? AND seq <= ?
         ORDER BY account_id, ts_ms, id, seq`,
      )
      .run(indexedSeq, lastSeq);
    this.c.stmt('UPDATE usage_index_state SET indexed_seq = ?').run(lastSeq);
  }

  /** Events past this arrival number are not in `usage_account_index` yet (the tail). */
  private indexedSeq(): number {
    return num(this.c.stmt('SELECT indexed_seq FROM usage_index_state').pluck(true).get());
  }

  /** Records of one account in (timestamp, id) order after the cursor (see `accountRecords`). */
  records(q: RecordsQuery): UsageRecord[] {
    return accountRecords(this.c, this.indexedSeq(), q);
  }
}

const ROW_COLUMNS = [
  'seq',
  'ts_ms',
  'id',
  'account_id',
  'api_key_id',
  'model',
  'quantity_minor',
  'credits_minor',
  'properties',
  'unit_price',
  'price_version_id',
  'quantities',
  'fingerprint',
  'received_ms',
];
/** Events are indexed by account this many at a time (and the tail never holds many more). */
const INDEX_EVERY = 16_384;
