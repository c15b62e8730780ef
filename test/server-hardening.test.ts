import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { SERVER_TIMEOUTS_MS } from '../src/serve.ts';
import { ADMIN, HOUR, must } from './helpers.ts';
import { client, startServer } from './server-process.ts';

const ROOT = join(import.meta.dirname, '..');
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** A raw TCP connection to the server, with when it was closed by the other side. */
async function open(url: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<number>((r) => socket.on('close', () => r(Date.now())));
  socket.on('error', () => {});
  socket.resume(); // what the server answers (a 408) is read and dropped, so its close is seen
  await new Promise((r) => socket.once('connect', r));
  return { socket, closed };
}

const settled = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('the standalone server, hardened', () => {
  it('refuses an operator token shorter than 32 characters, naming the variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tollgate-hard-')),
        TOLLGATE_ADMIN_TOKEN: 'x'.repeat(31),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('TOLLGATE_ADMIN_TOKEN: must be at least 32 characters, got 31');
  }, 60_000);

  it('keeps its data owner-only, caps connections, and closes a connection whose headers never end', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tollgate-hard-')), 'data');
    const server = await startServer({
      TOLLGATE_DATA_DIR: dataDir,
      TOLLGATE_ADMIN_TOKEN: '',
      TOLLGATE_MAX_CONNECTIONS: '4',
    });
    try {
      const call = client(server.url, ADMIN);
      expect((await call('GET', '/healthz')).status).toBe(200);
      expect(mode(dataDir)).toBe('700');
      for (const file of ['tollgate.db', 'tollgate.db-wal', 'admin-token'])
        if (existsSync(join(dataDir, file))) expect(mode(join(dataDir, file)), file).toBe('600');
      expect(existsSync(join(dataDir, 'tollgate.db'))).toBe(true);
      expect(server.output()).not.toContain('open to other users');

      // Four connections held open (each after a request): a fifth is closed at once.
      // One at a time: a single address may have only a quarter of the cap waiting for headers.
      const held: Awaited<ReturnType<typeof open>>[] = [];
      for (let i = 0; i < 4; i++) {
        const c = await open(server.url);
        c.socket.write('GET /healthz HTTP/1.1\r\nHost: tollgate\r\n\r\n');
        await new Promise((r) => setTimeout(r, 100));
        held.push(c);
      }
      const fifth = await open(server.url);
      fifth.socket.write('GET /healthz HTTP/1.1\r\nHost: tollgate\r\n\r\n');
      expect(await settled(fifth.closed, 2000)).not.toBe('pending');
      for (const c of held) c.socket.destroy();
      await Promise.all(held.map((c) => c.closed));
      expect((await call('GET', '/healthz')).status).toBe(200);

      // Headers that never end: the connection is closed after the headers timeout, not held.
      const slow = await open(server.url);
      const started = Date.now();
      slow.socket.write('GET /healthz HTTP/1.1\r\nHost: tollgate\r\n');
      const closedAt = await settled(slow.closed, SERVER_TIMEOUTS_MS.headers + 5_000);
      expect(closedAt).not.toBe('pending');
      expect((closedAt as number) - started).toBeGreaterThanOrEqual(SERVER_TIMEOUTS_MS.headers - 500);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('caps the connections one address holds while their headers are unfinished, not the others', async () => {
    const server = await startServer({
      TOLLGATE_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'tollgate-hard-')), 'data'),
      TOLLGATE_ADMIN_TOKEN: '',
      TOLLGATE_MAX_CONNECTIONS: '8',
    });
    try {
      const call = client(server.url, ADMIN);
      // A quarter of the cap (2) may dribble headers from one address; a third is closed at once.
      const slow = await Promise.all([1, 2].map(() => open(server.url)));
      for (const c of slow) c.socket.write('GET /healthz HTTP/1.1\r\nHost: tollgate\r\n');
      const third = await open(server.url);
      third.socket.write('GET /healthz HTTP/1.1\r\nHost: tollgate\r\n');
      expect(await settled(third.closed, 2000)).not.toBe('pending');
      expect(await settled(slow[0]!.closed, 300)).toBe('pending');
      // Once one finishes its headers, the address may open another: whole requests go through.
      slow[0]!.socket.write('\r\n');
      await new Promise((r) => setTimeout(r, 200));
      expect((await call('GET', '/healthz')).status).toBe(200);
      for (const c of slow) c.socket.destroy();
      await Promise.all(slow.map((c) => c.closed));
      const many = await Promise.all([1, 2, 3, 4, 5].map(() => call('GET', '/healthz')));
      expect(many.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('warns at start about a data folder and database others can read, and says "caught up" once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-hard-'));
    chmodSync(dataDir, 0o755);
    // A database made by a library with the default umask (0644), with usage in three past hours.
    const file = join(dataDir, 'tollgate.db');
    const engine = await createTollgate({ database: file });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    await engine.usage.ingest(
      [1, 2, 3].map((h) => ({
        id: `e${h}`,
        account_id: acc.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: new Date(hour - h * HOUR + 60_000).toISOString(),
      })),
    );
    await engine.close();
    chmodSync(file, 0o644);

    const server = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    try {
      const listening = Date.now();
      const warnings = () =>
        server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes('open to other users'))
          .map((l) => JSON.parse(l));
      while (warnings().length < 2 && Date.now() - listening < 3000)
        await new Promise((r) => setTimeout(r, 10));
      expect(Date.now() - listening).toBeLessThan(1000);
      expect(warnings().map((w) => [w.level, w.msg.split(' is ')[0]])).toEqual([
        [40, dataDir],
        [40, file],
      ]);
      expect(warnings()[0].msg).toContain('mode 755');
      expect(warnings()[1].msg).toContain(`chmod 600 ${file}`);
      expect(server.output().match(/caught up/g)).toHaveLength(1);
      expect(server.output()).toContain('billing: caught up at start, billed 3 hour(s)');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 90_000);
});
