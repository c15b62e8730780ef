import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Both cores: most suites wait on a database or a child process, not on the CPU.
    maxWorkers: 2,
    // Memory tests collect garbage before they sample, so they measure what is live, not when V8 last collected.
    execArgv: ['--expose-gc'],
  },
});
