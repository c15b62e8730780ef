/**
 * The `tollgate` command: `tollgate <command> [args]`, `tollgate <command> --help`.
 * Exit codes: 0 done, 1 failed, 2 bad usage or invalid configuration.
 */

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteStorage } from './adapters/sqlite/sqlite-storage.ts';
import { formatAmount } from './core/amount.ts';
import { parseTimeParam } from './core/timestamp.ts';
import { createTollgate } from './index.ts';
import { EXIT, serveStandalone, settingsOrExit } from './serve.ts';

interface Command {
  usage: string;
  help: string;
  run(args: string[]): Promise<number>;
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`tollgate: ${s}\n`);

async function openEngine() {
  const settings = settingsOrExit();
  mkdirSync(settings.dataDir, { recursive: true });
  const database = join(settings.dataDir, 'tollgate.db');
  return { settings, database, engine: await createTollgate({ database, config: settings.config }) };
}

const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'tollgate serve',
    help: 'Start the HTTP server (the same as npm start). Configured by the environment; see the README.',
    async run() {
      await serveStandalone();
      return -1; // keeps running
    },
  },
  migrate: {
    usage: 'tollgate migrate',
    help: 'Apply pending schema migrations to the store in TOLLGATE_DATA_DIR.',
    async run() {
      const { engine, database } = await openEngine();
      await engine.close();
      out(`migrated ${resolve(database)}`);
      return EXIT.ok;
    },
  },
  bill: {
    usage: 'tollgate bill [--through HOUR]',
    help: 'Bill every closed UTC hour not yet billed, up to HOUR (ISO 8601) or the current hour.',
    async run(args) {
      let throughMs: number | undefined;
      const at = args.indexOf('--through');
      if (at >= 0) {
        throughMs = parseTimeParam(args[at + 1] ?? '');
        if (!Number.isFinite(throughMs)) {
          err('bill: --through needs an ISO 8601 time, such as 2026-11-25T13:00:00Z');
          return EXIT.config;
        }
      }
      const { engine, settings } = await openEngine();
      const r = await engine.billing.run(throughMs);
      await engine.close();
      out(
        `billed ${r.hours} hour(s) for ${r.accounts} account(s): ${formatAmount(r.creditsMinor, settings.config.scales.credits)} credits, through ${new Date(r.throughMs).toISOString()}`,
      );
      for (const f of r.failed) err(`bill: account ${f.accountId} left for the next run: ${f.error}`);
      return r.failed.length > 0 ? EXIT.failure : EXIT.ok;
    },
  },
  backup: {
    usage: 'tollgate backup FILE',
    help: 'Take a consistent online backup of the SQLite store into FILE, while the server runs. Restore: stop the server and copy FILE over data/tollgate.db.',
    async run(args) {
      const file = args[0];
      if (!file) {
        err('backup: give the file to write, e.g. tollgate backup backups/tollgate-2026-11-26.db');
        return EXIT.config;
      }
      const settings = settingsOrExit();
      const pages = await SqliteStorage.backupFile(join(settings.dataDir, 'tollgate.db'), resolve(file));
      out(`backed up ${pages} pages to ${resolve(file)}`);
      return EXIT.ok;
    },
  },
  accounts: {
    usage: 'tollgate accounts create NAME [--email EMAIL]',
    help: 'Create an account and print its id.',
    async run(args) {
      const [sub, name] = args;
      if (sub !== 'create' || !name) {
        err(`usage: ${COMMANDS.accounts!.usage}`);
        return EXIT.config;
      }
      const at = args.indexOf('--email');
      const { engine } = await openEngine();
      const r = await engine.accounts.create({ name, email: at >= 0 ? (args[at + 1] ?? null) : null });
      await engine.close();
      if (!r.ok) {
        err(`${r.code}: ${r.message}`);
        return EXIT.failure;
      }
      out(r.value.id);
      return EXIT.ok;
    },
  },
  keys: {
    usage: 'tollgate keys create ACCOUNT NICKNAME',
    help: 'Create an API key and print its secret, once: it is not stored and cannot be shown again.',
    async run(args) {
      const [sub, account, nickname] = args;
      if (sub !== 'create' || !account || !nickname) {
        err(`usage: ${COMMANDS.keys!.usage}`);
        return EXIT.config;
      }
      const { engine } = await openEngine();
      const r = await engine.keys.create(account, nickname);
      await engine.close();
      if (!r.ok) {
        err(`${r.code}: ${r.message}`);
        return EXIT.failure;
      }
      out(`${r.value.key.id}\n${r.value.secret}`);
      process.stderr.write('The secret above is shown once. Keep it secret; never put it in browser code.\n');
      return EXIT.ok;
    },
  },
};

function usage(): string {
  return [
    'usage: tollgate <command> [args]   (tollgate <command> --help for more)',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(48)}${c.help.split('.')[0]}.`),
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name ? EXIT.ok : EXIT.config;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`unknown command ${name}\n${usage()}`);
    return EXIT.config;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(`usage: ${command.usage}\n\n${command.help}`);
    return EXIT.ok;
  }
  return command.run(args);
}

const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
