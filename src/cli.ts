/**
 * The `tollgate` command: `tollgate <command> [args]`, `tollgate <command> --help`.
 * Exit codes: 0 done, 1 failed, 2 bad usage or invalid configuration.
 */

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStorage } from './adapters/sqlite/sqlite-storage.ts';
import { storeOf } from './config.ts';
import { formatAmount } from './core/amount.ts';
import type { Engine } from './core/engine.ts';
import { parseTimeParam } from './core/timestamp.ts';
import { EXIT, openEngineOrExit, serveStandalone, settingsOrExit } from './serve.ts';

/** What a command was given, once its flags are checked against those it declares. */
interface Args {
  positionals: string[];
  values: Record<string, string | undefined>;
}

interface Command {
  usage: string;
  help: string;
  /** The `--name VALUE` flags it takes; any other is refused before it runs. */
  flags?: string[];
  /** The most positional arguments it takes. */
  maxPositionals: number;
  run(args: Args): Promise<number>;
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`tollgate: ${s}\n`);

/** The engine on the store the server would use (PostgreSQL when TOLLGATE_DATABASE_URL is set). */
async function openEngine() {
  const settings = settingsOrExit();
  return { settings, ...(await openEngineOrExit(settings)) };
}

/** Who runs the command, as the audit log names it: the operating system user. */
function cliUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid with no passwd entry (some containers).
    return process.env.USER ?? String(process.getuid?.() ?? 'unknown');
  }
}

/** One audit line for a change the command made (API.md "Operator tokens and audit log"). */
const audit = (engine: Engine, action: string, targetId: string | null) =>
  engine.audit.record({
    actor: { kind: 'cli', tokenId: null, name: `cli:${cliUser()}` },
    action: `cli: ${action}`,
    targetId,
  });

const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'tollgate serve',
    help: 'Start the HTTP server (the same as npm start). Configured by the environment; see the README.',
    maxPositionals: 0,
    async run() {
      await serveStandalone();
      return -1; // keeps running
    },
  },
  migrate: {
    usage: 'tollgate migrate',
    help: 'Apply pending schema migrations to the store: PostgreSQL when TOLLGATE_DATABASE_URL is set, otherwise the SQLite file in TOLLGATE_DATA_DIR.',
    maxPositionals: 0,
    async run() {
      const { engine, store } = await openEngine();
      await engine.close();
      out(`migrated ${store.label}`);
      return EXIT.ok;
    },
  },
  bill: {
    usage: 'tollgate bill [--through HOUR]',
    help: 'Bill every closed UTC hour not yet billed, up to HOUR (ISO 8601) or the current hour.',
    flags: ['through'],
    maxPositionals: 0,
    async run({ values }) {
      let throughMs: number | undefined;
      if (values.through !== undefined) {
        throughMs = parseTimeParam(values.through);
        if (!Number.isFinite(throughMs)) {
          err('bill: --through needs an ISO 8601 time, such as 2026-11-25T13:00:00Z');
          return EXIT.config;
        }
      }
      const { engine, settings } = await openEngine();
      const r = await engine.billing.run(throughMs);
      await audit(engine, 'bill', null);
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
    help: 'Take a consistent online backup of the SQLite store into FILE, while the server runs. Restore: stop the server and copy FILE over data/tollgate.db. On PostgreSQL, use pg_dump.',
    maxPositionals: 1,
    async run({ positionals: [file] }) {
      if (!file) {
        err('backup: give the file to write, e.g. tollgate backup backups/tollgate-2026-11-26.db');
        return EXIT.config;
      }
      const store = storeOf(settingsOrExit());
      if (store.kind === 'postgres') {
        const schema = store.database.schema;
        err(
          `backup: the store is ${store.label} (TOLLGATE_DATABASE_URL is set); back it up with pg_dump, e.g. pg_dump --format=custom${schema ? ` --schema=${schema}` : ''} --file=${file} "$TOLLGATE_DATABASE_URL"`,
        );
        return EXIT.config;
      }
      const pages = await SqliteStorage.backupFile(store.database, resolve(file));
      out(`backed up ${pages} pages to ${resolve(file)}`);
      return EXIT.ok;
    },
  },
  accounts: {
    usage: 'tollgate accounts create NAME [--email EMAIL]',
    help: 'Create an account and print its id.',
    flags: ['email'],
    maxPositionals: 2,
    async run({ positionals: [sub, name], values }) {
      if (sub !== 'create' || !name) {
        err(`usage: ${COMMANDS.accounts!.usage}`);
        return EXIT.config;
      }
      const { engine } = await openEngine();
      const r = await engine.accounts.create({ name, email: values.email ?? null });
      if (r.ok) await audit(engine, 'accounts create', r.value.id);
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
    maxPositionals: 3,
    async run({ positionals: [sub, account, nickname] }) {
      if (sub !== 'create' || !account || !nickname) {
        err(`usage: ${COMMANDS.keys!.usage}`);
        return EXIT.config;
      }
      const { engine } = await openEngine();
      const r = await engine.keys.create(account, nickname);
      if (r.ok) await audit(engine, 'keys create', r.value.key.id);
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
  const parsed = parseCommandArgs(name, command, args);
  if (typeof parsed === 'string') {
    err(`${name}: ${parsed}\nusage: ${command.usage}`);
    return EXIT.config;
  }
  return command.run(parsed);
}

/** The command's arguments, or what is wrong with them: an unknown flag, a missing value, one argument too many. */
function parseCommandArgs(name: string, command: Command, args: string[]): Args | string {
  const flags = command.flags ?? [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])),
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const flag = /'(-[^ ']*)/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      return `unknown option ${flag}${flags.length > 0 ? ` (${name} takes ${flags.map((f) => `--${f}`).join(', ')})` : ` (${name} takes no options)`}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option ${flag} needs a value`;
    throw e;
  }
  if (parsed.positionals.length > command.maxPositionals)
    return `unexpected argument "${parsed.positionals[command.maxPositionals]}" (quote a name that has spaces)`;
  return { positionals: parsed.positionals, values: parsed.values as Record<string, string | undefined> };
}

const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
