import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

/**
 * Runs the pending migrations of `migrations/` on either dialect; answers the names of those it
 * ran. `schema` keeps Kysely's own migration tables in that schema (PostgreSQL); a failure for
 * which `retry` answers true is tried again (up to 5 attempts), the caller vouching that trying
 * again is safe.
 * @example await migrateToLatest(kysely, { schema: 't_1', retry: (e) => isRaceOfSchemaDrop(e) });
 */
export async function migrateToLatest(
  db: Kysely<any>,
  options: { schema?: string; retry?: (error: unknown) => boolean } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (!options.retry?.(error) || attempt >= 5) throw error;
  }
}
