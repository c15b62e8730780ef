/** Billing: one hourly run over a full hour of usage. */

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type BenchContext, percentile, type Row, rowsOf } from '../lib.ts';
import { fill, HOUR, makeAccounts, openStore } from '../workloads.ts';

export async function run(ctx: BenchContext): Promise<Row[]> {
  const { rows, add } = rowsOf(ctx);
  ctx.log('\n## Billing');
  const store = await openStore(join(ctx.tmp, 'billing.db'));
  const { engine } = store;
  const accounts = await makeAccounts(engine, 1000);
  const hour = Date.now() - (Date.now() % HOUR) - HOUR;
  const count = ctx.n(1_000_000);
  await fill(store, accounts, count, hour, hour + HOUR - 1);
  const t0 = performance.now();
  const r = await engine.billing.run();
  const ms = Math.round(performance.now() - t0);
  if (r.accounts !== accounts.length) throw new Error(`billed ${r.accounts} accounts`);
  const t1 = performance.now();
  await engine.billing.run();
  const again = Math.round((performance.now() - t1) * 10) / 10;
  add({
    name: `Billing run over one hour holding ${(count / 1e6).toFixed(1)}M events (${r.accounts} accounts)`,
    value: ms,
    unit: 'ms',
    baseline: { name: 'the same run again, nothing left to bill (ms)', value: again },
    target: '< 2000 ms',
    met: ms < 2000,
  });
  await engine.close();
  await atScale(ctx, add);
  return rows;
}

/**
 * Billing at scale: one hour of usage over 50,000 accounts, one run. The run commits in chunks;
 * each chunk is a write transaction that ingest waits on, so its longest hold is reported, and
 * single-event ingest latency is measured while the run goes on, beside the same without it.
 */
async function atScale(ctx: BenchContext, add: (row: Row) => void): Promise<void> {
  const store = await openStore(join(ctx.tmp, 'billing-scale.db'));
  const { engine } = store;
  const count = ctx.n(50_000);
  const accounts: string[] = [];
  for (let i = 0; i < count; i += 500) {
    const made = await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, (_, j) =>
        engine.accounts.create({ name: `b${i + j}` }),
      ),
    );
    for (const r of made) {
      if (!r.ok) throw new Error(r.message);
      accounts.push(r.value.id);
    }
  }
  const hour = Date.now() - (Date.now() % HOUR) - HOUR;
  await fill(store, accounts, Math.max(count, 25_000), hour, hour + HOUR - 1);
  // Each write transaction's duration: the time the writer is held.
  const storage = engine.storage;
  const transaction = storage.transaction.bind(storage);
  const holds: number[] = [];
  storage.transaction = async (fn, options) => {
    const t0 = performance.now();
    try {
      return await transaction(fn, options);
    } finally {
      if (!options?.readOnly) holds.push(performance.now() - t0);
    }
  };
  const [probe] = await makeAccounts(engine, 1);
  /**
   * Single-event ingest latencies, one call after another, of the calls made before `until`
   * settles: a call made after the run ended is no figure of ingest during it.
   */
  const ingestLatencies = async (until: Promise<unknown>) => {
    let done = false;
    until.then(() => (done = true));
    const ms: number[] = [];
    while (!done) {
      const t0 = performance.now();
      await engine.usage.ingest([
        {
          id: randomUUID(),
          account_id: probe!,
          model: 'image-1024',
          quantity: '1',
          timestamp: new Date().toISOString(),
        },
      ]);
      ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b);
  };
  const quiet = await ingestLatencies(new Promise((r) => setTimeout(r, 1000)));
  holds.length = 0;
  const t0 = performance.now();
  const billing = engine.billing.run();
  const during = await ingestLatencies(billing);
  const r = await billing;
  const ms = Math.round(performance.now() - t0);
  if (r.accounts !== accounts.length) throw new Error(`billed ${r.accounts} of ${accounts.length} accounts`);
  const longest = Math.round(Math.max(...holds) * 10) / 10;
  ctx.log(
    `billing at scale: ${r.accounts} accounts in ${ms} ms, ${holds.length} write transactions, longest ${longest} ms`,
  );
  add({
    name: `Billing run, one hour of usage over ${r.accounts.toLocaleString('en')} accounts`,
    value: ms,
    unit: 'ms',
    note: `${holds.length} write transactions, longest ${longest} ms`,
    target: '< 3000 ms, no hold over 100 ms',
    met: ms < 3000 && longest <= 100,
  });
  const p99 = (xs: number[]) => Math.round(percentile(xs, 99) * 100) / 100;
  const p50 = (xs: number[]) => Math.round(percentile(xs, 50) * 100) / 100;
  add({
    name: 'Single-event ingest p99 during that billing run',
    value: p99(during),
    unit: 'ms',
    note: `${during.length} calls during the run, ${quiet.length} without; median ${p50(during)} ms`,
    baseline: { name: 'the same without a billing run (p99 ms)', value: p99(quiet) },
    target: '<= 2 x without',
    met: p99(during) <= 2 * p99(quiet),
  });
  await engine.close();
}
