import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

/**
 * Runs the pending migrations of `migrations/` on either dialect; answers the names of those it
 * ran. `schema` keeps Kysely's own migration tables in that schema (PostgreSQL).
 * @example await migrateToLatest(kysely, { schema: 't_1' });
 */
export async function migrateToLatest(db: Kysely<any>, options: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
