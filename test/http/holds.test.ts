import { describe, expect, it } from 'vitest';
import { makeApi, STORES } from '../helpers.ts';

describe.each(STORES)('holds over HTTP ($name)', (store) => {
  it('makes a retried create with the same Idempotency-Key answer the same hold and reserve once', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    await call('POST', `/v1/accounts/${acc.id}/credit_grants`, { credits: '100', reason: 'start' });
    const create = (body: unknown, key?: string) =>
      call('POST', `/v1/accounts/${acc.id}/holds`, body, key ? { 'idempotency-key': key } : {});

    const first = await create({ credits: '30', reference: 'job-1' }, 'job-1');
    expect(first.status).toBe(201);
    const again = await create({ credits: '30', reference: 'job-1' }, 'job-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const pending = async () => (await call('GET', `/v1/accounts/${acc.id}/balance`)).body.pending;
    expect(await pending()).toBe('30');

    const changed = await create({ credits: '31', reference: 'job-1' }, 'job-1');
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('idempotency_conflict');

    // Without a key every create is a new hold. Keys belong to the caller (API.md "Retries"): the
    // same key on another account's path is another request, a conflict.
    const plain1 = await create({ credits: '10' });
    const plain2 = await create({ credits: '10' });
    expect(plain1.body.id).not.toBe(plain2.body.id);
    expect(await pending()).toBe('50');
    const other = (await call('POST', '/v1/accounts', { name: 'Other' })).body;
    await call('POST', `/v1/accounts/${other.id}/credit_grants`, { credits: '100', reason: 'start' });
    const elsewhere = await call(
      'POST',
      `/v1/accounts/${other.id}/holds`,
      { credits: '30', reference: 'job-1' },
      { 'idempotency-key': 'job-1' },
    );
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('idempotency_conflict');

    // A captured hold retried with its key answers the first answer again and reserves nothing again.
    expect((await call('POST', `/v1/holds/${first.body.id}/capture`, { credits: '20' })).status).toBe(200);
    const afterCapture = await create({ credits: '30', reference: 'job-1' }, 'job-1');
    expect(afterCapture.status).toBe(201);
    expect(afterCapture.body).toEqual(first.body);
    expect(afterCapture.headers.get('idempotent-replayed')).toBe('true');
    expect(await pending()).toBe('20');
  });
});
