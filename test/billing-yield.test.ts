import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { HOUR, must } from './helpers.ts';

describe('a long billing run', () => {
  it('lets usage sent meanwhile commit between its chunks, not after the whole run', async () => {
    const engine = await createTollgate();
    try {
      // 600 accounts with usage in the last closed hour: billed in several chunks (the first of 100).
      const lastHour = new Date(Date.now() - (Date.now() % HOUR) - HOUR / 2).toISOString();
      const accounts: string[] = [];
      for (let i = 0; i < 600; i++) accounts.push(must(await engine.accounts.create({ name: `a${i}` })).id);
      const events = accounts.map((id) => ({
        id: randomUUID(),
        account_id: id,
        model: 'video-custom',
        quantity: '1',
        credits: '2',
        timestamp: lastHour,
      }));
      expect((await engine.usage.ingest(events)).every((r) => r.status === 'accepted')).toBe(true);

      // Write transactions committed, counted as the run goes (the run's chunks, then its summary).
      let committed = 0;
      const storage = engine.storage as { transaction: (...a: unknown[]) => Promise<unknown> };
      const transaction = storage.transaction.bind(storage);
      storage.transaction = async (...a: unknown[]) => {
        const r = await transaction(...a);
        if (!(a[1] as { readOnly?: boolean } | undefined)?.readOnly) committed++;
        return r;
      };
      let committedAtAck = -1;
      const order: string[] = [];
      const run = engine.billing.run().then((r) => {
        order.push('billing run done');
        return r;
      });
      const sent = engine.usage
        .ingest([
          {
            id: randomUUID(),
            account_id: accounts[0]!,
            model: 'video-custom',
            quantity: '1',
            credits: '1',
            timestamp: new Date().toISOString(),
          },
        ])
        .then((r) => {
          order.push('usage acknowledged');
          committedAtAck = committed;
          return r;
        });
      const [result, [ack]] = await Promise.all([run, sent]);
      expect(result.accounts).toBe(600);
      expect(ack!.status).toBe('accepted');
      expect(order).toEqual(['usage acknowledged', 'billing run done']);
      // Acknowledged while chunks of the run were still to commit, not after the whole run.
      expect(committed).toBeGreaterThanOrEqual(3);
      expect(committedAtAck).toBeLessThan(committed - 1);
      // The run billed the closed hour only: each account's 2 credits, none of the new usage.
      expect(result.creditsMinor).toBe(600n * 2n * 10n ** BigInt(engine.config.scales.credits));
    } finally {
      await engine.close();
    }
  });
});
