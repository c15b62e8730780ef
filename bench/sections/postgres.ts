/** PostgreSQL: the same library ingest and HTTP verification, beside a raw pg baseline. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ADMIN_TOKEN,
  type BenchContext,
  figureNamed,
  loadVerify,
  type Row,
  rate,
  rowsOf,
  seedOverHttp,
  startChild,
} from '../lib.ts';
import { engineWithKey, libraryIngest } from '../workloads.ts';
import { BASELINE_B } from './http.ts';
import { LIBRARY_EMPTY } from './storage.ts';

/** Events/s of raw pg: one multi-row INSERT (unnest) of 1000 rows a commit, unique random ids. */
async function rawPg(client: pg.Client, count: number): Promise<number> {
  await client.query(`CREATE TABLE raw_events (ts_ms bigint NOT NULL, id text PRIMARY KEY, account_id text NOT NULL, api_key_id text, model text NOT NULL,
    quantity_minor bigint NOT NULL, credits_minor bigint NOT NULL, properties text, fingerprint text NOT NULL)`);
  const t0 = performance.now();
  for (let b = 0; b < count / 1000; b++) {
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    const now = Date.now();
    await client.query(
      `INSERT INTO raw_events SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])`,
      [
        ids.map(() => now),
        ids,
        ids.map(() => 'acc_bench'),
        ids.map(() => 'key_bench'),
        ids.map(() => 'image-1024'),
        ids.map(() => 1_000_000),
        ids.map(() => 2_000_000),
        ids.map(() => null),
        ids.map(() => 'f'),
      ],
    );
  }
  return rate(count, performance.now() - t0);
}

/**
 * Events/s of raw `COPY ... FROM STDIN` (text format) of the same rows, 1000 rows a COPY, each its
 * own commit, into the same table shape with the id as primary key (the uniqueness the library
 * needs for dedupe): the fastest way into PostgreSQL there is.
 */
async function rawCopy(client: pg.Client, count: number): Promise<number> {
  await client.query(`CREATE TABLE copy_events (ts_ms bigint NOT NULL, id text PRIMARY KEY, account_id text NOT NULL, api_key_id text, model text NOT NULL,
    quantity_minor bigint NOT NULL, credits_minor bigint NOT NULL, properties text, fingerprint text NOT NULL)`);
  const batches = Array.from({ length: count / 1000 }, () =>
    Array.from({ length: 1000 }, () => randomUUID()),
  );
  const t0 = performance.now();
  for (const ids of batches) {
    const now = Date.now();
    const text = ids
      .map((id) => `${now}\t${id}\tacc_bench\tkey_bench\timage-1024\t1000000\t2000000\t\\N\tf\n`)
      .join('');
    await pipeline(
      (async function* () {
        yield text;
      })(),
      client.query(copyFrom('COPY copy_events FROM STDIN')),
    );
  }
  return rate(count, performance.now() - t0);
}

export async function run(ctx: BenchContext): Promise<Row[]> {
  const { rows, add } = rowsOf(ctx);
  const url = process.env.TOLLGATE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  ctx.log(`\n## PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')})`);
  const schema = `tg_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const pgClient = new pg.Client({ connectionString: url });
  try {
    await pgClient.connect();
  } catch (e) {
    ctx.log(`  skipped: cannot reach PostgreSQL (${(e as Error).message})`);
    return rows;
  }
  try {
    await pgClient.query(`CREATE SCHEMA ${schema}`);
    await pgClient.query(`SET search_path = ${schema}`);
    const count = ctx.n(100_000);
    const raw = await rawPg(pgClient, count);
    add({
      name: 'Baseline P: raw pg, one multi-row INSERT (unnest) of 1000 rows a commit, unique random ids',
      value: raw,
      unit: 'rows/s',
    });
    const copy = await rawCopy(pgClient, count);
    add({
      name: 'Baseline P-copy: raw pg COPY FROM STDIN of the same rows, 1000 rows a commit, id as primary key',
      value: copy,
      unit: 'rows/s',
      baseline: { name: 'P', value: raw },
    });
    const lib = await engineWithKey('bench', { postgres: url, schema });
    const ingest = await libraryIngest(lib.engine, lib.key.id, count);
    const sqlite = figureNamed(ctx.earlier, LIBRARY_EMPTY);
    add({
      name: 'Library ingest on PostgreSQL (random UUIDv4 ids, batches of 1000, synchronous_commit local: durability normal)',
      value: ingest,
      unit: 'events/s',
      baseline: { name: 'P-copy', value: copy },
      target: '>= 0.7 x P-copy',
      met: ingest >= 0.7 * copy,
      note: `${(ingest / raw).toFixed(2)} x P${sqlite ? `; SQLite in this run: ${sqlite.toLocaleString('en')}/s` : ''}`,
    });
    await lib.engine.close();

    const server = await startChild('src/server.ts', {
      TOLLGATE_DATA_DIR: join(ctx.tmp, 'pg-http'),
      TOLLGATE_ADMIN_TOKEN: ADMIN_TOKEN,
      TOLLGATE_DATABASE_URL: url,
      TOLLGATE_DATABASE_SCHEMA: schema,
    });
    const { headers, secret } = await seedOverHttp(server.url, '1000000');
    const verify = await loadVerify(server.url, headers, secret);
    const baseB = figureNamed(ctx.earlier, BASELINE_B);
    const onSqlite = figureNamed(ctx.earlier, 'HTTP key verification, 64 connections');
    add({
      name: 'HTTP key verification on PostgreSQL, 64 connections (cache expires every 1 s)',
      value: verify.rps,
      unit: 'req/s',
      ...(onSqlite
        ? {
            baseline: { name: 'the same on SQLite', value: onSqlite },
            target: '>= 0.8 x SQLite',
            met: verify.rps >= 0.8 * onSqlite,
          }
        : {}),
      note: `p50 ${verify.p50} ms, p99 ${verify.p99} ms${baseB ? `; ${(verify.rps / baseB).toFixed(2)} x B` : ''}`,
    });
    await server.stop();
  } finally {
    await pgClient.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pgClient.end();
  }
  return rows;
}
