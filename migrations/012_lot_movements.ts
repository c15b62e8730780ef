import { type Kysely, sql } from 'kysely';

/**
 * The lot journal: every change of a lot's credits, with the transfer that caused it, which
 * finance reports value at the price each lot was bought at (deferred revenue, the journal
 * export's USD values). Appended to, never edited. Lots older than this migration get their
 * history as far as it can be known: what they were given at creation, and what they had lost
 * by now, dated at their creation too. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lot_movements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lot_movements_at').on('lot_movements').columns(['at_ms', 'id']).execute();
  await db.schema
    .createIndex('lot_movements_lot')
    .on('lot_movements')
    .columns(['lot_id', 'at_ms', 'id'])
    .execute();
  await db.schema.createIndex('lot_movements_transfer').on('lot_movements').column('transfer_id').execute();
  await db.schema.createIndex('transfers_created').on('transfers').columns(['created_at_ms', 'id']).execute();
  await sql`INSERT INTO lot_movements (id, lot_id, account_id, transfer_id, kind, credits_minor, at_ms)
    SELECT 'lmv_in_' || id, id, account_id, NULL,
      CASE source WHEN 'purchase' THEN 'purchased' WHEN 'grant' THEN 'granted' ELSE 'consumed' END,
      credits_minor, created_at_ms
    FROM lots`.execute(db);
  await sql`INSERT INTO lot_movements (id, lot_id, account_id, transfer_id, kind, credits_minor, at_ms)
    SELECT 'lmv_out_' || id, id, account_id, NULL, 'consumed', remaining_minor - credits_minor, created_at_ms
    FROM lots WHERE remaining_minor <> credits_minor`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('transfers_created').execute();
  await db.schema.dropTable('lot_movements').execute();
}
