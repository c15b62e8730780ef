/**
 * The storage conformance suite: the same cases for every storage adapter. An adapter that
 * cannot meet a case skips it with a written reason, never by deleting it.
 */
import { describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  type LedgerAccount,
  planTransfers,
  type TransferInput,
} from '../../src/core/kernel/ledger.ts';
import type { RatedEvent } from '../../src/core/kernel/model.ts';
import type { Storage, Tx, UnbilledHour } from '../../src/core/kernel/ports.ts';

export interface ConformanceOptions {
  skip?: Partial<Record<string, string>>;
}

export const acct = (id: string, kind: 'customer' | 'system'): LedgerAccount => ({
  id,
  asset: 'credits',
  kind,
  overdraftMinor: kind === 'customer' ? 0n : null,
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/** Unbilled hours as billed by one transfer (the id billing would give them). */
function billedBy(hours: UnbilledHour[], transferId: string) {
  return hours.map((h) => ({ ...h, transferId }));
}

function event(id: string, accountId: string, ts: number, credits = 5n): RatedEvent {
  return {
    id,
    accountId,
    apiKeyId: null,
    model: 'm',
    quantityMinor: 1_000_000n,
    creditsMinor: credits,
    timestampMs: ts,
    hourMs: ts - (ts % HOUR),
    properties: null,
    fingerprint: JSON.stringify([accountId, 'm', ts, credits.toString()]),
  };
}

/** A customer account, in the ledger and in the accounts table. */
async function insertAccount(tx: Tx, id: string): Promise<void> {
  await tx.ledger.insertAccounts([acct(id, 'customer')]);
  await tx.accounts.insert({
    id,
    name: 'A',
    email: null,
    externalId: null,
    ledgerAccountId: id,
    lowBalanceThresholdMinor: null,
    spendLimit: null,
    autoTopUp: null,
    createdAtMs: T0,
  });
}

export function storageConformance(
  name: string,
  open: () => Promise<Storage>,
  options: ConformanceOptions = {},
): void {
  const test = (title: string, fn: (s: Storage) => Promise<void>) => {
    const reason = options.skip?.[title];
    if (reason) it.skip(`${title} (skipped: ${reason})`, () => {});
    else
      it(title, async () => {
        const storage = await open();
        try {
          await fn(storage);
        } finally {
          await storage.close();
        }
      });
  };

  describe(`storage conformance: ${name}`, () => {
    test('applies a ledger plan and reads it back', async (s) => {
      const input: TransferInput = {
        id: 't1',
        debitAccountId: 'sys',
        creditAccountId: 'alice',
        amount: 70n,
        code: 'grant',
      };
      await s.transaction(async (tx) => {
        await tx.ledger.insertAccounts([acct('sys', 'system'), acct('alice', 'customer')]);
        const view = await tx.ledger.loadView(['t1'], ['sys', 'alice']);
        await tx.ledger.apply(planTransfers([input], view, T0).plan!);
      });
      const view = await s.transaction((tx) => tx.ledger.loadView(['t1'], ['alice']), { readOnly: true });
      expect(view.transfers.get('t1')).toMatchObject({ amount: 70n, fingerprint: fingerprintOf(input) });
      expect(view.accounts.get('alice')).toMatchObject({ creditsPosted: 70n });
      expect(await s.audit()).toEqual({ assetSums: [{ asset: 'credits', sum: 0n }], mismatchedAccounts: [] });
    });

    test('rolls back everything a failed unit of work wrote', async (s) => {
      await s.transaction((tx) =>
        tx.ledger.insertAccounts([acct('sys', 'system'), acct('alice', 'customer')]),
      );
      await expect(
        s.transaction(async (tx) => {
          const view = await tx.ledger.loadView(['t1'], ['sys', 'alice']);
          await tx.ledger.apply(
            planTransfers(
              [{ id: 't1', debitAccountId: 'sys', creditAccountId: 'alice', amount: 5n, code: 'x' }],
              view,
              T0,
            ).plan!,
          );
          await tx.invoices.nextNumber('INV-');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const view = await s.transaction((tx) => tx.ledger.loadView(['t1'], ['alice']), { readOnly: true });
      expect(view.transfers.size).toBe(0);
      expect(view.accounts.get('alice')!.creditsPosted).toBe(0n);
      // The rolled-back number is not lost: the series stays gapless.
      expect(await s.transaction((tx) => tx.invoices.nextNumber('INV-'))).toBe(1);
    });

    test('counts each number series from 1 without gaps', async (s) => {
      const a = [];
      for (let i = 0; i < 3; i++) a.push(await s.transaction((tx) => tx.invoices.nextNumber('INV-2026-')));
      a.push(await s.transaction((tx) => tx.invoices.nextNumber('CN-2026-')));
      expect(a).toEqual([1, 2, 3, 1]);
    });

    test('records a pending resolution once', async (s) => {
      await s.transaction(async (tx) => {
        await tx.ledger.insertAccounts([acct('sys', 'system'), acct('alice', 'customer')]);
        const v = await tx.ledger.loadView(['g'], ['sys', 'alice']);
        await tx.ledger.apply(
          planTransfers(
            [{ id: 'g', debitAccountId: 'sys', creditAccountId: 'alice', amount: 50n, code: 'grant' }],
            v,
            T0,
          ).plan!,
        );
        const v2 = await tx.ledger.loadView(['h'], ['sys', 'alice']);
        await tx.ledger.apply(
          planTransfers(
            [
              {
                id: 'h',
                kind: 'pending',
                debitAccountId: 'alice',
                creditAccountId: 'sys',
                amount: 20n,
                code: 'hold',
                timeoutSeconds: 60,
              },
            ],
            v2,
            T0,
          ).plan!,
        );
      });
      const post = { id: 'p', kind: 'post_pending' as const, pendingId: 'h', amount: 15n, code: 'hold' };
      await s.transaction(async (tx) => {
        const v = await tx.ledger.loadView(['p', 'h'], []);
        await tx.ledger.apply(planTransfers([post], v, T0 + 1).plan!);
      });
      const v = await s.transaction((tx) => tx.ledger.loadView(['h', 'v'], []), { readOnly: true });
      expect(v.resolutions.get('h')).toBe('posted');
      expect(v.accounts.get('alice')).toMatchObject({
        creditsPosted: 50n,
        debitsPosted: 15n,
        debitsPending: 0n,
      });
      expect(
        planTransfers(
          [{ id: 'v', kind: 'void_pending', pendingId: 'h', amount: 0n, code: 'hold' }],
          v,
          T0 + 2,
        ).plan,
      ).toBeNull();
    });

    test('stores API keys by hash and counts only active ones', async (s) => {
      await s.transaction(async (tx) => {
        await insertAccount(tx, 'acc_1');
        for (const [i, status] of (['active', 'active', 'suspended', 'deleted'] as const).entries()) {
          await tx.keys.insert({
            id: `key_${i}`,
            accountId: 'acc_1',
            nickname: `k${i}`,
            secretHash: `h${i}`,
            hint: 'tg_...x',
            status,
            createdAtMs: T0 + i,
            lastUsedAtMs: null,
            spendLimit: null,
          });
        }
      });
      const [count, list, found] = await s.transaction(
        async (tx) =>
          [
            await tx.keys.countActive('acc_1'),
            await tx.keys.list('acc_1'),
            await tx.keys.findByHash('h1'),
          ] as const,
        { readOnly: true },
      );
      expect(count).toBe(2);
      expect(list.map((k) => k.id)).toEqual(['key_0', 'key_1', 'key_2']);
      expect(found?.id).toBe('key_1');
    });

    test('deduplicates usage events by id, even with another timestamp', async (s) => {
      const first = await s.ingestUsage(
        [event('e1', 'acc_1', T0), event('e2', 'acc_1', T0 + 1), event('e1', 'acc_1', T0)],
        { durability: 'normal' },
      );
      expect(first).toEqual(['accepted', 'accepted', 'duplicate']);
      const again = await s.ingestUsage([event('e1', 'acc_1', T0), event('e2', 'acc_1', T0 + 5000)], {
        durability: 'normal',
      });
      expect(again).toEqual(['duplicate', 'conflict']);
      expect(await s.transaction((tx) => tx.usage.unbilled('acc_1'), { readOnly: true })).toBe(10n);
    });

    test('keeps the hourly rollup equal to a recount of the raw events, and bills it once', async (s) => {
      const events: RatedEvent[] = [];
      for (let i = 0; i < 300; i++)
        events.push(event(`e${i}`, i % 2 ? 'acc_a' : 'acc_b', T0 + i * 30_000, BigInt(1 + (i % 7))));
      await s.ingestUsage(events, { durability: 'normal' });
      const hours = await s.usageHours({ accountId: 'acc_a', fromMs: T0, toMs: T0 + 10 * HOUR });
      const recount = new Map<number, bigint>();
      for (const e of events.filter((x) => x.accountId === 'acc_a'))
        recount.set(e.hourMs, (recount.get(e.hourMs) ?? 0n) + e.creditsMinor);
      expect(new Map(hours.map((h) => [h.hourMs, h.creditsMinor]))).toEqual(recount);
      const accounts = await s.transaction((tx) => tx.usage.unbilledAccounts(T0 + 2 * HOUR));
      expect(accounts).toEqual(['acc_a', 'acc_b']);
      const unbilled = await s.transaction((tx) => tx.usage.listUnbilled(T0 + 2 * HOUR, accounts));
      expect(unbilled.map((u) => [u.accountId, u.hourMs])).toEqual([
        ['acc_a', T0],
        ['acc_a', T0 + HOUR],
        ['acc_b', T0],
        ['acc_b', T0 + HOUR],
      ]);
      await s.transaction((tx) => tx.usage.markBilled(billedBy(unbilled, 't1'), T0 + 2 * HOUR));
      expect(await s.transaction((tx) => tx.usage.listUnbilled(T0 + 2 * HOUR, accounts))).toEqual([]);
      expect(await s.transaction((tx) => tx.usage.unbilledAccounts(T0 + 2 * HOUR))).toEqual([]);
      // A late event for a billed hour shows up as unbilled again, with what was billed before.
      await s.ingestUsage([event('late', 'acc_a', T0 + 10)], { durability: 'normal' });
      const late = await s.transaction((tx) => tx.usage.listUnbilled(T0 + 2 * HOUR, ['acc_a']));
      expect(late.map(({ rows: _, seen: __, ...h }) => h)).toEqual([
        { accountId: 'acc_a', hourMs: T0, creditsMinor: 5n, billedBeforeMinor: recount.get(T0)! },
      ]);
    });

    test('gives a late row of a billed hour what the whole hour billed before', async (s) => {
      const other = (id: string, ts: number) => ({ ...event(id, 'acc_1', ts), model: 'other' });
      await s.ingestUsage([event('a', 'acc_1', T0), other('b', T0 + 1)], { durability: 'normal' });
      const first = await s.transaction((tx) => tx.usage.listUnbilled(T0 + HOUR, ['acc_1']));
      await s.transaction((tx) => tx.usage.markBilled(billedBy(first, 't1'), T0 + HOUR));
      await s.ingestUsage([{ ...event('c', 'acc_1', T0 + 2), model: 'third' }], { durability: 'normal' });
      const late = await s.transaction((tx) => tx.usage.listUnbilled(T0 + HOUR, ['acc_1']));
      const plain = (hs: typeof first) => hs.map(({ rows: _, seen: __, ...h }) => h);
      expect(plain(first)).toEqual([
        { accountId: 'acc_1', hourMs: T0, creditsMinor: 10n, billedBeforeMinor: 0n },
      ]);
      expect(plain(late)).toEqual([
        { accountId: 'acc_1', hourMs: T0, creditsMinor: 5n, billedBeforeMinor: 10n },
      ]);
      expect(late[0]!.rows).toEqual([{ apiKeyId: '', model: 'third', creditsMinor: 5n, billedMinor: 0n }]);
    });

    test('answers per record the billing that billed it, a late event the next one', async (s) => {
      await s.ingestUsage([event('a', 'acc_1', T0), event('b', 'acc_1', T0 + 1)], { durability: 'normal' });
      const first = await s.transaction((tx) => tx.usage.listUnbilled(T0 + HOUR, ['acc_1']));
      await s.ingestUsage([event('c', 'acc_1', T0 + 2)], { durability: 'normal' });
      // c arrived after the rows were read: not in what this billing saw, nor billed by it.
      await s.transaction((tx) => tx.usage.markBilled(billedBy(first, 'usage_1'), T0 + HOUR + 5));
      const billing = async () =>
        (await s.usageRecords({ accountId: 'acc_1', fromMs: T0, toMs: T0 + HOUR, limit: 10 })).map((r) => [
          r.id,
          r.billingTransferId,
          r.billedAtMs,
        ]);
      // Events seen by the read were in it only if they had committed before it.
      expect(first[0]!.creditsMinor).toBe(10n);
      expect(await billing()).toEqual([
        ['a', 'usage_1', T0 + HOUR + 5],
        ['b', 'usage_1', T0 + HOUR + 5],
        ['c', null, null],
      ]);
      const late = await s.transaction((tx) => tx.usage.listUnbilled(T0 + HOUR, ['acc_1']));
      await s.transaction((tx) => tx.usage.markBilled(billedBy(late, 'usage_2'), T0 + HOUR + 9));
      expect(await billing()).toEqual([
        ['a', 'usage_1', T0 + HOUR + 5],
        ['b', 'usage_1', T0 + HOUR + 5],
        ['c', 'usage_2', T0 + HOUR + 9],
      ]);
      expect((await s.transaction((tx) => tx.usage.findEvent('c')))?.billingTransferId).toBe('usage_2');
      const covered = await s.transaction((tx) => tx.usage.billingsOf('usage_1'));
      expect(covered.map((b) => [b.accountId, b.hourMs, b.model, b.creditsMinor])).toEqual([
        ['acc_1', T0, 'm', 10n],
      ]);
    });

    test('lets two claims of due webhook deliveries at once take each delivery once', async (s) => {
      const endpoints = Array.from({ length: 10 }, (_, i) => ({
        id: `we_${i}`,
        url: 'http://127.0.0.1:9/',
        events: ['api_key.created' as const],
        secret: 'whsec_x',
        createdAtMs: T0,
      }));
      await s.transaction(async (tx) => {
        for (const e of endpoints) await tx.webhooks.insertEndpoint(e);
        await tx.webhooks.insertEvent(
          { id: 'evt_1', type: 'api_key.created', data: {}, createdAtMs: T0 },
          endpoints.map((e, i) => ({
            id: `whd_${i}`,
            eventId: 'evt_1',
            endpointId: e.id,
            status: 'pending' as const,
            attempts: 0,
            nextAttemptAtMs: T0,
            lastStatusCode: null,
            lastError: null,
            createdAtMs: T0,
            deliveredAtMs: null,
          })),
        );
      });
      const [a, b] = await Promise.all([
        s.transaction((tx) => tx.webhooks.claimDue(T0, T0 + 60_000, 10)),
        s.transaction((tx) => tx.webhooks.claimDue(T0, T0 + 60_000, 10)),
      ]);
      const ids = [...a, ...b].map((d) => d.delivery.id);
      expect(new Set(ids).size).toBe(10);
      expect(ids).toHaveLength(10);
      // Claimed: not due again until the lease ends.
      expect(await s.transaction((tx) => tx.webhooks.claimDue(T0 + 1, T0 + 60_000, 10))).toEqual([]);
      expect(await s.transaction((tx) => tx.webhooks.claimDue(T0 + 60_000, T0 + 120_000, 10))).toHaveLength(
        10,
      );
    });

    test('pages usage records in time order with a cursor', async (s) => {
      await s.ingestUsage(
        [event('b', 'acc_1', T0 + 2), event('a', 'acc_1', T0 + 1), event('c', 'acc_1', T0 + 2)],
        { durability: 'normal' },
      );
      const page1 = await s.usageRecords({ accountId: 'acc_1', fromMs: T0, toMs: T0 + HOUR, limit: 2 });
      expect(page1.map((r) => r.id)).toEqual(['a', 'b']);
      const page2 = await s.usageRecords({
        accountId: 'acc_1',
        fromMs: T0,
        toMs: T0 + HOUR,
        limit: 2,
        after: { timestampMs: T0 + 2, id: 'b' },
      });
      expect(page2.map((r) => r.id)).toEqual(['c']);
    });

    test('opens a portal link once before it expires, ends sessions, and purges what expired', async (s) => {
      const session = (tokenHash: string, expiresAtMs: number) => ({
        tokenHash,
        accountId: 'acc_1',
        csrf: `csrf_${tokenHash}`,
        expiresAtMs,
        createdAtMs: T0,
      });
      await s.transaction(async (tx) => {
        await insertAccount(tx, 'acc_1');
        for (const [tokenHash, expiresAtMs] of [
          ['l1', T0 + 10],
          ['l2', T0 + 10],
          ['l3', T0 + 100],
        ] as const)
          await tx.portal.insertLink({ tokenHash, accountId: 'acc_1', expiresAtMs });
        for (const [tokenHash, expiresAtMs] of [
          ['s1', T0 + 10],
          ['s2', T0 + 100],
          ['s3', T0 + 100],
        ] as const)
          await tx.portal.insertSession(session(tokenHash, expiresAtMs));
      });
      const run = <T>(fn: (tx: Tx) => Promise<T>) => s.transaction(fn);
      expect(await run((tx) => tx.portal.findLink('l1', T0))).toBe('acc_1');
      expect(await run((tx) => tx.portal.findLink('l1', T0 + 10))).toBeUndefined();
      expect(await run((tx) => tx.portal.takeLink('l1', T0 + 10))).toBeUndefined();
      expect(await run((tx) => tx.portal.takeLink('l1', T0))).toBe('acc_1');
      expect(await run((tx) => tx.portal.takeLink('l1', T0))).toBeUndefined();
      expect(await run((tx) => tx.portal.findLink('l1', T0))).toBeUndefined();
      expect(await run((tx) => tx.portal.getSession('s1'))).toEqual({
        accountId: 'acc_1',
        csrf: 'csrf_s1',
        expiresAtMs: T0 + 10,
      });
      await run((tx) => tx.portal.deleteSession('s2'));
      expect(await run((tx) => tx.portal.getSession('s2'))).toBeUndefined();

      await run((tx) => tx.portal.purgeExpired(T0 + 10));
      expect(await run((tx) => tx.portal.findLink('l2', 0))).toBeUndefined();
      expect(await run((tx) => tx.portal.getSession('s1'))).toBeUndefined();
      expect(await run((tx) => tx.portal.findLink('l3', T0))).toBe('acc_1');
      expect(await run((tx) => tx.portal.getSession('s3'))).toMatchObject({ accountId: 'acc_1' });
    });

    test('lists accounts newest first, by email or external id, a page after the cursor', async (s) => {
      // Two accounts created in the same millisecond still page in a stable order (by id).
      const made = [
        { id: 'acc_1', at: T0, email: 'ops@acme.test', externalId: 'u-1' },
        { id: 'acc_2', at: T0 + 1, email: 'ops@acme.test', externalId: null },
        { id: 'acc_3', at: T0 + 1, email: null, externalId: 'u-3' },
        { id: 'acc_4', at: T0 + 2, email: 'other@acme.test', externalId: null },
      ];
      await s.transaction(async (tx) => {
        for (const a of made) {
          await tx.ledger.insertAccounts([acct(a.id, 'customer')]);
          await tx.accounts.insert({
            id: a.id,
            name: a.id,
            email: a.email,
            externalId: a.externalId,
            ledgerAccountId: a.id,
            lowBalanceThresholdMinor: null,
            spendLimit: null,
            autoTopUp: null,
            createdAtMs: a.at,
          });
        }
      });
      const ids = async (f: Parameters<Tx['accounts']['list']>[0]) =>
        (await s.transaction((tx) => tx.accounts.list(f))).map((a) => a.id);
      expect(await ids({ limit: 10 })).toEqual(['acc_4', 'acc_3', 'acc_2', 'acc_1']);
      expect(await ids({ limit: 2 })).toEqual(['acc_4', 'acc_3']);
      expect(await ids({ limit: 2, afterId: 'acc_3' })).toEqual(['acc_2', 'acc_1']);
      expect(await ids({ limit: 10, email: 'ops@acme.test' })).toEqual(['acc_2', 'acc_1']);
      expect(await ids({ limit: 10, email: 'ops@acme.test', afterId: 'acc_2' })).toEqual(['acc_1']);
      expect(await ids({ limit: 10, email: 'nobody@acme.test' })).toEqual([]);
      expect(await ids({ limit: 10, externalId: 'u-3' })).toEqual(['acc_3']);
    });
  });
}
