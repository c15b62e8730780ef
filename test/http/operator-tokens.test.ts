import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeListener } from '../../src/index.ts';
import { ADMIN, makeApi, STORES } from '../helpers.ts';

describe.each(STORES)('operator tokens and the audit log ($name)', (store) => {
  it('gives each scope only its routes, shows the token once, and revokes it at once', async () => {
    const { engine, call, clock } = await makeApi({ store });
    const as = (token: string) => (method: string, path: string, body?: unknown) =>
      call(method, path, body, { authorization: `Bearer ${token}` });

    const created = await call('POST', '/v1/operator_tokens', { name: 'gateway', scopes: ['ingest'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'gateway', scopes: ['ingest'] });
    expect(created.body.token).toMatch(/^tgo_[0-9A-Za-z]{40,}$/);
    const reader = (await call('POST', '/v1/operator_tokens', { name: 'dashboard', scopes: ['read'] })).body;
    const listed = (await call('GET', '/v1/operator_tokens')).body.data;
    expect(listed.map((t: { name: string }) => t.name).sort()).toEqual(['dashboard', 'gateway']);
    expect(JSON.stringify(listed)).not.toContain(created.body.token);

    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'start' });
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;

    const ingest = as(created.body.token);
    expect((await ingest('POST', '/v1/api_keys/verify', { key: key.secret })).body.valid).toBe(true);
    const ts = new Date(clock.ms).toISOString();
    const event = { id: 'e1', api_key_id: key.id, model: 'image-1024', quantity: '1', timestamp: ts };
    expect((await ingest('POST', '/v1/usage_events', { events: [event] })).body.results[0].status).toBe(
      'accepted',
    );
    const hold = await ingest('POST', `/v1/accounts/${acc.id}/holds`, { credits: '5' });
    expect(hold.status).toBe(201);
    expect((await ingest('POST', `/v1/holds/${hold.body.id}/release`)).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', `/v1/accounts/${acc.id}/balance`],
      ['POST', '/v1/accounts', { name: 'Mallory' }],
      ['POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '1', reason: 'x' }],
      ['POST', '/v1/operator_tokens', { name: 'escalate', scopes: ['admin'] }],
    ] as const) {
      const r = await ingest(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }

    const read = as(reader.token);
    expect((await read('GET', `/v1/accounts/${acc.id}/balance`)).status).toBe(200);
    expect((await read('POST', '/v1/api_keys/verify', { key: key.secret })).status).toBe(403);
    expect((await read('DELETE', `/v1/operator_tokens/${created.body.id}`)).status).toBe(403);
    // Nothing the refused calls asked for happened.
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('100');

    expect((await call('DELETE', `/v1/operator_tokens/${created.body.id}`)).status).toBe(204);
    const after = await ingest('POST', '/v1/api_keys/verify', { key: key.secret });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    expect((await call('GET', '/v1/operator_tokens')).body.data.map((t: { name: string }) => t.name)).toEqual(
      ['dashboard'],
    );
    expect((await call('DELETE', '/v1/operator_tokens/opt_nope')).status).toBe(404);
    expect((await call('POST', '/v1/operator_tokens', { name: 'x', scopes: ['root'] })).body.error.code).toBe(
      'validation_failed',
    );
    await engine.close();
  });

  it('logs every change with its actor, route, target and request id, and no traffic', async () => {
    const { call, clock } = await makeApi({ store });
    const admin = (await call('POST', '/v1/operator_tokens', { name: 'ops-bot', scopes: ['admin'] })).body;
    const ingest = (await call('POST', '/v1/operator_tokens', { name: 'gateway', scopes: ['ingest'] })).body;
    const bot = (method: string, path: string, body?: unknown) =>
      call(method, path, body, { authorization: `Bearer ${admin.token}` });
    const acc = (await bot('POST', '/v1/accounts', { name: 'Acme' })).body;
    const grant = await bot('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '10', reason: 'x' });
    const key = (await bot('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    await call(
      'POST',
      '/v1/api_keys/verify',
      { key: key.secret },
      { authorization: `Bearer ${ingest.token}` },
    );
    const ts = new Date(clock.ms).toISOString();
    await call(
      'POST',
      '/v1/usage_events',
      { events: [{ id: 'e1', api_key_id: key.id, model: 'image-1024', quantity: '1', timestamp: ts }] },
      { authorization: `Bearer ${ingest.token}` },
    );
    await bot('POST', '/v1/accounts', { name: '' }); // refused: not a change
    await bot('GET', `/v1/accounts/${acc.id}`);

    const log = (await call('GET', '/v1/audit_log?limit=100')).body;
    const lines = log.data.map((l: any) => [l.actor.name, l.action, l.target_id]);
    expect(lines).toEqual([
      ['bootstrap', 'POST /v1/operator_tokens', admin.id],
      ['bootstrap', 'POST /v1/operator_tokens', ingest.id],
      ['ops-bot', 'POST /v1/accounts', acc.id],
      ['ops-bot', 'POST /v1/accounts/:id/credit_grants', acc.id],
      ['ops-bot', 'POST /v1/accounts/:id/api_keys', acc.id],
    ]);
    expect(log.data[2].actor.token_id).toBe(admin.id);
    expect(log.data[0].actor.token_id).toBeNull();
    expect(log.data[3].request_id).toBe(grant.headers.get('x-request-id'));
    expect(log.next_cursor).toBeNull();
    const page = (await call('GET', '/v1/audit_log?limit=2')).body;
    expect(page.data).toHaveLength(2);
    const next = (await call('GET', `/v1/audit_log?limit=2&cursor=${page.next_cursor}`)).body;
    expect(next.data.map((l: any) => l.id)).toEqual(log.data.slice(2, 4).map((l: any) => l.id));
  });
});

describe('operator tokens on the Node fast path', () => {
  it('answers forbidden and unauthorized like the app, and a revoked token fails on an open connection', async () => {
    const { engine, call } = await makeApi();
    const reader = (await call('POST', '/v1/operator_tokens', { name: 'dashboard', scopes: ['read'] })).body;
    const ingest = (await call('POST', '/v1/operator_tokens', { name: 'gateway', scopes: ['ingest'] })).body;
    const server = createServer(createNodeListener(engine, { adminToken: ADMIN }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const verify = (token: string) =>
      fetch(`${base}/v1/api_keys/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'tg_unknown' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    try {
      expect(await verify(ingest.token)).toEqual({
        status: 200,
        body: { valid: false, code: 'unknown_key' },
      });
      const refused = await verify(reader.token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      // fetch keeps the connection alive: the next call rides the remembered caller, then is revoked.
      expect((await verify(ingest.token)).status).toBe(200);
      expect((await call('DELETE', `/v1/operator_tokens/${ingest.id}`)).status).toBe(204);
      const revoked = await verify(ingest.token);
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.code).toBe('unauthorized');
    } finally {
      server.close();
    }
  });
});

describe('operator tokens across a restart (sqlite-file)', () => {
  it('a token made before the restart still works after it, and a revoked one still does not', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tollgate-opt-')), 'tollgate.db');
    const first = await makeApi({ database: file });
    const reader = (await first.call('POST', '/v1/operator_tokens', { name: 'dashboard', scopes: ['read'] }))
      .body;
    const gone = (await first.call('POST', '/v1/operator_tokens', { name: 'old', scopes: ['read'] })).body;
    await first.call('DELETE', `/v1/operator_tokens/${gone.id}`);
    await first.engine.close();
    const second = await makeApi({ database: file });
    const as = (token: string) =>
      second.call('GET', '/v1/operator_tokens', undefined, { authorization: `Bearer ${token}` });
    expect((await as(reader.token)).status).toBe(200);
    expect((await as(gone.token)).status).toBe(401);
  });
});
