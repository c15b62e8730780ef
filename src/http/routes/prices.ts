import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import type { Contract, PriceVersion, RateEntry } from '../../core/kernel/model.ts';
import { unwrap } from '../errors.ts';
import { type AppType, jsonRoute, on, plainRoute } from './common.ts';

/** A rate card entry as requests write it; the core checks every rule (`parseRateEntries`). */
export const RateEntryInput = z
  .object({
    model: z.string(),
    credits: z.string().optional(),
    per: z.string().optional(),
    whole: z.boolean().optional(),
    dimensions: z
      .array(
        z.strictObject({
          name: z.string(),
          credits: z.string(),
          per: z.string().optional(),
          whole: z.boolean().optional(),
        }),
      )
      .optional(),
  })
  .strict()
  .openapi('RateEntryInput');

const CreateVersion = z.strictObject({
  effective_at: z.string().openapi({ example: '2027-01-01T00:00:00Z' }),
  models: z.array(RateEntryInput),
  note: z.string().nullish(),
});

const CreateContract = z.strictObject({
  starts_at: z.string().optional(),
  ends_at: z.string().nullish(),
  discount_percent: z
    .union([z.string(), z.number()])
    .nullish()
    .openapi({ description: 'A decimal string from "0" to "100" (a number is read as one)', example: '15' }),
  models: z.array(RateEntryInput).optional(),
});

const PutRates = z.strictObject({
  date: z.string().openapi({ example: '2026-12-07' }),
  base: z.string().max(3).openapi({ example: 'EUR' }),
  rates: z.record(z.string(), z.string()).openapi({ example: { USD: '1.0843', GBP: '0.8571' } }),
});

const PricesQuery = z.object({ at: z.string().optional(), account_id: z.string().max(64).optional() });

const iso = (ms: number) => new Date(ms).toISOString();

/** A rate card entry as answers show it: always by dimensions. */
export const entryJson = (e: RateEntry) => ({
  model: e.model,
  dimensions: e.dimensions.map((d) => ({ name: d.name, credits: d.credits, per: d.per, whole: d.whole })),
});

export const versionJson = (v: PriceVersion) => ({
  id: v.id,
  object: 'price_version' as const,
  effective_at: iso(v.effectiveAtMs),
  models: v.models.map(entryJson),
  note: v.note,
  created_at: iso(v.createdAtMs),
});

export const contractJson = (k: Contract) => ({
  id: k.id,
  object: 'contract' as const,
  account_id: k.accountId,
  starts_at: iso(k.startsAtMs),
  ends_at: k.endsAtMs === null ? null : iso(k.endsAtMs),
  discount_percent: k.discountPercent,
  models: k.models.map(entryJson),
  created_at: iso(k.createdAtMs),
});

export function priceRoutes(app: AppType, engine: Engine): void {
  for (const register of [
    postPriceVersions,
    getPriceVersions,
    getPrices,
    postAccountsIdContracts,
    getAccountsIdContracts,
    postContractsIdEnd,
    putExchangeRates,
    getExchangeRates,
  ])
    register(app, engine);
}

function postPriceVersions(app: AppType, engine: Engine): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/price_versions',
      'Add a version of the rate card, in effect from effective_at (never re-rates stored events)',
      CreateVersion,
      201,
    ),
    async (c) => c.json(versionJson(unwrap(await engine.prices.createVersion(c.req.valid('json')))), 201),
  );
}

function getPriceVersions(app: AppType, engine: Engine): void {
  on(
    app,
    plainRoute('get', '/v1/price_versions', 'Every version of the rate card, newest first'),
    async (c) => c.json({ data: (await engine.prices.versions()).map(versionJson) }, 200),
  );
}

function getPrices(app: AppType, engine: Engine): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/prices',
      'The prices in effect at a time, with an account contract applied',
      PricesQuery,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const found = unwrap(
        await engine.prices.at({
          ...(q.at !== undefined ? { at: q.at } : {}),
          ...(q.account_id !== undefined ? { accountId: q.account_id } : {}),
        }),
      );
      return c.json(
        {
          version_id: found.version.id,
          effective_at: iso(found.version.effectiveAtMs),
          account_id: q.account_id ?? null,
          contract_id: found.contract?.id ?? null,
          models: found.models.map(entryJson),
        },
        200,
      );
    },
  );
}

function postAccountsIdContracts(app: AppType, engine: Engine): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/contracts',
      'Give an account a contract: its own prices or a discount on the card, for a period',
      CreateContract,
      201,
    ),
    async (c) =>
      c.json(
        contractJson(unwrap(await engine.contracts.create(c.req.valid('param').id, c.req.valid('json')))),
        201,
      ),
  );
}

function getAccountsIdContracts(app: AppType, engine: Engine): void {
  on(app, plainRoute('get', '/v1/accounts/{id}/contracts', "An account's contracts, by start"), async (c) =>
    c.json({ data: unwrap(await engine.contracts.list(c.req.valid('param').id)).map(contractJson) }, 200),
  );
}

function postContractsIdEnd(app: AppType, engine: Engine): void {
  on(app, plainRoute('post', '/v1/contracts/{id}/end', 'End a contract now'), async (c) =>
    c.json(contractJson(unwrap(await engine.contracts.end(c.req.valid('param').id))), 200),
  );
}

function putExchangeRates(app: AppType, engine: Engine): void {
  on(
    app,
    jsonRoute(
      'put',
      '/v1/exchange_rates',
      "Store a day's exchange rates (1 base = rate of each currency), e.g. the ECB's",
      PutRates,
    ),
    async (c) => {
      const r = unwrap(await engine.exchangeRates.put(c.req.valid('json')));
      return c.json({ date: r.day, base: r.base, rates: r.rates }, 200);
    },
  );
}

function getExchangeRates(app: AppType, engine: Engine): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/exchange_rates',
      'The rates in effect on a day (default today): per base, those of the latest day at or before it',
      z.object({ date: z.string().optional() }),
    ),
    async (c) => {
      const day = c.req.valid('query').date ?? new Date(engine.clock.nowMs()).toISOString().slice(0, 10);
      const rates = unwrap(await engine.exchangeRates.on(day));
      return c.json({ data: rates.map((r) => ({ date: r.day, base: r.base, rates: r.rates })) }, 200);
    },
  );
}
