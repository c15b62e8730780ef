import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp, createNodeListener } from '../../src/index.ts';
import { ADMIN, makeEngine, must } from '../helpers.ts';

describe('the Node fast path of the hot routes', () => {
  it('answers exactly as the app does, for good and bad requests', async () => {
    const { engine, clock } = await makeEngine();
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(acc.id, { credits: '10', reason: 'x' }));
    const { secret } = must(await engine.keys.create(acc.id, 'prod'));
    const app = createApp(engine, { adminToken: ADMIN, bodyLimitBytes: 4096 });
    const server = createServer(createNodeListener(engine, { adminToken: ADMIN, bodyLimitBytes: 4096 }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ts = new Date(clock.ms).toISOString();
    const cases: { path: string; body: string; headers?: Record<string, string> }[] = [
      { path: '/v1/api_keys/verify', body: JSON.stringify({ key: secret }) },
      { path: '/v1/api_keys/verify', body: JSON.stringify({ key: 'tg_nope' }) },
      { path: '/v1/api_keys/verify', body: '{"key":' },
      { path: '/v1/api_keys/verify', body: JSON.stringify({ key: secret, extra: 1 }) },
      { path: '/v1/api_keys/verify', body: JSON.stringify({ key: 5 }) },
      {
        path: '/v1/api_keys/verify',
        body: JSON.stringify({ key: secret }),
        headers: { authorization: 'Bearer wrong' },
      },
      {
        path: '/v1/api_keys/verify',
        body: JSON.stringify({ key: secret }),
        headers: { 'content-type': 'text/plain' },
      },
      { path: '/v1/usage_events', body: JSON.stringify({ events: [] }) },
      { path: '/v1/usage_events', body: JSON.stringify({ events: 'x' }) },
      {
        path: '/v1/usage_events',
        body: JSON.stringify({
          events: [{ id: 'e1', account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: ts }],
        }),
      },
      {
        path: '/v1/usage_events',
        body: JSON.stringify({
          events: [{ id: 'e1', account_id: acc.id, model: 'image-1024', quantity: '1', timestamp: ts }],
        }),
      },
      { path: '/v1/usage_events', body: JSON.stringify({ events: [{ id: 'x'.repeat(5000) }] }) },
    ];
    try {
      for (const c of cases) {
        const headers = {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'application/json',
          ...c.headers,
        };
        const viaApp = await app.request(c.path, { method: 'POST', headers, body: c.body });
        const viaNode = await fetch(base + c.path, { method: 'POST', headers, body: c.body });
        expect(viaNode.status, `${c.path} ${c.body.slice(0, 60)}`).toBe(viaApp.status);
        const a = (await viaApp.json()) as Record<string, any>;
        const b = (await viaNode.json()) as Record<string, any>;
        // Request ids differ; everything else is the same answer.
        if (a.error) {
          expect(b.error.code).toBe(a.error.code);
          expect(b.error.request_id).toMatch(/^req_/);
          expect(viaNode.headers.get('x-request-id')).toBe(b.error.request_id);
        } else if (c.path === '/v1/usage_events' && a.results[0].status === 'accepted') {
          // The same event twice: the app accepted it first, so the fast path sees a duplicate.
          expect(b.results[0].status).toBe('duplicate');
        } else expect(b).toEqual(a);
      }
      // One keep-alive connection: a remembered good token never lets a wrong one through.
      const verify = (authorization: string) =>
        fetch(`${base}/v1/api_keys/verify`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ key: secret }),
        });
      expect((await verify(`Bearer ${ADMIN}`)).status).toBe(200);
      expect((await verify('Bearer wrong')).status).toBe(401);
      expect((await verify(`Bearer ${ADMIN}x`)).status).toBe(401);
      expect((await verify(`Bearer ${ADMIN}`)).status).toBe(200);
      // A body over the limit without a Content-Length (chunked) is refused once it passes the limit.
      const chunk = new TextEncoder().encode(`{"key":"${'x'.repeat(3000)}`);
      const chunked = await fetch(`${base}/v1/api_keys/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(c) {
            c.enqueue(chunk);
            c.enqueue(chunk);
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    } finally {
      server.close();
    }
  });
});
