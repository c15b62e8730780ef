import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

describe('bin/tollgate.mjs', () => {
  it('runs the built JavaScript when it is as new as the sources, and the sources once they are newer', () => {
    // A package of its own: the real bin, a stand-in build and stand-in sources that say which ran.
    const pkg = mkdtempSync(join(tmpdir(), 'tollgate-bin-'));
    for (const dir of ['bin', 'dist/src', 'src', 'migrations'])
      mkdirSync(join(pkg, dir), { recursive: true });
    copyFileSync(join(ROOT, 'bin/tollgate.mjs'), join(pkg, 'bin/tollgate.mjs'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    writeFileSync(join(pkg, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(pkg, 'src/cli.ts'),
      "const from: string = 'sources'; console.log(from, process.argv.slice(2).join(' '));\n",
    );
    writeFileSync(join(pkg, 'migrations/001.ts'), 'export {};\n');
    writeFileSync(join(pkg, 'dist/src/cli.js'), "console.log('dist', process.argv.slice(2).join(' '));\n");
    const run = () =>
      spawnSync(process.execPath, [join(pkg, 'bin/tollgate.mjs'), 'accounts', 'list'], {
        encoding: 'utf8',
        env: { ...process.env, TOLLGATE_CLI_FROM_SOURCES: '' },
      });
    const at = (path: string, seconds: number) => utimesSync(join(pkg, path), seconds, seconds);
    const t = Math.floor(Date.now() / 1000);

    at('src/cli.ts', t - 100);
    at('migrations/001.ts', t - 100);
    at('dist/src/cli.js', t - 50);
    expect(run().stdout.trim()).toBe('dist accounts list');

    // A source edited after the build: the build is stale, the sources run.
    at('src/cli.ts', t);
    const stale = run();
    expect(stale.stdout.trim(), stale.stderr).toBe('sources accounts list');

    // An installed package (npm gives every file the same time) runs the build.
    for (const path of ['src/cli.ts', 'migrations/001.ts', 'dist/src/cli.js']) at(path, t - 10);
    expect(run().stdout.trim()).toBe('dist accounts list');
  }, 60_000);
});
