import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

describe('the published package', () => {
  it('builds to JavaScript that a plain Node app imports by name, without a TypeScript loader', () => {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
    // No --import tsx: `tollgate` resolves through package.json `exports` to the built files.
    const program = `
      import { createTollgate } from 'tollgate';
      const t = await createTollgate({});
      const account = await t.accounts.create({ name: 'Acme' });
      const key = await t.keys.create(account.value.id, 'prod');
      await t.credits.grant(account.value.id, { credits: '10', reason: 'welcome' });
      const usage = await t.usage.ingest([{ id: 'e1', api_key_id: key.value.key.id, model: 'image-1024', quantity: '1', timestamp: new Date().toISOString() }]);
      const verified = await t.keys.verify(key.value.secret);
      await t.close();
      console.log(JSON.stringify({ usage: usage[0].status, valid: verified.valid }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ usage: 'accepted', valid: true });
  }, 120_000);
});
