import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core never reads the clock or randomness: both are ports, so tests replay exactly.
const FORBIDDEN = [
  /Date\.now\(/,
  /Math\.random\(/,
  /new Date\(\)/,
  /performance\.now\(/,
  /\bprocess\.(env|exit|hrtime|argv|on|nextTick)\b/,
  /setTimeout\(|setInterval\(|setImmediate\(/,
];

describe('src/core purity', () => {
  const dir = join(import.meta.dirname, '../../src/core');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    it(`${file} reads no clock, randomness, timers or process state`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const pattern of FORBIDDEN) expect(text).not.toMatch(pattern);
    });
  }
});
