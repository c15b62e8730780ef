/** The layering rule of DESIGN.md: imports point down only, http -> core <- adapters. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core holds the domain: no adapters, no http, no drivers, no file system or network.',
      severity: 'error',
      from: { path: '^src/core' },
      to: {
        path: [
          '^src/adapters',
          '^src/http',
          'node_modules/(kysely|hono|@hono|better-sqlite3|pg|pdfkit|stripe|node-cron)/',
        ],
      },
    },
    {
      name: 'core-no-io-builtins',
      severity: 'error',
      from: { path: '^src/core' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|dgram|tls|crypto)$' },
    },
    {
      name: 'adapters-not-http',
      severity: 'error',
      from: { path: '^src/adapters' },
      to: { path: '^src/http' },
    },
    {
      name: 'http-not-adapter-internals',
      comment: 'http talks to the engine, never to SQL or a driver.',
      severity: 'error',
      from: { path: '^src/http' },
      to: { path: ['^src/adapters', 'node_modules/(kysely|better-sqlite3|pg)/'] },
    },
    {
      name: 'kernel-imports-no-feature',
      comment:
        'src/core/kernel (context, unit of work, model, ports, ledger, ...) imports nothing outside itself: features register listeners instead.',
      severity: 'error',
      from: { path: '^src/core/kernel/' },
      to: { path: '^src/core/(?!kernel/)' },
    },
    {
      name: 'features-through-their-face',
      comment: 'A feature reaches another only through its index.ts, never into its insides.',
      severity: 'error',
      from: { path: '^src/core/([a-z-]+)/' },
      to: {
        path: '^src/core/(webhooks|prices|spend|credits|access|usage|reports|einvoices)/(?!index[.]ts$)',
        pathNot: '^src/core/$1/',
      },
    },
    {
      name: 'edges-through-feature-faces',
      comment:
        "The engine's wiring, http, adapters and the library face reach a feature only through its index.ts.",
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: '^src/core/(webhooks|prices|spend|credits|access|usage|reports|einvoices)/',
      },
      to: {
        path: '^src/core/(webhooks|prices|spend|credits|access|usage|reports|einvoices)/(?!index[.]ts$)',
      },
    },
    ...[
      // Features are layered, each importing only the kernel and those before it, so none cycle.
      ['webhooks', 'prices|spend|credits|access|usage|reports'],
      ['prices', 'spend|credits|access|usage|reports'],
      ['spend', 'credits|access|usage|reports'],
      ['credits', 'access|usage|reports'],
      ['access', 'usage|reports'],
      ['usage', 'reports'],
    ].map(([from, later]) => ({
      name: `feature-order-${from}`,
      comment: `core/${from} comes before ${later.split('|').join(', ')}: it may not import them.`,
      severity: 'error',
      from: { path: `^src/core/${from}/` },
      to: { path: `^src/core/(${later})/` },
    })),
    {
      name: 'cli-through-the-library-face',
      comment: 'The CLI reaches storage through src/index.ts (the library face), never an adapter itself.',
      severity: 'error',
      from: { path: '^src/cli[.]ts$' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'no-circular',
      comment:
        'Imports form a tree, types included: shared types live in leaf modules (core/kernel/model.ts, core/kernel/balance.ts, http/env.ts).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
