// Mutation testing of the money core: `npm run mutate` (or `npm run mutate -- --mutate src/core/credits/holds.ts`).
// Not part of `npm test`. Reports go to reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/core/kernel/ledger.ts',
    'src/core/credits/credits.ts',
    'src/core/credits/refunds.ts',
    'src/core/credits/holds.ts',
    'src/core/kernel/lots.ts',
    'src/core/usage/billing.ts',
    'src/core/prices/pricing.ts',
    'src/core/kernel/amount.ts',
  ],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignoreStatic: false,
  thresholds: { high: 90, low: 80, break: null },
};
