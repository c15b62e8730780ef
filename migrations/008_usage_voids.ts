import type { Kysely } from 'kysely';

/**
 * Voided usage events. The event itself stays stored as it was; its void says when, why, and
 * how much of it had already been billed (`reversal_minor`), which the next billing run gives
 * back by a transfer of its own (`reversal_transfer_id`, once `reversed_at_ms` is set).
 * Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('usage_voids')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('ts_ms', 'bigint', (c) => c.notNull())
    .addColumn('hour_ms', 'bigint', (c) => c.notNull())
    .addColumn('quantity_minor', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('voided_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('reversal_minor', 'bigint', (c) => c.notNull())
    .addColumn('reversed_at_ms', 'bigint')
    .addColumn('reversal_transfer_id', 'text')
    .execute();
  await db.schema
    .createIndex('usage_voids_account')
    .on('usage_voids')
    .columns(['account_id', 'hour_ms'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_voids').execute();
}
