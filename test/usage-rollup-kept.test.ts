/**
 * SQLite keeps what ingest adds to the hourly rollup and to unbilled totals in memory between
 * commits (`adapters/sqlite/sqlite-rollup.ts`). What a customer sees must not depend on it: the
 * balance, the bill and the summaries count every event once, across a crash, a second process on
 * the same file, and an ingest that fails after its totals were read.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { RatedEvent } from '../src/core/kernel/model.ts';
import { createTollgate, type Engine } from '../src/index.ts';
import { HOUR, must } from './helpers.ts';

const file = () => join(mkdtempSync(join(tmpdir(), 'tollgate-rollup-')), 'tollgate.db');
/** Half past the last closed hour: billed by the next run. */
const lastHour = () => Date.now() - (Date.now() % HOUR) - HOUR / 2;

const usage = (accountId: string, credits: string, atMs = lastHour()) => ({
  id: randomUUID(),
  account_id: accountId,
  model: 'video-custom',
  quantity: '1',
  credits,
  timestamp: new Date(atMs).toISOString(),
});

async function ingest(engine: Engine, events: ReturnType<typeof usage>[]) {
  const results = await engine.usage.ingest(events);
  expect(results.map((r) => r.status)).toEqual(events.map(() => 'accepted'));
}

const balance = async (engine: Engine, id: string) => must(await engine.accounts.balance(id));

describe('usage totals kept in memory between commits (SQLite)', () => {
  it('counts every event once when a second process bills the same file meanwhile', async () => {
    const path = file();
    const server = await createTollgate({ database: path });
    const cli = await createTollgate({ database: path });
    try {
      const account = must(await server.accounts.create({ name: 'Shared file' }));
      must(await server.credits.grant(account.id, { credits: '100', reason: 'start' }));
      await ingest(server, [usage(account.id, '3'), usage(account.id, '4')]);

      // The other process (say `tollgate bill`) bills what the server stored, though the server
      // has not written its totals yet.
      const first = await cli.billing.run();
      const c = 10n ** BigInt(server.config.scales.credits);
      expect(first.creditsMinor).toBe(7n * c);
      expect(first.accounts).toBe(1);

      await ingest(server, [usage(account.id, '5')]);
      // The server's balance: 100 granted, 7 billed by the other process, 5 used and unbilled.
      const b = await balance(server, account.id);
      expect(b.unbilled).toBe(5n * c);
      expect(b.available).toBe(88n * c);

      // The server's own run bills the 5 once; nothing is billed twice.
      const second = await server.billing.run();
      expect(second.creditsMinor).toBe(5n * c);
      expect((await cli.billing.run()).creditsMinor).toBe(0n);
      const after = await balance(cli, account.id);
      expect(after.unbilled).toBe(0n);
      expect(after.available).toBe(88n * c);
    } finally {
      await cli.close();
      await server.close();
    }
  });

  it('loses nothing when the process dies before writing its totals', async () => {
    const path = file();
    const dying = await createTollgate({ database: path });
    const account = must(await dying.accounts.create({ name: 'Crash' }));
    await ingest(dying, [usage(account.id, '2'), usage(account.id, '3', Date.now())]);
    // The process dies here (never closed): the events are stored, the totals not yet.
    const raw = new Database(path, { readonly: true });
    const lag = raw
      .prepare('SELECT (SELECT max(seq) FROM usage_events) - (SELECT rollup_seq FROM usage_rollup_state)')
      .pluck()
      .get();
    raw.close();
    expect(lag).toBe(2);

    const next = await createTollgate({ database: path });
    try {
      const c = 10n ** BigInt(next.config.scales.credits);
      expect((await balance(next, account.id)).unbilled).toBe(5n * c);
      const summary = must(
        await next.usage.summary({
          accountId: account.id,
          from: new Date(lastHour() - HOUR).toISOString(),
          to: new Date(Date.now() + HOUR).toISOString(),
          granularity: 'hour',
        }),
      );
      expect(summary.reduce((n, b) => n + b.events, 0n)).toBe(2n);
      expect((await next.billing.run()).creditsMinor).toBe(2n * c);
    } finally {
      await next.close();
    }
  });

  it('answers reads with the whole unbilled total while the kept totals cannot be written', async () => {
    const path = file();
    const engine = await createTollgate({ database: path });
    const account = must(await engine.accounts.create({ name: 'Locked out' }));
    const c = 10n ** BigInt(engine.config.scales.credits);
    await ingest(engine, [usage(account.id, '2'), usage(account.id, '3')]);
    // Another connection holds the write lock (as a full disk refuses writes): the balance read
    // cannot write the kept totals first (it waits out the 5 s busy timeout), and answers anyway.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect((await balance(engine, account.id)).unbilled).toBe(5n * c);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once it can write, the tables hold the same and nothing is counted twice.
    expect((await balance(engine, account.id)).unbilled).toBe(5n * c);
    expect((await engine.billing.run()).creditsMinor).toBe(5n * c);
    await engine.close();
  }, 20_000);

  it('keeps nothing of an ingest that failed after reading its totals inside the transaction', async () => {
    const engine = await createTollgate({ database: file() });
    try {
      const account = must(await engine.accounts.create({ name: 'Rollback' }));
      const c = 10n ** BigInt(engine.config.scales.credits);
      await ingest(engine, [usage(account.id, '1')]);
      const rated = (id: string, credits: bigint): RatedEvent => {
        const ts = lastHour();
        return {
          id,
          accountId: account.id,
          apiKeyId: null,
          model: 'video-custom',
          quantityMinor: 1_000_000n,
          creditsMinor: credits,
          timestampMs: ts,
          hourMs: ts - (ts % HOUR),
          properties: null,
          fingerprint: id,
        };
      };
      // Its alerts read the unbilled total (which writes the batch into the tables), then it fails.
      let read: bigint | undefined;
      await expect(
        engine.storage.ingestUsage([rated('failing', 50n * c)], {
          durability: 'normal',
          inTransaction: async (tx) => {
            read = await tx.usage.unbilled(account.id);
            throw new Error('the alert check failed');
          },
        }),
      ).rejects.toThrow('the alert check failed');
      expect(read).toBe(51n * c);
      // Neither the batch nor anything kept before it is lost or doubled.
      await ingest(engine, [usage(account.id, '2')]);
      expect((await balance(engine, account.id)).unbilled).toBe(3n * c);
      expect((await engine.billing.run()).creditsMinor).toBe(3n * c);
    } finally {
      await engine.close();
    }
  });
});
