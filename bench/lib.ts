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

/** What the runner hands each section; a section returns its rows and keeps nothing between runs. */
export interface BenchContext {
  /** A count scaled by BENCH_SCALE, in whole thousands, at least 1000. */
  n: (count: number) => number;
  /** This run's directory for stores and data. */
  tmp: string;
  log: (line: string) => void;
  /** The rows of the sections that ran before this one, for a baseline measured there. */
  earlier: readonly Row[];
}

/** The rows of one section, each printed as it is measured. */
export function rowsOf(ctx: BenchContext): { rows: Row[]; add: (row: Row) => void } {
  const rows: Row[] = [];
  return {
    rows,
    add(row) {
      rows.push(row);
      const base = row.baseline
        ? `  (baseline ${row.baseline.name}: ${row.baseline.value.toLocaleString('en')}, ratio ${(row.value / row.baseline.value).toFixed(2)})`
        : '';
      ctx.log(
        `  ${row.name}: ${row.value.toLocaleString('en')} ${row.unit}${base}${row.target ? `  target ${row.target}: ${row.met ? 'met' : 'MISSED'}` : ''}`,
      );
    },
  };
}

/** The value of an earlier row of this run by its exact name, if that section ran. */
export const figureNamed = (rows: readonly Row[], name: string) => rows.find((r) => r.name === name)?.value;

export const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

/** The middle of several runs (the upper one of an even count). */
export const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** "median of a / b / c", the note beside a figure that is the middle of several runs. */
export const medianNote = (runs: number[]) =>
  `median of ${runs.map((x) => x.toLocaleString('en')).join(' / ')}`;

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
  // A bench that fails midway takes its servers with it, instead of leaving them holding its stderr.
  const killOnExit = () => proc.kill();
  process.once('exit', killOnExit);
  proc.once('exit', () => process.off('exit', killOnExit));
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

/** The run with the median requests/s of several. */
export function medianRun(runs: LoadResult[]): LoadResult {
  return [...runs].sort((x, y) => x.rps - y.rps)[Math.floor(runs.length / 2)]!;
}

/** The admin token of the servers the bench starts (the server takes none shorter than 32 characters). */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/** An account with an API key and credits, made through the admin API of a started server. */
export async function seedOverHttp(
  url: string,
  credits: string,
): Promise<{ headers: Record<string, string>; keyId: string; secret: string }> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) =>
    (await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) })).json() as Promise<any>;
  const acc = await post('/v1/accounts', { name: 'bench' });
  const key = await post(`/v1/accounts/${acc.id}/api_keys`, { nickname: 'bench' });
  await post(`/v1/accounts/${acc.id}/credit_grants`, { credits, reason: 'bench' });
  return { headers, keyId: key.id, secret: key.secret };
}

/** 64 connections verifying one key over HTTP, for `duration_seconds` (8 unless given). */
export const loadVerify = (
  url: string,
  headers: Record<string, string>,
  secret: string,
  duration_seconds?: number,
): Promise<LoadResult> =>
  load({
    url: `${url}/v1/api_keys/verify`,
    method: 'POST',
    headers,
    body: JSON.stringify({ key: secret }),
    connections: 64,
    ...(duration_seconds ? { duration: duration_seconds } : {}),
  });
