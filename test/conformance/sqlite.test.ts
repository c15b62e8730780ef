import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/adapters/sqlite/sqlite-storage.ts';
import { financeConformance } from './finance.cases.ts';
import { storageConformance } from './storage.cases.ts';

const open = (database: string, usageIndexEvery?: number) => () =>
  SqliteStorage.open({
    database,
    dedupeWindowMs: 40 * 86_400_000,
    nowMs: Date.UTC(2026, 10, 25),
    ...(usageIndexEvery ? { usageIndexEvery } : {}),
  });

storageConformance('sqlite :memory:', open(':memory:'));
storageConformance('sqlite file', () =>
  open(join(mkdtempSync(join(tmpdir(), 'tollgate-')), 'conformance.db'))(),
);
// Usage indexed by account every 2 events: every case runs across the index and its tail.
storageConformance('sqlite file, usage indexed every 2 events', () =>
  open(join(mkdtempSync(join(tmpdir(), 'tollgate-')), 'conformance-index.db'), 2)(),
);
financeConformance('sqlite :memory:', open(':memory:'));
financeConformance('sqlite file', () => open(join(mkdtempSync(join(tmpdir(), 'tollgate-')), 'finance.db'))());
