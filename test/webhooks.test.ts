import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, MAX_ATTEMPTS } from '../src/core/webhooks/webhooks.ts';
import type { Engine } from '../src/index.ts';
import { ADMIN, HOUR, LOOPBACK_WEBHOOKS, ManualClock, makeApi, makeEngine, must, STORES } from './helpers.ts';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A real HTTP receiver on loopback; `fail` decides per request whether to answer 500. */
async function receiver(fail: (n: number) => boolean = () => false) {
  const received: Received[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = fail(++n) ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** What a receiver does to check a Standard Webhooks signature. */
function verifies(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace('whsec_', ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`)
    .digest('base64');
  return r.headers['webhook-signature']!.split(' ').some((s) => s === `v1,${expected}`);
}

/** Dispatches until nothing is due (each round starts at most 4 deliveries per endpoint). */
async function settle(engine: Engine) {
  for (;;) {
    const started = await engine.webhooks.dispatch();
    if (started.length === 0) return;
    await Promise.all(started);
  }
}

describe.each(STORES)('outbound webhooks ($name)', (store) => {
  it('delivers signed events for a purchase paid and its invoice, with stable ids', async () => {
    const { engine, app } = await makeApi({
      store,
      clock: new ManualClock(Date.now()),
      config: LOOPBACK_WEBHOOKS,
    });
    const hook = await receiver();
    const res = await app.request('/v1/webhook_endpoints', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: hook.url, events: ['credit_purchase.paid', 'invoice.issued'] }),
    });
    expect(res.status).toBe(201);
    const endpoint = (await res.json()) as { id: string; secret: string };
    expect(endpoint.secret).toMatch(/^whsec_/);
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1500', provider: 'manual' }, 'k'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    await settle(engine);
    expect(hook.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'credit_purchase.paid',
      'invoice.issued',
    ]);
    for (const r of hook.received) {
      expect(verifies(endpoint.secret, r)).toBe(true);
      const body = JSON.parse(r.body);
      expect(body.id).toBe(r.headers['webhook-id']);
      expect(body.data.account_id).toBe(acc.id);
    }
    expect(
      JSON.parse(hook.received.find((r) => r.body.includes('credit_purchase.paid'))!.body).data,
    ).toMatchObject({ purchase_id: p.id, credits: '1500', total: '15.00' });
    // A tampered body no longer verifies.
    expect(verifies(endpoint.secret, { ...hook.received[0]!, body: `${hook.received[0]!.body} ` })).toBe(
      false,
    );
    const list = await app.request(`/v1/webhook_endpoints/${endpoint.id}/deliveries`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await list.json()) as { data: { status: string }[] }).data.map((d) => d.status)).toEqual([
      'delivered',
      'delivered',
    ]);
    const listed = await (
      await app.request('/v1/webhook_endpoints', { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(listed).not.toContain(endpoint.secret);
  });

  it('retries with backoff: a receiver failing three times then succeeding gets the event once more and no other', async () => {
    const { engine, clock } = await makeEngine({
      store,
      clock: new ManualClock(Date.now()),
      config: LOOPBACK_WEBHOOKS,
    });
    const hook = await receiver((n) => n <= 3);
    must(await engine.webhooks.create(hook.url, ['api_key.created']));
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.keys.create(acc.id, 'prod'));
    for (let i = 0; i < 6; i++) {
      await settle(engine);
      clock.advance(7 * HOUR);
    }
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('does not let a dead endpoint hold up the others', async () => {
    const { engine } = await makeEngine({
      store,
      clock: new ManualClock(Date.now()),
      config: LOOPBACK_WEBHOOKS,
    });
    const dead = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    servers.push(dead);
    const live = await receiver();
    must(
      await engine.webhooks.create(`http://127.0.0.1:${(dead.address() as AddressInfo).port}/`, [
        'api_key.created',
      ]),
    );
    must(await engine.webhooks.create(live.url, ['api_key.created']));
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.keys.create(acc.id, 'a'));
    const started = Date.now();
    const inFlight = await engine.webhooks.dispatch();
    // The live endpoint is served while the dead one still hangs (its timeout is 10 s).
    while (live.received.length === 0 && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 20));
    expect(live.received).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
    dead.closeAllConnections();
    await Promise.all(inFlight);
  });

  // A memory database ends with its engine: there is no restart to test on it.
  it.skipIf(store.name === 'sqlite-memory')(
    'delivers after a restart what was committed before a crash, and nothing for a change that rolled back',
    async () => {
      const database = store.open();
      const hook = await receiver();
      const { engine: first } = await makeEngine({
        database,
        clock: new ManualClock(Date.now()),
        config: LOOPBACK_WEBHOOKS,
      });
      must(await first.webhooks.create(hook.url, ['api_key.created', 'credit_purchase.paid']));
      const acc = must(await first.accounts.create({ name: 'Acme' }));
      must(await first.keys.create(acc.id, 'a'));
      // Refused (failed purchase): rolled back, so no event.
      const p = must(
        await first.credits.purchase(acc.id, { credits: '1500', provider: 'manual' }, 'k'),
      ).purchase;
      must(await first.credits.fail(p.id));
      expect((await first.credits.confirm(p.id)).ok).toBe(false);
      // "Crash": the process goes away before any delivery was attempted.
      await first.close();
      expect(hook.received).toHaveLength(0);
      const { engine: second } = await makeEngine({
        database,
        clock: new ManualClock(Date.now()),
        config: LOOPBACK_WEBHOOKS,
      });
      await settle(second);
      expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['api_key.created']);
    },
  );

  it('alerts once when the available balance crosses below the threshold and below zero', async () => {
    const { engine, clock } = await makeEngine({
      store,
      clock: new ManualClock(Date.now()),
      config: LOOPBACK_WEBHOOKS,
    });
    const hook = await receiver();
    must(await engine.webhooks.create(hook.url, ['balance.low', 'balance.depleted']));
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.accounts.update(acc.id, { lowBalanceThresholdMinor: 50_000_000n }));
    must(await engine.credits.grant(acc.id, { credits: '100', reason: 'x' }));
    const use = (id: string, credits: string) =>
      engine.usage.ingest([
        {
          id,
          account_id: acc.id,
          model: 'm',
          quantity: '1',
          credits,
          timestamp: new Date(clock.ms).toISOString(),
        },
      ]);
    await use('1', '30');
    await use('2', '30');
    await use('3', '5');
    await use('4', '40');
    await use('5', '1');
    await settle(engine);
    // Delivered concurrently, so in any order; each crossing exactly once.
    expect(hook.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'balance.depleted',
      'balance.low',
    ]);
  });
});

describe.each(STORES)('event coverage ($name)', (store) => {
  it('reports key lifecycle, refunds and billing runs', async () => {
    const { engine, clock } = await makeEngine({
      store,
      clock: new ManualClock(Date.now()),
      config: LOOPBACK_WEBHOOKS,
    });
    const hook = await receiver();
    must(
      await engine.webhooks.create(hook.url, [
        'api_key.created',
        'api_key.suspended',
        'api_key.deleted',
        'credit_note.issued',
        'billing_run.completed',
      ]),
    );
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const { key } = must(await engine.keys.create(acc.id, 'a'));
    must(await engine.keys.suspend(key.id));
    must(await engine.keys.delete(key.id));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1500', provider: 'manual' }, 'k'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    must(await engine.credits.refund(p.id, '100'));
    await engine.usage.ingest([
      {
        id: 'u',
        account_id: acc.id,
        model: 'image-1024',
        quantity: '1',
        timestamp: new Date(clock.ms).toISOString(),
      },
    ]);
    clock.advance(HOUR);
    await engine.billing.run();
    await settle(engine);
    expect(hook.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'api_key.created',
      'api_key.deleted',
      'api_key.suspended',
      'billing_run.completed',
      'credit_note.issued',
    ]);
  });
});

// Storage plays no part below: the retry schedule is a pure function, and the README's receiver
// code is checked against a delivery from the default store.
describe('the retry schedule', () => {
  it('keeps retrying for more than a day before giving up', () => {
    let total = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) total += backoffMs(attempt, 0);
    expect(total).toBeGreaterThan(24 * HOUR);
  });
});

describe('the README receiver', () => {
  it('verifies a real delivery and refuses a tampered or replayed one', async () => {
    const { readFileSync, writeFileSync, mkdirSync } = await import('node:fs');
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    const code = /A receiver verifies one like this:\s+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    mkdirSync(join(import.meta.dirname, 'artifacts'), { recursive: true });
    const file = join(import.meta.dirname, 'artifacts/readme-receiver.ts');
    writeFileSync(file, `${code}\nexport { verifyTollgate };\n`);
    const { verifyTollgate } = await import(file);
    const { engine } = await makeEngine({ clock: new ManualClock(Date.now()), config: LOOPBACK_WEBHOOKS });
    const hook = await receiver();
    const endpoint = must(await engine.webhooks.create(hook.url, ['api_key.created']));
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.keys.create(acc.id, 'a'));
    await settle(engine);
    const got = hook.received[0]!;
    expect(verifyTollgate(endpoint.secret, got.headers, got.body)).toBe(true);
    expect(verifyTollgate(endpoint.secret, got.headers, `${got.body} `)).toBe(false);
    expect(
      verifyTollgate(
        endpoint.secret,
        { ...got.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) },
        got.body,
      ),
    ).toBe(false);
  });
});
