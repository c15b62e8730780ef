import { describe, expect, it } from 'vitest';
import { HOUR, must } from './helpers.ts';
import { C, DAY_MS, moneyEngine } from './money-kit.ts';

describe('holds', () => {
  it('reserve only what is available: posted minus pending minus unbilled usage', async () => {
    const { engine, account, grant, use, balance } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    await use(acc, '70');
    expect(await engine.holds.create(acc, { credits: '30.000001' })).toMatchObject({
      ok: false,
      code: 'insufficient_credits',
      message: 'the hold is larger than the available balance',
    });
    const hold = must(await engine.holds.create(acc, { credits: '20' }));
    expect(hold).toMatchObject({ status: 'pending', creditsMinor: C(20), capturedMinor: null });
    // Exactly what is left is still available.
    must(await engine.holds.create(acc, { credits: '10' }));
    expect(await balance(acc)).toEqual({ posted: C(100), pending: C(30), unbilled: C(70), available: 0n });
  });

  it('a capture burns the lots, grant first, and posts the captured credits', async () => {
    const { engine, account, buy, grant, lots, balance, transfer } = await moneyEngine();
    const acc = await account();
    await buy(acc, '1000');
    await grant(acc, '50');
    const hold = must(await engine.holds.create(acc, { credits: '80' }));
    expect(await lots(acc)).toEqual([`grant:${C(50)}`, `purchase:${C(1000)}`]);
    const captured = must(await engine.holds.capture(hold.id, '80'));
    expect(captured).toMatchObject({ status: 'captured', capturedMinor: C(80) });
    expect(await lots(acc)).toEqual([`purchase:${C(970)}`]);
    expect(await balance(acc)).toEqual({ posted: C(970), pending: 0n, unbilled: 0n, available: C(970) });
    expect(await transfer(hold.id)).toMatchObject({ kind: 'pending', code: 'hold', amount: C(80) });
    expect(await transfer(`${hold.id}_captured`)).toMatchObject({
      kind: 'post_pending',
      code: 'hold',
      amount: C(80),
    });
  });

  it('a partial capture releases the rest; more than held is refused', async () => {
    const { engine, account, grant, lots, balance } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    const hold = must(await engine.holds.create(acc, { credits: '40' }));
    expect(await engine.holds.capture(hold.id, '40.000001')).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'credits exceed the held amount',
      details: [{ field: 'credits', message: 'exceeds the held amount' }],
    });
    expect(await engine.holds.capture(hold.id, 'lots')).toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
    must(await engine.holds.capture(hold.id, '15'));
    expect(await balance(acc)).toMatchObject({ posted: C(85), pending: 0n, available: C(85) });
    expect(await lots(acc)).toEqual([`grant:${C(85)}`]);
  });

  it('resolves once: the same capture answers the same, anything else is invalid_state', async () => {
    const { engine, account, grant, balance } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    const hold = must(await engine.holds.create(acc, { credits: '40' }));
    must(await engine.holds.capture(hold.id, '10'));
    expect(must(await engine.holds.capture(hold.id, '10'))).toMatchObject({ status: 'captured' });
    expect(await engine.holds.capture(hold.id, '20')).toMatchObject({
      ok: false,
      code: 'invalid_state',
      message: `hold ${hold.id} is captured`,
    });
    expect(await engine.holds.release(hold.id)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(await balance(acc)).toMatchObject({ posted: C(90), available: C(90) });

    const other = must(await engine.holds.create(acc, { credits: '5' }));
    expect(must(await engine.holds.release(other.id))).toMatchObject({
      status: 'released',
      capturedMinor: null,
    });
    expect(must(await engine.holds.release(other.id))).toMatchObject({ status: 'released' });
    expect(await engine.holds.capture(other.id, '5')).toMatchObject({ code: 'invalid_state' });
    expect(must(await engine.holds.get(other.id)).status).toBe('released');
    expect(await balance(acc)).toMatchObject({ posted: C(90), pending: 0n, available: C(90) });
  });

  it('expires at its deadline: no capture from then on, and the credits come back', async () => {
    const { engine, clock, account, grant, balance, transfer } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    const hold = must(await engine.holds.create(acc, { credits: '40', ttlSeconds: 60 }));
    expect(hold.expiresAtMs).toBe(clock.ms + 60_000);
    clock.advance(59_999);
    expect(await engine.holds.expire()).toBe(0);
    clock.advance(1);
    expect(await engine.holds.capture(hold.id, '1')).toEqual({
      ok: false,
      code: 'invalid_state',
      message: `hold ${hold.id} has expired`,
    });
    expect(await engine.holds.release(hold.id)).toMatchObject({ code: 'invalid_state' });
    expect(await engine.holds.expire()).toBe(1);
    expect(await engine.holds.expire()).toBe(0);
    expect(must(await engine.holds.get(hold.id))).toMatchObject({ status: 'expired', capturedMinor: null });
    expect(await balance(acc)).toEqual({ posted: C(100), pending: 0n, unbilled: 0n, available: C(100) });
    expect(await transfer(`${hold.id}_expired`)).toMatchObject({
      kind: 'void_pending',
      amount: 0n,
      code: 'hold',
    });
  });

  it('lives an hour by default and validates its ttl and reference', async () => {
    const { engine, clock, account, grant } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    const hold = must(await engine.holds.create(acc, { credits: '1', reference: 'job-7' }));
    expect(hold).toMatchObject({
      expiresAtMs: clock.ms + 3_600_000,
      createdAtMs: clock.ms,
      reference: 'job-7',
    });
    expect(must(await engine.holds.create(acc, { credits: '1', ttlSeconds: 1 })).expiresAtMs).toBe(
      clock.ms + 1000,
    );
    expect(
      must(await engine.holds.create(acc, { credits: '1', ttlSeconds: 30 * 24 * 3600 })).reference,
    ).toBeNull();
    for (const ttlSeconds of [0, 1.5, '60', 30 * 24 * 3600 + 1]) {
      expect(await engine.holds.create(acc, { credits: '1', ttlSeconds })).toEqual({
        ok: false,
        code: 'validation_failed',
        message: 'ttl_seconds must be a whole number of seconds from 1 to 2592000',
        details: [{ field: 'ttl_seconds', message: 'must be a whole number of seconds from 1 to 2592000' }],
      });
    }
    expect(
      must(await engine.holds.create(acc, { credits: '1', reference: 'r'.repeat(200) })).reference,
    ).toHaveLength(200);
    for (const reference of ['r'.repeat(201), 42]) {
      expect(await engine.holds.create(acc, { credits: '1', reference })).toMatchObject({
        ok: false,
        details: [{ field: 'reference', message: 'must be a string of at most 200 characters' }],
      });
    }
    expect(await engine.holds.create(acc, { credits: '0' })).toMatchObject({ code: 'validation_failed' });
    expect(await engine.holds.create('acc_nobody', { credits: '1' })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'no account acc_nobody',
    });
    expect(await engine.holds.get('hold_nothing')).toMatchObject({ code: 'not_found' });
    expect(await engine.holds.capture('hold_nothing', '1')).toMatchObject({ code: 'not_found' });
    expect(await engine.holds.release('hold_nothing')).toMatchObject({ code: 'not_found' });
  });

  it('an Idempotency-Key makes a retried create answer the same hold and reserve once', async () => {
    const { engine, account, grant, balance } = await moneyEngine();
    const acc = await account();
    const other = await account('Other');
    await grant(acc, '200');
    await grant(other, '100');
    const input = { credits: '30', ttlSeconds: 600, reference: 'job-42', idempotencyKey: 'job-42' };
    const first = must(await engine.holds.create(acc, input));
    expect(first.id).toMatch(/^hold_k[0-9a-f]{32}$/);
    expect(must(await engine.holds.create(acc, input))).toEqual(first);
    expect((await balance(acc)).pending).toBe(C(30));
    for (const change of [{ credits: '31' }, { ttlSeconds: 601 }, { reference: 'job-43' }]) {
      expect(await engine.holds.create(acc, { ...input, ...change })).toEqual({
        ok: false,
        code: 'idempotency_conflict',
        message: 'this Idempotency-Key was used with a different body',
      });
    }
    // The same key on another account is another hold.
    const theirs = must(await engine.holds.create(other, input));
    expect(theirs.id).not.toBe(first.id);
    expect((await balance(other)).pending).toBe(C(30));
    // Without a key, every create is a new hold.
    const { idempotencyKey: _, ...keyless } = input;
    expect(must(await engine.holds.create(acc, keyless)).id).not.toBe(
      must(await engine.holds.create(acc, keyless)).id,
    );
    expect(
      must(await engine.holds.create(acc, { ...input, idempotencyKey: 'k'.repeat(255) })).creditsMinor,
    ).toBe(C(30));
    for (const idempotencyKey of ['', 'k'.repeat(256)]) {
      expect(await engine.holds.create(acc, { ...input, idempotencyKey })).toMatchObject({
        ok: false,
        details: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }],
      });
    }
  });

  it('key verification sees every hold, capture, release and expiry at once', async () => {
    const { engine, clock, account, grant } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    const { secret } = must(await engine.keys.create(acc, 'ci'));
    const available = async () => {
      const v = await engine.keys.verify(secret);
      return v.valid ? v.available : v.code;
    };
    expect(await available()).toBe(C(100));
    const hold = must(await engine.holds.create(acc, { credits: '100', ttlSeconds: 60 }));
    expect(await available()).toBe('insufficient_credits');
    must(await engine.holds.release(hold.id));
    expect(await available()).toBe(C(100));
    const second = must(await engine.holds.create(acc, { credits: '30', idempotencyKey: 'a' }));
    expect((await engine.accounts.cachedBalance(acc))?.available).toBe(C(70));
    must(await engine.holds.create(acc, { credits: '30', idempotencyKey: 'a' }));
    expect((await engine.accounts.cachedBalance(acc))?.available).toBe(C(70));
    must(await engine.holds.capture(second.id, '10'));
    expect(await engine.accounts.cachedBalance(acc)).toMatchObject({
      posted: C(90),
      pending: 0n,
      available: C(90),
    });
    const third = must(await engine.holds.create(acc, { credits: '90', ttlSeconds: 1 }));
    expect(await available()).toBe('insufficient_credits');
    clock.advance(1000);
    expect(await engine.holds.expire()).toBe(1);
    expect(await available()).toBe(C(90));
    expect(must(await engine.holds.get(third.id)).status).toBe('expired');
  });
});

describe('lots and purchases', () => {
  it('a confirmed purchase posts its credits as a lot, an invoice and a paid event', async () => {
    const { engine, clock, account, lots, balance, transfer, events } = await moneyEngine();
    const acc = await account();
    const { purchase, created } = must(
      await engine.credits.purchase(acc, { credits: '1500', provider: 'manual' }, 'k1'),
    );
    expect(created).toBe(true);
    expect(purchase).toMatchObject({ status: 'pending', totalMinor: 1500n, creditsMinor: C(1500) });
    expect(await balance(acc)).toMatchObject({ posted: 0n });
    const paid = must(await engine.credits.confirm(purchase.id));
    expect(paid).toMatchObject({ status: 'paid', resolvedAtMs: clock.ms });
    expect(await balance(acc)).toMatchObject({ posted: C(1500), available: C(1500) });
    const [lot] = await engine.credits.lots(acc);
    expect(lot).toMatchObject({
      source: 'purchase',
      sourceId: purchase.id,
      creditsMinor: C(1500),
      remainingMinor: C(1500),
      priority: 10,
      expiresAtMs: null,
    });
    const invoice = must(await engine.invoices.get(paid.invoiceId!));
    expect(invoice).toMatchObject({ number: 'INV-2026-000001', totalMinor: 1500n, creditsMinor: C(1500) });
    expect(await transfer(`purchase_${purchase.id}`)).toMatchObject({
      code: 'purchase',
      amount: C(1500),
      creditAccountId: acc,
      metadata: { purchase_id: purchase.id },
    });
    expect(await events('credit_purchase.paid')).toEqual([
      {
        purchase_id: purchase.id,
        account_id: acc,
        credits: '1500',
        total: '15.00',
        currency: 'USD',
        invoice_id: invoice.id,
      },
    ]);
    expect(await events('invoice.issued')).toEqual([
      {
        invoice_id: invoice.id,
        number: 'INV-2026-000001',
        account_id: acc,
        purchase_id: purchase.id,
        total: '15.00',
        currency: 'USD',
      },
    ]);
    // Confirming again answers the same purchase and credits nothing more.
    expect(must(await engine.credits.confirm(purchase.id))).toEqual(paid);
    expect(await lots(acc)).toEqual([`purchase:${C(1500)}`]);
    expect((await balance(acc)).posted).toBe(C(1500));
    expect(await engine.credits.fail(purchase.id)).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('purchases are idempotent per key and validated', async () => {
    const { engine, account } = await moneyEngine();
    const acc = await account();
    const first = must(await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'));
    const again = must(await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'));
    expect(again).toEqual({ purchase: first.purchase, created: false });
    expect(await engine.credits.purchase(acc, { credits: '1001', provider: 'manual' }, 'k')).toEqual({
      ok: false,
      code: 'idempotency_conflict',
      message: 'this Idempotency-Key was used with a different body',
    });
    expect(
      must(await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'.repeat(255)))
        .created,
    ).toBe(true);
    for (const key of ['', 'k'.repeat(256)]) {
      expect(await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, key)).toMatchObject({
        details: [{ field: 'Idempotency-Key', message: 'header is required, 1 to 255 characters' }],
      });
    }
    for (const provider of ['paypal', 42, 'toString']) {
      expect(await engine.credits.purchase(acc, { credits: '1000', provider }, 'p')).toMatchObject({
        details: [{ field: 'provider', message: 'must be one of: manual' }],
      });
    }
    expect(await engine.credits.purchase(acc, { credits: '5', provider: 'manual' }, 'p')).toMatchObject({
      code: 'payment_out_of_range',
    });
    expect(
      await engine.credits.purchase('acc_nobody', { credits: '1000', provider: 'manual' }, 'p'),
    ).toMatchObject({
      code: 'not_found',
    });
  });

  it('a failed purchase credits nothing and cannot be confirmed by the operator', async () => {
    const { engine, account, balance } = await moneyEngine();
    const acc = await account();
    const { purchase } = must(
      await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'),
    );
    const failed = must(await engine.credits.fail(purchase.id));
    expect(failed.status).toBe('failed');
    expect(must(await engine.credits.fail(purchase.id))).toEqual(failed);
    expect(await engine.credits.confirm(purchase.id)).toEqual({
      ok: false,
      code: 'invalid_state',
      message: `purchase ${purchase.id} is failed`,
    });
    expect(await balance(acc)).toMatchObject({ posted: 0n });
    expect(await engine.credits.lots(acc)).toEqual([]);
    expect(await engine.credits.confirm('pur_nothing')).toMatchObject({ code: 'not_found' });
    expect(await engine.credits.fail('pur_nothing')).toMatchObject({ code: 'not_found' });
  });

  it('a new purchase pays a negative balance off first', async () => {
    const { engine, clock, account, buy, grant, use, lots, balance } = await moneyEngine();
    const acc = await account();
    await grant(acc, '10');
    await use(acc, '1030');
    clock.advance(HOUR);
    await engine.billing.run();
    expect(await balance(acc)).toMatchObject({ posted: -C(1020), available: -C(1020) });
    expect(await lots(acc)).toEqual([]);
    // A grant smaller than the debt leaves an empty lot.
    await grant(acc, '20');
    expect(await lots(acc)).toEqual([]);
    expect(await balance(acc)).toMatchObject({ posted: -C(1000) });
    // A purchase of exactly the debt pays it off and leaves nothing.
    await buy(acc, '1000');
    expect(await balance(acc)).toMatchObject({ posted: 0n });
    expect(await lots(acc)).toEqual([]);
    await buy(acc, '1000');
    expect(await lots(acc)).toEqual([`purchase:${C(1000)}`]);
    expect(await balance(acc)).toMatchObject({ posted: C(1000), available: C(1000) });
  });

  it('grants are validated, keep their reason, and burn before purchases unless told otherwise', async () => {
    const { engine, clock, account, buy, use, lots, transfer } = await moneyEngine();
    const acc = await account();
    await buy(acc, '1000');
    const lot = must(await engine.credits.grant(acc, { credits: '5', reason: '  welcome  ' }));
    expect(lot).toMatchObject({ source: 'grant', priority: 0, remainingMinor: C(5), expiresAtMs: null });
    expect(await transfer(lot.sourceId)).toMatchObject({
      code: 'grant',
      amount: C(5),
      metadata: { reason: 'welcome' },
    });
    const late = must(await engine.credits.grant(acc, { credits: '7', reason: 'late', priority: 20 }));
    expect(late.priority).toBe(20);
    expect(await lots(acc)).toEqual([`grant:${C(5)}`, `purchase:${C(1000)}`, `grant:${C(7)}`]);
    await use(acc, '6');
    clock.advance(HOUR);
    await engine.billing.run();
    expect(await lots(acc)).toEqual([`purchase:${C(999)}`, `grant:${C(7)}`]);
    for (const reason of ['', '   ', 'r'.repeat(501), 7]) {
      expect(await engine.credits.grant(acc, { credits: '1', reason })).toMatchObject({
        details: [{ field: 'reason', message: 'is required, 1 to 500 characters' }],
      });
    }
    must(await engine.credits.grant(acc, { credits: '1', reason: 'r'.repeat(500) }));
    expect(
      await engine.credits.grant(acc, { credits: '1', reason: 'x', expiresAtMs: clock.ms }),
    ).toMatchObject({
      details: [{ field: 'expires_at', message: 'must be in the future' }],
    });
    expect(
      must(await engine.credits.grant(acc, { credits: '1', reason: 'x', expiresAtMs: clock.ms + 1 }))
        .expiresAtMs,
    ).toBe(clock.ms + 1);
    expect(await engine.credits.grant(acc, { credits: 'one', reason: 'x' })).toMatchObject({
      code: 'validation_failed',
    });
    expect(await engine.credits.grant('acc_nobody', { credits: '1', reason: 'x' })).toMatchObject({
      code: 'not_found',
    });
  });

  it('key verification sees a confirmation, a grant and an expiry at once', async () => {
    const { engine, clock, account, grant } = await moneyEngine();
    const acc = await account();
    const { secret } = must(await engine.keys.create(acc, 'ci'));
    const available = async () => {
      const v = await engine.keys.verify(secret);
      return v.valid ? v.available : v.code;
    };
    expect(await available()).toBe('insufficient_credits');
    const { purchase } = must(
      await engine.credits.purchase(acc, { credits: '1000', provider: 'manual' }, 'k'),
    );
    expect(await available()).toBe('insufficient_credits');
    must(await engine.credits.confirm(purchase.id));
    expect(await available()).toBe(C(1000));
    await grant(acc, '5', { expiresAtMs: clock.ms + DAY_MS });
    expect(await available()).toBe(C(1005));
    clock.advance(DAY_MS);
    expect(await engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: C(5) });
    expect(await available()).toBe(C(1000));
  });
});

describe('expiry of lots', () => {
  it('takes what is unspent and unheld at the deadline, and the rest once the hold is released', async () => {
    const { engine, clock, account, grant, use, lots, balance, transfer } = await moneyEngine();
    const acc = await account();
    const promo = await grant(acc, '50', { expiresAtMs: clock.ms + DAY_MS });
    await grant(acc, '10', { priority: 5 });
    await use(acc, '15');
    const hold = must(await engine.holds.create(acc, { credits: '20', ttlSeconds: 2 * 24 * 3600 }));
    clock.advance(DAY_MS - 1);
    expect(await engine.credits.expireLots()).toEqual({ lots: 0, creditsMinor: 0n });
    clock.advance(1);
    // 15 unbilled and 20 held are spoken for: 15 of the promo's 50 expire.
    expect(await engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: C(15) });
    expect(await lots(acc)).toEqual([`grant:${C(35)}`, `grant:${C(10)}`]);
    expect(await balance(acc)).toEqual({ posted: C(45), pending: C(20), unbilled: C(15), available: C(10) });
    expect(await transfer(`breakage_${promo.id}_${C(50)}`)).toMatchObject({
      code: 'breakage',
      amount: C(15),
      debitAccountId: acc,
      metadata: { lot_id: promo.id },
    });
    expect(await engine.credits.expireLots()).toEqual({ lots: 0, creditsMinor: 0n });
    must(await engine.holds.release(hold.id));
    expect(await engine.credits.expireLots()).toEqual({ lots: 1, creditsMinor: C(20) });
    expect(await lots(acc)).toEqual([`grant:${C(15)}`, `grant:${C(10)}`]);
    expect(await balance(acc)).toMatchObject({ posted: C(25), available: C(10) });
    const audit = await engine.ledger.audit();
    expect(audit.assetSums).toEqual([{ asset: 'credits', sum: 0n }]);
  });

  it('tells the operator when an expiry empties the account', async () => {
    const { engine, clock, account, grant, events } = await moneyEngine();
    must(await engine.webhooks.create('https://hooks.example.com/alerts', ['balance.depleted']));
    const acc = await account();
    await grant(acc, '5', { expiresAtMs: clock.ms + DAY_MS });
    expect(await events('balance.depleted')).toEqual([]);
    clock.advance(DAY_MS);
    must({ ok: true, value: await engine.credits.expireLots() });
    expect(await events('balance.depleted')).toEqual([
      { account_id: acc, available: '0', threshold: null, scale: 6 },
    ]);
  });

  it('sweeps every account, past a page of expired lots', async () => {
    const { engine, clock, account, grant, balance } = await moneyEngine();
    const a = await account('A');
    const b = await account('B');
    for (let i = 0; i < 201; i++) await grant(a, '1', { expiresAtMs: clock.ms + DAY_MS + i });
    await grant(b, '3', { expiresAtMs: clock.ms + 2 * DAY_MS });
    clock.advance(2 * DAY_MS);
    expect(await engine.credits.expireLots()).toEqual({ lots: 202, creditsMinor: C(204) });
    expect((await balance(a)).posted).toBe(0n);
    expect((await balance(b)).posted).toBe(0n);
  }, 20_000);
});

describe('what a caller of holds reads in the answers', () => {
  it('hold ids are prefixed, bad credits name their field, and an unknown hold is named', async () => {
    const { engine, account, grant } = await moneyEngine();
    const acc = await account();
    await grant(acc, '100');
    expect(must(await engine.holds.create(acc, { credits: '5' })).id).toMatch(/^hold_/);
    for (const r of [
      await engine.holds.create(acc, { credits: 'five' }),
      await engine.holds.capture('hold_nope', 'five'),
    ])
      expect(r).toMatchObject({ ok: false, code: 'validation_failed', details: [{ field: 'credits' }] });
    for (const r of [
      await engine.holds.get('hold_nope'),
      await engine.holds.capture('hold_nope', '1'),
      await engine.holds.release('hold_nope'),
    ])
      expect(r).toMatchObject({ ok: false, code: 'not_found', message: 'no hold hold_nope' });
    expect(
      await engine.holds.create(acc, { credits: '1', ttlSeconds: '60' as unknown as number }),
    ).toMatchObject({
      ok: false,
      code: 'validation_failed',
      details: [{ field: 'ttl_seconds' }],
    });
  });
});
