import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/**
 * The package as people install it: `npm pack` (which runs `prepare`, the build), then the tarball
 * and the folder installed into scratch apps that import every subpath from plain Node (no
 * TypeScript loader) and type-check against them with `moduleResolution: nodenext`.
 * Installs come from npm's local cache (`--prefer-offline`) with install scripts off; the one native
 * module, better-sqlite3, is linked from this checkout, where it is already built.
 */
describe('the published package', () => {
  let scratch: string;
  let tarball: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tollgate-package-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--pack-destination', scratch, '--json', '--loglevel=error'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = join(scratch, packed[0]!.filename);
    const files = packed[0]!.files.map((f) => f.path);
    for (const built of [
      'dist/src/index.js',
      'dist/src/middleware/hono.js',
      'dist/src/middleware/express.d.ts',
    ])
      expect(files).toContain(built);
  }, 420_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A new app that installs `spec` (a tarball or a folder) as a user would. */
  function scratchApp(name: string, spec: string, extra: string[] = []): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
    execFileSync(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...extra,
        spec,
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    const native = join(dir, 'node_modules/better-sqlite3');
    rmSync(native, { recursive: true, force: true });
    symlinkSync(join(ROOT, 'node_modules/better-sqlite3'), native);
    // What a TypeScript app of an Express developer has beside it (types only).
    for (const types of ['@types/node', '@types/express']) {
      mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
      if (!existsSync(join(dir, 'node_modules', types)))
        symlinkSync(join(ROOT, 'node_modules', types), join(dir, 'node_modules', types));
    }
    return dir;
  }

  /** A plain Node program of the app: every subpath, a guarded route, the database's folder created. */
  const PROGRAM = `
    import { existsSync } from 'node:fs';
    import { Hono } from 'hono';
    import { createApp, createTollgate, oidcSignIn, stripeProvider } from 'tollgate';
    import { createClient } from 'tollgate/client';
    import { meter as expressMeter } from 'tollgate/express';
    import { meter } from 'tollgate/hono';
    const t = await createTollgate({ database: './data/tollgate.db' });
    const account = await t.accounts.create({ name: 'Acme' });
    await t.credits.grant(account.value.id, { credits: '10', reason: 'welcome' });
    const key = await t.keys.create(account.value.id, 'prod');
    const app = new Hono().get('/render', meter(t, { model: 'image-1024' }), (c) => c.json(c.get('tollgate')));
    const res = await app.request('/render', { headers: { authorization: 'Bearer ' + key.value.secret } });
    const caller = await res.json();
    const api = createApp(t, { adminToken: 'a'.repeat(32) });
    const client = createClient({ baseUrl: 'http://tollgate.local', token: 'a'.repeat(32), fetch: (r) => api.fetch(r) });
    const { data: balance } = await client.GET('/v1/accounts/{id}/balance', { params: { path: { id: account.value.id } } });
    await t.close();
    console.log(JSON.stringify({
      status: res.status,
      sameKey: caller.keyId === key.value.key.id,
      available: balance.available,
      database: existsSync('./data/tollgate.db'),
      express: typeof expressMeter(t, { model: 'image-1024' }),
      face: [typeof createApp, typeof stripeProvider, typeof oidcSignIn],
    }));
  `;

  /** A TypeScript file of the app, checked with nodenext resolution: the subpaths' types are what a user sees. */
  const TYPED = `
    import express from 'express';
    import { Hono } from 'hono';
    import { createTollgate, type Engine, type StripeOptions, stripeProvider } from 'tollgate';
    import { createClient } from 'tollgate/client';
    import { meter as expressMeter } from 'tollgate/express';
    import { meter, type TollgateCaller } from 'tollgate/hono';
    const t: Engine = await createTollgate({ database: './data/typed.db' });
    const options: StripeOptions = { secretKey: 'sk', webhookSecret: 'wh', successUrl: 'https://a', cancelUrl: 'https://a' };
    void stripeProvider(options);
    new Hono().post('/render', meter(t, { model: 'image-1024', hold: 5 }), (c) => {
      const who: TollgateCaller = c.get('tollgate');
      return c.json({ account: who.accountId });
    });
    express().post('/render', expressMeter(t, { model: 'image-1024', quantity: (_req, res) => Number(res.locals.units) }), (req, res) => {
      const account: string | undefined = req.tollgate?.accountId;
      res.json({ account });
    });
    // @ts-expect-error: a model is required
    meter(t, {});
    const client = createClient({ baseUrl: 'http://127.0.0.1:8787', token: 'operator-token' });
    const created = await client.POST('/v1/accounts', { body: { name: 'Acme' } });
    const name: string | undefined = created.data?.name;
    const code: string | undefined = created.error?.error.code;
    void [name, code];
    // @ts-expect-error: amounts are strings, never numbers
    await client.POST('/v1/accounts/{id}/credit_quotes', { params: { path: { id: 'acc_1' } }, body: { credits: 15 } });
  `;

  function expectWorks(dir: string): void {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROGRAM], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
      status: 200,
      sameKey: true,
      available: '8',
      database: true,
      express: 'function',
      face: ['function', 'function', 'function'],
    });
    writeFileSync(join(dir, 'app.ts'), TYPED);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
  }

  it('installs from the tarball and serves every subpath to plain Node and to TypeScript (nodenext)', () => {
    expectWorks(scratchApp('from-tarball', tarball));
  }, 300_000);

  it('installs from a folder (a built clone) the same way', () => {
    expectWorks(scratchApp('from-folder', ROOT, ['--install-links']));
  }, 300_000);

  it('is importable by name inside this checkout, without a TypeScript loader', () => {
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
  });
});
