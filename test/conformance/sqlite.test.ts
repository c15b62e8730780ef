import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/adapters/sqlite/sqlite-storage.ts';
import { storageConformance } from './storage.cases.ts';

const open = (database: string) => () =>
  SqliteStorage.open({ database, dedupeWindowMs: 40 * 86_400_000, nowMs: Date.UTC(2026, 10, 25) });

storageConformance('sqlite :memory:', open(':memory:'));
storageConformance('sqlite file', () =>
  open(join(mkdtempSync(join(tmpdir(), 'tollgate-')), 'conformance.db'))(),
);
