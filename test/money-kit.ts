import { onTestFinished } from 'vitest';
import type { TollgateConfig } from '../src/core/kernel/config.ts';
import type { Transfer } from '../src/core/kernel/ledger.ts';
import { createTollgate, type Engine } from '../src/index.ts';
import { ManualClock, must } from './helpers.ts';

/** Whole credits as minor units at the default scale of 6. */
export const C = (credits: number | string): bigint => {
  const [whole = '0', fraction = ''] = String(credits).split('.');
  return BigInt(whole + fraction.padEnd(6, '0'));
};

export const DAY_MS = 24 * 3_600_000;

/**
 * An engine on SQLite in memory with a hand-moved clock, that records every webhook it sends, so a
 * test can read what the platform told the operator.
 */
export async function moneyEngine(config: Partial<TollgateConfig> = {}) {
  const clock = new ManualClock();
  const sent: { type: string; data: Record<string, unknown> }[] = [];
  const engine: Engine = await createTollgate({
    database: ':memory:',
    clock,
    config,
    webhookSender: {
      send: async ({ body }) => {
        const event = JSON.parse(body) as { type: string; data: Record<string, unknown> };
        sent.push({ type: event.type, data: event.data });
        return { ok: true, status: 200, error: null };
      },
    },
  });
  onTestFinished(() => engine.close());
  must(
    await engine.webhooks.create('https://hooks.example.com/tollgate', [
      'credit_purchase.paid',
      'invoice.issued',
      'credit_note.issued',
      'billing_run.completed',
    ]),
  );

  const kit = {
    engine,
    clock,
    /** A new account. */
    account: async (name = 'Acme') => must(await engine.accounts.create({ name })).id,
    /** A confirmed manual purchase of `credits`. */
    buy: async (accountId: string, credits: string, key = `k_${Math.random()}`) => {
      const { purchase } = must(
        await engine.credits.purchase(accountId, { credits, provider: 'manual' }, key),
      );
      return must(await engine.credits.confirm(purchase.id));
    },
    grant: async (
      accountId: string,
      credits: string,
      extra: { expiresAtMs?: number; priority?: number } = {},
    ) => must(await engine.credits.grant(accountId, { credits, reason: 'promo', ...extra })),
    /** One usage event of `credits`, now. */
    use: async (accountId: string, credits: string, id = `u_${Math.random()}`) => {
      const [r] = await engine.usage.ingest([
        {
          id,
          account_id: accountId,
          model: 'm',
          quantity: '1',
          credits,
          timestamp: new Date(clock.ms).toISOString(),
        },
      ]);
      await engine.usage.drain();
      return r;
    },
    /** The four amounts of the balance (what scoped credits add is `byModel`). */
    balance: async (accountId: string) => {
      const { availableByModel: _, ...amounts } = must(await engine.accounts.balance(accountId));
      return amounts;
    },
    /** What each model with scoped credits can use, as `model: credits`. */
    byModel: async (accountId: string) =>
      Object.fromEntries(must(await engine.accounts.balance(accountId)).availableByModel),
    /** Open lots as `source:remaining` in burn order. */
    lots: async (accountId: string) =>
      (await engine.credits.lots(accountId)).map((l) => `${l.source}:${l.remainingMinor}`),
    /** A ledger transfer as stored. */
    transfer: async (id: string): Promise<Transfer | undefined> =>
      (await engine.storage.transaction((tx) => tx.ledger.loadView([id], []))).transfers.get(id),
    /** Data of the webhooks of `type` sent so far (dispatches what is due first). */
    events: async (type: string) => {
      // One delivery per endpoint is in flight at a time: dispatch until nothing is left.
      for (let round = 0; round < 50; round++) {
        const sending = await engine.webhooks.dispatch();
        if (sending.length === 0) break;
        await Promise.all(sending);
      }
      return sent.filter((e) => e.type === type).map((e) => e.data);
    },
  };
  return kit;
}
