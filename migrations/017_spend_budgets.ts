import { type Kysely, sql } from 'kysely';

/**
 * Two spend limits per account and key: the operator's cap (`spend_limit_*`, set through the
 * API) and the customer's own budget (`spend_budget_*`, set in the portal). Both apply, so the
 * lower wins, and a customer can neither remove nor raise the operator's cap. Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['accounts', 'api_keys']) {
    await db.schema.alterTable(table).addColumn('spend_budget_minor', 'bigint').execute();
    await db.schema.alterTable(table).addColumn('spend_budget_period', 'text').execute();
  }
  // Whether any budget exists at all must not scan every account or key (see 006).
  for (const table of ['accounts', 'api_keys'])
    await db.schema
      .createIndex(`${table}_spend_budget`)
      .on(table)
      .column('id')
      .where(sql<boolean>`spend_budget_minor IS NOT NULL`)
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['accounts', 'api_keys']) await db.schema.dropIndex(`${table}_spend_budget`).execute();
  for (const table of ['api_keys', 'accounts']) {
    await db.schema.alterTable(table).dropColumn('spend_budget_period').execute();
    await db.schema.alterTable(table).dropColumn('spend_budget_minor').execute();
  }
}
