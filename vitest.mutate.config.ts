import { defineConfig } from 'vitest/config';

// The fast tests that exercise the money core, for `npm run mutate` (Stryker) only. Never browser,
// process, bench, package or memory tests: each mutant reruns the tests that cover it.
export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/model/**/*.test.ts',
      'test/http/**/*.test.ts',
      'test/metering.test.ts',
      'test/ledger.property.test.ts',
      'test/simulation.test.ts',
      'test/holds-and-lots.test.ts',
      'test/refunds-and-billing.test.ts',
      'test/purchase-providers.test.ts',
      // Purchases that save a card, auto top-ups and tax per buyer: paths of credits.ts no other test reaches.
      'test/stripe-auto-top-up.test.ts',
      'test/auto-top-up.test.ts',
      'test/tax-rate.test.ts',
    ],
    exclude: ['**/*.browser.test.ts', 'test/csv-memory.test.ts', 'test/package.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
