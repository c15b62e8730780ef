import { tuples } from '../sql/sql-connection.ts';
import type { RollupDelta } from '../sql/sql-usage-rollup.ts';
import { num, type SqliteConnection } from './sqlite-connection.ts';
import type { SqliteStatement } from './sqlite-database.ts';

/** What ingest commits add to the rollup and to accounts' unbilled totals, summed. */
interface Deltas {
  groups: Map<string, RollupDelta>;
  unbilled: Map<string, bigint>;
}

/** The batch of the ingest transaction under way, not yet in `usage_rollup`. */
interface InFlight extends Deltas {
  firstSeq: number;
  lastSeq: number;
  /** Written (with everything kept before it) inside its own transaction. */
  written: boolean;
}

/**
 * The hourly rollup and unbilled totals of SQLite, with what ingest adds kept in memory between
 * commits. With 1,000 accounts in a batch, every commit otherwise upserts about one rollup row and
 * one total per event and dirties their pages: about a third of the time of mixed ingest.
 *
 * `usage_rollup_state.rollup_seq` says through which event (`usage_events.seq`) the tables hold
 * everything. What this process kept since applies on top of exactly that (`base`) and runs
 * through `through`; it is written:
 * - before every other unit of work (`settle`, from the connection's hook), so billing, voids,
 *   spend limits, balances and summaries read complete tables;
 * - inside the ingest transaction when that transaction reads them (alerts, spend limits), or
 *   once `FLUSH_EVENTS` events have gathered;
 * - at close.
 * Whenever what is kept does not continue the stored mark (a crash, another process on the file,
 * a rolled-back write), the events after the mark are summed from the event rows instead: SQL,
 * one statement a table. So nothing is lost and nothing is counted twice.
 */
export class SqliteRollup {
  private kept: Deltas = empty();
  private keptEvents = 0;
  /** The stored mark `kept` builds on, and the last event it holds; -1: nothing known yet. */
  private base = -1;
  private through = -1;
  private inFlight: InFlight | null = null;

  constructor(private readonly c: SqliteConnection) {}

  /**
   * What is kept in memory for this account's unbilled total and not in the table: nothing once
   * written (every unit of work but a read whose write failed, such as on a full disk, starts so).
   */
  keptUnbilled(accountId: string): bigint {
    if (this.keptEvents === 0 || this.inFlight?.written || this.base !== this.storedSeq()) return 0n;
    return this.kept.unbilled.get(accountId) ?? 0n;
  }

  /** Events kept in memory, not yet in the tables. */
  get pendingEvents(): number {
    return this.keptEvents;
  }

  /**
   * Before a unit of work (the connection held, no transaction open): brings the tables up to
   * every stored event, in a transaction of its own, if they are not.
   */
  settle(): void {
    this.inFlight = null;
    const lastSeq = this.lastSeq();
    if (this.keptEvents === 0 && this.base === lastSeq && this.storedSeq() === lastSeq) return;
    this.c.db.exec('BEGIN IMMEDIATE');
    try {
      this.write(lastSeq, this.kept, this.through === lastSeq);
      this.c.db.exec('COMMIT');
    } catch (error) {
      if (this.c.db.inTransaction) this.c.db.exec('ROLLBACK');
      throw error;
    }
    this.reset(lastSeq);
  }

  /** Inside the ingest transaction: its batch's deltas, written now if enough has gathered. */
  begin(batch: Deltas, firstSeq: number, lastSeq: number, events: number): void {
    this.inFlight = { ...batch, firstSeq, lastSeq, written: false };
    if (this.keptEvents + events >= FLUSH_EVENTS) this.writeInFlight();
  }

  /** Inside the ingest transaction, before a read of the tables: they get everything, batch included. */
  writeInFlight(): void {
    const f = this.inFlight;
    if (!f || f.written) return;
    // What is kept continues into the batch only if it ends just before it.
    const continuous = this.through === f.firstSeq - 1;
    // A copy: should this transaction roll back, what is kept stays as it was.
    this.write(f.lastSeq, continuous ? merge(merge(empty(), this.kept), f) : this.kept, continuous);
    f.written = true;
  }

  /** After the ingest commit: the batch joins what is kept (or the tables, if written). */
  committed(): void {
    const f = this.inFlight;
    this.inFlight = null;
    if (!f) return;
    if (f.written) {
      this.reset(f.lastSeq);
      return;
    }
    if (this.through !== f.firstSeq - 1) {
      // Someone else's events came in between: what is kept can no longer be placed; the next
      // write sums the events from the stored mark instead.
      this.kept = empty();
      this.keptEvents = 0;
      this.base = this.through = -1;
      return;
    }
    this.kept = merge(this.kept, f, false);
    this.keptEvents += f.lastSeq - f.firstSeq + 1;
    this.through = f.lastSeq;
  }

  /** A rolled-back ingest transaction: nothing of its batch stays. */
  abandon(): void {
    this.inFlight = null;
  }

  /**
   * Brings the tables to every event through `throughSeq`: adds `deltas` if they hold exactly the
   * events after the stored mark (`exact`, and the mark is `base`), else sums the events after it.
   */
  private write(throughSeq: number, deltas: Deltas, exact: boolean): void {
    const stored = this.storedSeq();
    if (stored === throughSeq) return;
    if (exact && stored === this.base) {
      const groups: unknown[] = [];
      for (const g of deltas.groups.values())
        groups.push(g.accountId, g.apiKeyId, g.model, g.hourMs, g.events, g.quantityMinor, g.creditsMinor);
      inChunks(groups, 7, (n) => this.upsertRollup(n));
      const sums: unknown[] = [];
      for (const [accountId, credits] of deltas.unbilled) sums.push(accountId, credits);
      inChunks(sums, 2, (n) => this.addUnbilled(n));
    } else {
      this.c.stmt(ROLLUP_FROM_EVENTS).run(stored, throughSeq);
      this.c.stmt(UNBILLED_FROM_EVENTS).run(stored, throughSeq);
    }
    this.c.stmt('UPDATE usage_rollup_state SET rollup_seq = ?').run(throughSeq);
  }

  private reset(seq: number): void {
    this.kept = empty();
    this.keptEvents = 0;
    this.base = this.through = seq;
  }

  private storedSeq(): number {
    return num(this.c.stmt('SELECT rollup_seq FROM usage_rollup_state').pluck(true).get());
  }

  private lastSeq(): number {
    return num(this.c.stmt('SELECT coalesce(max(seq), 0) FROM usage_events').pluck(true).get());
  }

  /** Adds rollup deltas (7 values a row), summing into rows that exist. */
  private upsertRollup(rows: number) {
    return this.c.stmt(
      `INSERT INTO usage_rollup (account_id, api_key_id, model, hour_ms, events, quantity_minor, credits_minor, billed_minor)
       VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, 0)').join(', ')}
       ON CONFLICT (account_id, hour_ms, api_key_id, model) DO UPDATE SET
         events = events + excluded.events,
         quantity_minor = quantity_minor + excluded.quantity_minor,
         credits_minor = credits_minor + excluded.credits_minor`,
    );
  }

  /** Adds to accounts' unbilled totals (2 values a row). */
  private addUnbilled(rows: number) {
    return this.c.stmt(
      `INSERT INTO account_usage (account_id, unbilled_minor) VALUES ${tuples(rows, 2)}
       ON CONFLICT (account_id) DO UPDATE SET unbilled_minor = unbilled_minor + excluded.unbilled_minor`,
    );
  }
}

/** Kept deltas are written once this many events have gathered (and before any other unit of work). */
const FLUSH_EVENTS = 65_536;

/** The events after one mark through another, summed into the rollup (`''` is "no key"). */
const ROLLUP_FROM_EVENTS = `INSERT INTO usage_rollup (account_id, api_key_id, model, hour_ms, events, quantity_minor, credits_minor, billed_minor)
  SELECT account_id, coalesce(api_key_id, ''), model, (ts_ms / 3600000) * 3600000, count(*), sum(quantity_minor), sum(credits_minor), 0
  FROM usage_events WHERE seq > ? AND seq <= ? GROUP BY 1, 2, 3, 4
  ON CONFLICT (account_id, hour_ms, api_key_id, model) DO UPDATE SET
    events = events + excluded.events,
    quantity_minor = quantity_minor + excluded.quantity_minor,
    credits_minor = credits_minor + excluded.credits_minor`;

/** The same events summed into accounts' unbilled totals. */
const UNBILLED_FROM_EVENTS = `INSERT INTO account_usage (account_id, unbilled_minor)
  SELECT account_id, sum(credits_minor) FROM usage_events WHERE seq > ? AND seq <= ? GROUP BY 1
  ON CONFLICT (account_id) DO UPDATE SET unbilled_minor = unbilled_minor + excluded.unbilled_minor`;

const empty = (): Deltas => ({ groups: new Map(), unbilled: new Map() });

/** `into` with `more` added (`into` is changed; `more`'s rows are copied unless `copy` is false). */
function merge(into: Deltas, more: Deltas, copy = true): Deltas {
  for (const [key, g] of more.groups) {
    const to = into.groups.get(key);
    if (!to) into.groups.set(key, copy ? { ...g } : g);
    else {
      to.events += g.events;
      to.quantityMinor += g.quantityMinor;
      to.creditsMinor += g.creditsMinor;
    }
  }
  for (const [accountId, credits] of more.unbilled)
    into.unbilled.set(accountId, (into.unbilled.get(accountId) ?? 0n) + credits);
  return into;
}

/** Rows per multi-row statement: one statement call per chunk instead of one per row. */
const ROWS_PER_STATEMENT = 50;

/**
 * Runs `values` (rows of `width` values) through multi-row statements of up to
 * `ROWS_PER_STATEMENT` rows.
 */
export function inChunks(
  values: unknown[],
  width: number,
  statement: (rows: number) => SqliteStatement,
): void {
  const count = values.length / width;
  const full = Math.floor(count / ROWS_PER_STATEMENT);
  if (full > 0) {
    const s = statement(ROWS_PER_STATEMENT);
    const size = ROWS_PER_STATEMENT * width;
    for (let i = 0; i < full; i++) s.run(values.slice(i * size, (i + 1) * size));
  }
  const rest = count - full * ROWS_PER_STATEMENT;
  if (rest > 0) statement(rest).run(values.slice(full * ROWS_PER_STATEMENT * width));
}
