/**
 * tollgate: a self-hostable credit billing engine for API platforms.
 *
 * @example
 * import { createTollgate, createApp } from 'tollgate';
 * const tollgate = await createTollgate({ database: './data/tollgate.db' });
 * const acme = await tollgate.accounts.create({ name: 'Acme' });
 */
import { eInvoiceRenderer } from './adapters/invoices/einvoice-renderer.ts';
import { pdfRenderer } from './adapters/invoices/pdf-renderer.ts';
import { PostgresStorage } from './adapters/postgres/postgres-storage.ts';
import type { SqliteDatabase } from './adapters/sqlite/sqlite-database.ts';
import { SqliteStorage } from './adapters/sqlite/sqlite-storage.ts';
import { asyncScopes, systemClock, systemIds } from './adapters/system/system.ts';
import { httpSender } from './adapters/webhooks/http-sender.ts';
import { createEngine, type Engine } from './core/engine.ts';
import { DEFAULT_CONFIG, type TollgateConfig } from './core/kernel/config.ts';
import { manualProvider, type PaymentProvider } from './core/kernel/payments.ts';
import type { Clock, IdSource, SignInProvider, WebhookSender } from './core/kernel/ports.ts';

export interface TollgateOptions {
  /**
   * A file path, `':memory:'`, an open SQLite database (default `':memory:'`), or
   * `{ postgres: url, schema? }` for PostgreSQL shared by several processes. An open database is
   * anything with the few methods of `SqliteDatabase`, e.g. `new Database(path)` of better-sqlite3.
   */
  database?: string | SqliteDatabase | { postgres: string; schema?: string; poolSize?: number };
  config?: Partial<TollgateConfig>;
  clock?: Clock;
  ids?: IdSource;
  /** Providers besides `manual`, e.g. the Stripe provider. */
  payments?: PaymentProvider[];
  /** How webhooks are sent; default: HTTP(S) with a 10 s timeout, to public addresses only unless `webhookPublicTargetsOnly` is off. */
  webhookSender?: WebhookSender;
  /** Standalone portal sign-in (OpenID Connect), e.g. `oidcSignIn({...})`. */
  signIn?: SignInProvider;
}

/**
 * Opens (and migrates) the store and returns the engine.
 * @example const tollgate = await createTollgate({ database: ':memory:' });
 */
export async function createTollgate(options: TollgateOptions = {}): Promise<Engine> {
  const config: TollgateConfig = { ...DEFAULT_CONFIG, ...options.config };
  const clock = options.clock ?? systemClock;
  const db = options.database ?? ':memory:';
  const storage =
    typeof db === 'object' && 'postgres' in db
      ? await PostgresStorage.open({
          url: db.postgres,
          ...(db.schema ? { schema: db.schema } : {}),
          ...(db.poolSize ? { poolSize: db.poolSize } : {}),
        })
      : await SqliteStorage.open({
          database: db,
          dedupeWindowMs: config.lateEventMaxAgeMs + config.futureToleranceMs,
          nowMs: clock.nowMs(),
        });
  return createEngine({
    storage,
    clock,
    ids: options.ids ?? systemIds(clock),
    config,
    payments: [manualProvider, ...(options.payments ?? [])],
    schedule: (fn) => setImmediate(fn),
    requestScopes: asyncScopes(),
    renderer: pdfRenderer,
    einvoices: eInvoiceRenderer,
    webhookSender:
      options.webhookSender ?? httpSender({ publicTargetsOnly: config.webhookPublicTargetsOnly }),
    ...(options.signIn ? { signIn: options.signIn } : {}),
  });
}

/**
 * A consistent online backup of an embedded SQLite database file into `target` (the server may
 * go on writing meanwhile); answers the pages copied. PostgreSQL is backed up with `pg_dump`.
 * @example await backupSqlite('data/tollgate.db', 'backups/tollgate-2026-12-07.db')
 */
export function backupSqlite(source: string, target: string): Promise<number> {
  return SqliteStorage.backupFile(source, target);
}

export { type OidcOptions, oidcSignIn } from './adapters/identity/oidc-sign-in.ts';
export { type StripeOptions, stripeProvider } from './adapters/payments/stripe-provider.ts';
export type { SqliteDatabase, SqliteStatement } from './adapters/sqlite/sqlite-database.ts';
export type { Engine } from './core/engine.ts';
export { formatAmount, parseAmount } from './core/kernel/amount.ts';
export type { TollgateConfig } from './core/kernel/config.ts';
export { DEFAULT_CONFIG } from './core/kernel/config.ts';
export { ERROR_CODES, type ErrorCode } from './core/kernel/errors.ts';
export type { PaymentProvider } from './core/kernel/payments.ts';
export type { Clock, IdSource, SignInProvider, WebhookSender } from './core/kernel/ports.ts';
export { type AppOptions, createApp, createNodeListener } from './http/app.ts';
