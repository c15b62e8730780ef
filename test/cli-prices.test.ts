import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTollgate } from '../src/index.ts';
import { must } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');

const tollgate = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/tollgate.mjs', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      TOLLGATE_DATABASE_URL: '',
      TOLLGATE_DATABASE_SCHEMA: '',
      TOLLGATE_DATA_DIR: dataDir,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('tollgate prices', () => {
  it('sets a version from a file at a time, shows the card in effect, and the engine rates by it from then on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-prices-'));
    const file = join(dir, 'card.json');
    writeFileSync(
      file,
      JSON.stringify({
        models: [
          { model: 'image-1024', credits: '3', whole: true },
          {
            model: 'chat-large',
            dimensions: [{ name: 'input_tokens', credits: '2', per: '1000000', whole: true }],
          },
        ],
      }),
    );
    const at = new Date(Date.now() + 30_000).toISOString();
    const set = tollgate(['prices', 'set', file, '--at', at, '--note', 'January'], dir);
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    const id = /^(prv_\S+) takes effect at (\S+) \(2 models\)$/.exec(set.stdout.trim());
    expect(id?.[2]).toBe(at);

    const past = tollgate(['prices', 'set', file, '--at', '2020-01-01T00:00:00Z'], dir);
    expect(past.status).toBe(2);
    expect(past.stderr).toMatch(/validation_failed: effective_at must not be in the past/);

    const before = tollgate(['prices', 'show'], dir);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(/^version prv_initial/);
    expect(before.stdout).toMatch(/chat-large\s+output_tokens\s+10\s+1000000\s+yes/);
    const after = tollgate(['prices', 'show', '--at', at, '--json'], dir);
    const shown = JSON.parse(after.stdout);
    expect(shown.version_id).toBe(id![1]);
    expect(shown.models.map((m: { model: string }) => m.model)).toEqual(['image-1024', 'chat-large']);

    const engine = await createTollgate({ database: join(dir, 'tollgate.db') });
    try {
      const account = must(await engine.accounts.create({ name: 'Acme' }));
      const results = await engine.usage.ingest([
        {
          id: 'e1',
          account_id: account.id,
          model: 'image-1024',
          quantity: '2',
          timestamp: new Date().toISOString(),
        },
        // Within the tolerance for clocks ahead: after the change, so at its price.
        {
          id: 'e2',
          account_id: account.id,
          model: 'image-1024',
          quantity: '2',
          timestamp: new Date(Date.parse(at) + 1000).toISOString(),
        },
      ]);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      const b = must(await engine.accounts.balance(account.id));
      // 2 x 2 before, 2 x 3 after
      expect(b.unbilled).toBe(10_000_000n);
    } finally {
      await engine.close();
    }
  });
});
