import type { Kysely } from 'kysely';

/**
 * Saved payment methods for off-session charges (Stripe auto top-up): per account and provider,
 * the provider's customer (created on the first purchase that saves a payment method) and the
 * payment method saved on it, once a paid checkout saved one. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_customers')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('customer_ref', 'text', (c) => c.notNull())
    .addColumn('payment_method_ref', 'text')
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_customers_pk', ['account_id', 'provider'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_customers').execute();
}
