#!/usr/bin/env node
// The `tollgate` command. It runs the built JavaScript (dist/, made by `npm run build` and by
// `npm pack`) when that is at least as new as every source file: a call then starts in a fraction
// of a second. Otherwise (a clone not built, or sources edited since the build) it runs the
// TypeScript sources through tsx, a dependency of the package, so it never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli.js');

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const fresh =
  process.env.TOLLGATE_CLI_FROM_SOURCES !== '1' &&
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(newest(join(root, 'src')), newest(join(root, 'migrations')));

if (fresh) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
