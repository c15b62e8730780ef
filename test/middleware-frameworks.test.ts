import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailable } from '../src/core/kernel/errors.ts';
import { createTollgate, type Engine } from '../src/index.ts';
import { meter as expressMeter } from '../src/middleware/express.ts';
import { meter as honoMeter } from '../src/middleware/hono.ts';
import { must } from './helpers.ts';

/**
 * The metering middleware on real Hono and Express servers over HTTP, the same routes and the same
 * expectations for both: a customer's key, a guarded route of the operator's own API, and what
 * the customer's balance and usage records then say.
 */

const PRICES = { 'image-1024': '2', 'job-second': '1', unit: '1' };

interface Routes {
  /** Runs in every handler, so a test sees whether the handler ran at all. */
  ran: string[];
  /** The long job waits for this before answering. */
  jobGate: Promise<void>;
}

/** What both frameworks serve: the same four routes with the same middleware options. */
type Server = (engine: Engine, routes: Routes) => Promise<{ url: string; close: () => Promise<void> }>;

const honoServer: Server = async (engine, routes) => {
  const app = new Hono();
  app.onError((_e, c) => c.json({ error: 'handler failed' }, 500));
  app.get('/image', honoMeter(engine, { model: 'image-1024' }), (c) => {
    routes.ran.push('image');
    return c.json(c.get('tollgate'));
  });
  app.post(
    '/job',
    honoMeter(engine, {
      model: 'job-second',
      hold: 50,
      quantity: (_req, res) => res.headers.get('x-job-seconds') ?? '0',
    }),
    async (c) => {
      routes.ran.push('job');
      await routes.jobGate;
      c.header('x-job-seconds', '7');
      return c.json({ done: true, hold: c.get('tollgate').holdId });
    },
  );
  app.get('/boom', honoMeter(engine, { model: 'image-1024', hold: 5 }), () => {
    routes.ran.push('boom');
    throw new Error('the model crashed');
  });
  app.get('/bad', honoMeter(engine, { model: 'image-1024', hold: 5 }), (c) => {
    routes.ran.push('bad');
    return c.json({ error: 'prompt refused' }, 400);
  });
  app.get('/unit', honoMeter(engine, { model: 'unit', hold: 1 }), (c) => c.json({ ok: true }));
  app.get('/pair', honoMeter(engine, { model: 'unit', quantity: 2, hold: 2 }), (c) => c.json({ ok: true }));
  app.get('/stream', honoMeter(engine, { model: 'unit', hold: 3 }), (c) => {
    routes.ran.push('stream');
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('first part\n'));
        await routes.jobGate;
        try {
          controller.enqueue(new TextEncoder().encode('second part\n'));
          controller.close();
        } catch {
          // The client went away: the rest has nowhere to go.
        }
      },
    });
    return c.body(body, 200, { 'content-type': 'text/plain' });
  });
  app.get('/effect', honoMeter(engine, { model: 'unit', hold: 3 }), async (c) => {
    routes.ran.push('effect');
    await routes.jobGate;
    routes.ran.push('effect done');
    return c.json({ done: true });
  });
  return listen((port) => serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }));
};

const expressServer: Server = async (engine, routes) => {
  const app = express();
  app.get('/image', expressMeter(engine, { model: 'image-1024' }), (req, res) => {
    routes.ran.push('image');
    res.json(req.tollgate);
  });
  app.post(
    '/job',
    expressMeter(engine, {
      model: 'job-second',
      hold: 50,
      quantity: (_req, res) => String(res.getHeader('x-job-seconds') ?? '0'),
    }),
    async (req, res) => {
      routes.ran.push('job');
      await routes.jobGate;
      res.set('x-job-seconds', '7').json({ done: true, hold: req.tollgate!.holdId });
    },
  );
  app.get('/boom', expressMeter(engine, { model: 'image-1024', hold: 5 }), async () => {
    routes.ran.push('boom');
    throw new Error('the model crashed');
  });
  app.get('/bad', expressMeter(engine, { model: 'image-1024', hold: 5 }), (_req, res) => {
    routes.ran.push('bad');
    res.status(400).json({ error: 'prompt refused' });
  });
  app.get('/unit', expressMeter(engine, { model: 'unit', hold: 1 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/pair', expressMeter(engine, { model: 'unit', quantity: 2, hold: 2 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/stream', expressMeter(engine, { model: 'unit', hold: 3 }), async (_req, res) => {
    routes.ran.push('stream');
    res.status(200).type('text/plain');
    res.write('first part\n');
    await routes.jobGate;
    res.end('second part\n');
  });
  app.get('/effect', expressMeter(engine, { model: 'unit', hold: 3 }), async (_req, res) => {
    routes.ran.push('effect');
    await routes.jobGate;
    routes.ran.push('effect done');
    res.json({ done: true });
  });
  app.use((_e: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'handler failed' });
  });
  return listen((port) => app.listen(port, '127.0.0.1'));
};

async function listen(
  start: (port: number) => import('node:http').Server | ReturnType<typeof serve>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = start(0) as import('node:http').Server;
  if (!server.listening) await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe.each([
  ['hono', honoServer],
  ['express', expressServer],
] as const)('meter() on a real %s server', (_name, server) => {
  /** An engine, an account holding `credits`, a key, and the routes served over HTTP. */
  async function setup(credits: string) {
    const engine = await createTollgate({ config: { priceBook: PRICES } });
    const account = must(await engine.accounts.create({ name: 'Acme Films' }));
    if (credits !== '0') must(await engine.credits.grant(account.id, { credits, reason: 'start' }));
    const key = must(await engine.keys.create(account.id, 'prod'));
    let openGate = () => {};
    const routes: Routes = { ran: [], jobGate: new Promise<void>((r) => (openGate = r)) };
    const http = await server(engine, routes);
    cleanups.push(async () => {
      await http.close();
      await engine.close();
    });
    const call = async (path: string, init: RequestInit & { key?: string | null } = {}) => {
      const headers = new Headers(init.headers);
      const secret = init.key === undefined ? key.secret : init.key;
      if (secret !== null) headers.set('authorization', `Bearer ${secret}`);
      const res = await fetch(http.url + path, { ...init, headers });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    };
    const balance = async () => {
      const b = must(await engine.accounts.balance(account.id));
      return { available: Number(b.available) / 1e6, pending: Number(b.pending) / 1e6 };
    };
    const records = async () =>
      must(await engine.usage.records({ accountId: account.id, limit: '1000' })).records;
    return { engine, account, key, routes, call, balance, records, openGate, url: http.url };
  }

  it('answers 401 in the platform error envelope, without running the handler, for no key or an unknown one', async () => {
    const { call, routes, records } = await setup('100');
    for (const key of [null, 'tg_notakeyofours']) {
      const r = await call('/image', { key });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({
        code: 'unauthorized',
        request_id: expect.stringMatching(/^req_/),
      });
      expect(r.body.error.message).toEqual(expect.any(String));
    }
    expect(routes.ran).toEqual([]);
    expect(await records()).toEqual([]);
  });

  it('answers 401 for a suspended key and serves it again once activated', async () => {
    const { engine, key, call, routes } = await setup('100');
    must(await engine.keys.suspend(key.key.id));
    const r = await call('/image');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    expect(routes.ran).toEqual([]);
    must(await engine.keys.activate(key.key.id));
    expect((await call('/image')).status).toBe(200);
  });

  it('answers 402 insufficient_credits to an account without credits', async () => {
    const { call, routes } = await setup('0');
    const r = await call('/image');
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('insufficient_credits');
    expect(routes.ran).toEqual([]);
  });

  it("verifies for its own model: credits scoped to it let the route run, other models' do not", async () => {
    const { engine, account, call, routes, records } = await setup('0');
    must(await engine.credits.grant(account.id, { credits: '10', reason: 'video only', models: ['unit'] }));
    // Scoped to another model: /image stays refused.
    expect((await call('/image')).body.error.code).toBe('insufficient_credits');
    expect(routes.ran).toEqual([]);
    must(await engine.credits.grant(account.id, { credits: '10', reason: 'images', models: ['image-1024'] }));
    expect((await call('/image')).status).toBe(200);
    expect(routes.ran).toEqual(['image']);
    expect((await records()).map((r) => r.model)).toEqual(['image-1024']);
  });

  it('answers 402 spend_limit_reached once the key has spent its daily limit', async () => {
    const { engine, key, call, routes, balance } = await setup('100');
    must(await engine.keys.update(key.key.id, { spendLimit: { credits: '4', period: 'day' } }));
    expect((await call('/image')).status).toBe(200);
    expect((await call('/image')).status).toBe(200);
    const third = await call('/image');
    expect(third.status).toBe(402);
    expect(third.body.error.code).toBe('spend_limit_reached');
    expect(routes.ran).toEqual(['image', 'image']);
    expect(await balance()).toEqual({ available: 96, pending: 0 });
  });

  it('answers 503 unavailable with Retry-After, without running the handler, while storage fails', async () => {
    const { engine, call, routes } = await setup('100');
    const storage = engine.storage as { transaction: (...args: never[]) => Promise<unknown> };
    const working = storage.transaction;
    storage.transaction = () => Promise.reject(new StorageUnavailable('disk unreachable'));
    try {
      const r = await call('/bad');
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('unavailable');
      expect(r.headers.get('retry-after')).toBe('5');
    } finally {
      storage.transaction = working;
    }
    expect(routes.ran).toEqual([]);
    expect((await call('/bad')).status).toBe(400);
  });

  it("gives the handler the caller's account and key and meters one event per answer", async () => {
    const { account, key, call, records, balance } = await setup('100');
    const r = await call('/image');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accountId: account.id, keyId: key.key.id });
    expect(await balance()).toEqual({ available: 98, pending: 0 });
    const [record, ...more] = await records();
    expect(more).toEqual([]);
    expect(record).toMatchObject({ apiKeyId: key.key.id, model: 'image-1024', creditsMinor: 2_000_000n });
  });

  it('releases the hold and meters nothing when the handler throws or answers an error', async () => {
    const { call, routes, records, balance } = await setup('100');
    const boom = await call('/boom');
    expect(boom.status).toBe(500);
    const bad = await call('/bad');
    expect(bad).toMatchObject({ status: 400, body: { error: 'prompt refused' } });
    expect(routes.ran).toEqual(['boom', 'bad']);
    expect(await balance()).toEqual({ available: 100, pending: 0 });
    expect(await records()).toEqual([]);
  });

  it('holds 50 credits while a long job runs, then charges its actual cost of 7', async () => {
    const { call, routes, records, balance, openGate } = await setup('100');
    const job = call('/job', { method: 'POST' });
    while (!routes.ran.includes('job')) await new Promise((r) => setTimeout(r, 5));
    expect(await balance()).toEqual({ available: 50, pending: 50 });
    openGate();
    const r = await job;
    expect(r.status).toBe(200);
    expect(r.body.hold).toMatch(/^hold_/);
    expect(await balance()).toEqual({ available: 93, pending: 0 });
    const rows = await records();
    expect(rows.map((e) => [e.model, e.quantityMinor, e.creditsMinor])).toEqual([
      ['job-second', 7_000_000n, 7_000_000n],
    ]);
  });

  it('meters a request retried with the same Idempotency-Key once, and another key again', async () => {
    const { call, records, balance, account } = await setup('100');
    const answers = [];
    for (const idem of ['render-42', 'render-42', 'render-43']) {
      const r = await call('/image', { headers: { 'idempotency-key': idem } });
      answers.push(r.status === 200 ? 200 : [r.status, r.body.error.code]);
    }
    // The retry is refused, not served again for free: no answer is stored to replay.
    expect(answers).toEqual([200, [409, 'idempotency_conflict'], 200]);
    expect(await balance()).toEqual({ available: 96, pending: 0 });
    expect((await records()).map((e) => e.id).sort()).toEqual([
      `${account.id}/render-42`,
      `${account.id}/render-43`,
    ]);
  });

  it('meters a 2xx whose client hung up before its end: a streamed answer, and a side effect', async () => {
    const { call, routes, records, balance, openGate, url, key } = await setup('100');
    expect((await call('/unit')).status).toBe(200);
    const streamAbort = new AbortController();
    const res = await fetch(`${url}/stream`, {
      headers: { authorization: `Bearer ${key.secret}` },
      signal: streamAbort.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the first part arrived
    streamAbort.abort(); // the client hangs up before the end
    const effectAbort = new AbortController();
    const effect = fetch(`${url}/effect`, {
      headers: { authorization: `Bearer ${key.secret}` },
      signal: effectAbort.signal,
    }).catch(() => null);
    while (!routes.ran.includes('effect')) await new Promise((r) => setTimeout(r, 5));
    effectAbort.abort(); // gone before any answer: the handler goes on and does its work
    await effect;
    await new Promise((r) => setTimeout(r, 50));
    openGate();
    while (!routes.ran.includes('effect done')) await new Promise((r) => setTimeout(r, 5));
    // Both were served: one unit each (and the /unit call above), the holds released.
    for (let i = 0; i < 100 && (await records()).length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await records()).map((e) => e.model)).toEqual(['unit', 'unit', 'unit']);
    expect(await balance()).toEqual({ available: 97, pending: 0 });
  });

  it("holds obey the key's spend limit: a burst serves 5 jobs of 2 credits against a 10-credit day", async () => {
    const { engine, key, call, records, balance } = await setup('1000');
    must(await engine.keys.update(key.key.id, { spendLimit: { credits: '10', period: 'day' } }));
    const answers = await Promise.all(Array.from({ length: 40 }, () => call('/pair')));
    const served = answers.filter((a) => a.status === 200).length;
    expect(served).toBe(5);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(402);
      expect(a.body.error.code).toBe('spend_limit_reached');
    }
    expect(await records()).toHaveLength(5);
    expect(await balance()).toEqual({ available: 990, pending: 0 });
  });

  it('serves exactly 100 of 200 concurrent requests against a balance for 100', async () => {
    const { call, records, balance } = await setup('100');
    const answers = await Promise.all(Array.from({ length: 200 }, () => call('/unit')));
    const served = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 402);
    expect(served).toBe(100);
    expect(refused).toHaveLength(100);
    expect(new Set(refused.map((a) => a.body.error.code))).toEqual(new Set(['insufficient_credits']));
    expect(await balance()).toEqual({ available: 0, pending: 0 });
    expect(await records()).toHaveLength(100);
  });
});

describe('meter() options', () => {
  it('refuses a missing model or a bad hold when the route is set up, not at the first request', async () => {
    const engine = await createTollgate({});
    cleanups.push(() => engine.close());
    expect(() => honoMeter(engine, {} as never)).toThrow(/model/);
    expect(() => expressMeter(engine, { model: 'image-1024', hold: -5 })).toThrow(/hold/);
    expect(() => honoMeter(engine, { model: 'image-1024', hold: 'lots' })).toThrow(/hold/);
    // A fixed quantity no event could carry would serve every request and bill none.
    expect(() => honoMeter(engine, { model: 'image-1024', quantity: 0.0000001 })).toThrow(/quantity/);
    expect(() => expressMeter(engine, { model: 'image-1024', quantity: 1.1234567 })).toThrow(/quantity/);
    expect(() => expressMeter(engine, { model: 'image-1024', quantity: 1e12 })).toThrow(/quantity/);
    expect(() => honoMeter(engine, { model: 'image-1024', quantity: 2.5 })).not.toThrow();
  });

  it('serves the answer and reports to onError when its usage cannot be metered (a model without a price)', async () => {
    const engine = await createTollgate({});
    cleanups.push(() => engine.close());
    const account = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(account.id, { credits: '10', reason: 'start' }));
    const key = must(await engine.keys.create(account.id, 'prod'));
    const errors: string[] = [];
    const app = new Hono().get(
      '/x',
      honoMeter(engine, { model: 'not-in-the-price-book', onError: (e) => errors.push(e.message) }),
      (c) => c.text('done'),
    );
    const res = await app.request('/x', { headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.status).toBe(200);
    expect(errors).toEqual([expect.stringContaining('unknown_model')]);
  });

  it('meters a model priced by several dimensions from the quantities the handler reports', async () => {
    const engine = await createTollgate({});
    cleanups.push(() => engine.close());
    const account = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(account.id, { credits: '10', reason: 'start' }));
    const key = must(await engine.keys.create(account.id, 'prod'));
    expect(() =>
      honoMeter(engine, { model: 'chat-large', quantity: 1, quantities: { input_tokens: 1 } }),
    ).toThrow(/quantities/);
    const hono = new Hono<{ Variables: { tokens: { input_tokens: number; output_tokens: number } } }>().post(
      '/chat',
      honoMeter(engine, { model: 'chat-large', quantities: (_req, _res, c) => c.get('tokens' as never) }),
      (c) => {
        c.set('tokens', { input_tokens: 400_000, output_tokens: 100_000 });
        return c.json({ ok: true });
      },
    );
    const res = await hono.request('/chat', {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(res.status).toBe(200);
    const ex = express();
    ex.post(
      '/chat',
      expressMeter(engine, { model: 'chat-large', quantities: { input_tokens: '800000' } }),
      (_req, r) => void r.json({ ok: true }),
    );
    const server = ex.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const res2 = await fetch(`http://127.0.0.1:${port}/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(res2.status).toBe(200);
    // 0.4M x 2.5 + 0.1M x 10 per million = 2 credits; then 0.8M x 2.5 = 2 credits
    const balance = must(await engine.accounts.balance(account.id));
    expect(balance.available).toBe(6_000_000n);
  });
});
