import { describe, expect, it } from 'vitest';
import { makeApi, STORES } from './helpers.ts';

describe.each(STORES)('an operator finds accounts and what waits for payment ($name)', (store) => {
  it('lists accounts newest first, pages them with the cursor, and finds one by email or external_id', async () => {
    const { call, clock } = await makeApi({ store });
    const made: string[] = [];
    for (const [name, email, external_id] of [
      ['Acme Films', 'ops@acme.test', 'crm-1'],
      ['Bolt Studio', 'ops@acme.test', null],
      ['Cora Labs', null, 'crm-3'],
    ] as const) {
      const r = await call('POST', '/v1/accounts', { name, email, external_id });
      expect(r.status).toBe(201);
      made.push(r.body.id);
      clock.advance(1000);
    }
    const [acme, bolt, cora] = made;

    const all = await call('GET', '/v1/accounts');
    expect(all.status).toBe(200);
    expect(all.body.data.map((a: { name: string }) => a.name)).toEqual([
      'Cora Labs',
      'Bolt Studio',
      'Acme Films',
    ]);
    expect(all.body.next_cursor).toBeNull();

    const first = await call('GET', '/v1/accounts?limit=2');
    expect(first.body.data.map((a: { id: string }) => a.id)).toEqual([cora, bolt]);
    expect(first.body.next_cursor).toBe(bolt);
    const second = await call('GET', `/v1/accounts?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ data: [{ id: acme, name: 'Acme Films' }], next_cursor: null });

    const byEmail = await call('GET', '/v1/accounts?email=ops%40acme.test');
    expect(byEmail.body.data.map((a: { id: string }) => a.id)).toEqual([bolt, acme]);
    const byExternal = await call('GET', '/v1/accounts?external_id=crm-3');
    expect(byExternal.body.data).toEqual([expect.objectContaining({ id: cora, external_id: 'crm-3' })]);
    expect((await call('GET', '/v1/accounts?email=nobody%40acme.test')).body).toEqual({
      data: [],
      next_cursor: null,
    });

    // Bad input: stable codes, naming the field.
    for (const q of ['limit=0', 'limit=501', 'limit=ten', 'cursor=acc_unknown']) {
      const r = await call('GET', `/v1/accounts?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const unauthorized = await call('GET', '/v1/accounts', undefined, { authorization: 'Bearer nope' });
    expect(unauthorized.status).toBe(401);
  });

  it("lists every account's pending purchases, newest first, and leaves the confirmed one out", async () => {
    const { call, clock } = await makeApi({ store });
    const buy = async (account: string, credits: string, key: string) => {
      const r = await call(
        'POST',
        `/v1/accounts/${account}/credit_purchases`,
        { credits, provider: 'manual' },
        { 'idempotency-key': key },
      );
      expect(r.status).toBe(201);
      clock.advance(1000);
      return r.body.id as string;
    };
    const a = (await call('POST', '/v1/accounts', { name: 'A' })).body.id;
    const b = (await call('POST', '/v1/accounts', { name: 'B' })).body.id;
    const p1 = await buy(a, '1500', 'a1');
    const p2 = await buy(b, '2000', 'b1');
    const p3 = await buy(a, '3000', 'a2');
    expect((await call('POST', `/v1/credit_purchases/${p2}/confirm`)).body.status).toBe('paid');

    const pending = await call('GET', '/v1/credit_purchases?status=pending');
    expect(pending.status).toBe(200);
    expect(
      pending.body.data.map((p: { id: string; account_id: string; status: string; credits: string }) => [
        p.id,
        p.account_id,
        p.status,
        p.credits,
      ]),
    ).toEqual([
      [p3, a, 'pending', '3000'],
      [p1, a, 'pending', '1500'],
    ]);
    expect(pending.body.data.every((p: { origin: string }) => p.origin === 'customer')).toBe(true);
    const paged = await call('GET', '/v1/credit_purchases?status=pending&limit=1');
    expect(paged.body.next_cursor).toBe(p3);
    expect(
      (await call('GET', `/v1/credit_purchases?status=pending&limit=1&cursor=${p3}`)).body.data[0].id,
    ).toBe(p1);
    const bad = await call('GET', '/v1/credit_purchases?status=waiting');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});
