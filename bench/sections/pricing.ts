/** The rate card: rating stays off the storage path. */

import { join } from 'node:path';
import { type BenchContext, medianNote, middle, type Row, rowsOf } from '../lib.ts';
import { engineWithKey, makeAccounts, openStore, ratedIngest } from '../workloads.ts';

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
  await verification(ctx, add);
  return rows;
}

/**
 * Verification with a model (scoped credits make `available` depend on it) beside verification
 * without one, in process, alternated on one engine whose account holds credits scoped to that
 * model: five pairs after a warm-up, the medians compared.
 */
async function verification(ctx: BenchContext, add: (row: Row) => void): Promise<void> {
  const { engine, key } = await engineWithKey('bench');
  const account = (await engine.keys.get(key.id)) as { ok: true; value: { accountId: string } };
  await engine.credits.grant(account.value.accountId, { credits: '1000000', reason: 'bench' });
  await engine.credits.grant(account.value.accountId, {
    credits: '1000',
    reason: 'bench, scoped',
    models: ['chat-large'],
  });
  const count = ctx.n(100_000);
  const run = async (model?: string) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const r = await engine.keys.verify(key.secret, model);
      if (!r.valid) throw new Error('verification refused');
    }
    return Math.round(count / ((performance.now() - t0) / 1000));
  };
  await run();
  await run('chat-large');
  const without: number[] = [];
  const withModel: number[] = [];
  for (let i = 0; i < 5; i++) {
    without.push(await run());
    withModel.push(await run('chat-large'));
  }
  await engine.close();
  const base = middle(without);
  add({
    name: 'Verification in process, no model',
    value: base,
    unit: 'verifications/s',
    note: medianNote(without),
  });
  const value = middle(withModel);
  add({
    name: 'Verification in process, with a model (the account holds credits scoped to it)',
    value,
    unit: 'verifications/s',
    baseline: { name: 'no model', value: base },
    target: '>= 0.95 x no model',
    met: value >= 0.95 * base,
    note: medianNote(withModel),
  });
}
