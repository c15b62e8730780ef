import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

/** Why a PostgreSQL cluster of the test's own cannot run here, or null when it can. */
export function clusterUnavailable(): string | null {
  if (!process.env.TOLLGATE_PG_URL)
    return 'TOLLGATE_PG_URL is not set (the PostgreSQL fault tests run where PostgreSQL does)';
  if (process.getuid?.() !== 0) return 'not root: the test cannot run PostgreSQL as the postgres user';
  if (!existsSync(join(BIN, 'initdb'))) return `PostgreSQL 15 is not installed (${BIN}/initdb)`;
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'true'], { stdio: 'pipe' });
  } catch {
    return 'there is no postgres user to run PostgreSQL as (runuser -u postgres failed)';
  }
  return null;
}

/** A port no one listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs a PostgreSQL program as the postgres user (asynchronously: the test's load keeps going). */
export async function asPostgres(program: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('runuser', ['-u', 'postgres', '--', join(BIN, program), ...args], {
    timeout: timeoutMs,
  });
  return stdout;
}

/**
 * One PostgreSQL 15 server of the test's own: its own folder under the temp dir, its own port on
 * 127.0.0.1, its socket in its own folder, trust authentication. Never the shared server.
 */
export class Cluster {
  readonly dir: string;
  readonly data: string;

  private constructor(
    readonly port: number,
    root: string,
  ) {
    this.dir = root;
    this.data = join(root, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A new cluster (initdb), not started; `extra` lines go to postgresql.conf. */
  static async init(extra: string[] = []): Promise<Cluster> {
    const c = await Cluster.folder();
    await asPostgres('initdb', ['-D', c.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    c.configure(extra);
    return c;
  }

  /** A standby of `primary` (pg_basebackup -R), not started. */
  static async standbyOf(primary: Cluster, extra: string[] = []): Promise<Cluster> {
    const c = await Cluster.folder();
    await asPostgres('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      c.data,
      '-R',
      '-X',
      'stream',
      '--no-sync',
      `--checkpoint=fast`,
    ]);
    c.configure(extra);
    return c;
  }

  private static async folder(): Promise<Cluster> {
    const root = mkdtempSync(join(tmpdir(), 'tg-pgfault-'));
    chownSync(root, uidOf('postgres'), gidOf('postgres'));
    return new Cluster(await freePort(), root);
  }

  private configure(extra: string[]): void {
    // Appended: the last setting wins, including over a base backup's copy of the primary's.
    writeFileSync(
      join(this.data, 'postgresql.conf'),
      [
        `port = ${this.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.dir}'`,
        'max_connections = 100',
        'shared_buffers = 32MB',
        ...extra,
        '',
      ].join('\n'),
      { flag: 'a' },
    );
    chownSync(join(this.data, 'postgresql.conf'), uidOf('postgres'), gidOf('postgres'));
  }

  start(): Promise<string> {
    return asPostgres('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** A crash and restart: every backend killed at once, crash recovery at start. */
  restartImmediate(): Promise<string> {
    return asPostgres('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-m',
      'immediate',
      '-w',
      '-t',
      '60',
      'restart',
    ]);
  }

  stopImmediate(): Promise<string> {
    return asPostgres('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  promote(): Promise<string> {
    return asPostgres('pg_ctl', ['-D', this.data, '-w', 'promote']);
  }

  /** Stops the server (if running) and removes its folder. */
  async destroy(): Promise<void> {
    await this.stopImmediate().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Read at set-up, before any load runs.
const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());
