import type { Kysely } from 'kysely';

/**
 * Operators list accounts newest first and find one by email (`GET /v1/accounts`): indexes so
 * neither sorts nor scans the whole table. (external_id is unique, so indexed since 001.) Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accounts_created').on('accounts').columns(['created_at_ms', 'id']).execute();
  await db.schema.createIndex('accounts_email').on('accounts').column('email').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accounts_email').execute();
  await db.schema.dropIndex('accounts_created').execute();
}
