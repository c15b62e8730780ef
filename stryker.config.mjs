// Mutation testing of the money core: `npm run mutate` (or `npm run mutate -- --mutate src/core/holds.ts`).
// Not part of `npm test`. Reports go to reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/core/ledger.ts',
    'src/core/credits.ts',
    'src/core/refunds.ts',
    'src/core/holds.ts',
    'src/core/lots.ts',
    'src/core/billing.ts',
    'src/core/pricing.ts',
    'src/core/amount.ts',
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
