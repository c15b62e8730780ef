import type { Kysely } from 'kysely';

/**
 * Currencies and tax by buyer (#30): an account's currency (null: the operator's default), a
 * purchase's currency and the tax rule it was quoted under (frozen from the quote to the invoice;
 * null in purchases made before: USD and the rule worked out again), and the operator's exchange
 * rates (one row per day, base and currency) for VAT stated in the seller's national currency.
 * Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('currency', 'text').execute();
  await db.schema.alterTable('purchases').addColumn('currency', 'text').execute();
  await db.schema.alterTable('purchases').addColumn('tax_rule', 'text').execute();
  await db.schema.alterTable('purchases').addColumn('tax_rate', 'text').execute();
  await db.schema.alterTable('purchases').addColumn('tax_country', 'text').execute();
  await db.schema
    .createTable('exchange_rates')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_rates_pk', ['base', 'currency', 'day'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exchange_rates').execute();
  for (const column of ['tax_country', 'tax_rate', 'tax_rule', 'currency'])
    await db.schema.alterTable('purchases').dropColumn(column).execute();
  await db.schema.alterTable('accounts').dropColumn('currency').execute();
}
