import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN } from './helpers.ts';
import { client, type RunningServer, startServer } from './server-process.ts';

/** Milliseconds until a JSON line matching `match` is in the server's output (stdout is a pipe). */
async function lineWithin(server: RunningServer, match: (line: any) => boolean, limitMs: number) {
  const started = Date.now();
  for (;;) {
    const found = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find(match);
    if (found) return { line: found, ms: Date.now() - started };
    if (Date.now() - started > limitMs) return { line: null, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('logs on a pipe', () => {
  it('shows each request line within a second on a quiet server, and flushes on SIGTERM', async () => {
    const server = await startServer({
      TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tollgate-logs-')),
      TOLLGATE_ADMIN_TOKEN: ADMIN,
    });
    const call = client(server.url, ADMIN);
    expect((await call('GET', '/v1/accounts/acc_first')).status).toBe(404);
    const first = await lineWithin(server, (l) => l.route === '/v1/accounts/:id' && l.status === 404, 3000);
    expect(first.line, server.output()).not.toBeNull();
    expect(first.ms).toBeLessThan(1000);

    // Quiet for a while, then one more request: it is not held back for the next one.
    await new Promise((r) => setTimeout(r, 1500));
    const created = await call('POST', '/v1/accounts', { name: 'Acme' });
    expect(created.status).toBe(201);
    const second = await lineWithin(server, (l) => l.route === '/v1/accounts' && l.status === 201, 3000);
    expect(second.line, server.output()).not.toBeNull();
    expect(second.ms).toBeLessThan(1000);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l).msg);
    expect(lines).toContain('SIGTERM: stopping');
    expect(lines.at(-1)).toBe('stopped cleanly');
  }, 90_000);
});
