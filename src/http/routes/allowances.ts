import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import type { Allowance } from '../../core/kernel/model.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { Amount, type AppType, jsonRoute, on, plainRoute, ScopeModels } from './common.ts';

/** Monthly allowances (API.md "Rate card"): grants of credits at 00:00 UTC on every 1st. */
export function allowanceRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [
    postAccountsIdCreditAllowances,
    getAccountsIdCreditAllowances,
    deleteCreditAllowancesId,
  ])
    register(app, engine, s);
}

/** An allowance as the API shows it. */
export const allowanceAnswer = (s: Serializers) => (a: Allowance) => ({
  id: a.id,
  object: 'credit_allowance',
  account_id: a.accountId,
  credits: s.credits(a.creditsMinor),
  period: a.period,
  reason: a.reason,
  models: a.models,
  created_at: s.time(a.createdAtMs),
  ended_at: s.time(a.endedAtMs),
});

function postAccountsIdCreditAllowances(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/credit_allowances',
      'Grant credits every month (the first at once), each grant expiring when its month ends',
      z.strictObject({
        credits: Amount,
        period: z.string().max(10),
        reason: z.string().max(500),
        models: ScopeModels,
      }),
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const a = unwrap(await engine.allowances.create(c.req.valid('param').id, b));
      return c.json(allowanceAnswer(s)(a), 201);
    },
  );
}

function getAccountsIdCreditAllowances(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute('get', '/v1/accounts/{id}/credit_allowances', 'Credit allowances of an account, oldest first'),
    async (c) => {
      const list = unwrap(await engine.allowances.list(c.req.valid('param').id));
      return c.json({ data: list.map(allowanceAnswer(s)) }, 200);
    },
  );
}

function deleteCreditAllowancesId(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute(
      'delete',
      '/v1/credit_allowances/{id}',
      "Stop an allowance: no grant for the months after (this month's grant stays until it expires)",
    ),
    async (c) => {
      return c.json(allowanceAnswer(s)(unwrap(await engine.allowances.end(c.req.valid('param').id))), 200);
    },
  );
}
