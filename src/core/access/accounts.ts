import { parseAutoTopUp } from '../credits/index.ts';
import { type Balance, balanceIn } from '../kernel/balance.ts';
import { parseBillingDetails } from '../kernel/billing-details.ts';
import { CREDITS } from '../kernel/chart.ts';
import { type Context, fail, read, unit } from '../kernel/context.ts';
import { currenciesOf, currencyOf } from '../kernel/currency.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import type { Account } from '../kernel/model.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { parseSpendLimit } from '../spend/index.ts';

export interface AccountInput {
  name: string;
  email?: string | null;
  externalId?: string | null;
  /** ISO 4217 code of one of the operator's currencies; absent: the default. */
  currency?: string | null;
}

/** A currency an account may buy in: one the operator sells in (`TOLLGATE_CURRENCIES`). */
function parseCurrency(ctx: Context, code: unknown): Result<string | null> {
  if (code === null || code === undefined) return ok(null);
  const sold = currenciesOf(ctx.config).map((c) => c.code);
  if (typeof code !== 'string' || !currencyOf(ctx.config, code.toUpperCase()))
    return invalidField('currency', `must be one of the currencies sold: ${sold.join(', ')}`);
  return ok(code.toUpperCase());
}

export type { Balance };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(input: AccountInput): Result<AccountInput> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) return invalidField('name', 'must be 1 to 200 characters');
  if (input.email != null && (input.email.length > 254 || !EMAIL.test(input.email))) {
    return invalidField('email', 'must be an email address');
  }
  if (input.externalId != null && (input.externalId.length < 1 || input.externalId.length > 200)) {
    return invalidField('external_id', 'must be 1 to 200 characters');
  }
  return ok({ name, email: input.email ?? null, externalId: input.externalId ?? null });
}

/**
 * Creates a customer account and its credit account in the ledger (floor zero).
 * Creating again with the same `externalId` and the same fields returns the first account.
 * @example await createAccount(ctx, { name: 'Acme', email: 'ops@acme.test' })
 */
export async function createAccount(ctx: Context, raw: AccountInput): Promise<Result<Account>> {
  const valid = validate(raw);
  if (!valid.ok) return valid;
  const currency = parseCurrency(ctx, raw.currency);
  if (!currency.ok) return currency;
  const input = valid.value;
  return unit(ctx, async (tx) => {
    if (input.externalId) {
      const existing = await tx.accounts.findByExternalId(input.externalId);
      if (existing) {
        if (existing.name === input.name && existing.email === input.email) return existing;
        fail(refuse('idempotency_conflict', 'an account with this external_id exists with other fields'));
      }
    }
    const account: Account = {
      id: ctx.ids.newId('acc'),
      name: input.name,
      email: input.email ?? null,
      externalId: input.externalId ?? null,
      ledgerAccountId: '',
      lowBalanceThresholdMinor: null,
      spendLimit: null,
      autoTopUp: null,
      currency: currency.value,
      createdAtMs: ctx.clock.nowMs(),
    };
    account.ledgerAccountId = account.id;
    await tx.ledger.insertAccounts([
      {
        id: account.id,
        asset: CREDITS,
        kind: 'customer',
        overdraftMinor: 0n,
        debitsPosted: 0n,
        creditsPosted: 0n,
        debitsPending: 0n,
        creditsPending: 0n,
      },
    ]);
    await tx.accounts.insert(account);
    return account;
  });
}

export async function getAccount(ctx: Context, id: string): Promise<Result<Account>> {
  const account = await read(ctx, (tx) => tx.accounts.get(id));
  return account ? ok(account) : refuse('not_found', `no account ${id}`);
}

export interface AccountPatch {
  name?: string;
  email?: string | null;
  lowBalanceThresholdMinor?: bigint | null;
  /** The operator's cap: `{ credits, period }` or null; parsed by `parseSpendLimit`. */
  spendLimit?: unknown;
  /** The customer's own budget (the portal sets only this): `{ credits, period }` or null. */
  spendBudget?: unknown;
  /** `{ threshold, credits, monthly_max_total, provider }` or null; parsed by `parseAutoTopUp`. */
  autoTopUp?: unknown;
  /** `{ legal_name, address_line1, ... }` or null; parsed by `parseBillingDetails`. */
  billingDetails?: unknown;
  /** ISO 4217 code; refused once the account has paid a purchase (its invoices are in the old one). */
  currency?: unknown;
}

export async function updateAccount(ctx: Context, id: string, patch: AccountPatch): Promise<Result<Account>> {
  const limit =
    patch.spendLimit === undefined ? undefined : parseSpendLimit(ctx, patch.spendLimit, 'spend_limit');
  if (limit && !limit.ok) return limit;
  const budget =
    patch.spendBudget === undefined ? undefined : parseSpendLimit(ctx, patch.spendBudget, 'spend_budget');
  if (budget && !budget.ok) return budget;
  const topUp = patch.autoTopUp === undefined ? undefined : await parseAutoTopUp(ctx, id, patch.autoTopUp);
  if (topUp && !topUp.ok) return topUp;
  const details =
    patch.billingDetails == null ? patch.billingDetails : parseBillingDetails(patch.billingDetails);
  if (details && !details.ok) return details;
  const currency = patch.currency === undefined ? undefined : parseCurrency(ctx, patch.currency);
  if (currency && !currency.ok) return currency;
  // A change of settings: the unit of work's listeners read them from this change (a limit
  // already reached is announced; set below its threshold, the first top-up starts and is charged
  // after the commit), and forget what was known of them once it committed.
  const result = await balanceUnit(
    ctx,
    async (tx) => {
      const account = await tx.accounts.lock(id);
      if (!account) fail(refuse('not_found', `no account ${id}`));
      const next = { ...account };
      if (patch.name !== undefined || patch.email !== undefined) {
        const v = validate({
          name: patch.name ?? account.name,
          email: patch.email === undefined ? account.email : patch.email,
        });
        if (!v.ok) fail(v);
        next.name = v.value.name;
        next.email = v.value.email ?? null;
      }
      if (patch.lowBalanceThresholdMinor !== undefined)
        next.lowBalanceThresholdMinor = patch.lowBalanceThresholdMinor;
      if (limit) next.spendLimit = limit.value;
      if (budget) next.spendBudget = budget.value;
      if (topUp) next.autoTopUp = topUp.value;
      if (details !== undefined) next.billingDetails = details?.value ?? null;
      if (currency) {
        const from = currencyOf(ctx.config, account.currency)!.code;
        const to = currencyOf(ctx.config, currency.value)!.code;
        // Money already paid stays in its currency: its invoices, credit notes and refunds too.
        if (from !== to && (await tx.invoices.listInvoices(id)).length > 0)
          fail(
            refuse(
              'invalid_state',
              `the account has paid in ${from}; its currency cannot change once a purchase is paid`,
            ),
          );
        next.currency = currency.value;
      }
      await tx.accounts.update(next);
      return next;
    },
    'full',
    [id],
  );
  return result;
}

export interface AccountListQuery {
  email?: string;
  externalId?: string;
  /** 1 to 500. */
  limit: number;
  /** The id of the last account of the previous page. */
  cursor?: string;
}

/**
 * Accounts newest first, a page at a time; only those with this email or external id when given
 * (an operator finding a customer). `nextCursor` is null on the last page.
 * @example await listAccounts(ctx, { email: 'ops@acme.test', limit: 20 }) // ok({ data: [acme], nextCursor: null })
 */
export async function listAccounts(
  ctx: Context,
  q: AccountListQuery,
): Promise<Result<{ data: Account[]; nextCursor: string | null }>> {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 500)
    return invalidField('limit', 'must be a whole number from 1 to 500');
  const rows = await read(ctx, async (tx) => {
    if (q.cursor && !(await tx.accounts.get(q.cursor))) return undefined;
    return tx.accounts.list({
      limit: q.limit + 1,
      ...(q.email ? { email: q.email } : {}),
      ...(q.externalId ? { externalId: q.externalId } : {}),
      ...(q.cursor ? { afterId: q.cursor } : {}),
    });
  });
  if (!rows) return invalidField('cursor', 'is not a cursor this API gave');
  const data = rows.slice(0, q.limit);
  return ok({ data, nextCursor: rows.length > q.limit ? data[data.length - 1]!.id : null });
}

/** Reads an account's balance from storage (no cache). */
export async function readBalance(ctx: Context, accountId: string): Promise<Balance | undefined> {
  return read(ctx, (tx) => balanceIn(tx, accountId));
}
