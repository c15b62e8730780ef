import { describe, expect, it } from 'vitest';
import {
  type LedgerAccount,
  type LedgerView,
  planTransfers,
  type TransferInput,
} from '../../src/core/kernel/ledger.ts';

const account = (
  id: string,
  kind: 'customer' | 'system' = 'customer',
  creditsPosted = 0n,
): LedgerAccount => ({
  id,
  asset: 'credits',
  kind,
  overdraftMinor: kind === 'customer' ? 0n : null,
  debitsPosted: 0n,
  creditsPosted,
  debitsPending: 0n,
  creditsPending: 0n,
});

const view = (...accounts: LedgerAccount[]): LedgerView => ({
  accounts: new Map(accounts.map((a) => [a.id, a])),
  transfers: new Map(),
  resolutions: new Map(),
});

const t = (
  id: string,
  from: string,
  to: string,
  amount: bigint,
  extra: Partial<TransferInput> = {},
): TransferInput => ({
  id,
  debitAccountId: from,
  creditAccountId: to,
  amount,
  code: 'test',
  ...extra,
});

describe('planTransfers', () => {
  it('moves funds and keeps the sum of balances at zero', () => {
    const { results, plan } = planTransfers(
      [t('t1', 'sys', 'alice', 100n)],
      view(account('sys', 'system'), account('alice')),
      0,
    );
    expect(results[0]!.status).toBe('created');
    const byId = new Map(plan!.accounts.map((a) => [a.id, a]));
    expect(byId.get('alice')!.creditsPosted).toBe(100n);
    expect(byId.get('sys')!.debitsPosted).toBe(100n);
  });

  it('refuses to take a customer below zero, and the whole batch with it', () => {
    const { results, plan } = planTransfers(
      [t('t1', 'sys', 'alice', 50n), t('t2', 'alice', 'sys', 80n)],
      view(account('sys', 'system'), account('alice')),
      0,
    );
    expect(plan).toBeNull();
    expect(results.map((r) => r.status)).toEqual(['refused', 'refused']);
    expect(results[0]).toMatchObject({ code: 'batch_failed' });
    expect(results[1]).toMatchObject({ code: 'insufficient_credits' });
  });

  it('lets an overdraft limit go below zero, down to the limit only', () => {
    const alice = { ...account('alice'), overdraftMinor: 30n };
    expect(
      planTransfers([t('t1', 'alice', 'sys', 30n)], view(account('sys', 'system'), alice), 0).plan,
    ).not.toBeNull();
    expect(
      planTransfers([t('t1', 'alice', 'sys', 31n)], view(account('sys', 'system'), alice), 0).plan,
    ).toBeNull();
  });

  it('answers a retry with the original and a changed retry with idempotency_conflict', () => {
    const first = planTransfers(
      [t('t1', 'sys', 'alice', 10n)],
      view(account('sys', 'system'), account('alice')),
      0,
    );
    const stored = view(account('sys', 'system'), account('alice', 'customer', 10n));
    stored.transfers.set('t1', first.plan!.transfers[0]!);
    const retry = planTransfers([t('t1', 'sys', 'alice', 10n)], stored, 5);
    expect(retry.results[0]!.status).toBe('exists');
    expect(retry.plan!.transfers).toHaveLength(0);
    const changed = planTransfers([t('t1', 'sys', 'alice', 11n)], stored, 5);
    expect(changed.results[0]).toMatchObject({ status: 'refused', code: 'idempotency_conflict' });
  });

  it('resolves a pending transfer once: post up to the held amount, then nothing more', () => {
    const v = view(account('sys', 'system'), account('alice', 'customer', 100n));
    const { plan } = planTransfers(
      [
        t('h1', 'alice', 'sys', 60n, { kind: 'pending', timeoutSeconds: 60 }),
        { id: 'p1', kind: 'post_pending', pendingId: 'h1', amount: 40n, code: 'test' },
      ],
      v,
      0,
    );
    const alice = plan!.accounts.find((a) => a.id === 'alice')!;
    expect(alice.debitsPending).toBe(0n);
    expect(alice.debitsPosted).toBe(40n);
    const after = view(account('sys', 'system'), alice);
    for (const tr of plan!.transfers) after.transfers.set(tr.id, tr);
    after.resolutions.set('h1', 'posted');
    const again = planTransfers(
      [{ id: 'v1', kind: 'void_pending', pendingId: 'h1', amount: 0n, code: 'test' }],
      after,
      1,
    );
    expect(again.results[0]).toMatchObject({ code: 'already_resolved' });
  });

  it('refuses to post more than was held, and to post after the deadline', () => {
    const v = view(account('sys', 'system'), account('alice', 'customer', 100n));
    const over = planTransfers(
      [
        t('h1', 'alice', 'sys', 60n, { kind: 'pending', timeoutSeconds: 60 }),
        { id: 'p1', kind: 'post_pending', pendingId: 'h1', amount: 61n, code: 'test' },
      ],
      v,
      0,
    );
    expect(over.results[1]).toMatchObject({ code: 'exceeds_pending' });
    const created = planTransfers(
      [t('h1', 'alice', 'sys', 60n, { kind: 'pending', timeoutSeconds: 60 })],
      v,
      0,
    ).plan!;
    const later = view(account('sys', 'system'), created.accounts.find((a) => a.id === 'alice')!);
    later.transfers.set('h1', created.transfers[0]!);
    const late = planTransfers(
      [{ id: 'p1', kind: 'post_pending', pendingId: 'h1', amount: 10n, code: 'test' }],
      later,
      60_000,
    );
    expect(late.results[0]).toMatchObject({ code: 'pending_expired' });
    const expire = planTransfers(
      [{ id: 'x1', kind: 'void_pending', pendingId: 'h1', amount: 0n, code: 'test', expire: true }],
      later,
      60_000,
    );
    expect(expire.plan!.resolutions[0]).toMatchObject({ resolution: 'expired' });
  });

  it('refuses zero and negative amounts, unknown accounts and mixed assets', () => {
    const v = view(account('sys', 'system'), account('alice'), { ...account('usd'), asset: 'USD' });
    expect(planTransfers([t('a', 'sys', 'alice', 0n)], v, 0).results[0]).toMatchObject({
      code: 'invalid_amount',
    });
    expect(planTransfers([t('a', 'sys', 'alice', -5n)], v, 0).results[0]).toMatchObject({
      code: 'invalid_amount',
    });
    expect(planTransfers([t('a', 'sys', 'bob', 5n)], v, 0).results[0]).toMatchObject({
      code: 'account_not_found',
    });
    expect(planTransfers([t('a', 'sys', 'usd', 5n)], v, 0).results[0]).toMatchObject({
      code: 'asset_mismatch',
    });
    expect(planTransfers([t('a', 'alice', 'alice', 5n)], v, 0).results[0]).toMatchObject({
      code: 'same_account',
    });
  });
});
