import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../src/adapters/sqlite/sqlite-storage.ts';
import { client, startServer } from './server-process.ts';

describe('the standalone server across a SIGKILL', () => {
  it('keeps every acknowledged money move and an unchanged trial balance', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-restart-'));
    const first = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: '' });
    // The generated token is kept private to its owner, and printed once.
    const tokenFile = join(dataDir, 'admin-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(first.output()).toContain(token);
    const call = client(first.url, token);
    const acc = (await call('POST', '/v1/accounts', { name: 'Acme' })).body;
    const acknowledged: { purchase: string; invoice: string }[] = [];
    // Fire purchases and confirmations as fast as they are answered, and kill the server mid-stream.
    const work = (async () => {
      for (let i = 0; i < 1000; i++) {
        const p = await call(
          'POST',
          `/v1/accounts/${acc.id}/credit_purchases`,
          { credits: '1000', provider: 'manual' },
          { 'idempotency-key': `k${i}` },
        ).catch(() => null);
        if (p?.status !== 201) return;
        const c = await call('POST', `/v1/credit_purchases/${p.body.id}/confirm`).catch(() => null);
        if (c?.status !== 200) return;
        acknowledged.push({ purchase: p.body.id, invoice: c.body.invoice_id });
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    await work;
    await first.exited;
    expect(acknowledged.length).toBeGreaterThan(5);

    const second = await startServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: '' });
    // The second start reuses the kept token and does not print it again.
    expect(second.output()).not.toContain(token);
    const again = client(second.url, token);
    for (const a of acknowledged) {
      const p = await again('GET', `/v1/credit_purchases/${a.purchase}`);
      expect(p.body).toMatchObject({ status: 'paid', invoice_id: a.invoice });
    }
    const balance = (await again('GET', `/v1/accounts/${acc.id}/balance`)).body;
    const invoices = (await again('GET', `/v1/accounts/${acc.id}/invoices`)).body.data;
    // Nothing half-written: every invoice has its credits, every paid purchase its invoice.
    expect(Number(balance.posted)).toBe(invoices.length * 1000);
    expect(invoices.length).toBeGreaterThanOrEqual(acknowledged.length);
    const numbers = invoices
      .map((i: { number: string }) => Number(i.number.slice(-6)))
      .sort((x: number, y: number) => x - y);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    console.log(`restart: ${acknowledged.length} acknowledged confirmations checked after SIGKILL`);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // The trial balance: per asset the balances sum to zero and each equals the sum of its entries.
    const storage = await SqliteStorage.open({
      database: join(dataDir, 'tollgate.db'),
      dedupeWindowMs: 0,
      nowMs: Date.now(),
    });
    expect(await storage.audit()).toEqual({
      assetSums: [{ asset: 'credits', sum: 0n }],
      mismatchedAccounts: [],
    });
    await storage.close();
  }, 60_000);
});
