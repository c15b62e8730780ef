import { type Kysely, sql } from 'kysely';

/** Usage disputes: a customer flags a record as wrong; the operator voids it or rejects the dispute. Frozen once landed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('usage_disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at_ms', 'bigint')
    .execute();
  // One open dispute per event, whoever races to open it.
  await db.schema
    .createIndex('usage_disputes_open_event')
    .on('usage_disputes')
    .column('event_id')
    .unique()
    .where(sql<boolean>`status = 'open'`)
    .execute();
  await db.schema
    .createIndex('usage_disputes_account')
    .on('usage_disputes')
    .columns(['account_id', 'created_at_ms'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_disputes').execute();
}
