import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, onTestFinished } from 'vitest';
import type { TollgateConfig } from '../src/core/kernel/config.ts';
import type { Clock } from '../src/core/kernel/ports.ts';
import { createApp, createTollgate, type Engine, type TollgateOptions } from '../src/index.ts';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 25, 13, 30, 0)) {}
  nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const HOUR = 3_600_000;

/**
 * For tests whose webhook receivers listen on http://127.0.0.1: lets plain http and loopback
 * targets through, both refused by default.
 */
export const LOOPBACK_WEBHOOKS = {
  webhookHttpsOnly: false,
  webhookPublicTargetsOnly: false,
} satisfies Partial<TollgateConfig>;

/** The operator token of the tests: 32 characters or more, as the standalone server requires. */
export const ADMIN = 'test-admin-token-of-32-characters-at-least';

/** What `createTollgate({ database })` accepts. */
export type DatabaseOption = NonNullable<TollgateOptions['database']>;

/** A storage the engine-level suites run on. */
export interface Store {
  name: 'sqlite-memory' | 'sqlite-file' | 'postgres';
  /** A fresh, empty database; opening the same value again is a restart of that database. */
  open(): DatabaseOption;
}

const PG_URL = process.env.TOLLGATE_PG_URL;
// What this test file opened, removed after it (each test file runs in a process of its own).
const tempDirs: string[] = [];
const schemas: string[] = [];
const openEngines = new Set<Engine>();

/**
 * A new PostgreSQL schema name for a test of its own (several engines on one database), dropped
 * with the others after the file.
 */
export function freshPgSchema(prefix = 't'): string {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

const SQLITE_MEMORY: Store = { name: 'sqlite-memory', open: () => ':memory:' };

/**
 * Every storage an engine-level suite runs on, as Kysely's tests loop over `DIALECTS`:
 * `describe.each(STORES)('keys ($name)', (store) => ...)`. PostgreSQL is in the list only when
 * `TOLLGATE_PG_URL` is set; each engine then gets a schema of its own, dropped after the file.
 */
export const STORES: readonly Store[] = [
  SQLITE_MEMORY,
  {
    name: 'sqlite-file',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
      tempDirs.push(dir);
      return join(dir, 'tollgate.db');
    },
  },
  ...(PG_URL
    ? [
        {
          name: 'postgres' as const,
          open: () => {
            const schema = `t_${randomBytes(6).toString('hex')}`;
            schemas.push(schema);
            return { postgres: PG_URL, schema };
          },
        },
      ]
    : []),
];

if (!PG_URL)
  noticeOnce(
    'SKIPPED: TOLLGATE_PG_URL is not set, so the engine suites (keys, credits, refunds, holds, metering, webhooks) ran on SQLite only',
  );

/**
 * Prints a line once per test run, not once per test file: forked workers share their parent,
 * the vitest process, and the first to create the marker file prints.
 */
function noticeOnce(line: string): void {
  if (process.send) {
    const prefix = 'tollgate-test-notice-';
    for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(prefix))) {
      if (!alive(Number(name.slice(prefix.length)))) rmSync(join(tmpdir(), name), { force: true });
    }
    try {
      writeFileSync(join(tmpdir(), `${prefix}${process.ppid}`), '', { flag: 'wx' });
    } catch {
      return;
    }
  }
  console.log(line);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

afterAll(async () => {
  await Promise.all([...openEngines].map((e) => e.close()));
  if (PG_URL && schemas.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    // One schema a statement: dropping dozens at once takes a lock per table of each in one
    // transaction, past max_locks_per_transaction ("out of shared memory" at FC_RUNS=300).
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Closes the engine when the test that made it ends (or after the file, when a hook made it),
 * so no pool keeps the process alive; closing it earlier by hand is fine too.
 */
function track(engine: Engine): void {
  const close = engine.close;
  let closing: Promise<void> | undefined;
  engine.close = () => {
    openEngines.delete(engine);
    closing ??= close();
    return closing;
  };
  openEngines.add(engine);
  try {
    onTestFinished(() => engine.close());
  } catch {
    // Not inside a test: the afterAll above closes it.
  }
}

export interface EngineOptions {
  clock?: ManualClock;
  config?: Partial<TollgateConfig>;
  /** Payment providers besides `manual` (a Stripe provider on a loopback fake). */
  payments?: TollgateOptions['payments'];
  store?: Store;
  database?: DatabaseOption;
}

/**
 * An engine on `store` (default SQLite in memory), or on `database` to reopen one already
 * opened (a restart).
 */
export async function makeEngine(opts: EngineOptions = {}) {
  const clock = opts.clock ?? new ManualClock();
  const engine = await createTollgate({
    database: opts.database ?? (opts.store ?? SQLITE_MEMORY).open(),
    clock,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.payments ? { payments: opts.payments } : {}),
  });
  track(engine);
  return { engine, clock };
}

/** An engine and its HTTP app, with a JSON helper that sends the operator token. */
export async function makeApi(opts: EngineOptions = {}) {
  const { engine, clock } = await makeEngine(opts);
  const logs: string[] = [];
  const app = createApp(engine, { adminToken: ADMIN, log: (l) => logs.push(JSON.stringify(l)) });
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: json, text, bytes, headers: res.headers };
  }
  return { engine, clock, app, call, logs };
}

/** The value of a core result, failing the test with the refusal otherwise. */
export function must<T>(r: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r.value;
}

/** An account holding `credits` (granted), for tests that need funds. */
export async function fundedAccount(engine: Engine, credits = '1000') {
  const account = must(await engine.accounts.create({ name: 'Acme' }));
  if (credits !== '0') must(await engine.credits.grant(account.id, { credits, reason: 'test funds' }));
  return account;
}

/**
 * A customer's browser on the portal, without a browser: form POSTs and GETs through
 * `app.request` that keep the session cookie. `env` is what the Node adapter would hand the app.
 */
export function portalClient(
  app: { request: (path: string, init?: RequestInit, env?: unknown) => Response | Promise<Response> },
  env?: unknown,
) {
  // Every cookie the portal sets: the session, and the one-time flash a form's redirect leaves.
  const jar = new Map<string, string>();
  const send = async (path: string, form?: Record<string, string>): Promise<Response> => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await app.request(
      path,
      form
        ? {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form).toString(),
          }
        : { headers: { cookie } },
      env,
    );
    for (const line of res.headers.getSetCookie()) {
      const [name, value = ''] = line.split(';')[0]!.split('=') as [string, string?];
      if (value === '' || /Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  // The jar itself, for tests that hand a cookie to another session.
  return Object.assign(send, { jar });
}
