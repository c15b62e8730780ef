import { accessSlice } from './access/index.ts';
import { autoTopUpListener, creditsSlice } from './credits/index.ts';
import { einvoicesSlice } from './einvoices/index.ts';
import { createHotCache } from './kernel/cache.ts';
import { systemAccounts } from './kernel/chart.ts';
import type { TollgateConfig } from './kernel/config.ts';
import { type Context, read, type Scheduler } from './kernel/context.ts';
import type { Observer } from './kernel/observer.ts';
import type { PaymentProvider } from './kernel/payments.ts';
import type {
  Clock,
  EInvoiceRenderer,
  IdSource,
  InvoiceRenderer,
  RequestHook,
  RequestScopes,
  SignInProvider,
  Storage,
  WebhookSender,
} from './kernel/ports.ts';
import { beginRequest, NO_SCOPES, type RequestInput } from './kernel/retries.ts';
import { newPriceState, pricesSlice, startPrices } from './prices/index.ts';
import { reportsSlice } from './reports/index.ts';
import { newSpendState, runwayListener, spendListener } from './spend/index.ts';
import { usageSlice } from './usage/index.ts';
import { balanceAlertsListener, webhooksSlice } from './webhooks/index.ts';

export interface EngineDeps {
  storage: Storage;
  clock: Clock;
  ids: IdSource;
  config: TollgateConfig;
  payments: PaymentProvider[];
  schedule: Scheduler;
  renderer: InvoiceRenderer;
  /** E-invoices (UBL, CII, Factur-X); without it, asking for one is an error. */
  einvoices?: EInvoiceRenderer;
  webhookSender: WebhookSender;
  signIn?: SignInProvider;
  /** Which request running code works for (default: none; `createTollgate` gives Node's). */
  requestScopes?: RequestScopes;
}

/**
 * The engine: every use case of tollgate, bound to its storage, clock and ids.
 * @example const engine = await createEngine(deps); await engine.accounts.create({ name: 'Acme' });
 */
export async function createEngine(deps: EngineDeps) {
  const ctx: Context = {
    storage: deps.storage,
    clock: deps.clock,
    ids: deps.ids,
    config: deps.config,
    payments: Object.fromEntries(deps.payments.map((p) => [p.name, p])),
    schedule: deps.schedule,
    webhooks: {
      sender: deps.webhookSender,
      inFlight: new Set(),
      perEndpoint: new Map(),
      balanceListeners: null,
    },
    observer: {},
    spend: newSpendState(),
    cache: createHotCache(deps.storage.shared ? deps.config.sharedCacheTtlMs : Number.POSITIVE_INFINITY),
    requests: { scopes: deps.requestScopes ?? NO_SCOPES, lastPurgeMs: 0 },
    // What follows every change of a balance, in this order: the alerts decide whether anyone
    // hears balance events (the runway reads it), limits are announced before top-ups start.
    listeners: [balanceAlertsListener, spendListener, runwayListener, autoTopUpListener],
  };
  await ctx.storage.transaction((tx) => tx.ledger.insertAccounts(systemAccounts()));
  // Each feature builds its slice of the engine; this only wires them.
  const access = accessSlice(ctx, deps.signIn);
  const prices = newPriceState(ctx.cache.ttlMs);
  await startPrices(ctx, prices, deps.config);
  const usage = usageSlice(ctx, prices);
  return {
    /**
     * The storage this engine runs on, for tests and tools beside the engine (backup, benchmarks,
     * fault injection, reading back what was stored). What is written through it bypasses every
     * rule of the core: applications use the methods below.
     */
    storage: deps.storage,
    config: deps.config,
    /** The engine's clock (injected: tests drive it), for the edges that show or count time. */
    clock: deps.clock,
    /** Resolves once storage answers a read; rejects (`StorageUnavailable`) while it cannot. For `/readyz`. */
    ready: async (): Promise<void> => {
      await read(ctx, (tx) => tx.accounts.get(''));
    },
    ...access,
    ...creditsSlice(ctx, deps.config, deps.renderer),
    ...einvoicesSlice(deps.einvoices),
    ...pricesSlice(ctx, prices),
    usage: usage.usage,
    billing: usage.billing,
    ...webhooksSlice(ctx),
    ...reportsSlice(ctx),
    /** Adds an observer (metrics); its methods are called after the fact. */
    observe(observer: Observer) {
      const previous = ctx.observer;
      ctx.observer = merge(previous, observer);
    },
    /**
     * Requests that change something (core/kernel/retries.ts): `begin` claims the caller's
     * `Idempotency-Key` (or answers what its first request answered); `run` runs the work so that
     * each unit of work commits the key's mark and the audit line with its change.
     */
    requests: {
      begin: (input: RequestInput) => beginRequest(ctx, input),
      run: <T>(hook: RequestHook, fn: () => Promise<T>) => ctx.requests.scopes.run(hook, fn),
    },
    /** Flushes queued usage and key use, then closes storage. */
    async close() {
      await usage.close();
      await access.keys.flushLastUsed();
      await ctx.storage.close();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof createEngine>>;

function merge(a: Observer, b: Observer): Observer {
  const out: Observer = {};
  for (const name of [
    'usageEvents',
    'groupCommit',
    'verification',
    'billingRun',
    'webhookDelivery',
    'exchangeRateMissing',
  ] as const) {
    const f = a[name] as ((...args: unknown[]) => void) | undefined;
    const g = b[name] as ((...args: unknown[]) => void) | undefined;
    if (f || g)
      (out as Record<string, unknown>)[name] = (...args: unknown[]) => {
        f?.(...args);
        g?.(...args);
      };
  }
  return out;
}
