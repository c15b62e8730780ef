/**
 * Model-based test of the whole product: random sequences of purchases, confirmations, grants
 * with expiry, refunds, usage (late, duplicate, conflicting, oversized), holds and their ends,
 * billing runs and lot expiry, taken by the real engine and by the reference model; after every
 * step every balance and lot must agree and the product's money invariants must hold.
 * `FC_RUNS` raises the number of sequences; `FC_SEED` (with `FC_PATH`) replays a failure.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { STORES } from '../helpers.ts';
import { allCommands, checkWorld } from './commands.ts';
import { openWorld } from './world.ts';

/** Sequences per store: a store on disk or over the network takes longer per step. */
const RUNS: Record<string, number> = {
  'sqlite-memory': Number(process.env.FC_RUNS ?? 40),
  'sqlite-file': Math.ceil(Number(process.env.FC_RUNS ?? 40) / 4),
  postgres: Math.ceil(Number(process.env.FC_RUNS ?? 40) / 4),
};
const stats = new Map<string, number>();

describe.each(STORES)('the product against its reference model ($name)', (store) => {
  const runs = RUNS[store.name]!;
  it(`agrees on every answer, balance and lot over ${runs} random sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(allCommands, { maxCommands: 80, size: 'large' }), async (cmds) => {
        const w = await openWorld({ database: store.open() });
        try {
          await checkWorld(w);
          await fc.asyncModelRun(() => ({ model: w, real: w }), cmds);
        } finally {
          for (const l of w.log) {
            const k = l
              .replace(/ .*?: /, ': ')
              .replace(/\d+(\.\d+)?/g, 'N')
              .slice(0, 60);
            stats.set(k, (stats.get(k) ?? 0) + 1);
          }
          await w.engine.close();
        }
      }),
      {
        numRuns: runs,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      },
    );
    if (process.env.FC_STATS)
      console.log(
        [...stats]
          .sort()
          .map(([k, v]) => `${v}\t${k}`)
          .join('\n'),
      );
  }, 600_000);
});
