import type { Kysely } from 'kysely';

/**
 * Prices as data: versions of the rate card (each the whole card, in effect from `effective_at_ms`)
 * and accounts' contracts; each event keeps the version it was rated by and, for a model priced
 * by several dimensions, its quantities (`input_tokens=1200;output_tokens=350`, decimal). Frozen
 * once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('price_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('effective_at_ms', 'bigint', (c) => c.notNull().unique())
    .addColumn('models', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('starts_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('ends_at_ms', 'bigint')
    .addColumn('discount_percent', 'text')
    .addColumn('models', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contracts_account')
    .on('contracts')
    .columns(['account_id', 'starts_at_ms'])
    .execute();
  await db.schema.alterTable('usage_events').addColumn('price_version_id', 'text').execute();
  await db.schema.alterTable('usage_events').addColumn('quantities', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('usage_events').dropColumn('quantities').execute();
  await db.schema.alterTable('usage_events').dropColumn('price_version_id').execute();
  await db.schema.dropTable('contracts').execute();
  await db.schema.dropTable('price_versions').execute();
}
