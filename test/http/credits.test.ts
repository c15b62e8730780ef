import { describe, expect, it } from 'vitest';
import { makeApi, makeEngine, must, STORES } from '../helpers.ts';
import { pdfText } from '../pdf-text.ts';

async function buy(
  call: Awaited<ReturnType<typeof makeApi>>['call'],
  accountId: string,
  credits: string,
  key: string,
) {
  return call(
    'POST',
    `/v1/accounts/${accountId}/credit_purchases`,
    { credits, provider: 'manual' },
    { 'idempotency-key': key },
  );
}

describe.each(STORES)('credit purchases ($name)', (store) => {
  it('quotes with the configured price and tax, and refuses totals outside the payment range', async () => {
    const { call } = await makeApi({ store, config: { creditPrice: '0.01', taxRate: '0.2' } });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const q = await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '1500' });
    expect(q.body).toEqual({
      credits: '1500',
      unit_price: '0.01',
      subtotal: '15.00',
      tax: '3.00',
      total: '18.00',
      currency: 'USD',
      tax_rule: 'domestic',
      tax_rate: '0.2',
    });
    const low = await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits: '100' });
    expect(low.status).toBe(422);
    expect(low.body.error.code).toBe('payment_out_of_range');
    for (const credits of [1500, '1e3', 'NaN', '-5', ' 1']) {
      const bad = await call('POST', `/v1/accounts/${acc.id}/credit_quotes`, { credits });
      expect(bad.body.error.code).toBe('validation_failed');
    }
  });

  it('grants nothing while pending; confirmation posts credits once and issues one invoice', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme', email: 'ops@acme.test' })).body;
    const p = await buy(call, acc.id, '1500', 'k1');
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ status: 'pending', credits: '1500', total: '15.00' });
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('0');
    expect((await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data).toEqual([]);
    const c1 = await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`);
    expect(c1.body).toMatchObject({ status: 'paid' });
    expect(c1.body.invoice_id).toMatch(/^inv_/);
    const c2 = await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`);
    expect(c2.body.invoice_id).toBe(c1.body.invoice_id);
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body).toMatchObject({
      posted: '1500',
      available: '1500',
    });
    const invoices = (await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data;
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      id: c1.body.invoice_id,
      number: 'INV-2026-000001',
      total: '15.00',
      currency: 'USD',
      credits: '1500',
      purchase_id: p.body.id,
    });
    expect((await call('POST', `/v1/credit_purchases/${p.body.id}/fail`)).body.error.code).toBe(
      'invalid_state',
    );
  });

  it('answers a retried Idempotency-Key with the same purchase, and a changed body with idempotency_conflict', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const a = await buy(call, acc.id, '1500', 'k1');
    const b = await buy(call, acc.id, '1500', 'k1');
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const c = await buy(call, acc.id, '2000', 'k1');
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('idempotency_conflict');
    const none = await call('POST', `/v1/accounts/${acc.id}/credit_purchases`, {
      credits: '1500',
      provider: 'manual',
    });
    expect(none.status).toBe(422);
  });

  it('gives a failed purchase no credits and no number, and refuses to confirm it', async () => {
    const { call } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const failed = await buy(call, acc.id, '1500', 'k1');
    expect((await call('POST', `/v1/credit_purchases/${failed.body.id}/fail`)).body.status).toBe('failed');
    expect((await call('POST', `/v1/credit_purchases/${failed.body.id}/confirm`)).body.error.code).toBe(
      'invalid_state',
    );
    const paid = await buy(call, acc.id, '1500', 'k2');
    await call('POST', `/v1/credit_purchases/${paid.body.id}/confirm`);
    const invoices = (await call('GET', `/v1/accounts/${acc.id}/invoices`)).body.data;
    expect(invoices.map((i: { number: string }) => i.number)).toEqual(['INV-2026-000001']);
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('1500');
  });

  it('numbers 50 concurrent confirmations 1 to 50, each once, and lists them newest first', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const purchases = [];
    for (let i = 0; i < 50; i++)
      purchases.push(
        must(await engine.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, `k${i}`))
          .purchase,
      );
    const confirmed = await Promise.all(
      purchases.flatMap((p) => [engine.credits.confirm(p.id), engine.credits.confirm(p.id)]),
    );
    expect(confirmed.every((r) => r.ok)).toBe(true);
    clock.advance(1);
    const invoices = must(await engine.invoices.list(acc.id));
    const numbers = invoices.map((i) => i.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 50 }, (_, i) => `INV-2026-${String(i + 1).padStart(6, '0')}`),
    );
    expect(must(await engine.accounts.balance(acc.id)).posted).toBe(50n * 1000n * 1_000_000n);
  });

  it('renders the frozen invoice as a real PDF with its number, date, credits and total', async () => {
    const { call } = await makeApi({
      store,
      config: { taxRate: '0.2', seller: { name: 'VideoGen Inc.', address: '1 Main St', taxId: 'EU123' } },
    });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme Films' })).body;
    const p = await buy(call, acc.id, '2500', 'k1');
    const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`)).body;
    const invoice = (await call('GET', `/v1/invoices/${invoice_id}`)).body;
    expect(invoice.snapshot).toMatchObject({
      seller: { name: 'VideoGen Inc.', tax_id: 'EU123' },
      buyer: { name: 'Acme Films' },
      subtotal: '25.00',
      tax: '5.00',
      total: '30.00',
    });
    const pdf = await call('GET', `/v1/invoices/${invoice_id}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('INV-2026-000001');
    // Dates in words and grouped numbers (#20): November 25, 2026, not 2026-11-25T13:30:00Z.
    expect(text).toContain('November 25, 2026');
    expect(text).toContain('2,500');
    expect(text).toContain('USD 30.00');
    expect(text).toContain('VideoGen Inc.');
  });
});
