import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/adapters/sqlite/sqlite-storage.ts';
import { client, type RunningServer, startServer } from '../server-process.ts';
import { assertLedgerBalanced } from './acknowledged.ts';
import { firstAcceptedWrite, startLoad, waitFor } from './load.ts';

const ADMIN = 'disk-full-admin-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 24 MiB tmpfs as the data folder, or why there cannot be one here. */
function mountSmallDisk(): { dir: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tg-diskfull-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mounting a tmpfs was refused (${String((error as Error).message).split('\n')[0]})` };
  }
}

const disk = mountSmallDisk();
const unmount = () => {
  if (!('dir' in disk)) return;
  try {
    execFileSync('umount', ['-l', disk.dir], { stdio: 'pipe' });
  } catch {
    // Already unmounted.
  }
  rmSync(disk.dir, { recursive: true, force: true });
};
// Even if the worker dies before afterAll, the mount does not outlive it.
process.once('exit', unmount);
if ('skip' in disk) console.log(`SKIPPED: ${disk.skip}, so the full-disk test did not run`);

('skip' in disk ? describe.skip : describe)('SQLite on a full disk', () => {
  let server: RunningServer | undefined;
  afterAll(() => {
    server?.child.kill('SIGKILL');
    unmount();
  });

  it('answers 503 unavailable (never 500), stays up, and resumes with every acknowledged write once space is freed', async () => {
    const dir = (disk as { dir: string }).dir;
    server = await startServer({ TOLLGATE_DATA_DIR: dir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    const api = client(server.url, ADMIN);
    const account = (await api('POST', '/v1/accounts', { name: 'Full disk' })).body;
    await api('POST', `/v1/accounts/${account.id}/credit_grants`, { credits: '1000000', reason: 'load' });
    const key = (await api('POST', `/v1/accounts/${account.id}/api_keys`, { nickname: 'gateway' })).body;

    const load = startLoad(server.url, ADMIN, { accountId: account.id, keySecret: key.secret }, 16);
    const filler = join(dir, 'filler');
    let fullFor503 = -1;
    let resumedAfterMs = -1;
    try {
      await sleep(1000);
      // Leave 256 KiB: the next growth of the write-ahead log or the database fails.
      const { bavail, bsize } = statfsSync(dir);
      try {
        writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 256 * 1024)));
      } catch (e) {
        // The server's writes took the last 256 KiB while the filler was written: the disk is
        // full all the same, which is what this test needs.
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
      const started = Date.now();
      while (!load.report.byStatus[503] && Date.now() - started < 20_000) await sleep(100);
      fullFor503 = load.report.byStatus[503] ? Date.now() - started : -1;
      await sleep(2000);
      // Reads still answer on a full disk.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      rmSync(filler);
      resumedAfterMs = await firstAcceptedWrite(server.url, ADMIN, account.id, load.report, 10_000);
      await sleep(1000);
    } finally {
      await load.stop();
    }
    const report = load.report;
    console.log(
      `disk-full: ${report.requests} requests, statuses ${JSON.stringify(report.byStatus)}, ` +
        `${report.ackedEvents.size} events and ${report.paidPurchases.size} purchases acknowledged; ` +
        `first 503 ${fullFor503} ms after the disk filled, writes resumed ${resumedAfterMs} ms after space was freed`,
    );
    expect(fullFor503).toBeGreaterThanOrEqual(0);
    expect(resumedAfterMs).toBeGreaterThanOrEqual(0);
    expect(server.child.exitCode).toBeNull();
    expect(report.violations).toEqual([]);
    expect(report.byStatus[500]).toBeUndefined();
    expect(report.networkErrors).toEqual([]);
    await waitFor(server.url, 200, 5000);
    const balance = (await api('GET', `/v1/accounts/${account.id}/balance`)).body;

    // A crash now: what was acknowledged must be in the file, and the file must be sound.
    server.child.kill('SIGKILL');
    await server.exited;
    const path = join(dir, 'tollgate.db');
    const db = new Database(path);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const events = new Set(
        (db.prepare('SELECT id FROM usage_events').pluck().all() as string[]).map(String),
      );
      expect([...report.ackedEvents].filter((id) => !events.has(id))).toEqual([]);
      const paid = new Set(
        db.prepare("SELECT id FROM purchases WHERE status = 'paid'").pluck().all() as string[],
      );
      expect([...report.paidPurchases].filter((id) => !paid.has(id))).toEqual([]);
      expect(Number(balance.posted)).toBe(1_000_000 + 1000 * paid.size);
    } finally {
      db.close();
    }
    await assertLedgerBalanced(
      await SqliteStorage.open({ database: path, dedupeWindowMs: 0, nowMs: Date.now() }),
    );
  }, 90_000);
});
