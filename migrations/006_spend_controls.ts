import { type Kysely, sql } from 'kysely';

/**
 * Spend controls: a spend limit per account and per API key (credits per UTC day or month), the
 * periods whose limit was announced (`spend_limit.reached` goes out once per period and scope),
 * auto top-up settings per account and the origin of each purchase. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('spend_limit_minor', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('spend_limit_period', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('auto_top_up', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('spend_limit_minor', 'bigint').execute();
  await db.schema.alterTable('api_keys').addColumn('spend_limit_period', 'text').execute();
  await db.schema
    .alterTable('purchases')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('customer'))
    .execute();
  // At most one auto top-up in flight per account, whatever number of processes race to start one.
  await db.schema
    .createIndex('purchases_one_auto_top_up')
    .on('purchases')
    .column('account_id')
    .unique()
    .where(sql<boolean>`origin = 'auto_top_up' AND status = 'pending'`)
    .execute();
  // Captured holds count as credits used in their period; and finding whether any limit or auto
  // top-up exists at all must not scan every account.
  await db.schema.createIndex('holds_account').on('holds').columns(['account_id', 'created_at_ms']).execute();
  await db.schema
    .createIndex('accounts_spend_controls')
    .on('accounts')
    .column('id')
    .where(sql<boolean>`spend_limit_minor IS NOT NULL OR auto_top_up IS NOT NULL`)
    .execute();
  await db.schema
    .createIndex('api_keys_spend_limit')
    .on('api_keys')
    .column('id')
    .where(sql<boolean>`spend_limit_minor IS NOT NULL`)
    .execute();
  await db.schema
    .createTable('spend_notices')
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('period_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('spend_notices_pk', ['scope_id', 'period_start_ms'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spend_notices').execute();
  await db.schema.dropIndex('purchases_one_auto_top_up').execute();
  await db.schema.dropIndex('api_keys_spend_limit').execute();
  await db.schema.dropIndex('accounts_spend_controls').execute();
  await db.schema.dropIndex('holds_account').execute();
  for (const [table, column] of [
    ['purchases', 'origin'],
    ['api_keys', 'spend_limit_period'],
    ['api_keys', 'spend_limit_minor'],
    ['accounts', 'auto_top_up'],
    ['accounts', 'spend_limit_period'],
    ['accounts', 'spend_limit_minor'],
  ] as const)
    await db.schema.alterTable(table).dropColumn(column).execute();
}
