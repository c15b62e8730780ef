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
