/** Billing: one hourly run over a full hour of usage. */
import { join } from 'node:path';
import { type BenchContext, type Row, rowsOf } from '../lib.ts';
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
  return rows;
}
