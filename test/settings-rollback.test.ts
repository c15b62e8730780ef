import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { systemIds } from '../src/adapters/system/system.ts';
import { createEngine } from '../src/core/engine.ts';
import { DEFAULT_CONFIG } from '../src/core/kernel/config.ts';
import { manualProvider } from '../src/core/kernel/payments.ts';
import type { Storage } from '../src/core/kernel/ports.ts';
import { ManualClock, must } from './helpers.ts';
import { aroundTx } from './storage-proxy.ts';

/**
 * A change of settings whose commit fails after the unit of work's listeners ran (the disk full at
 * COMMIT, say) changed nothing: what verification and auto top-up read afterwards is what is
 * stored, not what the rolled-back change had set.
 */
describe('settings of a change that did not commit', () => {
  async function setup() {
    const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0));
    const inner = await SqliteStorage.open({
      database: ':memory:',
      dedupeWindowMs: 3_600_000,
      nowMs: clock.ms,
    });
    let failNextCommit = false;
    const storage: Storage = {
      shared: false,
      // The next unit of work that updates an account fails at its end, after its listeners ran.
      transaction: (fn, options) =>
        inner.transaction(async (tx) => {
          let updates = false;
          const value = await fn(
            aroundTx(tx, (name, call) => {
              if (name === 'accounts.update') updates = true;
              return call();
            }),
          );
          if (failNextCommit && updates) {
            failNextCommit = false;
            throw new Error('COMMIT failed: disk full');
          }
          return value;
        }, options),
      ingestUsage: (events, options) => inner.ingestUsage(events, options),
      usageHours: (q) => inner.usageHours(q),
      usageRecords: (q) => inner.usageRecords(q),
      audit: () => inner.audit(),
      close: () => inner.close(),
    };
    const engine = await createEngine({
      storage,
      clock,
      ids: systemIds(clock),
      config: DEFAULT_CONFIG,
      payments: [manualProvider],
      schedule: (fn) => setImmediate(fn),
      renderer: { render: async () => new Uint8Array() },
      webhookSender: { send: async () => ({ ok: true, status: 200, error: null }) },
    });
    const acc = must(await engine.accounts.create({ name: 'Acme' })).id;
    must(await engine.credits.grant(acc, { credits: '1000', reason: 'start' }));
    const key = must(await engine.keys.create(acc, 'prod'));
    let n = 0;
    const use = (credits: string) =>
      engine.usage.ingest([
        {
          id: `e${++n}`,
          api_key_id: key.key.id,
          model: 'video-custom',
          quantity: '1',
          credits,
          timestamp: new Date(clock.ms).toISOString(),
        },
      ]);
    return { engine, acc, key, use, failCommit: () => (failNextCommit = true) };
  }

  it('a limit removed by a change that failed to commit still stops the key', async () => {
    const { engine, acc, key, use, failCommit } = await setup();
    must(await engine.accounts.update(acc, { spendLimit: { credits: '100', period: 'day' } }));
    await use('100');
    expect(await engine.keys.verify(key.secret)).toEqual({ valid: false, code: 'spend_limit_reached' });
    failCommit();
    await expect(engine.accounts.update(acc, { spendLimit: null })).rejects.toThrow(/COMMIT failed/);
    expect(must(await engine.accounts.get(acc)).spendLimit).toEqual({
      creditsMinor: 100_000_000n,
      period: 'day',
    });
    expect(await engine.keys.verify(key.secret)).toEqual({ valid: false, code: 'spend_limit_reached' });
  });

  it('an auto top-up set by a change that failed to commit starts nothing', async () => {
    const { engine, acc, use, failCommit } = await setup();
    failCommit();
    await expect(
      engine.accounts.update(acc, {
        autoTopUp: { threshold: '1000', credits: '2000', monthly_max_total: '200.00', provider: 'manual' },
      }),
    ).rejects.toThrow(/COMMIT failed/);
    expect(must(await engine.accounts.get(acc)).autoTopUp).toBeNull();
    await use('600'); // 400 available: under the threshold the failed change had set
    expect(must(await engine.credits.listPurchases(acc))).toEqual([]);
  });
});
