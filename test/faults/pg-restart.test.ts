import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { client, type RunningServer, startServer } from '../server-process.ts';
import { assertAcknowledgedWrites } from './acknowledged.ts';
import { startLoad, waitFor } from './load.ts';
import { Cluster, clusterUnavailable } from './pg-cluster.ts';

const ADMIN = 'pg-restart-admin-token-0123456789abcdef';
const skip = clusterUnavailable();
if (skip) console.log(`SKIPPED: ${skip}, so the PostgreSQL restart test did not run`);

(skip ? describe.skip : describe)('PostgreSQL restarted with -m immediate under load', () => {
  let cluster: Cluster | undefined;
  let server: RunningServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'tg-pgrestart-'));
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 unavailable with Retry-After (never 500), recovers by itself and keeps every acknowledged write', async () => {
    cluster = await Cluster.init();
    await cluster.start();
    server = await startServer({
      TOLLGATE_DATABASE_URL: cluster.url,
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_DATA_DIR: dataDir,
    });
    const url = server.url;
    const api = client(url, ADMIN);
    const account = (await api('POST', '/v1/accounts', { name: 'Restarts' })).body;
    await api('POST', `/v1/accounts/${account.id}/credit_grants`, { credits: '1000000', reason: 'load' });
    const key = (await api('POST', `/v1/accounts/${account.id}/api_keys`, { nickname: 'gateway' })).body;
    expect(key.secret).toBeTruthy();

    const load = startLoad(url, ADMIN, { accountId: account.id, keySecret: key.secret }, 16);
    const recoveries: number[] = [];
    try {
      // /readyz follows the database: 503 (with Retry-After) while it is down, 200 once it is back.
      await new Promise((r) => setTimeout(r, 1000));
      await cluster.stopImmediate();
      await waitFor(url, 503, 10_000);
      const down = await fetch(`${url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBeTruthy();
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      await cluster.start();
      recoveries.push(await waitFor(url, 200, 15_000));
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 700));
        await cluster.restartImmediate();
        recoveries.push(await waitFor(url, 200, 15_000));
      }
      // Writes go through again without restarting tollgate.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await load.stop();
    }
    const report = load.report;
    console.log(
      `pg-restart: ${report.requests} requests, statuses ${JSON.stringify(report.byStatus)}, ` +
        `${report.ackedEvents.size} events and ${report.paidPurchases.size} purchases acknowledged, ` +
        `ready again after ${recoveries.join(', ')} ms, ${report.networkErrors.length} network errors`,
    );
    expect(server.child.exitCode).toBeNull();
    expect(report.violations).toEqual([]);
    expect(report.byStatus[500]).toBeUndefined();
    expect(report.byStatus[503]).toBeGreaterThan(0);
    expect(report.networkErrors).toEqual([]);
    const after = await api('POST', '/v1/usage_events', {
      events: [
        {
          id: 'evt_after',
          account_id: account.id,
          model: 'm',
          quantity: '1',
          credits: '1',
          timestamp: new Date().toISOString(),
        },
      ],
    });
    expect(after.body.results[0].status).toBe('accepted');
    report.ackedEvents.add('evt_after');
    await assertAcknowledgedWrites(cluster.url, report, account.id, api, 1_000_000);
  }, 90_000);
});
