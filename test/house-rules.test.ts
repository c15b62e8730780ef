import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/**
 * The house's rules (.dependency-cruiser.cjs, run by `npm test` through `npm run check`) refuse
 * each kind of move that would undo it. Each case is a small tree of files in a scratch folder
 * laid out like src/, cruised with the project's own configuration.
 */
function cruise(files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-house-'));
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/depcruise'),
    ['src', '--config', join(ROOT, '.dependency-cruiser.cjs')],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** A feature's face and one inside file, each exporting a constant. */
const feature = (name: string, imports = '') => ({
  [`src/core/${name}/index.ts`]: `export * from './${name}.ts';\n`,
  [`src/core/${name}/${name}.ts`]: `${imports}export const ${name} = 1;\n`,
});

describe('the house rules of npm test', () => {
  it('let a well-built tree through', () => {
    const r = cruise({
      'src/core/kernel/context.ts': 'export const context = 1;\n',
      ...feature('spend', "import { context } from '../kernel/context.ts';\nvoid context;\n"),
      ...feature('credits', "import { spend } from '../spend/index.ts';\nvoid spend;\n"),
      'src/core/engine.ts': "import { credits } from './credits/index.ts';\nvoid credits;\n",
    });
    expect(r.output).toContain('no dependency violations');
    expect(r.ok).toBe(true);
  });

  it('fail on a kernel file importing a feature', () => {
    const r = cruise({
      'src/core/kernel/unit-of-work.ts': "import { spend } from '../spend/index.ts';\nvoid spend;\n",
      ...feature('spend'),
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('kernel-imports-no-feature');
  });

  it("fail on a feature reaching into another's insides, and on the engine doing so", () => {
    const r = cruise({
      ...feature('spend'),
      ...feature('credits', "import { spend } from '../spend/spend.ts';\nvoid spend;\n"),
      'src/core/engine.ts': "import { credits } from './credits/credits.ts';\nvoid credits;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('features-through-their-face: src/core/credits/credits.ts');
    expect(r.output).toContain('edges-through-feature-faces: src/core/engine.ts');
  });

  it('fail on a feature importing one that comes after it, and on a cycle', () => {
    const r = cruise({
      ...feature('spend', "import { credits } from '../credits/index.ts';\nvoid credits;\n"),
      ...feature('credits', "import { spend } from '../spend/index.ts';\nvoid spend;\n"),
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('feature-order-spend');
    expect(r.output).toContain('no-circular');
  });
});
