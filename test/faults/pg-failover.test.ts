import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { client, type RunningServer, startServer } from '../server-process.ts';
import { assertAcknowledgedWrites } from './acknowledged.ts';
import { firstAcceptedWrite, startLoad, waitFor } from './load.ts';
import { Cluster, clusterUnavailable } from './pg-cluster.ts';

const ADMIN = 'pg-failover-admin-token-0123456789abcdef';
const skip = clusterUnavailable();
if (skip) console.log(`SKIPPED: ${skip}, so the PostgreSQL failover test did not run`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.includes('"level":50'))
    .slice(-5)
    .join('\n');

/** Until the primary reports its standby as synchronous (a commit then waits for the standby). */
async function waitForSyncStandby(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const r = await db.query("SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync'");
      if (r.rowCount) return;
      await sleep(100);
    }
    throw new Error('the standby did not become synchronous within 10 s');
  } finally {
    await db.end();
  }
}

(skip ? describe.skip : describe)('PostgreSQL failover to a synchronous standby', () => {
  let primary: Cluster | undefined;
  let standby: Cluster | undefined;
  let server: RunningServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'tg-pgfailover-'));
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await primary?.destroy();
    await standby?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes writes on the promoted standby within 10 s, with no acknowledged write lost', async () => {
    primary = await Cluster.init([
      'wal_level = replica',
      'max_wal_senders = 4',
      "synchronous_standby_names = '*'",
    ]);
    await primary.start();
    standby = await Cluster.standbyOf(primary, ["synchronous_standby_names = ''"]);
    await standby.start();
    await waitForSyncStandby(primary.url);

    // libpq's host list: the first host that accepts a read-write session is used.
    const url = `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?target_session_attrs=read-write`;
    server = await startServer({
      TOLLGATE_DATABASE_URL: url,
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_DATA_DIR: dataDir,
      // Usage commits wait for the standby too (money always does): RPO 0 for events as well.
      TOLLGATE_USAGE_DURABILITY: 'full',
    });
    const api = client(server.url, ADMIN);
    const account = (await api('POST', '/v1/accounts', { name: 'Failover' })).body;
    await api('POST', `/v1/accounts/${account.id}/credit_grants`, { credits: '1000000', reason: 'load' });
    const key = (await api('POST', `/v1/accounts/${account.id}/api_keys`, { nickname: 'gateway' })).body;
    expect(key.secret).toBeTruthy();

    const load = startLoad(server.url, ADMIN, { accountId: account.id, keySecret: key.secret }, 16);
    let resumedAfterPromotionMs = -1;
    let resumedAfterKillMs = -1;
    try {
      await sleep(2000);
      const killed = Date.now();
      await primary.stopImmediate();
      await sleep(500);
      // Until the standby is promoted, no host accepts writes: tollgate answers 503.
      await waitFor(server.url, 503, 10_000);
      await standby.promote();
      const promoted = Date.now();
      resumedAfterPromotionMs = await firstAcceptedWrite(server.url, ADMIN, account.id, load.report, 10_000);
      resumedAfterKillMs = resumedAfterPromotionMs + (promoted - killed);
      await sleep(2000);
    } finally {
      await load.stop();
    }
    const report = load.report;
    console.log(
      `pg-failover: ${report.requests} requests, statuses ${JSON.stringify(report.byStatus)}, ` +
        `${report.ackedEvents.size} events and ${report.paidPurchases.size} purchases acknowledged; ` +
        `writes resumed ${resumedAfterPromotionMs} ms after promotion (${resumedAfterKillMs} ms after the primary was killed)`,
    );
    expect(resumedAfterPromotionMs).toBeGreaterThanOrEqual(0);
    expect(resumedAfterPromotionMs).toBeLessThan(10_000);
    expect(server.child.exitCode).toBeNull();
    expect(report.violations, errorLines(server.output())).toEqual([]);
    expect(report.byStatus[500]).toBeUndefined();
    expect(report.networkErrors).toEqual([]);
    // Everything acknowledged, on the old primary before the failover or the new one after, is on the new primary.
    await assertAcknowledgedWrites(standby.url, report, account.id, api, 1_000_000);
  }, 120_000);
});
