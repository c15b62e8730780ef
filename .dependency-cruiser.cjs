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
