import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { PostgresStorage } from '../../src/adapters/postgres/postgres-storage.ts';
import type { Storage } from '../../src/core/kernel/ports.ts';
import { financeConformance } from './finance.cases.ts';
import { storageConformance } from './storage.cases.ts';

const url = process.env.TOLLGATE_PG_URL;

if (!url) {
  console.log('SKIPPED: TOLLGATE_PG_URL is not set, so the Postgres conformance suite did not run');
  describe('storage conformance: postgres', () => {
    it.skip('SKIPPED: TOLLGATE_PG_URL is not set, so the Postgres suite did not run', () => {});
  });
} else {
  const schemas: string[] = [];
  // Each case gets a schema of its own, so runs (and cases) never collide; all are dropped after.
  const open = async (): Promise<Storage> => {
    const schema = `tg_conf_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return PostgresStorage.open({ url, schema, poolSize: 4 });
  };
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
  });
  storageConformance('postgres', open);
  financeConformance('postgres', open);
}
