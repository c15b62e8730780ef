import { describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  idsToLoad,
  type LedgerAccount,
  type LedgerView,
  MAX_LEDGER_MINOR,
  planTransfers,
  postedBalance,
  spendableBalance,
  type Transfer,
  type TransferInput,
} from '../../src/core/kernel/ledger.ts';

const NOW = 1_000_000;

const acct = (id: string, over: Partial<LedgerAccount> = {}): LedgerAccount => ({
  id,
  asset: 'credits',
  kind: 'customer',
  overdraftMinor: 0n,
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
  ...over,
});
const sys = (id: string, over: Partial<LedgerAccount> = {}) =>
  acct(id, { kind: 'system', overdraftMinor: null, ...over });

const viewOf = (accounts: LedgerAccount[], transfers: Transfer[] = [], resolved: [string, 'posted'][] = []) =>
  ({
    accounts: new Map(accounts.map((a) => [a.id, a])),
    transfers: new Map(transfers.map((t) => [t.id, t])),
    resolutions: new Map(resolved),
  }) satisfies LedgerView;

const move = (id: string, from: string, to: string, amount: bigint, extra: Partial<TransferInput> = {}) =>
  ({
    id,
    debitAccountId: from,
    creditAccountId: to,
    amount,
    code: 'grant',
    ...extra,
  }) satisfies TransferInput;

/** Plans one batch and answers each item's status or refusal code, and the accounts after it. */
function run(inputs: TransferInput[], view: LedgerView, nowMs = NOW) {
  const { results, plan } = planTransfers(inputs, view, nowMs);
  const outcome = results.map((r) => (r.status === 'refused' ? r.code : r.status));
  const after = new Map(plan?.accounts.map((a) => [a.id, a]));
  return { results, plan, outcome, after };
}

/** A view with a pending hold of 60 from alice (posted 100) that times out at NOW + 10 s. */
function withHold(amount = 60n) {
  const first = run(
    [move('hold1', 'alice', 'usage', amount, { kind: 'pending', timeoutSeconds: 10, code: 'hold' })],
    viewOf([acct('alice', { creditsPosted: 100n }), sys('usage')]),
  );
  const hold = first.plan!.transfers[0]!;
  const accounts = [...first.after.values()];
  return { hold, view: viewOf(accounts, [hold]) };
}

describe('balances of a ledger account', () => {
  it('spendable is posted minus what holds reserve', () => {
    const a = acct('a', { creditsPosted: 100n, debitsPosted: 30n, debitsPending: 20n, creditsPending: 5n });
    expect(postedBalance(a)).toBe(70n);
    expect(spendableBalance(a)).toBe(50n);
  });

  it('a customer can spend what holds leave free, not a credit more', () => {
    const view = viewOf([acct('alice', { creditsPosted: 100n, debitsPending: 60n }), sys('usage')]);
    expect(run([move('t1', 'alice', 'usage', 41n)], view).outcome).toEqual(['insufficient_credits']);
    const ok = run([move('t1', 'alice', 'usage', 40n)], view);
    expect(ok.outcome).toEqual(['created']);
    expect(postedBalance(ok.after.get('alice')!)).toBe(60n);
  });

  it('an overdraft lets a customer go exactly that far below zero; force and system accounts have no floor', () => {
    const view = viewOf([acct('alice', { overdraftMinor: 20n }), sys('issued')]);
    expect(run([move('t1', 'alice', 'issued', 21n)], view).outcome).toEqual(['insufficient_credits']);
    expect(postedBalance(run([move('t1', 'alice', 'issued', 20n)], view).after.get('alice')!)).toBe(-20n);
    const forced = run([move('t1', 'alice', 'issued', 500n, { force: true })], view);
    expect(postedBalance(forced.after.get('alice')!)).toBe(-500n);
    expect(postedBalance(run([move('t1', 'issued', 'alice', 7n)], view).after.get('issued')!)).toBe(-7n);
  });

  it('refuses insufficient funds with a message naming the account', () => {
    const { results } = run([move('t1', 'alice', 'usage', 1n)], viewOf([acct('alice'), sys('usage')]));
    expect(results[0]).toEqual({
      id: 't1',
      status: 'refused',
      code: 'insufficient_credits',
      message: 'account alice lacks the funds',
    });
  });
});

describe('a transfer as written', () => {
  it('keeps its reason code, metadata, accounts, asset and time', () => {
    const { results, plan } = run(
      [move('t1', 'issued', 'alice', 5n, { code: 'purchase', metadata: { purchase_id: 'pur_1' } })],
      viewOf([sys('issued'), acct('alice')]),
    );
    const expected: Transfer = {
      id: 't1',
      kind: 'posted',
      debitAccountId: 'issued',
      creditAccountId: 'alice',
      asset: 'credits',
      amount: 5n,
      pendingId: null,
      timeoutAtMs: null,
      code: 'purchase',
      metadata: { purchase_id: 'pur_1' },
      fingerprint: fingerprintOf(
        move('t1', 'issued', 'alice', 5n, { code: 'purchase', metadata: { purchase_id: 'pur_1' } }),
      ),
      createdAtMs: NOW,
    };
    expect(results).toEqual([{ id: 't1', status: 'created', transfer: expected }]);
    expect(plan!.transfers).toEqual([expected]);
    expect(plan!.resolutions).toEqual([]);
  });

  it('a later item of the batch sees what an earlier one moved', () => {
    const { outcome, after } = run(
      [move('t1', 'issued', 'alice', 50n), move('t2', 'alice', 'usage', 50n)],
      viewOf([sys('issued'), acct('alice'), sys('usage')]),
    );
    expect(outcome).toEqual(['created', 'created']);
    expect(postedBalance(after.get('alice')!)).toBe(0n);
    expect(postedBalance(after.get('usage')!)).toBe(50n);
  });

  it('does not change the stored view it was given', () => {
    const alice = acct('alice');
    run([move('t1', 'issued', 'alice', 50n)], viewOf([sys('issued'), alice]));
    expect(alice.creditsPosted).toBe(0n);
  });

  it.each([
    ['a negative amount', move('t1', 'issued', 'alice', -1n), 'invalid_amount'],
    ['a zero amount', move('t1', 'issued', 'alice', 0n), 'invalid_amount'],
    ['a zero pending amount', move('t1', 'issued', 'alice', 0n, { kind: 'pending' }), 'invalid_amount'],
    ['an amount past the range', move('t1', 'issued', 'alice', MAX_LEDGER_MINOR + 1n), 'amount_out_of_range'],
    ['no debit account', { id: 't1', creditAccountId: 'alice', amount: 1n, code: 'x' }, 'account_not_found'],
    ['no credit account', { id: 't1', debitAccountId: 'issued', amount: 1n, code: 'x' }, 'account_not_found'],
    ['an unknown debit account', move('t1', 'nobody', 'alice', 1n), 'account_not_found'],
    ['an unknown credit account', move('t1', 'issued', 'nobody', 1n), 'account_not_found'],
    ['the same account twice', move('t1', 'alice', 'alice', 1n), 'same_account'],
    ['two assets', move('t1', 'issued', 'usd', 1n), 'asset_mismatch'],
  ] as [string, TransferInput, string][])('refuses %s', (_, input, code) => {
    const view = viewOf([sys('issued'), acct('alice'), sys('usd', { asset: 'usd' })]);
    const { outcome, plan } = run([input], view);
    expect(outcome).toEqual([code]);
    expect(plan).toBeNull();
  });

  it.each([
    ['amount must be positive', move('t1', 'issued', 'alice', 0n)],
    ['amount is past the ledger range', move('t1', 'issued', 'alice', MAX_LEDGER_MINOR + 1n)],
    ['both accounts are required', { id: 't1', creditAccountId: 'alice', amount: 1n, code: 'x' }],
    ['no ledger account nobody', move('t1', 'nobody', 'alice', 1n)],
    ['no ledger account nobody', move('t1', 'issued', 'nobody', 1n)],
    ['debit and credit accounts are the same', move('t1', 'alice', 'alice', 1n)],
    ['accounts hold different assets', move('t1', 'issued', 'usd', 1n)],
  ] as [string, TransferInput][])('says why it refuses: %s', (message, input) => {
    const view = viewOf([sys('issued'), acct('alice'), sys('usd', { asset: 'usd' })]);
    expect(run([input], view).results[0]).toMatchObject({ status: 'refused', message });
  });

  it('stores amounts up to a signed 64-bit integer', () => {
    expect(MAX_LEDGER_MINOR).toBe(9_223_372_036_854_775_807n);
  });

  it('a void posts nothing whatever amount it names', () => {
    const { view } = withHold();
    const { outcome, after } = run(
      [{ id: 'v', kind: 'void_pending', pendingId: 'hold1', amount: 100n, code: 'hold' }],
      view,
    );
    expect(outcome).toEqual(['created']);
    expect(after.get('alice')).toMatchObject({ debitsPending: 0n, debitsPosted: 0n });
  });

  it('a transfer without metadata stores none', () => {
    const { plan } = run([move('t1', 'issued', 'alice', 5n)], viewOf([sys('issued'), acct('alice')]));
    expect(plan!.transfers[0]!.metadata).toBeNull();
  });

  it('the same id twice in one batch moves the funds once', () => {
    const { outcome, after, plan } = run(
      [move('t1', 'issued', 'alice', 5n), move('t1', 'issued', 'alice', 5n)],
      viewOf([sys('issued'), acct('alice')]),
    );
    expect(outcome).toEqual(['created', 'exists']);
    expect(plan!.transfers).toHaveLength(1);
    expect(postedBalance(after.get('alice')!)).toBe(5n);
  });

  it('a hold can be made and captured in one batch', () => {
    const { outcome, after } = run(
      [
        move('h', 'alice', 'usage', 10n, { kind: 'pending' }),
        { id: 'c', kind: 'post_pending', pendingId: 'h', amount: 4n, code: 'hold' },
      ],
      viewOf([acct('alice', { creditsPosted: 10n }), sys('usage')]),
    );
    expect(outcome).toEqual(['created', 'created']);
    expect(after.get('alice')).toMatchObject({ debitsPending: 0n, debitsPosted: 4n });
  });

  it('accepts the largest amount the ledger stores, and refuses a total that would pass it', () => {
    expect(run([move('t1', 'a', 'b', MAX_LEDGER_MINOR)], viewOf([sys('a'), sys('b')])).outcome).toEqual([
      'created',
    ]);
    const near = MAX_LEDGER_MINOR - 5n;
    const cases: [LedgerAccount, LedgerAccount, Partial<TransferInput>][] = [
      [sys('a', { debitsPosted: near }), sys('b'), {}],
      [sys('a'), sys('b', { creditsPosted: near }), {}],
      [sys('a', { debitsPending: near }), sys('b'), { kind: 'pending' }],
      [sys('a'), sys('b', { creditsPending: near }), { kind: 'pending' }],
    ];
    for (const [a, b, extra] of cases) {
      expect(run([move('t1', 'a', 'b', 5n, extra)], viewOf([a, b])).outcome).toEqual(['created']);
      const { results, plan } = run([move('t1', 'a', 'b', 6n, extra)], viewOf([a, b]));
      expect(results[0]).toMatchObject({
        code: 'amount_out_of_range',
        message: "transfer t1 would take a balance past the ledger's range",
      });
      expect(plan).toBeNull();
    }
  });
});

describe('all or nothing', () => {
  const base = () => viewOf([sys('issued'), acct('alice'), sys('usage')]);

  it('one refusal fails the whole batch; the others answer batch_failed', () => {
    const { results, plan } = run(
      [move('t1', 'issued', 'alice', 5n), move('t2', 'alice', 'usage', 6n)],
      base(),
    );
    expect(plan).toBeNull();
    expect(results[0]).toEqual({
      id: 't1',
      status: 'refused',
      code: 'batch_failed',
      message: 'another transfer of the batch was refused',
    });
    expect(results[1]).toMatchObject({ code: 'insufficient_credits' });
  });

  it('a retry with the same body answers the original and creates nothing', () => {
    const first = run([move('t1', 'issued', 'alice', 5n)], base());
    const original = first.plan!.transfers[0]!;
    const view = viewOf([...first.after.values(), sys('usage')], [original]);
    const { results, plan } = run(
      [move('t1', 'issued', 'alice', 5n), move('t2', 'issued', 'alice', 1n)],
      view,
      NOW + 1,
    );
    expect(results[0]).toEqual({ id: 't1', status: 'exists', transfer: original });
    expect(results[1]).toMatchObject({ status: 'created' });
    expect(plan!.transfers.map((t) => t.id)).toEqual(['t2']);
    expect(postedBalance(plan!.accounts.find((a) => a.id === 'alice')!)).toBe(6n);
  });

  it('a retry that spells out the defaults is the same request', () => {
    const first = run([move('t1', 'issued', 'alice', 5n)], base());
    const view = viewOf([...first.after.values(), sys('usage')], first.plan!.transfers);
    const { outcome } = run([move('t1', 'issued', 'alice', 5n, { kind: 'posted', expire: false })], view);
    expect(outcome).toEqual(['exists']);
  });

  it('a retry of an existing transfer answers exists even when another item fails the batch', () => {
    const first = run([move('t1', 'issued', 'alice', 5n)], base());
    const view = viewOf([...first.after.values(), sys('usage')], first.plan!.transfers);
    const { outcome, plan } = run(
      [move('t1', 'issued', 'alice', 5n), move('t2', 'alice', 'usage', 50n)],
      view,
    );
    expect(outcome).toEqual(['exists', 'insufficient_credits']);
    expect(plan).toBeNull();
  });

  it.each([
    ['amount', { amount: 6n }],
    ['reason code', { code: 'adjustment' }],
    ['metadata', { metadata: { note: 'x' } }],
    ['debit account', { debitAccountId: 'usage' }],
    ['credit account', { creditAccountId: 'usage' }],
    ['kind', { kind: 'pending' }],
    ['timeout', { timeoutSeconds: 5 }],
    ['pending id', { pendingId: 'p1' }],
    ['expiry flag', { expire: true }],
  ] as [string, Partial<TransferInput>][])(
    'a retry with another %s is idempotency_conflict and fails the batch',
    (_, change) => {
      const first = run([move('t1', 'issued', 'alice', 5n)], base());
      const view = viewOf([...first.after.values(), sys('usage')], first.plan!.transfers);
      const { results, plan } = run(
        [move('t2', 'issued', 'alice', 1n), { ...move('t1', 'issued', 'alice', 5n), ...change }],
        view,
      );
      expect(results.map((r) => (r.status === 'refused' ? r.code : r.status))).toEqual([
        'batch_failed',
        'idempotency_conflict',
      ]);
      expect(results[1]).toMatchObject({ message: 'transfer t1 exists with a different body' });
      expect(plan).toBeNull();
    },
  );

  it('names every transfer and account a batch reads, once each', () => {
    expect(
      idsToLoad([
        move('t1', 'a', 'b', 1n),
        { id: 't2', kind: 'post_pending', pendingId: 'p1', amount: 1n, code: 'hold' },
        move('t3', 'b', 'a', 1n),
      ]),
    ).toEqual({ transferIds: ['t1', 't2', 'p1', 't3'], accountIds: ['a', 'b'] });
  });
});

describe('pending transfers', () => {
  it('reserves the debit side until resolved, with a deadline', () => {
    const { hold, view } = withHold();
    expect(hold).toMatchObject({ kind: 'pending', amount: 60n, timeoutAtMs: NOW + 10_000, code: 'hold' });
    const alice = view.accounts.get('alice')!;
    expect(alice).toMatchObject({ debitsPending: 60n, debitsPosted: 0n });
    expect(view.accounts.get('usage')!.creditsPending).toBe(60n);
    expect(spendableBalance(alice)).toBe(40n);
  });

  it('has no deadline without a timeout, and a posted transfer never has one', () => {
    const view = viewOf([acct('alice', { creditsPosted: 100n }), sys('usage')]);
    const { plan } = run(
      [
        move('p', 'alice', 'usage', 1n, { kind: 'pending' }),
        move('q', 'alice', 'usage', 1n, { timeoutSeconds: 10 }),
      ],
      view,
    );
    expect(plan!.transfers.map((t) => t.timeoutAtMs)).toEqual([null, null]);
  });

  it('captures exactly the held amount, moving it from pending to posted', () => {
    const { view } = withHold();
    const { results, plan } = run(
      [{ id: 'cap', kind: 'post_pending', pendingId: 'hold1', amount: 60n, code: 'hold' }],
      view,
      NOW + 9_999,
    );
    expect(results[0]).toMatchObject({
      status: 'created',
      transfer: {
        kind: 'post_pending',
        amount: 60n,
        pendingId: 'hold1',
        debitAccountId: 'alice',
        creditAccountId: 'usage',
        asset: 'credits',
        timeoutAtMs: null,
        code: 'hold',
      },
    });
    const alice = plan!.accounts.find((a) => a.id === 'alice')!;
    const usage = plan!.accounts.find((a) => a.id === 'usage')!;
    expect(alice).toMatchObject({ debitsPending: 0n, debitsPosted: 60n });
    expect(usage).toMatchObject({ creditsPending: 0n, creditsPosted: 60n });
    expect(plan!.resolutions).toEqual([{ pendingId: 'hold1', resolution: 'posted', transferId: 'cap' }]);
  });

  it('a partial capture releases the rest', () => {
    const { view } = withHold();
    const { plan } = run(
      [{ id: 'cap', kind: 'post_pending', pendingId: 'hold1', amount: 25n, code: 'hold' }],
      view,
    );
    const alice = plan!.accounts.find((a) => a.id === 'alice')!;
    expect(alice).toMatchObject({ debitsPending: 0n, debitsPosted: 25n });
    expect(spendableBalance(alice)).toBe(75n);
  });

  it('refuses a capture above the held amount', () => {
    const { view } = withHold();
    const { results } = run(
      [{ id: 'cap', kind: 'post_pending', pendingId: 'hold1', amount: 61n, code: 'hold' }],
      view,
    );
    expect(results[0]).toMatchObject({
      code: 'exceeds_pending',
      message: 'amount exceeds the pending amount',
    });
  });

  it('a void releases everything and posts nothing; an expiry is recorded as such', () => {
    const { view } = withHold();
    const voided = run(
      [{ id: 'v', kind: 'void_pending', pendingId: 'hold1', amount: 0n, code: 'hold' }],
      view,
    );
    expect(voided.outcome).toEqual(['created']);
    expect(voided.plan!.transfers[0]).toMatchObject({ amount: 0n, kind: 'void_pending' });
    expect(voided.after.get('alice')).toMatchObject({ debitsPending: 0n, debitsPosted: 0n });
    expect(voided.plan!.resolutions[0]!.resolution).toBe('voided');
    const expired = run(
      [{ id: 'e', kind: 'void_pending', pendingId: 'hold1', amount: 0n, code: 'hold', expire: true }],
      view,
      NOW + 10_000,
    );
    expect(expired.plan!.resolutions[0]!.resolution).toBe('expired');
  });

  it('a hold resolves once, and only before its deadline unless it expires', () => {
    const { view } = withHold();
    const cap = { id: 'cap', kind: 'post_pending', pendingId: 'hold1', amount: 10n, code: 'hold' } as const;
    const exp = {
      id: 'e',
      kind: 'void_pending',
      pendingId: 'hold1',
      amount: 0n,
      code: 'hold',
      expire: true,
    } as const;
    expect(run([cap, { ...cap, id: 'cap2' }], view).outcome).toEqual(['batch_failed', 'already_resolved']);
    expect(run([cap], view, NOW + 10_000).results[0]).toMatchObject({
      code: 'pending_expired',
      message: 'pending transfer hold1 has expired',
    });
    expect(run([exp], view, NOW + 9_999).results[0]).toMatchObject({
      code: 'not_expired',
      message: 'pending transfer hold1 has not expired',
    });
    const resolved = viewOf([...view.accounts.values()], [...view.transfers.values()], [['hold1', 'posted']]);
    expect(run([exp], resolved, NOW + 10_000).results[0]).toMatchObject({
      code: 'already_resolved',
      message: 'pending transfer hold1 is already posted',
    });
  });

  it('a hold without a deadline never expires', () => {
    const first = run(
      [move('hold1', 'alice', 'usage', 5n, { kind: 'pending' })],
      viewOf([acct('alice', { creditsPosted: 10n }), sys('usage')]),
    );
    const view = viewOf([...first.after.values()], first.plan!.transfers);
    const late = NOW + 10 ** 12;
    expect(
      run([{ id: 'cap', kind: 'post_pending', pendingId: 'hold1', amount: 5n, code: 'hold' }], view, late)
        .outcome,
    ).toEqual(['created']);
    expect(
      run(
        [{ id: 'e', kind: 'void_pending', pendingId: 'hold1', amount: 0n, code: 'h', expire: true }],
        view,
        late,
      ).outcome,
    ).toEqual(['not_expired']);
  });

  it('resolving something that is not a pending transfer is pending_not_found', () => {
    const first = run([move('t1', 'issued', 'alice', 5n)], viewOf([sys('issued'), acct('alice')]));
    const view = viewOf([...first.after.values()], first.plan!.transfers);
    for (const pendingId of ['t1', 'nothing', undefined]) {
      const input: TransferInput = { id: 'cap', kind: 'post_pending', amount: 1n, code: 'hold' };
      if (pendingId) input.pendingId = pendingId;
      expect(run([input], view).results[0]).toMatchObject({
        code: 'pending_not_found',
        message: `no pending transfer ${pendingId}`,
      });
    }
  });
});
