import { describe, expect, it } from 'vitest';
import { freshPgSchema, makeApi, must, STORES } from '../helpers.ts';

/** API.md "Retries: every change happens once": the answer was lost, the client sends it again. */
describe.each(STORES)('retries change money once ($name)', (store) => {
  async function paidPurchase(api: Awaited<ReturnType<typeof makeApi>>, credits = '1000') {
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = await api.call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits, provider: 'manual' },
      { 'idempotency-key': `buy-${acc.id}` },
    );
    expect(p.status).toBe(201);
    expect((await api.call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).status).toBe(200);
    return { accountId: acc.id as string, purchaseId: p.body.id as string };
  }

  it('a refund sent twice with one key issues one credit note and answers the first answer again', async () => {
    const api = await makeApi({ store });
    const { accountId, purchaseId } = await paidPurchase(api);
    const send = () =>
      api.call(
        'POST',
        `/v1/credit_purchases/${purchaseId}/refund`,
        { credits: '300' },
        { 'idempotency-key': 'r-1' },
      );
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const notes = (await api.call('GET', `/v1/accounts/${accountId}/credit_notes`)).body.data;
    expect(notes).toHaveLength(1);
    // The customer got 300 credits' worth back once: 700 left, not 400.
    expect((await api.call('GET', `/v1/accounts/${accountId}/balance`)).body.available).toBe('700');
    // A new key is new work: a second refund.
    const other = await api.call(
      'POST',
      `/v1/credit_purchases/${purchaseId}/refund`,
      { credits: '300' },
      { 'idempotency-key': 'r-2' },
    );
    expect(other.status).toBe(201);
    expect((await api.call('GET', `/v1/accounts/${accountId}/balance`)).body.available).toBe('400');
  });

  it('a grant sent twice makes one grant; the same key with another body is idempotency_conflict', async () => {
    const api = await makeApi({ store });
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const grant = (credits: string) =>
      api.call(
        'POST',
        `/v1/accounts/${acc.id}/credit_grants`,
        { credits, reason: 'promo' },
        { 'idempotency-key': 'g-1' },
      );
    const a = await grant('50');
    const b = await grant('50');
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const c = await grant('60');
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('idempotency_conflict');
    expect((await api.call('GET', `/v1/accounts/${acc.id}/balance`)).body.available).toBe('50');
  });

  it('keys belong to their caller: two operator tokens may use the same key for their own work', async () => {
    const api = await makeApi({ store });
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const token = (await api.call('POST', '/v1/operator_tokens', { name: 'ops', scopes: ['admin'] })).body
      .token;
    const body = { credits: '10', reason: 'promo' };
    const mine = await api.call('POST', `/v1/accounts/${acc.id}/credit_grants`, body, {
      'idempotency-key': 'same',
    });
    const theirs = await api.call('POST', `/v1/accounts/${acc.id}/credit_grants`, body, {
      'idempotency-key': 'same',
      authorization: `Bearer ${token}`,
    });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await api.call('GET', `/v1/accounts/${acc.id}/balance`)).body.available).toBe('20');
  });

  it('a 4xx answer is kept; a key of 256 characters is refused', async () => {
    const api = await makeApi({ store });
    const { purchaseId } = await paidPurchase(api, '1000');
    const tooMuch = () =>
      api.call(
        'POST',
        `/v1/credit_purchases/${purchaseId}/refund`,
        { credits: '5000' },
        { 'idempotency-key': 'big' },
      );
    const first = await tooMuch();
    expect(first.status).toBe(409);
    const again = await tooMuch();
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const long = await api.call('POST', `/v1/credit_purchases/${purchaseId}/refund`, undefined, {
      'idempotency-key': 'x'.repeat(256),
    });
    expect(long.status).toBe(422);
  });

  it('a refused purchase is kept like any answer: the retry answers it byte for byte, another body conflicts', async () => {
    const api = await makeApi({ store });
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const buy = (credits: string) =>
      api.call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits, provider: 'manual' },
        { 'idempotency-key': 'too-small' },
      );
    const first = await buy('500'); // $5.00, under the payment minimum
    expect([first.status, first.body.error.code]).toEqual([422, 'payment_out_of_range']);
    const again = await buy('500');
    expect(again.text).toBe(first.text); // its request_id included
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await buy('1500');
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_conflict']);
    expect((await api.call('GET', `/v1/accounts/${acc.id}/credit_purchases`)).body.data).toEqual([]);
  });

  it('a twin sent while the first still runs is request_in_progress, and only one grant is made', async () => {
    const api = await makeApi({ store });
    const acc = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const send = () =>
      api.call(
        'POST',
        `/v1/accounts/${acc.id}/credit_grants`,
        { credits: '5', reason: 'promo' },
        { 'idempotency-key': 'twin' },
      );
    const answers = await Promise.all([send(), send(), send(), send()]);
    const statuses = answers.map((a) => a.status).sort();
    for (const a of answers) {
      if (a.status === 409) {
        expect(a.body.error.code).toBe('request_in_progress');
        expect(a.headers.get('retry-after')).not.toBeNull();
      } else expect(a.status).toBe(201);
    }
    expect(statuses).toContain(201);
    expect((await api.call('GET', `/v1/accounts/${acc.id}/balance`)).body.available).toBe('5');
  });

  it('the audit line is written with the change and names its target and the amounts it moved', async () => {
    const api = await makeApi({ store });
    const { accountId, purchaseId } = await paidPurchase(api);
    await api.call('POST', `/v1/accounts/${accountId}/credit_grants`, { credits: '25', reason: 'x' });
    await api.call('POST', `/v1/credit_purchases/${purchaseId}/refund`, { credits: '100' });
    const lines = (await api.call('GET', '/v1/audit_log')).body.data;
    const grant = lines.find((l: { action: string }) => l.action.endsWith('/credit_grants'));
    expect(grant.target_id).toBe(accountId);
    expect(grant.amounts).toEqual({ credits: '25' });
    const refund = lines.find((l: { action: string }) => l.action.endsWith('/refund'));
    expect(refund.target_id).toBe(purchaseId);
    expect(refund.amounts.credits).toBe('100');
    expect(refund.amounts.total).toBe('1.00');
    must({ ok: true, value: null });
  });
});

describe.skipIf(!process.env.TOLLGATE_PG_URL)('retries across two engines on one PostgreSQL database', () => {
  it('the same refund sent to both at once issues one credit note; both answer it', async () => {
    const schema = freshPgSchema('t_retry');
    const database = { postgres: process.env.TOLLGATE_PG_URL!, schema };
    const a = await makeApi({ database });
    const b = await makeApi({ database });
    const acc = (await a.call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = await a.call(
      'POST',
      `/v1/accounts/${acc.id}/credit_purchases`,
      { credits: '1000', provider: 'manual' },
      { 'idempotency-key': 'buy' },
    );
    await a.call('POST', `/v1/credit_purchases/${p.body.id}/confirm`);
    for (let round = 0; round < 5; round++) {
      const key = `refund-${round}`;
      const send = (api: typeof a) =>
        api.call(
          'POST',
          `/v1/credit_purchases/${p.body.id}/refund`,
          { credits: '10' },
          { 'idempotency-key': key },
        );
      const answers = await Promise.all([send(a), send(b), send(a), send(b)]);
      const made = answers.filter((x) => x.status === 201);
      expect(made.length).toBeGreaterThanOrEqual(1);
      for (const x of answers)
        if (x.status !== 201) expect(x.body.error.code, x.text).toBe('request_in_progress');
      // Every 201 is the same credit note; a retry once the first has finished answers it again.
      expect(new Set(made.map((x) => x.body.id)).size).toBe(1);
      const later = await send(b);
      expect(later.body.id).toBe(made[0]!.body.id);
    }
    const notes = (await a.call('GET', `/v1/accounts/${acc.id}/credit_notes`)).body.data;
    expect(notes).toHaveLength(5);
    expect((await b.call('GET', `/v1/accounts/${acc.id}/balance`)).body.available).toBe('950');
  });
});
