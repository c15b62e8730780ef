import { z } from '@hono/zod-openapi';
import { NICKNAME_MAX_CHARS } from '../../core/access/index.ts';
import type { Engine } from '../../core/engine.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, jsonRoute, on, plainRoute, rawRoute, SpendLimitSchema } from './common.ts';

export function keyRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [
    postAccountsIdApiKeys,
    getAccountsIdApiKeys,
    getApiKeysId,
    patchApiKeysId,
    postApiKeysIdSuspend,
    postApiKeysIdActivate,
    deleteApiKeysId,
  ])
    register(app, engine, s);
}

function postAccountsIdApiKeys(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/api_keys',
      'Create an API key (the secret is in this answer only)',
      z.strictObject({ nickname: z.string().max(NICKNAME_MAX_CHARS) }),
      201,
    ),
    async (c) => {
      const { key, secret } = unwrap(
        await engine.keys.create(c.req.valid('param').id, c.req.valid('json').nickname),
      );
      return c.json({ ...s.key(key), secret }, 201);
    },
  );
}

function getAccountsIdApiKeys(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute('get', '/v1/accounts/{id}/api_keys', 'List API keys (deleted keys are not listed)'),
    async (c) => {
      const keys = unwrap(await engine.keys.list(c.req.valid('param').id));
      return c.json({ data: keys.map(s.key) }, 200);
    },
  );
}

function getApiKeysId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/api_keys/{id}', 'Get an API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.get(c.req.valid('param').id))), 200);
  });
}

function patchApiKeysId(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'patch',
      '/v1/api_keys/{id}',
      'Rename an API key or set its spend limit',
      z.strictObject({
        nickname: z.string().max(NICKNAME_MAX_CHARS).optional(),
        spend_limit: SpendLimitSchema.nullable().optional(),
        spend_budget: SpendLimitSchema.nullable().optional(),
      }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      const patch = {
        ...(b.nickname !== undefined ? { nickname: b.nickname } : {}),
        ...(b.spend_limit !== undefined ? { spendLimit: b.spend_limit } : {}),
        ...(b.spend_budget !== undefined ? { spendBudget: b.spend_budget } : {}),
      };
      return c.json(s.key(unwrap(await engine.keys.update(c.req.valid('param').id, patch))), 200);
    },
  );
}

function postApiKeysIdSuspend(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('post', '/v1/api_keys/{id}/suspend', 'Suspend an API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.suspend(c.req.valid('param').id))), 200);
  });
}

function postApiKeysIdActivate(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('post', '/v1/api_keys/{id}/activate', 'Activate a suspended API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.activate(c.req.valid('param').id))), 200);
  });
}

function deleteApiKeysId(app: AppType, engine: Engine, _s: Serializers): void {
  on(app, rawRoute('delete', '/v1/api_keys/{id}', 'Delete a suspended API key', 'none'), async (c) => {
    unwrap(await engine.keys.delete(c.req.valid('param').id));
    return c.body(null, 204);
  });
}
