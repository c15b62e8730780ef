import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { client, startServer } from './server-process.ts';

const ROOT = join(import.meta.dirname, '..');
const ADMIN = 'backup-test-admin-token-of-32-characters';
const backup = (dataDir: string, file: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'backup', file], {
    cwd: ROOT,
    env: { ...process.env, TOLLGATE_DATA_DIR: dataDir },
    encoding: 'utf8',
  });

describe('backup and restore', () => {
  it('copies the live store consistently while the server writes, and a restore shows the same balances', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-backup-'));
    const server = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    const api = client(server.url, ADMIN);
    const acc = (await api('POST', '/v1/accounts', { name: 'Acme' })).body;
    let running = true;
    let n = 0;
    // spawnSync (the backup CLI) blocks this process for seconds: the server may close an idle
    // kept-alive socket meanwhile, and the next load request on it fails. Load is load: go on.
    const load = (async () => {
      while (running) {
        await api('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '5', reason: 'load' }).catch(
          () => undefined,
        );
        await api('POST', '/v1/usage_events', {
          events: [
            {
              id: `e${n++}`,
              account_id: acc.id,
              model: 'image-1024',
              quantity: '1',
              timestamp: new Date().toISOString(),
            },
          ],
        }).catch(() => undefined);
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const during = join(mkdtempSync(join(tmpdir(), 'tollgate-bk-')), 'during.db');
    const r1 = backup(dataDir, during);
    expect(r1.status, r1.stderr).toBe(0);
    running = false;
    await load;
    // Taken under load: a consistent snapshot (integrity and ledger invariants hold).
    const snap = await SqliteStorage.open({ database: during, dedupeWindowMs: 0, nowMs: Date.now() });
    expect(snap.connection.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((await snap.audit()).mismatchedAccounts).toEqual([]);
    await snap.close();

    // Readable by its owner only, like the database it copies.
    expect(statSync(during).mode & 0o777).toBe(0o600);
    const quiet = join(mkdtempSync(join(tmpdir(), 'tollgate-bk-')), 'quiet.db');
    // A file already there with wider permissions is narrowed as it is overwritten.
    writeFileSync(quiet, '', { mode: 0o644 });
    chmodSync(quiet, 0o644);
    expect(backup(dataDir, quiet).status).toBe(0);
    expect(statSync(quiet).mode & 0o777).toBe(0o600);
    const live = (await api('GET', `/v1/accounts/${acc.id}/balance`)).body;
    server.child.kill('SIGTERM');
    await server.exited;

    // Restore: a new data folder whose store is the backup file.
    const restoredDir = mkdtempSync(join(tmpdir(), 'tollgate-restored-'));
    mkdirSync(restoredDir, { recursive: true });
    copyFileSync(quiet, join(restoredDir, 'tollgate.db'));
    const restored = await startServer({ TOLLGATE_DATA_DIR: restoredDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    const balance = (await client(restored.url, ADMIN)('GET', `/v1/accounts/${acc.id}/balance`)).body;
    // The runway depends on the time of reading; the money must be the same.
    const money = ({ runway_seconds: _, ...b }: Record<string, unknown>) => b;
    expect(money(balance)).toEqual(money(live));
    expect(Number(live.posted)).toBeGreaterThan(0);
    restored.child.kill('SIGTERM');
    await restored.exited;
  }, 60_000);
});
