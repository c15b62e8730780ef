import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { parseCredits } from '../../core/kernel/amount.ts';
import { BILLING_FIELD_MAX_CHARS } from '../../core/kernel/billing-details.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { Amount, type AppType, jsonRoute, on, plainRoute, SpendLimitSchema } from './common.ts';

const CreateAccount = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.string().max(254).nullish(),
  external_id: z.string().min(1).max(200).nullish(),
  currency: z
    .string()
    .max(3)
    .nullish()
    .openapi({ description: 'ISO 4217, one of TOLLGATE_CURRENCIES (default: the first)', example: 'EUR' }),
});

const PatchAccount = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  email: z.string().max(254).nullable().optional(),
  low_balance_threshold: Amount.nullable().optional(),
  spend_limit: SpendLimitSchema.nullable().optional(),
  spend_budget: SpendLimitSchema.nullable().optional(),
  auto_top_up: z
    .strictObject({
      threshold: Amount,
      credits: Amount,
      monthly_max_total: Amount.openapi({ description: "In the account's currency" }),
      provider: z.string().max(40),
    })
    .nullable()
    .optional(),
  billing_details: z
    .strictObject({
      legal_name: z.string().max(BILLING_FIELD_MAX_CHARS.legal_name),
      address_line1: z.string().max(BILLING_FIELD_MAX_CHARS.address_line1),
      address_line2: z.string().max(BILLING_FIELD_MAX_CHARS.address_line2).nullish(),
      postal_code: z.string().max(BILLING_FIELD_MAX_CHARS.postal_code),
      city: z.string().max(BILLING_FIELD_MAX_CHARS.city),
      country: z.string().max(2).openapi({ description: 'ISO 3166-1 alpha-2', example: 'DE' }),
      tax_id: z
        .string()
        .max(BILLING_FIELD_MAX_CHARS.tax_id)
        .nullish()
        .openapi({ description: 'VAT number in the EU (checked against its country format)' }),
    })
    .nullable()
    .optional()
    .openapi({ description: 'Who invoices are addressed to; frozen into each invoice at issue' }),
  currency: z.string().max(3).optional().openapi({
    description: 'ISO 4217; 409 invalid_state once the account has paid a purchase',
    example: 'EUR',
  }),
});

export function accountRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [postAccounts, getAccounts, getAccountsId, patchAccountsId, getAccountsIdBalance])
    register(app, engine, s);
}

function postAccounts(app: AppType, engine: Engine, s: Serializers): void {
  on(app, jsonRoute('post', '/v1/accounts', 'Create an account', CreateAccount, 201), async (c) => {
    const b = c.req.valid('json');
    const account = unwrap(
      await engine.accounts.create({
        name: b.name,
        email: b.email ?? null,
        externalId: b.external_id ?? null,
        currency: b.currency ?? null,
      }),
    );
    return c.json(s.account(account), 201);
  });
}

function getAccounts(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/accounts',
      'Accounts, newest first; find one by email or external_id',
      z.object({
        email: z.string().max(254).optional(),
        external_id: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(64).optional(),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const page = unwrap(
        await engine.accounts.list({
          limit: q.limit,
          ...(q.email ? { email: q.email } : {}),
          ...(q.external_id ? { externalId: q.external_id } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        }),
      );
      return c.json({ data: page.data.map(s.account), next_cursor: page.nextCursor }, 200);
    },
  );
}

function getAccountsId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/accounts/{id}', 'Get an account'), async (c) => {
    return c.json(s.account(unwrap(await engine.accounts.get(c.req.valid('param').id))), 200);
  });
}

function patchAccountsId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, jsonRoute('patch', '/v1/accounts/{id}', 'Update an account', PatchAccount), async (c) => {
    const b = c.req.valid('json');
    let threshold: bigint | null | undefined;
    if (b.low_balance_threshold === null) threshold = null;
    else if (b.low_balance_threshold !== undefined) {
      threshold = unwrap(
        // Bounded like every amount: a larger one is amount_out_of_range, never a 500 from the store.
        parseCredits(
          b.low_balance_threshold,
          engine.config.scales.credits,
          engine.config.maxCreditsMinor,
          'low_balance_threshold',
          { allowZero: true },
        ),
      );
    }
    const patch = {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.email !== undefined ? { email: b.email } : {}),
      ...(threshold !== undefined ? { lowBalanceThresholdMinor: threshold } : {}),
      ...(b.spend_limit !== undefined ? { spendLimit: b.spend_limit } : {}),
      ...(b.spend_budget !== undefined ? { spendBudget: b.spend_budget } : {}),
      ...(b.auto_top_up !== undefined ? { autoTopUp: b.auto_top_up } : {}),
      ...(b.billing_details !== undefined ? { billingDetails: b.billing_details } : {}),
      ...(b.currency !== undefined ? { currency: b.currency } : {}),
    };
    return c.json(s.account(unwrap(await engine.accounts.update(c.req.valid('param').id, patch))), 200);
  });
}

function getAccountsIdBalance(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/accounts/{id}/balance', 'The credit balance of an account'), async (c) => {
    return c.json(s.balance(unwrap(await engine.accounts.balanceWithRunway(c.req.valid('param').id))), 200);
  });
}
