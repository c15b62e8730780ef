/** The rate card: rating stays off the storage path. */

import { join } from 'node:path';
import { type BenchContext, medianNote, middle, type Row, rowsOf } from '../lib.ts';
import { makeAccounts, openStore, ratedIngest } from '../workloads.ts';

/**
 * Ingest of mixed one- and three-dimension events beside one-dimension events alone, each on a
 * store of its own with the same 1,000 accounts and timing, three pairs, the medians compared.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const { rows, add } = rowsOf(ctx);
  ctx.log('\n## Rate card');
  const count = ctx.n(200_000);
  const one: number[] = [];
  const mixed: number[] = [];
  for (let i = 0; i < 4; i++) {
    for (const dims of [1, 3] as const) {
      const store = await openStore(join(ctx.tmp, `rated-${dims}-${i}.db`));
      const accounts = await makeAccounts(store.engine, 1000);
      const value = await ratedIngest(store.engine, accounts, count, dims);
      await store.engine.close();
      // The first pair warms the compiler up and is not counted.
      if (i > 0) (dims === 1 ? one : mixed).push(value);
    }
  }
  const base = middle(one);
  add({
    name: 'Ingest, one-dimension events (images), 1,000 accounts',
    value: base,
    unit: 'events/s',
    note: medianNote(one),
  });
  const value = middle(mixed);
  add({
    name: 'Ingest, mixed: half three-dimension chat-large events (input, cached, output tokens)',
    value,
    unit: 'events/s',
    baseline: { name: 'one-dimension events', value: base },
    target: '>= 0.9 x one-dimension',
    met: value >= 0.9 * base,
    note: medianNote(mixed),
  });
  return rows;
}
