import { type Kysely, sql } from 'kysely';

/**
 * Scoped credits and allowances (issue #29, items 4 and 5). A lot, and a purchase that will make
 * one, may name the models it pays for (`models`: a JSON text array; null pays for any model).
 * An allowance grants credits every month; each grant's lot has the deterministic source id
 * `<allowance id>:<YYYY-MM>`, so the unique `lots.source_id` refuses a second grant of a month.
 * Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lots').addColumn('models', 'text').execute();
  await db.schema.alterTable('purchases').addColumn('models', 'text').execute();
  // Whether an account (or any account) has scoped credits left must not scan its lots (see 006).
  await db.schema
    .createIndex('lots_scoped_open')
    .on('lots')
    .column('account_id')
    .where(sql<boolean>`models IS NOT NULL AND remaining_minor > 0`)
    .execute();
  await db.schema
    .createTable('credit_allowances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('models', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('ended_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('credit_allowances_account')
    .on('credit_allowances')
    .columns(['account_id', 'created_at_ms'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('credit_allowances').execute();
  await db.schema.dropIndex('lots_scoped_open').execute();
  await db.schema.alterTable('purchases').dropColumn('models').execute();
  await db.schema.alterTable('lots').dropColumn('models').execute();
}
