import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export const ROOT = join(import.meta.dirname, '..');

export interface Row {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  target?: string;
  met?: boolean;
  note?: string;
}

export const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Child {
  url: string;
  proc: ChildProcess;
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

/** Starts a server script in its own process (its own core), waiting for "listening on URL". */
export async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  // The server's log goes to a file, as in production: a pipe to this busy process would
  // throttle the server whenever the pipe fills.
  const logFile = join(mkdtempSync(join(tmpdir(), 'tollgate-bench-log-')), 'server.log');
  const fd = openSync(logFile, 'w');
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  const url = await new Promise<string>((resolve, reject) => {
    proc.on('exit', (code) =>
      reject(new Error(`${script} exited ${code}: ${readFileSync(logFile, 'utf8')}`)),
    );
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(readFileSync(logFile, 'utf8'));
      if (m) {
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 50);
  });
  return {
    url,
    proc,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    stop: () =>
      new Promise((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** A real load generator (autocannon) at a fixed connection count. */
export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ duration: 8, ...opts });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}
