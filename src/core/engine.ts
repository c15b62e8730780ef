import {
  type AccountInput,
  type AccountListQuery,
  type AccountPatch,
  type AuditInput,
  activateKey,
  authenticateOperator,
  cachedBalance,
  createAccount,
  createKey,
  createOperatorToken,
  createPortalLink,
  deleteKey,
  endPortalSession,
  flushKeyUse,
  getAccount,
  getKey,
  type KeyPatch,
  listAccounts,
  listAudit,
  listKeys,
  listOperatorTokens,
  newOperatorState,
  type OperatorTokenInput,
  openPortalLink,
  operatorGeneration,
  peekPortalLink,
  portalSession,
  readBalance,
  recordAudit,
  revokeOperatorToken,
  signInToPortal,
  suspendKey,
  updateAccount,
  updateKey,
  verifyKey,
} from './access/index.ts';
import {
  autoTopUpListener,
  captureHold,
  confirmPurchase,
  createHold,
  createPurchase,
  expireHolds,
  expireLots,
  failPurchase,
  type GrantInput,
  getHold,
  getPurchase,
  grantCredits,
  type HoldInput,
  handlePaymentNotice,
  type PurchaseInput,
  refundPurchase,
  releaseHold,
} from './credits/index.ts';
import { balanceIn } from './kernel/balance.ts';
import { createHotCache } from './kernel/cache.ts';
import { postTransfers, systemAccounts } from './kernel/chart.ts';
import type { TollgateConfig } from './kernel/config.ts';
import type { Context, Scheduler } from './kernel/context.ts';
import { read } from './kernel/context.ts';
import { ok, refuse } from './kernel/errors.ts';
import type { TransferInput } from './kernel/ledger.ts';
import type { InvoiceSnapshot, PurchaseStatus } from './kernel/model.ts';
import type { Observer } from './kernel/observer.ts';
import type { PaymentProvider } from './kernel/payments.ts';
import type {
  Clock,
  Identity,
  IdSource,
  InvoiceRenderer,
  RequestHook,
  RequestScopes,
  SignInProvider,
  Storage,
  WebhookSender,
} from './kernel/ports.ts';
import { beginRequest, NO_SCOPES, type RequestInput } from './kernel/retries.ts';
import { compilePriceBook, quote, taxFor } from './prices/index.ts';
import { deferredRevenue, journalLines, journalRange, traceTransfer } from './reports/index.ts';
import { accountSpend, newSpendState, runwayListener, runwaySeconds, spendListener } from './spend/index.ts';
import {
  allUsageRecords,
  drainUsage,
  ingestUsage,
  listDisputes,
  type MeteringState,
  openDispute,
  type RecordsInput,
  resolveDispute,
  runBilling,
  type SummaryInput,
  usageRecords,
  usageSummary,
  voidUsageEvent,
} from './usage/index.ts';
import {
  balanceAlertsListener,
  createEndpoint,
  deleteEndpoint,
  dispatchWebhooks,
  listDeliveries,
  rotateSecret,
} from './webhooks/index.ts';

export interface EngineDeps {
  storage: Storage;
  clock: Clock;
  ids: IdSource;
  config: TollgateConfig;
  payments: PaymentProvider[];
  schedule: Scheduler;
  renderer: InvoiceRenderer;
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
  const metering: MeteringState = {
    prices: compilePriceBook(deps.config.priceBook),
    priced: new Map(),
    pricedCount: 0,
    queue: [],
    scheduled: false,
    knownAccounts: new Set(),
  };

  const operators = newOperatorState();

  let billingChain: Promise<unknown> = Promise.resolve();
  return {
    /**
     * The storage this engine runs on, for tests and tools beside the engine (backup, benchmarks,
     * fault injection, reading back what was stored). What is written through it bypasses every
     * rule of the core: applications use the methods below.
     */
    storage: deps.storage,
    config: deps.config,
    /** Resolves once storage answers a read; rejects (`StorageUnavailable`) while it cannot. For `/readyz`. */
    ready: async (): Promise<void> => {
      await read(ctx, (tx) => tx.accounts.get(''));
    },
    accounts: {
      create: (input: AccountInput) => createAccount(ctx, input),
      get: (id: string) => getAccount(ctx, id),
      /** Accounts newest first, by email or external id if given, a page at a time. */
      list: (q: AccountListQuery) => listAccounts(ctx, q),
      update: (id: string, patch: AccountPatch) => updateAccount(ctx, id, patch),
      /** The balance as stored now (the cache is for verification). */
      balance: async (id: string) => {
        const b = await readBalance(ctx, id);
        return b ? ok(b) : refuse('not_found', `no account ${id}`);
      },
      /** The balance as stored now and, in the same read, how long it lasts (`runwaySeconds`). */
      balanceWithRunway: async (id: string) => {
        const b = await read(ctx, async (tx) => {
          const balance = await balanceIn(tx, id);
          return (
            balance && { ...balance, runwaySeconds: await runwaySeconds(ctx, tx, id, balance.available) }
          );
        });
        return b ? ok(b) : refuse('not_found', `no account ${id}`);
      },
      cachedBalance: (id: string) => cachedBalance(ctx, id),
      /** The account's own spend limit and the credits used in its period; null without a limit. */
      spend: (id: string) => read(ctx, (tx) => accountSpend(ctx, tx, id)),
    },
    keys: {
      create: (accountId: string, nickname: unknown) => createKey(ctx, accountId, nickname),
      get: (id: string) => getKey(ctx, id),
      list: (accountId: string) => listKeys(ctx, accountId),
      suspend: (id: string) => suspendKey(ctx, id),
      activate: (id: string) => activateKey(ctx, id),
      delete: (id: string) => deleteKey(ctx, id),
      update: (id: string, patch: KeyPatch) => updateKey(ctx, id, patch),
      verify: (secret: unknown) => verifyKey(ctx, secret),
      flushLastUsed: () => flushKeyUse(ctx, true),
    },
    /** Finance reports, from the ledger and the lot journal (core/reports/finance-reports.ts). */
    reports: {
      /** The liability of paid, unspent credits at cost over a month (`YYYY-MM`), rolled forward. */
      deferredRevenue: (month: unknown) => deferredRevenue(ctx, month),
      /** Checks `from` and `to` of a journal export. */
      journalRange,
      /** Every transfer in [from, to) with its value at cost, oldest first, a page per read. */
      journal: (fromMs: number, toMs: number) => journalLines(ctx, fromMs, toMs),
    },
    ledger: {
      post: (inputs: TransferInput[]) => postTransfers(ctx, inputs),
      /** A transfer and, for usage billing and its give-backs, what it covers. */
      trace: (id: string) => traceTransfer(ctx, id),
      audit: () => ctx.storage.audit(),
    },
    credits: {
      quote: (credits: unknown) => quote(deps.config, credits),
      /** The price for this buyer: its tax rate (reverse charge across an EU border) applies. */
      quoteFor: async (accountId: string, credits: unknown) => {
        const account = await getAccount(ctx, accountId);
        return account.ok ? quote(deps.config, credits, taxFor(deps.config, account.value).rate) : account;
      },
      /** The payment providers purchases may name (`manual` always). */
      providers: (): string[] => Object.keys(ctx.payments),
      purchase: (accountId: string, input: PurchaseInput, idempotencyKey: string) =>
        createPurchase(ctx, accountId, input, idempotencyKey),
      getPurchase: (id: string) => getPurchase(ctx, id),
      /** Every account's purchases, newest first, a page at a time (status `pending`: what waits for the operator). */
      allPurchases: async (q: { status?: PurchaseStatus; limit: number; cursor?: string }) => {
        const limit = Math.min(Math.max(1, Math.trunc(q.limit)), 500);
        const rows = await read(ctx, (tx) =>
          tx.purchases.listAll({
            limit: limit + 1,
            ...(q.status ? { status: q.status } : {}),
            ...(q.cursor ? { afterId: q.cursor } : {}),
          }),
        );
        const data = rows.slice(0, limit);
        return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.id : null };
      },
      listPurchases: async (accountId: string) => {
        const list = await read(ctx, async (tx) =>
          (await tx.accounts.get(accountId)) ? tx.purchases.list(accountId, 100) : undefined,
        );
        return list ? ok(list) : refuse('not_found', `no account ${accountId}`);
      },
      confirm: (id: string) => confirmPurchase(ctx, id),
      fail: (id: string) => failPurchase(ctx, id),
      refund: (id: string, credits?: unknown) => refundPurchase(ctx, id, credits),
      grant: (accountId: string, input: GrantInput) => grantCredits(ctx, accountId, input),
      expireLots: () => expireLots(ctx),
      lots: (accountId: string) => read(ctx, (tx) => tx.lots.listOpen(accountId)),
      /** Handles a payment provider's webhook: verifies it and settles only the purchase it matches. */
      webhook: (provider: string, rawBody: string, headers: Record<string, string | undefined>) =>
        handlePaymentNotice(ctx, provider, rawBody, headers),
    },
    invoices: {
      render: (snapshot: InvoiceSnapshot) => deps.renderer.render(snapshot),
      get: async (id: string) => {
        const i = await read(ctx, (tx) => tx.invoices.getInvoice(id));
        return i ? ok(i) : refuse('not_found', `no invoice ${id}`);
      },
      list: async (accountId: string) => {
        const list = await read(ctx, async (tx) =>
          (await tx.accounts.get(accountId)) ? tx.invoices.listInvoices(accountId) : undefined,
        );
        return list ? ok(list) : refuse('not_found', `no account ${accountId}`);
      },
      getCreditNote: async (id: string) => {
        const n = await read(ctx, (tx) => tx.invoices.getCreditNote(id));
        return n ? ok(n) : refuse('not_found', `no credit note ${id}`);
      },
      listCreditNotes: async (accountId: string) => {
        const list = await read(ctx, async (tx) =>
          (await tx.accounts.get(accountId)) ? tx.invoices.listCreditNotes({ accountId }) : undefined,
        );
        return list ? ok(list) : refuse('not_found', `no account ${accountId}`);
      },
    },
    usage: {
      ingest: (events: unknown[]) => ingestUsage(ctx, metering, events),
      summary: (input: SummaryInput) => usageSummary(ctx, input),
      records: (input: RecordsInput) => usageRecords(ctx, input),
      allRecords: (input: RecordsInput) => allUsageRecords(ctx, input),
      drain: () => drainUsage(ctx, metering),
      /** A stored event by its id (within the dedupe window), or undefined. */
      event: (id: string) => read(ctx, (tx) => tx.usage.findEvent(id)),
      /** Voids one event (a correction): see `core/usage/voids.ts`. */
      void: (eventId: string, reason: unknown) => voidUsageEvent(ctx, eventId, reason),
      /** A customer flags one of their records as wrong (see `core/usage/disputes.ts`). */
      dispute: (accountId: string, eventId: string, reason: unknown) =>
        openDispute(ctx, accountId, eventId, reason),
      resolveDispute: (id: string, outcome: unknown, note: unknown) => resolveDispute(ctx, id, outcome, note),
      disputes: (q: { status?: 'open' | 'resolved'; accountId?: string; limit: number; cursor?: string }) =>
        listDisputes(ctx, q),
    },
    billing: {
      /** Bills closed hours; runs one at a time, and `close()` waits for a running one. */
      run: (throughMs?: number) => {
        const run = billingChain.then(() => runBilling(ctx, throughMs));
        billingChain = run.catch(() => undefined);
        return run;
      },
    },
    /** Adds an observer (metrics); its methods are called after the fact. */
    observe(observer: Observer) {
      const previous = ctx.observer;
      ctx.observer = merge(previous, observer);
    },
    webhooks: {
      create: (url: unknown, events: unknown) => createEndpoint(ctx, ctx.webhooks, url, events),
      list: () => read(ctx, (tx) => tx.webhooks.listEndpoints()),
      get: async (id: string) => {
        const e = await read(ctx, (tx) => tx.webhooks.getEndpoint(id));
        return e ? ok(e) : refuse('not_found', `no webhook endpoint ${id}`);
      },
      delete: (id: string) => deleteEndpoint(ctx, ctx.webhooks, id),
      rotateSecret: (id: string) => rotateSecret(ctx, id),
      deliveries: (id: string) => listDeliveries(ctx, id),
      /** Starts every due delivery; the returned promises settle as each one finishes. */
      dispatch: () => dispatchWebhooks(ctx, ctx.webhooks),
    },
    portal: {
      createLink: (accountId: string) => createPortalLink(ctx, accountId),
      peekLink: (token: string) => peekPortalLink(ctx, token),
      openLink: (token: string) => openPortalLink(ctx, token),
      session: (token: string | undefined) => portalSession(ctx, token),
      endSession: (token: string | undefined) => endPortalSession(ctx, token),
      /** Standalone sign-in, when a provider is configured. */
      signIn: deps.signIn,
      signInWith: (identity: Identity) => signInToPortal(ctx, identity),
    },
    /** Operator tokens with scopes; the bootstrap token is the server's, not stored. */
    operators: {
      create: (input: OperatorTokenInput) => createOperatorToken(ctx, operators, input),
      list: () => listOperatorTokens(ctx),
      revoke: (id: string) => revokeOperatorToken(ctx, operators, id),
      /** The active token of this secret, or null; without an await while the snapshot is fresh. */
      authenticate: (secret: string) => authenticateOperator(ctx, operators, secret),
      /** Changes whenever the set of active tokens may have changed (see `OperatorState`). */
      generation: () => operatorGeneration(ctx, operators),
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
    /** The append-only log of changes made through the API, the portal and the CLI. */
    audit: {
      record: (input: AuditInput) => recordAudit(ctx, input),
      list: (limit: number, cursor?: string) => listAudit(ctx, limit, cursor),
    },
    holds: {
      create: (accountId: string, input: HoldInput) => createHold(ctx, accountId, input),
      get: (id: string) => getHold(ctx, id),
      capture: (id: string, credits: unknown) => captureHold(ctx, id, credits),
      release: (id: string) => releaseHold(ctx, id),
      expire: () => expireHolds(ctx),
    },
    /** Flushes queued usage and key use, then closes storage. */
    async close() {
      await billingChain;
      await drainUsage(ctx, metering);
      await flushKeyUse(ctx, true);
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
