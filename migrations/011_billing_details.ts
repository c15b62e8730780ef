import type { Kysely } from 'kysely';

/** Customers' billing details (legal name, address, country, tax id), JSON on the account. Frozen once landed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('billing_details', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('billing_details').execute();
}
