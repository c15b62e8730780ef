#!/usr/bin/env node
// The `tollgate` command: runs the TypeScript CLI through tsx, a dependency of the package.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
