import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { meter } from '../../src/middleware/hono.ts';
import { ADMIN, makeApi, must } from '../helpers.ts';

describe('the Bearer scheme, in any case (RFC 9110 11.1)', () => {
  it('accepts bearer and BEARER for the operator token and a customer key, and nothing else', async () => {
    const { app, engine } = await makeApi();
    const account = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(account.id, { credits: '10', reason: 'start' }));
    const key = must(await engine.keys.create(account.id, 'prod'));
    const get = (authorization: string) => app.request('/v1/accounts', { headers: { authorization } });
    expect((await get(`Bearer ${ADMIN}`)).status).toBe(200);
    expect((await get(`bearer ${ADMIN}`)).status).toBe(200);
    expect((await get(`BEARER ${ADMIN}`)).status).toBe(200);
    expect((await get(`Basic ${ADMIN}`)).status).toBe(401);
    expect((await get(`bearer`)).status).toBe(401);
    expect((await get(`bearer${ADMIN}`)).status).toBe(401);
    const guarded = new Hono().get('/x', meter(engine, { model: 'image-1024' }), (c) => c.text('ok'));
    const call = (authorization: string) => guarded.request('/x', { headers: { authorization } });
    expect((await call(`bearer ${key.secret}`)).status).toBe(200);
    expect((await call(`Token ${key.secret}`)).status).toBe(401);
  });
});

describe('a method a path does not take', () => {
  it('is 405 method_not_allowed with the methods it takes, and an unknown path stays 404', async () => {
    const { call } = await makeApi();
    const put = await call('PUT', '/v1/accounts', { name: 'x' });
    expect(put.status).toBe(405);
    expect(put.body.error.code).toBe('method_not_allowed');
    expect(put.headers.get('allow')).toBe('POST, GET');
    const del = await call('DELETE', '/v1/accounts/acc_123');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toContain('PATCH');
    expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
    expect((await call('GET', '/v1/accounts')).status).toBe(200);
  });
});
