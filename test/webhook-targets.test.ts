import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../src/adapters/webhooks/public-targets.ts';
import { LOOPBACK_WEBHOOKS, ManualClock, makeEngine, must } from './helpers.ts';

// A receiver on loopback that counts what reaches it: nothing may, by default.
let reached = 0;
const receiver = createServer((_req, res) => {
  reached++;
  res.statusCode = 204;
  res.end();
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const port = (receiver.address() as AddressInfo).port;
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe('webhook endpoint URLs', () => {
  it('must be https by default', async () => {
    const { engine } = await makeEngine();
    const r = await engine.webhooks.create('http://hooks.example.com/tollgate', ['api_key.created']);
    expect(r).toMatchObject({ ok: false, code: 'validation_failed', details: [{ field: 'url' }] });
    expect(!r.ok && r.message).toContain('https');
    must(await engine.webhooks.create('https://hooks.example.com/tollgate', ['api_key.created']));
  });

  it('stores a URL as the parser spells it: capitals in the scheme and host, surrounding spaces', async () => {
    const { engine } = await makeEngine();
    const made = must(
      await engine.webhooks.create('  HTTPS://Hooks.Example.COM/Tollgate \n', ['api_key.created']),
    );
    expect(made.url).toBe('https://hooks.example.com/Tollgate');
    expect((await engine.webhooks.list()).map((e) => e.url)).toEqual(['https://hooks.example.com/Tollgate']);
    const hidden = await engine.webhooks.create(' HTTPS://10.1.2.3/hook ', ['api_key.created']);
    expect(hidden).toMatchObject({ ok: false, code: 'validation_failed', details: [{ field: 'url' }] });
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.1.2.3/hook',
    'https://192.168.0.10/hook',
    'https://[::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://0.0.0.0/hook',
  ])('refuses %s, a loopback, private or link-local target, when the endpoint is created', async (url) => {
    const { engine } = await makeEngine();
    const r = await engine.webhooks.create(url, ['api_key.created']);
    expect(r).toMatchObject({ ok: false, code: 'validation_failed', details: [{ field: 'url' }] });
    expect(!r.ok && r.message).toContain('private, loopback or link-local');
    expect(await engine.webhooks.list()).toEqual([]);
  });

  it('refuses the same target again when a delivery is sent, for a name and an address alike', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tollgate-hooks-')), 'tollgate.db');
    // Endpoints allowed when they were created (by a loopback set-up; as a name whose DNS later
    // changes would be) ...
    const { engine: before } = await makeEngine({ database, config: LOOPBACK_WEBHOOKS });
    for (const host of ['localhost', '127.0.0.1'])
      must(await before.webhooks.create(`http://${host}:${port}/hook`, ['api_key.created']));
    await before.close();
    // ... are refused at delivery by a server that allows public targets only.
    const { engine } = await makeEngine({
      database,
      clock: new ManualClock(Date.now()),
      config: { webhookHttpsOnly: false },
    });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.keys.create(acc.id, 'prod'));
    await Promise.all(await engine.webhooks.dispatch());
    expect(reached).toBe(0);
    for (const endpoint of await engine.webhooks.list()) {
      const [delivery] = must(await engine.webhooks.deliveries(endpoint.id));
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
      expect(delivery!.lastError).toContain('127.0.0.1');
      expect(delivery!.lastError).toContain('public addresses only');
    }
  });

  it('lets loopback targets through when the option is off (tests, a receiver on the same machine)', async () => {
    const { engine } = await makeEngine({ clock: new ManualClock(Date.now()), config: LOOPBACK_WEBHOOKS });
    must(await engine.webhooks.create(`http://127.0.0.1:${port}/hook`, ['api_key.created']));
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.keys.create(acc.id, 'prod'));
    await Promise.all(await engine.webhooks.dispatch());
    expect(reached).toBe(1);
  });

  it('judges addresses as a network would route them', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1'])
      expect(isPublicAddress(a), a).toBe(true);
    for (const a of ['172.16.5.4', '100.64.0.1', '::ffff:7f00:1', 'fd00::1', '224.0.0.1', 'not-an-ip'])
      expect(isPublicAddress(a), a).toBe(false);
    // NAT64 and IPv4-compatible addresses carry an IPv4 address inside: 127.0.0.1 and 10.0.0.1 here.
    for (const a of ['64:ff9b::7f00:1', '64:ff9b::a00:1', '::7f00:1', '::a00:1', '64:ff9b:1::a00:1'])
      expect(isPublicAddress(a), a).toBe(false);
  });
});
