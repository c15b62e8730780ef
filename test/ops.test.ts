import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { createApp } from '../src/index.ts';
import { ADMIN, makeEngine, must } from './helpers.ts';
import { client, startServer } from './server-process.ts';

const ROOT = join(import.meta.dirname, '..');
const tsx = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('metrics', () => {
  it('serves Prometheus text behind the metrics token, with HTTP, usage, verification, billing and process figures', async () => {
    const { engine, clock } = await makeEngine();
    const app = createApp(engine, { adminToken: ADMIN, metrics: { token: 'scrape-me' } });
    const h = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const acc = (await (
      await app.request('/v1/accounts', {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ name: 'Acme' }),
      })
    ).json()) as { id: string };
    await app.request('/v1/usage_events', {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        events: [
          {
            id: 'e1',
            account_id: acc.id,
            model: 'image-1024',
            quantity: '1',
            timestamp: new Date(clock.ms).toISOString(),
          },
          {
            id: 'e2',
            account_id: acc.id,
            model: 'nope',
            quantity: '1',
            timestamp: new Date(clock.ms).toISOString(),
          },
        ],
      }),
    });
    await app.request('/v1/api_keys/verify', {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ key: 'tg_nothing' }),
    });
    clock.advance(3_600_000);
    await engine.billing.run();
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(
      401,
    );
    const res = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-me' } });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /tollgate_http_requests_total\{method="POST",route="\/v1\/accounts",status="201"\} 1/,
    );
    expect(text).toMatch(
      /tollgate_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/usage_events"\}/,
    );
    expect(text).toMatch(/tollgate_usage_events_total\{status="accepted"\} 1/);
    expect(text).toMatch(/tollgate_usage_events_total\{status="rejected"\} 1/);
    expect(text).toMatch(/tollgate_group_commit_events_count 1/);
    expect(text).toMatch(/tollgate_key_verifications_total\{outcome="unknown_key"\} 1/);
    expect(text).toMatch(/tollgate_billing_hours_billed_total 1/);
    expect(text).toMatch(/tollgate_billing_last_success_timestamp_seconds \d+/);
    expect(text).toMatch(/tollgate_process_resident_memory_bytes \d+/);
    must(await engine.accounts.get(acc.id));
  });
});

describe('configuration', () => {
  const bad: [Record<string, string>, string][] = [
    [{ TOLLGATE_CREDIT_PRICE: '-1' }, 'TOLLGATE_CREDIT_PRICE'],
    [{ TOLLGATE_TAX_RATE: '2' }, 'TOLLGATE_TAX_RATE'],
    [{ TOLLGATE_PAYMENT_MIN: '500', TOLLGATE_PAYMENT_MAX: '100' }, 'TOLLGATE_PAYMENT_MIN'],
    [{ TOLLGATE_PRICE_BOOK: '/nonexistent/prices.json' }, 'TOLLGATE_PRICE_BOOK'],
    [{ TOLLGATE_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, 'TOLLGATE_DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ TOLLGATE_MAX_CONNECTIONS: '0' }, 'TOLLGATE_MAX_CONNECTIONS'],
    [{ TOLLGATE_WEBHOOK_PUBLIC_TARGETS_ONLY: 'no' }, 'TOLLGATE_WEBHOOK_PUBLIC_TARGETS_ONLY'],
  ];
  it.each(bad)('stops with exit code 2 and one line naming the variable: %j', (env, variable) => {
    const r = tsx(['src/server.ts'], {
      TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tollgate-cfg-')),
      ...env,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a malformed price book file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-cfg-'));
    writeFileSync(join(dir, 'prices.json'), '{"video-4s-720p": "twenty"}');
    const r = tsx(['src/server.ts'], {
      TOLLGATE_DATA_DIR: dir,
      TOLLGATE_PRICE_BOOK: join(dir, 'prices.json'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TOLLGATE_PRICE_BOOK');
  });
});

describe('the tollgate command', () => {
  it('creates accounts and keys, prints the secret once, backs up, and explains itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
    const env = { TOLLGATE_DATA_DIR: dir };
    const help = tsx(['bin/tollgate.mjs', '--help'], env);
    expect(help.status).toBe(0);
    for (const c of ['serve', 'migrate', 'bill', 'backup', 'accounts create', 'keys create'])
      expect(help.stdout).toContain(c);
    expect(tsx(['bin/tollgate.mjs', 'backup', '--help'], env).stdout).toContain('online backup');
    expect(tsx(['bin/tollgate.mjs', 'migrate'], env).status).toBe(0);
    const acc = tsx(['bin/tollgate.mjs', 'accounts', 'create', 'Acme'], env);
    expect(acc.status).toBe(0);
    const accountId = acc.stdout.trim();
    expect(accountId).toMatch(/^acc_/);
    const key = tsx(['bin/tollgate.mjs', 'keys', 'create', accountId, 'prod'], env);
    expect(key.status).toBe(0);
    expect(key.stdout.trim().split('\n')[1]).toMatch(/^tg_/);
    expect(tsx(['bin/tollgate.mjs', 'keys', 'create', 'acc_nope', 'x'], env).status).toBe(1);
    expect(tsx(['bin/tollgate.mjs', 'bill', '--through', 'soon'], env).status).toBe(2);
    expect(tsx(['bin/tollgate.mjs', 'bill'], env).stdout).toContain('billed 0 hour(s)');
    expect(tsx(['bin/tollgate.mjs', 'frobnicate'], env).status).toBe(2);
    // About ten CLI processes one after another, each compiling the sources with tsx first.
  }, 180_000);
});

describe('graceful shutdown', () => {
  it('answers what is in flight, stores every acknowledged event, and exits 0 on SIGTERM under ingest load', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-term-'));
    const server = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN });
    const call = client(server.url, ADMIN);
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const acknowledged: string[] = [];
    let stop = false;
    let seq = 0;
    const worker = async () => {
      while (!stop) {
        const id = `evt_${seq++}`;
        const r = await call('POST', '/v1/usage_events', {
          events: [
            {
              id,
              account_id: acc.id,
              model: 'image-1024',
              quantity: '1',
              timestamp: new Date().toISOString(),
            },
          ],
        }).catch(() => null);
        if (!r) return;
        if (r.status === 200 && r.body.results[0].status === 'accepted') acknowledged.push(id);
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((r) => setTimeout(r, 800));
    const sent = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const took = Date.now() - sent;
    stop = true;
    await Promise.all(workers);
    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);
    expect(acknowledged.length).toBeGreaterThan(50);
    const storage = await SqliteStorage.open({
      database: join(dataDir, 'tollgate.db'),
      dedupeWindowMs: 0,
      nowMs: Date.now(),
    });
    const stored = new Set(
      (
        await storage.usageRecords({
          accountId: acc.id,
          fromMs: 0,
          toMs: Date.now() + 60_000,
          limit: 1_000_000,
        })
      ).map((r) => r.id),
    );
    await storage.close();
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // Structured logs: one JSON line per request, with its id, route, status and duration; no secret.
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const request = lines.map((l) => JSON.parse(l)).find((l) => l.route === '/v1/usage_events');
    expect(request).toMatchObject({ method: 'POST', status: 200 });
    expect(request.request_id).toMatch(/^req_/);
    expect(typeof request.duration_ms).toBe('number');
    expect(server.output()).not.toContain(ADMIN);
    console.log(`shutdown: ${acknowledged.length} acknowledged events all stored; exited in ${took} ms`);
  }, 60_000);
});
