import type { TollgateConfig } from '../kernel/config.ts';
import { type Context, read } from '../kernel/context.ts';
import { ok, refuse } from '../kernel/errors.ts';
import type { InvoiceSnapshot, PurchaseStatus } from '../kernel/model.ts';
import type { InvoiceRenderer, Tx } from '../kernel/ports.ts';
import { quote, quoteFor } from '../prices/index.ts';
import {
  type AllowanceInput,
  createAllowance,
  endAllowance,
  grantAllowances,
  listAllowances,
} from './allowances.ts';
import {
  confirmPurchase,
  createPurchase,
  expireLots,
  failPurchase,
  type GrantInput,
  getPurchase,
  grantCredits,
  type PurchaseInput,
} from './credits.ts';
import { captureHold, createHold, expireHolds, getHold, type HoldInput, releaseHold } from './holds.ts';
import { handlePaymentNotice } from './payment-notices.ts';
import { refundPurchase } from './refunds.ts';

/**
 * The credits feature's slice of the engine: purchases and their providers' notices, grants,
 * refunds, lots and their expiry, invoices and credit notes, holds.
 * @example const { credits, invoices, holds } = creditsSlice(ctx, deps.config, deps.renderer)
 */
export function creditsSlice(ctx: Context, config: TollgateConfig, renderer: InvoiceRenderer) {
  /** The buyer's account, or its refusal. */
  const accountOf = async (accountId: string) => {
    const account = await read(ctx, (tx) => tx.accounts.get(accountId));
    return account ? ok(account) : refuse('not_found', `no account ${accountId}`);
  };
  /** A list of an account's, `not_found` when there is no such account. */
  const ofAccount = async <T>(accountId: string, list: (tx: Tx) => Promise<T>) => {
    const found = await read(ctx, async (tx) => ((await tx.accounts.get(accountId)) ? list(tx) : undefined));
    return found === undefined ? refuse('not_found', `no account ${accountId}`) : ok(found);
  };
  return {
    credits: {
      quote: (credits: unknown) => quote(config, credits),
      /** The price for this buyer: its tax rate (reverse charge across an EU border) applies. */
      quoteFor: async (accountId: string, credits: unknown) => {
        const account = await accountOf(accountId);
        return account.ok ? quoteFor(config, account.value, credits, ctx.clock.nowMs()) : account;
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
      listPurchases: (accountId: string) => ofAccount(accountId, (tx) => tx.purchases.list(accountId, 100)),
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
    allowances: {
      create: (accountId: string, input: AllowanceInput) => createAllowance(ctx, accountId, input),
      list: (accountId: string) => listAllowances(ctx, accountId),
      end: (id: string) => endAllowance(ctx, id),
      /** Grants every allowance's current month not granted yet (the scheduler runs it; safe to run anywhere, any time). */
      grantDue: () => grantAllowances(ctx),
    },
    invoices: {
      render: (snapshot: InvoiceSnapshot) => renderer.render(snapshot),
      get: async (id: string) => {
        const i = await read(ctx, (tx) => tx.invoices.getInvoice(id));
        return i ? ok(i) : refuse('not_found', `no invoice ${id}`);
      },
      list: (accountId: string) => ofAccount(accountId, (tx) => tx.invoices.listInvoices(accountId)),
      getCreditNote: async (id: string) => {
        const n = await read(ctx, (tx) => tx.invoices.getCreditNote(id));
        return n ? ok(n) : refuse('not_found', `no credit note ${id}`);
      },
      listCreditNotes: (accountId: string) =>
        ofAccount(accountId, (tx) => tx.invoices.listCreditNotes({ accountId })),
    },
    holds: {
      create: (accountId: string, input: HoldInput) => createHold(ctx, accountId, input),
      get: (id: string) => getHold(ctx, id),
      capture: (id: string, credits: unknown) => captureHold(ctx, id, credits),
      release: (id: string) => releaseHold(ctx, id),
      expire: () => expireHolds(ctx),
    },
  };
}
