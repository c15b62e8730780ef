/**
 * Operator commands on the embedded store: `npm run migrate`, `npm run bill [-- --through HOUR]`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readSettings } from './config.ts';
import { formatAmount } from './core/amount.ts';
import { createTollgate } from './index.ts';

const USAGE = `usage: tollgate <command>
  migrate                 apply pending schema migrations to the store
  bill [--through HOUR]   bill every closed UTC hour not yet billed (before HOUR, ISO 8601)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  const settings = readSettings();
  mkdirSync(settings.dataDir, { recursive: true });
  const database = join(settings.dataDir, 'tollgate.db');
  switch (command) {
    case 'migrate': {
      // Opening the store runs every pending migration.
      const engine = await createTollgate({ database, config: settings.config });
      await engine.close();
      process.stdout.write(`migrated ${database}\n`);
      return 0;
    }
    case 'bill': {
      let throughMs: number | undefined;
      const at = rest.indexOf('--through');
      if (at >= 0) {
        throughMs = Date.parse(rest[at + 1] ?? '');
        if (!Number.isFinite(throughMs)) {
          process.stderr.write(
            'tollgate bill: --through needs an ISO 8601 time, such as 2026-11-25T13:00:00Z\n',
          );
          return 2;
        }
      }
      const engine = await createTollgate({ database, config: settings.config });
      const r = await engine.billing.run(throughMs);
      await engine.close();
      process.stdout.write(
        `billed ${r.hours} hour(s) for ${r.accounts} account(s): ${formatAmount(r.creditsMinor, settings.config.scales.credits)} credits, through ${new Date(r.throughMs).toISOString()}\n`,
      );
      return 0;
    }
    default:
      process.stderr.write(`tollgate: unknown command ${command}\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`tollgate: invalid configuration: ${e.message}\n`);
    process.exitCode = 2;
  } else throw e;
}
