import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * The first schema: ledger, accounts, keys, purchases, invoices, lots, holds, usage.
 * Amounts are integer minor units (bigint); times are UTC epoch milliseconds (bigint).
 * Frozen once landed: change the schema with a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('overdraft_minor', 'bigint')
    .addColumn('debits_posted', 'bigint', (c) => c.notNull())
    .addColumn('credits_posted', 'bigint', (c) => c.notNull())
    .addColumn('debits_pending', 'bigint', (c) => c.notNull())
    .addColumn('credits_pending', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('pending_id', 'text')
    .addColumn('timeout_at_ms', 'bigint')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transfers_debit').on('transfers').columns(['debit_account_id']).execute();
  await db.schema.createIndex('transfers_credit').on('transfers').columns(['credit_account_id']).execute();

  // One row per resolved pending transfer: the primary key makes "resolves exactly once" structural.
  await db.schema
    .createTable('pending_resolutions')
    .addColumn('pending_id', 'text', (c) => c.primaryKey().references('transfers.id'))
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('ledger_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('low_balance_threshold_minor', 'bigint')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('nickname', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at_ms', 'bigint')
    .addColumn('status_changed_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_account').on('api_keys').columns(['account_id', 'status']).execute();

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_fingerprint', 'text', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('unit_price', 'text', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('checkout_url', 'text')
    .addColumn('invoice_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at_ms', 'bigint')
    .addUniqueConstraint('purchases_idempotency', ['account_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('purchases_provider_ref')
    .on('purchases')
    .columns(['provider', 'provider_ref'])
    .execute();

  // Gapless numbering: a counter row per series, taken in the confirming transaction.
  await db.schema
    .createTable('counters')
    .addColumn('series', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('purchase_id', 'text', (c) => c.notNull().unique().references('purchases.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('issued_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('invoices_account')
    .on('invoices')
    .columns(['account_id', 'issued_at_ms'])
    .execute();

  await db.schema
    .createTable('credit_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('purchase_id', 'text', (c) => c.notNull().references('purchases.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('issued_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credit_notes_account').on('credit_notes').columns(['account_id']).execute();
  await db.schema.createIndex('credit_notes_purchase').on('credit_notes').columns(['purchase_id']).execute();

  await db.schema
    .createTable('lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull().unique())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('remaining_minor', 'bigint', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lots_account').on('lots').columns(['account_id', 'remaining_minor']).execute();
  await db.schema.createIndex('lots_expiry').on('lots').columns(['expires_at_ms']).execute();

  await db.schema
    .createTable('holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('captured_minor', 'bigint')
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('holds_expiry').on('holds').columns(['status', 'expires_at_ms']).execute();

  // Usage events are keyed by (timestamp, id): arrivals are near "now", so writes append to the
  // right edge of the index instead of scattering over it as random ids would.
  let events = db.schema
    .createTable('usage_events')
    .addColumn('ts_ms', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('quantity_minor', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('properties', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_events_pk', ['ts_ms', 'id']);
  if (sqlite) events = events.modifyEnd(sql`without rowid`);
  await events.execute();
  await db.schema
    .createIndex('usage_events_account')
    .on('usage_events')
    .columns(['account_id', 'ts_ms'])
    .execute();
  // With several server processes no in-memory index sees every id: PostgreSQL dedupes by a unique index.
  if (!sqlite)
    await db.schema.createIndex('usage_events_id').unique().on('usage_events').column('id').execute();

  // The hourly rollup (account x key x model x UTC hour), kept at ingest.
  await db.schema
    .createTable('usage_rollup')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('hour_ms', 'bigint', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull())
    .addColumn('quantity_minor', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('billed_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_rollup_pk', ['account_id', 'hour_ms', 'api_key_id', 'model'])
    .execute();
  await db.schema
    .createIndex('usage_rollup_unbilled')
    .on('usage_rollup')
    .columns(['hour_ms'])
    .where(sql.ref('credits_minor'), '>', sql.ref('billed_minor'))
    .execute();

  // Real-time unbilled credits per account, so a balance read is one row.
  await db.schema
    .createTable('account_usage')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('unbilled_minor', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('through_ms', 'bigint', (c) => c.notNull())
    .addColumn('hours', 'bigint', (c) => c.notNull())
    .addColumn('accounts', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addColumn('ran_at_ms', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'billing_runs',
    'account_usage',
    'usage_rollup',
    'usage_events',
    'holds',
    'lots',
    'credit_notes',
    'invoices',
    'counters',
    'purchases',
    'api_keys',
    'accounts',
    'pending_resolutions',
    'transfers',
    'ledger_accounts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
