import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Which billing transfer billed each usage event, without touching the events at billing time.
 *
 * Billing posts one transfer per account and hour, covering the unbilled part of each rollup row
 * (key x model) of that hour. `usage_billings` keeps, per rollup row and billing, the transfer,
 * when it posted, the credits it took from the row, and a mark of which events it saw:
 * - SQLite (one writer): `through_seq`, the highest arrival number stored when the billing read
 *   the rows; an event is billed by the first billing of its row whose mark is at or above its `seq`.
 * - PostgreSQL (concurrent writers; arrival numbers from a sequence are not in commit order):
 *   `snapshot`, taken once the billing holds the rows' locks, and each event's inserting
 *   transaction (`usage_events.xid`); an event is billed by the first billing of its row whose
 *   snapshot sees that transaction. A writer of a locked row commits before the lock is taken
 *   (seen, and in the credits read) or after the billing commits (not seen, billed later).
 * `n` orders the billings of a row. Events stored before this migration are taken to be billed by
 * the first billing of their row: the one before the migration (`n = 0`, the hour's first transfer
 * `usage_<account>_<hour>_0`), or else the next one.
 *
 * `unit_price`: the price-book entry an event was rated at (null when the event carried its own
 * credits), kept so a changed price book never changes what an old event shows or cost.
 * Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('usage_billings')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('hour_ms', 'bigint', (c) => c.notNull())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('through_seq', 'bigint')
    .addColumn('snapshot', 'text')
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('billed_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_billings_pk', ['account_id', 'hour_ms', 'api_key_id', 'model', 'n'])
    .execute();
  await db.schema.createIndex('usage_billings_transfer').on('usage_billings').column('transfer_id').execute();
  await db.schema.alterTable('usage_events').addColumn('unit_price', 'text').execute();
  if (!sqlite) {
    // Null for events stored before; every later insert records its transaction.
    await sql`ALTER TABLE usage_events ADD COLUMN xid xid8`.execute(db);
    await sql`ALTER TABLE usage_events ALTER COLUMN xid SET DEFAULT pg_current_xact_id()`.execute(db);
  }
  // Rows billed before this migration: one billing each, the hour's first transfer.
  await sql`INSERT INTO usage_billings
      (account_id, hour_ms, api_key_id, model, n, through_seq, snapshot, credits_minor, transfer_id, billed_at_ms)
    SELECT r.account_id, r.hour_ms, r.api_key_id, r.model, 0,
      ${sqlite ? sql`(SELECT coalesce(max(seq), 0) FROM usage_events)` : sql`NULL`}, NULL, r.billed_minor,
      t.id, t.created_at_ms
    FROM usage_rollup r
    JOIN transfers t ON t.id = 'usage_' || r.account_id || '_' || r.hour_ms || '_0'
    WHERE r.billed_minor > 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.dropTable('usage_billings').execute();
  await db.schema.alterTable('usage_events').dropColumn('unit_price').execute();
  if (!sqlite) await db.schema.alterTable('usage_events').dropColumn('xid').execute();
}
