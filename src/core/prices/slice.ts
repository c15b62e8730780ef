import type { Context } from '../kernel/context.ts';
import { exchangeRatesOn, putExchangeRates } from './exchange-rates.ts';
import {
  createContract,
  createPriceVersion,
  endContract,
  listContracts,
  listPriceVersions,
  nextVersion,
  type PriceState,
  priceList,
} from './price-list.ts';

/**
 * The prices feature's slice of the engine: versions of the rate card, the prices in effect (with
 * an account's contract), and contracts. Rating itself reads `state` in memory (core/usage).
 * @example await engine.prices.createVersion({ effective_at: '2027-01-01T00:00:00Z', models: [...] })
 */
export function pricesSlice(ctx: Context, state: PriceState) {
  return {
    prices: {
      createVersion: (input: { effective_at?: unknown; models?: unknown; note?: unknown }) =>
        createPriceVersion(ctx, state, input),
      versions: () => listPriceVersions(ctx),
      /** The card in effect at `at` (default now), the account's contract applied when named. */
      at: (input: { at?: unknown; accountId?: string }) => priceList(ctx, state, input),
      /** The next version to take effect after `atMs`, if any. */
      next: (atMs: number) => nextVersion(state, atMs),
    },
    exchangeRates: {
      put: (input: { date?: unknown; base?: unknown; rates?: unknown }) => putExchangeRates(ctx, input),
      on: (day: string) => exchangeRatesOn(ctx, day),
    },
    contracts: {
      create: (accountId: string, input: Parameters<typeof createContract>[3]) =>
        createContract(ctx, state, accountId, input),
      list: (accountId: string) => listContracts(ctx, accountId),
      end: (id: string) => endContract(ctx, state, id),
    },
  };
}
