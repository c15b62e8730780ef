import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * SQLite only: the hourly rollup and the unbilled totals may lag the events. A process keeps what
 * its recent ingest commits add to them in memory and writes it in one go (before any other unit
 * of work, when enough has gathered, at close); `rollup_seq` says through which arrival number
 * (`usage_events.seq`) the tables hold every event. Events after it are added from the event rows
 * themselves by whichever process reads next, so a crash loses nothing and two processes on one
 * file never count an event twice. At this migration the tables hold every event. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`CREATE TABLE usage_rollup_state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    rollup_seq INTEGER NOT NULL
  )`.execute(db);
  await sql`INSERT INTO usage_rollup_state VALUES (1, (SELECT coalesce(max(seq), 0) FROM usage_events))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  // Before 014 the tables held every event: the events past `rollup_seq` are added first.
  await sql`INSERT INTO usage_rollup (account_id, api_key_id, model, hour_ms, events, quantity_minor, credits_minor, billed_minor)
    SELECT account_id, coalesce(api_key_id, ''), model, (ts_ms / 3600000) * 3600000, count(*), sum(quantity_minor), sum(credits_minor), 0
    FROM usage_events WHERE seq > (SELECT rollup_seq FROM usage_rollup_state) GROUP BY 1, 2, 3, 4
    ON CONFLICT (account_id, hour_ms, api_key_id, model) DO UPDATE SET events = events + excluded.events,
      quantity_minor = quantity_minor + excluded.quantity_minor, credits_minor = credits_minor + excluded.credits_minor`.execute(
    db,
  );
  await sql`INSERT INTO account_usage (account_id, unbilled_minor)
    SELECT account_id, sum(credits_minor) FROM usage_events WHERE seq > (SELECT rollup_seq FROM usage_rollup_state) GROUP BY 1
    ON CONFLICT (account_id) DO UPDATE SET unbilled_minor = unbilled_minor + excluded.unbilled_minor`.execute(
    db,
  );
  await sql`DROP TABLE usage_rollup_state`.execute(db);
}
