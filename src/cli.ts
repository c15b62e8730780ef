/**
 * The `tollgate` command: `tollgate <command> [args]`, `tollgate <command> --help`.
 * Exit codes: 0 done, 1 failed, 2 bad usage or invalid configuration.
 */

import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { storeOf } from './config.ts';
import type { Engine } from './core/engine.ts';
import { formatAmount } from './core/kernel/amount.ts';
import type { PurchaseStatus } from './core/kernel/model.ts';
import { parseTimeParam } from './core/kernel/time.ts';
import { serializers } from './http/serialize.ts';
import { backupSqlite } from './index.ts';
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
  /** The `--name` flags without a value it takes (read as "yes" when given). */
  switches?: string[];
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
      const pages = await backupSqlite(store.database, resolve(file));
      out(`backed up ${pages} pages to ${resolve(file)}`);
      return EXIT.ok;
    },
  },
  'prices set': {
    usage: 'tollgate prices set FILE --at TIME [--note TEXT]',
    help: 'Add a version of the rate card from FILE (JSON: [entry, ...] or { "models": [entry, ...] }, entries as in the API), in effect from TIME (ISO 8601, now or later; events before it keep their price). Prints the version id.',
    flags: ['at', 'note'],
    maxPositionals: 1,
    async run({ positionals: [file], values }) {
      if (!file) return missing('prices set', 'the rate card file');
      if (values.at === undefined) return missing('prices set', '--at TIME (when the version takes effect)');
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(resolve(file), 'utf8'));
      } catch (e) {
        err(`prices set: cannot read ${file} as JSON (${(e as Error).message})`);
        return EXIT.config;
      }
      const models = Array.isArray(parsed) ? parsed : (parsed as { models?: unknown } | null)?.models;
      const { engine } = await openEngine();
      const r = await engine.prices.createVersion({ effective_at: values.at, models, note: values.note });
      if (r.ok) await audit(engine, 'prices set', r.value.id);
      await engine.close();
      if (!r.ok) return refused('prices set', r);
      out(
        `${r.value.id} takes effect at ${new Date(r.value.effectiveAtMs).toISOString()} (${r.value.models.length} models)`,
      );
      return EXIT.ok;
    },
  },
  'prices show': {
    usage: 'tollgate prices show [--at TIME] [--account ID] [--json]',
    help: "Print the rate card in effect at TIME (default now), with the account's contract applied when --account is given, and every version with its date.",
    flags: ['at', 'account'],
    switches: ['json'],
    maxPositionals: 0,
    async run({ values }) {
      const { engine } = await openEngine();
      const r = await engine.prices.at({
        ...(values.at !== undefined ? { at: values.at } : {}),
        ...(values.account !== undefined ? { accountId: values.account } : {}),
      });
      const versions = await engine.prices.versions();
      await engine.close();
      if (!r.ok) return refused('prices show', r);
      const { version, contract, models } = r.value;
      if (values.json) {
        out(
          JSON.stringify(
            {
              version_id: version.id,
              effective_at: new Date(version.effectiveAtMs).toISOString(),
              contract_id: contract?.id ?? null,
              models,
            },
            null,
            2,
          ),
        );
        return EXIT.ok;
      }
      out(
        `version ${version.id}, in effect since ${new Date(version.effectiveAtMs).toISOString()}${contract ? `, contract ${contract.id}` : ''}`,
      );
      printPage(
        ['MODEL', 'DIMENSION', 'CREDITS', 'PER', 'WHOLE'],
        models.flatMap((m) =>
          m.dimensions.map((d) => [m.model, d.name, d.credits, d.per, d.whole ? 'yes' : 'no']),
        ),
        null,
        'models',
      );
      out('');
      printPage(
        ['VERSION', 'EFFECTIVE_AT', 'MODELS', 'NOTE'],
        versions.map((v) => [v.id, new Date(v.effectiveAtMs).toISOString(), String(v.models.length), v.note]),
        null,
        'versions',
      );
      return EXIT.ok;
    },
  },
  'accounts create': {
    usage: 'tollgate accounts create NAME [--email EMAIL] [--external-id ID]',
    help: 'Create an account and print its id.',
    flags: ['email', 'external-id'],
    maxPositionals: 1,
    async run({ positionals: [name], values }) {
      if (!name)
        return missing('accounts create', 'the account name, e.g. tollgate accounts create "Acme Films"');
      const { engine } = await openEngine();
      const r = await engine.accounts.create({
        name,
        email: values.email ?? null,
        externalId: values['external-id'] ?? null,
      });
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
  'accounts list': {
    usage: 'tollgate accounts list [--email EMAIL] [--external-id ID] [--limit N] [--cursor ID] [--json]',
    help: 'List accounts, newest first (id, created, name, email, external id); find one by email or external id. --json prints what GET /v1/accounts answers.',
    flags: ['email', 'external-id', 'limit', 'cursor'],
    switches: ['json'],
    maxPositionals: 0,
    async run({ values }) {
      const limit = limitOf(values.limit);
      if (limit === null) return badLimit('accounts list');
      const { engine, settings } = await openEngine();
      const r = await engine.accounts.list({
        limit,
        ...(values.email ? { email: values.email } : {}),
        ...(values['external-id'] ? { externalId: values['external-id'] } : {}),
        ...(values.cursor ? { cursor: values.cursor } : {}),
      });
      await engine.close();
      if (!r.ok) return refused('accounts list', r);
      const s = serializers(settings.config);
      const page = { data: r.value.data.map(s.account), next_cursor: r.value.nextCursor };
      if (values.json) out(JSON.stringify(page, null, 2));
      else
        printPage(
          ['id', 'created (UTC)', 'name', 'email', 'external id'],
          page.data.map((a) => [a.id, a.created_at, a.name, a.email, a.external_id]),
          page.next_cursor,
          'accounts',
        );
      return EXIT.ok;
    },
  },
  'keys create': {
    usage: 'tollgate keys create ACCOUNT NICKNAME',
    help: 'Create an API key and print its secret, once: it is not stored and cannot be shown again.',
    maxPositionals: 2,
    async run({ positionals: [account, nickname] }) {
      if (!account || !nickname)
        return missing(
          'keys create',
          'the account id and a nickname, e.g. tollgate keys create acc_... prod',
        );
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
  'purchases list': {
    usage: 'tollgate purchases list [--status pending|paid|failed] [--limit N] [--cursor ID] [--json]',
    help: "List every account's credit purchases, newest first; --status pending shows what waits for POST /v1/credit_purchases/{id}/confirm. --json prints what GET /v1/credit_purchases answers.",
    flags: ['status', 'limit', 'cursor'],
    switches: ['json'],
    maxPositionals: 0,
    async run({ values }) {
      const status = values.status;
      if (status !== undefined && !PURCHASE_STATUSES.includes(status as PurchaseStatus)) {
        err(`purchases list: --status must be one of ${PURCHASE_STATUSES.join(', ')}, got "${status}"`);
        return EXIT.config;
      }
      const limit = limitOf(values.limit);
      if (limit === null) return badLimit('purchases list');
      const { engine, settings } = await openEngine();
      const r = await engine.credits.allPurchases({
        limit,
        ...(status ? { status: status as PurchaseStatus } : {}),
        ...(values.cursor ? { cursor: values.cursor } : {}),
      });
      await engine.close();
      const s = serializers(settings.config);
      const page = { data: r.data.map(s.purchase), next_cursor: r.nextCursor };
      if (values.json) out(JSON.stringify(page, null, 2));
      else
        printPage(
          ['id', 'created (UTC)', 'account', 'status', 'credits', 'total (USD)', 'origin'],
          page.data.map((p) => [p.id, p.created_at, p.account_id, p.status, p.credits, p.total, p.origin]),
          page.next_cursor,
          'purchases',
        );
      return EXIT.ok;
    },
  },
};

const PURCHASE_STATUSES: readonly PurchaseStatus[] = ['pending', 'paid', 'failed'];

/** `--limit`: 1 to 500, 100 when not given; null when it is not such a number. */
function limitOf(value: string | undefined): number | null {
  if (value === undefined) return 100;
  const n = Number(value);
  return /^\d+$/.test(value) && n >= 1 && n <= 500 ? n : null;
}

function badLimit(command: string): number {
  err(`${command}: --limit must be a whole number from 1 to 500`);
  return EXIT.config;
}

function missing(command: string, what: string): number {
  err(`${command}: give ${what}\nusage: ${COMMANDS[command]!.usage}`);
  return EXIT.config;
}

/** A refusal of the input (a cursor this command never gave): bad usage, exit 2. */
function refused(command: string, r: { code: string; message: string }): number {
  err(`${command}: ${r.code}: ${r.message}`);
  return EXIT.config;
}

/** Rows as aligned columns (empty cells as -), and how to get the next page when there is one. */
function printPage(
  header: string[],
  rows: (string | null | undefined)[][],
  nextCursor: string | null,
  noun: string,
): void {
  if (rows.length === 0) {
    out(`no ${noun}`);
    return;
  }
  const cells = [
    header,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : c))),
  ];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  for (const r of cells)
    out(
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  if (nextCursor) process.stderr.write(`more ${noun}: add --cursor ${nextCursor}\n`);
}

function usage(): string {
  return [
    'usage: tollgate <command> [args]   (tollgate <command> --help for more)',
    '',
    ...Object.values(COMMANDS).map(
      (c) => `  ${c.usage}\n      ${c.help.split('. ')[0]!.replace(/\.$/, '')}.`,
    ),
  ].join('\n');
}

/** The command named by the first word, or the first two (`accounts list`); or what is wrong. */
function commandOf(argv: string[]): { name: string; command: Command; args: string[] } | string {
  const [first = '', second = ''] = argv;
  const two = COMMANDS[`${first} ${second}`];
  if (two) return { name: `${first} ${second}`, command: two, args: argv.slice(2) };
  const one = COMMANDS[first];
  if (one) return { name: first, command: one, args: argv.slice(1) };
  const subs = Object.keys(COMMANDS)
    .filter((n) => n.startsWith(`${first} `))
    .map((n) => n.slice(first.length + 1));
  if (subs.length === 0) return `unknown command ${first}`;
  return `${first}: ${second && !second.startsWith('-') ? `unknown subcommand ${second}` : 'give a subcommand'} (one of ${subs.join(', ')})`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name ? EXIT.ok : EXIT.config;
  }
  const found = commandOf(argv);
  if (typeof found === 'string') {
    err(`${found}\n${usage()}`);
    return EXIT.config;
  }
  const { command, args } = found;
  if (args.includes('--help') || args.includes('-h')) {
    out(`usage: ${command.usage}\n\n${command.help}`);
    return EXIT.ok;
  }
  const parsed = parseCommandArgs(found.name, command, args);
  if (typeof parsed === 'string') {
    err(`${found.name}: ${parsed}\nusage: ${command.usage}`);
    return EXIT.config;
  }
  return command.run(parsed);
}

/** The command's arguments, or what is wrong with them: an unknown flag, a missing value, one argument too many. */
function parseCommandArgs(name: string, command: Command, args: string[]): Args | string {
  const flags = command.flags ?? [];
  const switches = command.switches ?? [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries([
        ...flags.map((f) => [f, { type: 'string' as const }]),
        ...switches.map((f) => [f, { type: 'boolean' as const }]),
      ]),
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const flag = /'(-[^ ']*)/.exec((e as Error).message)?.[1] ?? '';
    const takes = [...flags, ...switches];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      return `unknown option ${flag}${takes.length > 0 ? ` (${name} takes ${takes.map((f) => `--${f}`).join(', ')})` : ` (${name} takes no options)`}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      return switches.includes(flag.replace(/^--/, '').split('=')[0]!)
        ? `option ${flag.split('=')[0]} takes no value`
        : `option ${flag} needs a value`;
    throw e;
  }
  if (parsed.positionals.length > command.maxPositionals)
    return `unexpected argument "${parsed.positionals[command.maxPositionals]}" (quote a name that has spaces)`;
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(parsed.values)) values[k] = v === true ? 'yes' : (v as string);
  return { positionals: parsed.positionals, values };
}

const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
