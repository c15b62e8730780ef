import { describe, expect, it } from 'vitest';
import { makeApi, STORES } from '../helpers.ts';

describe.each(STORES)('accounts over HTTP ($name)', (store) => {
  it('creates an account and shows it with a zero balance', async () => {
    const { call } = await makeApi({ store });
    const created = await call('POST', '/v1/accounts', {
      name: 'Acme',
      email: 'ops@acme.test',
      external_id: 'u_1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', email: 'ops@acme.test', external_id: 'u_1' });
    expect(created.body.id).toMatch(/^acc_/);
    const got = await call('GET', `/v1/accounts/${created.body.id}`);
    expect(got.body.id).toBe(created.body.id);
    const balance = await call('GET', `/v1/accounts/${created.body.id}/balance`);
    expect(balance.body).toEqual({
      posted: '0',
      pending: '0',
      unbilled: '0',
      available: '0',
      available_by_model: {},
      currency: 'credits',
      runway_seconds: null,
    });
  });

  it('returns the same account for a repeated external_id with the same fields, and refuses other fields', async () => {
    const { call } = await makeApi({ store });
    const a = await call('POST', '/v1/accounts', { name: 'Acme', external_id: 'u_1' });
    const b = await call('POST', '/v1/accounts', { name: 'Acme', external_id: 'u_1' });
    expect(b.body.id).toBe(a.body.id);
    const c = await call('POST', '/v1/accounts', { name: 'Other', external_id: 'u_1' });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('idempotency_conflict');
  });

  it('answers bad input with stable codes in the error envelope', async () => {
    const { call } = await makeApi({ store });
    const malformed = await call('POST', '/v1/accounts', '{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const wrongType = await call('POST', '/v1/accounts', { name: 5 });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.code).toBe('validation_failed');
    expect(wrongType.body.error.details[0].field).toBe('name');
    const unknownField = await call('POST', '/v1/accounts', { name: 'A', admin: true });
    expect(unknownField.body.error.code).toBe('validation_failed');
    const missing = await call('GET', '/v1/accounts/acc_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const huge = await call('POST', '/v1/accounts', { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});

// Authentication, /healthz and the OpenAPI document are answered before any storage is read:
// one store proves them.
describe('accounts over HTTP, without storage', () => {
  it('refuses missing or wrong credentials with 401 unauthorized on /v1', async () => {
    const { app } = await makeApi();
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic abc' }] as Record<
      string,
      string
    >[]) {
      const res = await app.request('/v1/accounts/acc_x', { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.request_id).toMatch(/^req_/);
    }
  });

  it('serves /healthz without a token and an OpenAPI document of /v1', async () => {
    const { app } = await makeApi();
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
    const doc = (await (await app.request('/openapi.json')).json()) as any;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/accounts', '/v1/accounts/{id}/balance', '/v1/usage_events']),
    );
  });
});
