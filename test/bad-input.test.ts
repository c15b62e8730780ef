import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { ERROR_CODES } from '../src/core/kernel/errors.ts';
import { ADMIN, makeApi, must } from './helpers.ts';

/** A checksum of every table, to prove a refused request wrote nothing. */
function checksum(storage: SqliteStorage): string {
  const db = storage.connection.db;
  const hash = createHash('sha256');
  const tables = db
    // Kept answers (idempotency_keys) are what refusals leave on purpose: a retry gets the same refusal.
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'idempotency_keys' ORDER BY name`,
    )
    .pluck(true)
    .all() as string[];
  for (const t of tables) {
    hash.update(t);
    for (const row of db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).raw(true).iterate())
      hash.update(JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  }
  return hash.digest('hex');
}

const INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE accounts; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style injection string, on purpose
  '${jndi:ldap://x}',
  '%00',
  'Robert"); DELETE FROM transfers;--',
];
const ODD = ['\u0000', '\u202e\u0041\u0042', '🦄'.repeat(300), 'x'.repeat(100_000), '\ud800', ' '];
const AMOUNTS: unknown[] = [
  '-1',
  '0',
  '1e3',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1,000',
  '１２３',
  '',
  ' 5',
  '99999999999999999999999999999999999999',
  1500,
  -1,
  0,
  1e308,
  null,
  true,
  [],
  {},
];

/** Bodies that must each be refused by any route that takes a body. */
function badBodies(): { label: string; body: string; contentType?: string }[] {
  const out: { label: string; body: string; contentType?: string }[] = [
    { label: 'malformed JSON', body: '{"name":' },
    { label: 'JSON array', body: '[]' },
    { label: 'JSON string', body: '"hello"' },
    { label: 'JSON null', body: 'null' },
    { label: 'empty body', body: '' },
    { label: 'text/plain', body: 'name=x', contentType: 'text/plain' },
    { label: 'unknown fields only', body: JSON.stringify({ admin: true, __proto__x: 1 }) },
    {
      label: 'prototype pollution',
      body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
    },
    { label: 'oversized', body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) },
  ];
  for (const a of AMOUNTS)
    out.push({
      label: `amounts ${JSON.stringify(a)}`,
      body: JSON.stringify({ credits: a, events: a, key: a, nickname: a, url: a, name: a, extra_field: 1 }),
    });
  for (const s of [...INJECTION, ...ODD])
    out.push({
      label: `string ${JSON.stringify(s).slice(0, 30)}`,
      body: JSON.stringify({ credits: s, nickname: s, key: s, name: s, url: s, events: s, unknown_field: s }),
    });
  return out;
}

async function setup() {
  const api = await makeApi();
  const acc = must(await api.engine.accounts.create({ name: 'Acme' }));
  must(await api.engine.credits.grant(acc.id, { credits: '100', reason: 'x' }));
  const { key } = must(await api.engine.keys.create(acc.id, 'prod'));
  const doc = (await (await api.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      takesBody: op.requestBody !== undefined,
    })),
  );
  return { ...api, acc, key, routes, storage: api.engine.storage as SqliteStorage };
}

describe('bad input over every route of /openapi.json', () => {
  it('answers each with a 4xx and a stable code, never a 5xx, and changes nothing in the database', async () => {
    const { app, acc, key, routes, storage } = await setup();
    const codes = new Set(Object.keys(ERROR_CODES));
    const before = checksum(storage);
    let tried = 0;
    const seen = new Map<number, number>();
    for (const route of routes) {
      // A GET without a path parameter has nothing to get wrong (its queries are checked below).
      if ((route.method === 'GET' || route.method === 'DELETE') && !route.path.includes('{')) continue;
      // Real ids too where the route takes a body, so the bad bodies reach the handlers' own checks.
      const real = route.takesBody ? [route.path.includes('api_keys/{') ? key.id : acc.id] : [];
      const ids = [
        ...real,
        // An id of the right shape that is no account's (its last character changed, never to itself).
        `${acc.id.slice(0, -1)}${acc.id.endsWith('X') ? 'Y' : 'X'}`,
        ...INJECTION.map(encodeURIComponent),
        encodeURIComponent('🦄'.repeat(40)),
        'a'.repeat(300),
      ];
      const paths = route.path.includes('{')
        ? ids.map((id) => route.path.replace(/\{\w+\}/g, id))
        : [route.path];
      const bodies = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : badBodies();
      for (const path of paths) {
        for (const b of bodies) {
          const res = await app.request(path, {
            method: route.method,
            headers: {
              authorization: `Bearer ${ADMIN}`,
              'content-type': b?.contentType ?? 'application/json',
              // A key of its own per request: a kept refusal must not stand in for the next bad body.
              'idempotency-key': `fuzz-${tried}`,
            },
            ...(b !== undefined && route.method !== 'GET' ? { body: b.body } : {}),
          });
          tried++;
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const text = await res.text();
          const context = `${route.method} ${path.slice(0, 80)} ${b?.label ?? ''} -> ${res.status} ${text.slice(0, 200)}`;
          expect(res.status, context).toBeGreaterThanOrEqual(400);
          expect(res.status, context).toBeLessThan(500);
          const body = JSON.parse(text);
          expect(codes.has(body.error.code), context).toBe(true);
          expect(body.error.request_id, context).toMatch(/^req_/);
        }
      }
    }
    expect(checksum(storage)).toBe(before);
    console.log(
      `bad input: ${tried} requests over ${routes.length} routes; statuses ${JSON.stringify(Object.fromEntries(seen))}`,
    );
  }, 120_000);

  it('refuses bad query strings with validation_failed', async () => {
    const { call, acc } = await setup();
    for (const q of [
      'granularity=week',
      'group_by=color',
      'tz=Nowhere/City',
      'from=yesterday',
      'from=2026-11-25T00:00:00Z&to=2020-01-01T00:00:00Z',
      'from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ]) {
      const r = await call('GET', `/v1/accounts/${acc.id}/usage/summary?${q}`);
      expect(r.status, q).toBe(422);
    }
    for (const q of ['limit=-1', 'limit=abc', 'limit=100000', 'cursor=%%%']) {
      const r = await call('GET', `/v1/accounts/${acc.id}/usage/records?${q}`);
      expect(r.status, q).toBe(422);
    }
  });
});

describe('access', () => {
  it('refuses every /v1 route of the OpenAPI document without the operator token, or with a wrong one', async () => {
    const { app, routes, acc } = await setup();
    let checked = 0;
    for (const route of routes) {
      if (route.path === '/v1/webhooks/stripe') continue; // authenticated by its signature instead
      const path = route.path.replace(/\{\w+\}/g, acc.id);
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Bearer ${ADMIN}x`,
        `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}`,
        ADMIN,
      ]) {
        const res = await app.request(path, {
          method: route.method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          ...(route.method !== 'GET' && route.method !== 'DELETE' ? { body: '{}' } : {}),
        });
        expect(res.status, `${route.method} ${route.path} with ${authorization}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
        checked++;
      }
    }
    expect(routes.length).toBeGreaterThan(30);
    console.log(`access: ${checked} unauthenticated requests over ${routes.length - 1} routes, all 401`);
  });

  it('never shows a key secret or webhook secret after creation', async () => {
    const { call, acc } = await setup();
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'second' })).body;
    const hook = (
      await call('POST', '/v1/webhook_endpoints', {
        url: 'https://hooks.example.com/x',
        events: ['api_key.created'],
      })
    ).body;
    for (const path of [
      `/v1/accounts/${acc.id}/api_keys`,
      `/v1/api_keys/${key.id}`,
      '/v1/webhook_endpoints',
      `/v1/webhook_endpoints/${hook.id}`,
      `/v1/webhook_endpoints/${hook.id}/deliveries`,
      '/openapi.json',
    ]) {
      const r = await call('GET', path);
      expect(r.text).not.toContain(key.secret);
      expect(r.text).not.toContain(hook.secret);
    }
  });
});
