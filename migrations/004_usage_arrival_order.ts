import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * SQLite only: usage events stored in arrival order, with the per-account index built in bulk.
 *
 * Keyed by (timestamp, id) with a second index on (account, timestamp), every event lands on a
 * page of its own as soon as traffic mixes accounts or client clocks: a commit of 1,000 events
 * rewrote about 1,000 pages, and ingest fell from about 200,000 to 20,000–35,000 events/s (raw
 * SQLite, 1,000 accounts or 2 s of timestamp spread; `bench/`). Now each event is appended at
 * the end of the table (`seq`, the rowid), and `usage_account_index` (account, timestamp, id →
 * seq) is filled for thousands of events at a time, sorted, so each page is written once per
 * fill. Reads by account take the index and the short unindexed tail (`seq` above
 * `usage_index_state.indexed_seq`). Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`CREATE TABLE usage_events_by_arrival (
    seq INTEGER PRIMARY KEY,
    ts_ms INTEGER NOT NULL,
    id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    api_key_id TEXT,
    model TEXT NOT NULL,
    quantity_minor INTEGER NOT NULL,
    credits_minor INTEGER NOT NULL,
    properties TEXT,
    fingerprint TEXT NOT NULL,
    received_ms INTEGER NOT NULL
  )`.execute(db);
  // Events stored before this migration: their arrival is taken to be their timestamp.
  await sql`INSERT INTO usage_events_by_arrival
      (ts_ms, id, account_id, api_key_id, model, quantity_minor, credits_minor, properties, fingerprint, received_ms)
    SELECT ts_ms, id, account_id, api_key_id, model, quantity_minor, credits_minor, properties, fingerprint, ts_ms
    FROM usage_events ORDER BY ts_ms, id`.execute(db);
  await sql`DROP TABLE usage_events`.execute(db);
  await sql`ALTER TABLE usage_events_by_arrival RENAME TO usage_events`.execute(db);
  await sql`CREATE TABLE usage_account_index (
    account_id TEXT NOT NULL,
    ts_ms INTEGER NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, ts_ms, id, seq)
  ) WITHOUT ROWID`.execute(db);
  await sql`INSERT INTO usage_account_index SELECT account_id, ts_ms, id, seq FROM usage_events
    ORDER BY account_id, ts_ms, id, seq`.execute(db);
  await sql`CREATE TABLE usage_index_state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    indexed_seq INTEGER NOT NULL
  )`.execute(db);
  await sql`INSERT INTO usage_index_state VALUES (1, (SELECT coalesce(max(seq), 0) FROM usage_events))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`DROP TABLE usage_index_state`.execute(db);
  await sql`DROP TABLE usage_account_index`.execute(db);
  await sql`CREATE TABLE usage_events_by_time (
    ts_ms INTEGER NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL, api_key_id TEXT, model TEXT NOT NULL,
    quantity_minor INTEGER NOT NULL, credits_minor INTEGER NOT NULL, properties TEXT, fingerprint TEXT NOT NULL,
    PRIMARY KEY (ts_ms, id)) WITHOUT ROWID`.execute(db);
  await sql`INSERT OR IGNORE INTO usage_events_by_time SELECT ts_ms, id, account_id, api_key_id, model,
    quantity_minor, credits_minor, properties, fingerprint FROM usage_events`.execute(db);
  await sql`DROP TABLE usage_events`.execute(db);
  await sql`ALTER TABLE usage_events_by_time RENAME TO usage_events`.execute(db);
  await sql`CREATE INDEX usage_events_account ON usage_events (account_id, ts_ms)`.execute(db);
}
