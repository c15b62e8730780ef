import type { Kysely } from 'kysely';

/**
 * Retries: every change happens once (API.md). One row per caller and `Idempotency-Key`: the
 * request's fingerprint, who runs it now (a lease, so a twin sent meanwhile is told
 * `request_in_progress` and a crashed owner's claim can be taken over), whether its change
 * committed (set in the change's own transaction), and the kept answer. Audit lines gain the
 * amounts they moved; holds, the key they were made for. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until_ms', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('committed_at_ms', 'bigint')
    .addColumn('target_id', 'text')
    .addColumn('status', 'integer')
    .addColumn('content_type', 'text')
    .addColumn('body', 'text')
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'idem_key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at_ms')
    .execute();
  await db.schema.alterTable('audit_log').addColumn('amounts', 'text').execute();
  // A hold made for a key (the middleware's) counts toward that key's spend limit while open.
  await db.schema.alterTable('holds').addColumn('api_key_id', 'text').execute();
  await db.schema.createIndex('holds_pending_key').on('holds').columns(['api_key_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('holds_pending_key').execute();
  await db.schema.alterTable('holds').dropColumn('api_key_id').execute();
  await db.schema.alterTable('audit_log').dropColumn('amounts').execute();
  await db.schema.dropTable('idempotency_keys').execute();
}
