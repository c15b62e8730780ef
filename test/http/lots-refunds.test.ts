import { describe, expect, it } from 'vitest';
import { HOUR, makeApi, makeEngine, must, STORES } from '../helpers.ts';
import { pdfText } from '../pdf-text.ts';

const DAY = 24 * HOUR;

describe.each(STORES)('credit lots ($name)', (store) => {
  it('burns usage by priority, then soonest expiry, then oldest', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const bought = must(
      await engine.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, 'k1'),
    ).purchase;
    must(await engine.credits.confirm(bought.id));
    clock.advance(1000);
    must(
      await engine.credits.grant(acc.id, {
        credits: '30',
        reason: 'late expiry',
        expiresAtMs: clock.ms + 10 * DAY,
      }),
    );
    clock.advance(1000);
    must(
      await engine.credits.grant(acc.id, {
        credits: '20',
        reason: 'soon expiry',
        expiresAtMs: clock.ms + 2 * DAY,
      }),
    );
    clock.advance(1000);
    must(await engine.credits.grant(acc.id, { credits: '10', reason: 'no expiry' }));
    const iso = new Date(clock.ms).toISOString();
    await engine.usage.ingest([
      { id: 'u1', account_id: acc.id, model: 'm', quantity: '1', credits: '45', timestamp: iso },
    ]);
    clock.advance(HOUR);
    await engine.billing.run();
    const lots = must({ ok: true, value: await engine.credits.lots(acc.id) });
    const left = Object.fromEntries(
      lots.map((l) => [
        `${l.source}:${l.expiresAtMs ? (l.expiresAtMs - clock.ms < 5 * DAY ? 'soon' : 'late') : 'never'}`,
        l.remainingMinor / 1_000_000n,
      ]),
    );
    // Grants (priority 0) before the purchase (priority 10): the soonest-expiring 20, then 25 of the later 30.
    expect(left).toEqual({ 'grant:late': 5n, 'grant:never': 10n, 'purchase:never': 1000n });
  });

  it('moves the unspent remainder of an expired lot to breakage, and the balance shows it', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    must(await engine.credits.grant(acc.id, { credits: '50', reason: 'promo', expiresAtMs: clock.ms + DAY }));
    must(await engine.credits.grant(acc.id, { credits: '7', reason: 'forever' }));
    await engine.usage.ingest([
      {
        id: 'u1',
        account_id: acc.id,
        model: 'm',
        quantity: '1',
        credits: '20',
        timestamp: new Date(clock.ms).toISOString(),
      },
    ]);
    clock.advance(HOUR);
    await engine.billing.run();
    expect((await engine.credits.expireLots()).lots).toBe(0);
    clock.advance(DAY);
    const expired = await engine.credits.expireLots();
    expect(expired).toEqual({ lots: 1, creditsMinor: 30_000_000n });
    expect(must(await engine.accounts.balance(acc.id))).toMatchObject({
      posted: 7_000_000n,
      available: 7_000_000n,
    });
    const audit = await engine.ledger.audit();
    expect(audit.mismatchedAccounts).toEqual([]);
    expect(audit.assetSums).toEqual([{ asset: 'credits', sum: 0n }]);
  });
});

describe.each(STORES)('refunds ($name)', (store) => {
  it('refunds unspent credits with a credit note in its own series, and refuses more than remains', async () => {
    const { call, engine } = await makeApi({ store });
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const p = (
      await call(
        'POST',
        `/v1/accounts/${acc.id}/credit_purchases`,
        { credits: '3000', provider: 'manual' },
        { 'idempotency-key': 'k' },
      )
    ).body;
    const { invoice_id } = (await call('POST', `/v1/credit_purchases/${p.id}/confirm`)).body;
    const partial = await call('POST', `/v1/credit_purchases/${p.id}/refund`, { credits: '1000' });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      number: 'CN-2026-000001',
      invoice_id,
      credits: '1000',
      total: '10.00',
    });
    const tooMuch = await call('POST', `/v1/credit_purchases/${p.id}/refund`, { credits: '2000.000001' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('insufficient_credits');
    const rest = await call('POST', `/v1/credit_purchases/${p.id}/refund`);
    expect(rest.body).toMatchObject({ number: 'CN-2026-000002', credits: '2000', total: '20.00' });
    expect((await call('POST', `/v1/credit_purchases/${p.id}/refund`)).body.error.code).toBe(
      'insufficient_credits',
    );
    expect((await call('GET', `/v1/accounts/${acc.id}/balance`)).body.posted).toBe('0');
    const notes = (await call('GET', `/v1/accounts/${acc.id}/credit_notes`)).body.data;
    expect(notes.map((n: { number: string }) => n.number)).toEqual(['CN-2026-000002', 'CN-2026-000001']);
    const pdf = await call('GET', `/v1/credit_notes/${partial.body.id}/pdf`);
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('CN-2026-000001');
    expect(text).toContain('INV-2026-000001');
    const audit = await engine.ledger.audit();
    expect(audit).toEqual({ assetSums: [{ asset: 'credits', sum: 0n }], mismatchedAccounts: [] });
  });

  it('never refunds credits already spent', async () => {
    const { engine, clock } = await makeEngine({ store });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1000', provider: 'manual' }, 'k'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    await engine.usage.ingest([
      {
        id: 'u',
        account_id: acc.id,
        model: 'm',
        quantity: '1',
        credits: '400',
        timestamp: new Date(clock.ms).toISOString(),
      },
    ]);
    clock.advance(HOUR);
    await engine.billing.run();
    const note = must(await engine.credits.refund(p.id));
    expect(note.creditsMinor).toBe(600_000_000n);
    expect(note.totalMinor).toBe(600n);
  });

  it('keeps the money of several partial refunds within the invoice total', async () => {
    const { engine } = await makeEngine({ store, config: { taxRate: '0.2' } });
    const acc = must(await engine.accounts.create({ name: 'Acme' }));
    const p = must(
      await engine.credits.purchase(acc.id, { credits: '1001', provider: 'manual' }, 'k'),
    ).purchase;
    must(await engine.credits.confirm(p.id));
    let money = 0n;
    let tax = 0n;
    for (let i = 0; i < 7; i++) {
      const note = must(await engine.credits.refund(p.id, '143'));
      money += note.totalMinor;
      tax += BigInt(note.snapshot.tax.replace('.', ''));
      // Each note's lines add up: subtotal + tax = total.
      expect(
        BigInt(note.snapshot.subtotal.replace('.', '')) + BigInt(note.snapshot.tax.replace('.', '')),
      ).toBe(note.totalMinor);
    }
    expect(money).toBe(p.totalMinor);
    expect(tax).toBe(p.taxMinor);
  });
});
