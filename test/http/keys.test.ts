import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/core/kernel/ports.ts';
import { makeApi, makeEngine, must, STORES } from '../helpers.ts';

describe.each(STORES)('API keys ($name)', (store) => {
  it('requires a nickname of 1 to 64 characters, trimmed', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    for (const nickname of ['', '   ', 'x'.repeat(65)]) {
      const r = await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname });
      expect(r.status).toBe(422);
      expect(r.body.error.details[0].field).toBe('nickname');
    }
    const ok = await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: '  prod  ' });
    expect(ok.body).toMatchObject({ nickname: 'prod', status: 'active' });
  });

  it('shows the secret once: prefix, 32+ random bytes in base62, a hint of prefix and last 4', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    expect(key.secret).toMatch(/^tg_[0-9A-Za-z]{43}$/);
    expect(key.hint).toBe(`tg_...${key.secret.slice(-4)}`);
    const list = await call('GET', `/v1/accounts/${acc.id}/api_keys`);
    expect(list.text).not.toContain(key.secret);
    expect(list.body.data[0]).toMatchObject({
      id: key.id,
      nickname: 'prod',
      status: 'active',
      hint: key.hint,
      last_used_at: null,
    });
  });

  it('allows at most 10 active keys, on create and on activate', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const keys = [];
    for (let i = 0; i < 10; i++)
      keys.push((await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: `k${i}` })).body);
    const eleventh = await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'k10' });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.error.code).toBe('api_key_limit_reached');
    expect((await call('POST', `/v1/api_keys/${keys[0].id}/suspend`)).body.status).toBe('suspended');
    const replacement = await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'k10' });
    expect(replacement.status).toBe(201);
    const reactivate = await call('POST', `/v1/api_keys/${keys[0].id}/activate`);
    expect(reactivate.status).toBe(409);
    expect(reactivate.body.error.code).toBe('api_key_limit_reached');
  });

  it('holds the limit when two creates race at 9 active keys', async () => {
    const { engine } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    for (let i = 0; i < 9; i++) must(await engine.keys.create(acc.id, `k${i}`));
    const raced = await Promise.all([
      engine.keys.create(acc.id, 'a'),
      engine.keys.create(acc.id, 'b'),
      engine.keys.create(acc.id, 'c'),
    ]);
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    expect(raced.filter((r) => !r.ok && r.code === 'api_key_limit_reached')).toHaveLength(2);
  });

  it('deletes only a suspended key; a deleted key is not listed and never verifies', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'trial' });
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    const early = await call('DELETE', `/v1/api_keys/${key.id}`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('api_key_not_suspended');
    expect((await call('POST', '/v1/api_keys/verify', { key: key.secret })).body).toMatchObject({
      valid: true,
    });
    await call('POST', `/v1/api_keys/${key.id}/suspend`);
    expect((await call('POST', '/v1/api_keys/verify', { key: key.secret })).body).toEqual({
      valid: false,
      code: 'suspended',
    });
    expect((await call('DELETE', `/v1/api_keys/${key.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/accounts/${acc.id}/api_keys`)).body.data).toEqual([]);
    expect((await call('POST', '/v1/api_keys/verify', { key: key.secret })).body).toEqual({
      valid: false,
      code: 'unknown_key',
    });
    expect((await call('POST', `/v1/api_keys/${key.id}/activate`)).status).toBe(404);
  });

  it('verifies with the available balance, and answers insufficient_credits at zero', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    expect((await call('POST', '/v1/api_keys/verify', { key: key.secret })).body).toEqual({
      valid: false,
      code: 'insufficient_credits',
    });
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '12.5', reason: 'trial' });
    expect((await call('POST', '/v1/api_keys/verify', { key: key.secret })).body).toEqual({
      valid: true,
      account_id: acc.id,
      key_id: key.id,
      available: '12.5',
    });
    expect((await call('POST', '/v1/api_keys/verify', { key: 'tg_notakey' })).body).toEqual({
      valid: false,
      code: 'unknown_key',
    });
  });

  it('counts only a verification that lets the call through as a use of the key', async () => {
    const { engine } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const { key, secret } = must(await engine.keys.create(acc.id, 'prod'));
    const lastUsed = async () => {
      await engine.keys.flushLastUsed();
      return must(await engine.keys.get(key.id)).lastUsedAtMs;
    };
    expect(await engine.keys.verify(secret)).toEqual({ valid: false, code: 'insufficient_credits' });
    expect(await lastUsed()).toBeNull();
    must(await engine.credits.grant(acc.id, { credits: '5', reason: 'trial' }));
    expect((await engine.keys.verify(secret)).valid).toBe(true);
    expect(await lastUsed()).not.toBeNull();
  });

  it('writes last_used_at lazily: at most once a minute per key', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(acc.id, { credits: '5', reason: 'trial' }));
    const { key, secret } = must(await engine.keys.create(acc.id, 'prod'));
    const storage = engine.storage;
    const stored = async () =>
      (await storage.transaction((tx) => tx.keys.get(key.id), { readOnly: true }))!.lastUsedAtMs;
    // The write runs in the background: on SQLite it is done within a turn, on PostgreSQL it takes
    // round trips, so wait until no unit of work is in flight before reading what is stored.
    let inFlight = 0;
    const transaction = storage.transaction;
    storage.transaction = ((...args: Parameters<Storage['transaction']>) => {
      inFlight++;
      return transaction.apply(storage, args).finally(() => inFlight--);
    }) as Storage['transaction'];
    const settled = async () => {
      do await new Promise((r) => setImmediate(r));
      while (inFlight > 0);
    };
    await engine.keys.verify(secret);
    await settled();
    const first = await stored();
    expect(first).toBe(clock.ms);
    for (let i = 0; i < 50; i++) {
      clock.advance(1000);
      await engine.keys.verify(secret);
    }
    await settled();
    // 50 seconds later and 50 verifications: still the first write.
    expect(await stored()).toBe(first);
    clock.advance(11_000);
    await engine.keys.verify(secret);
    await settled();
    expect(await stored()).toBe(clock.ms);
  });

  it('never writes a secret to the log, through create, verify and errors', async () => {
    const { call, logs } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const key = (await call('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'prod' })).body;
    await call('POST', '/v1/api_keys/verify', { key: key.secret });
    await call('POST', '/v1/api_keys/verify', { key: key.secret, extra: 1 });
    await call('POST', '/v1/api_keys/verify', `{"key":"${key.secret}"`);
    await call('GET', `/v1/accounts/${acc.id}/api_keys`, undefined, {
      authorization: `Bearer ${key.secret}`,
    });
    expect(logs.length).toBeGreaterThanOrEqual(6);
    for (const line of logs) {
      expect(line).not.toContain(key.secret);
      expect(line).not.toContain(key.secret.slice(3));
    }
  });
});
