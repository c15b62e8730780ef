import { z } from '@hono/zod-openapi';
import { formatAmount } from '../../core/amount.ts';
import type { Engine } from '../../core/engine.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, body, jsonRoute, on, param, plainRoute } from './common.ts';

export function keyRoutes(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/api_keys',
      'Create an API key (the secret is in this answer only)',
      z.strictObject({ nickname: z.string().max(1000) }),
      201,
    ),
    async (c) => {
      const { key, secret } = unwrap(
        await engine.keys.create(param(c, 'id'), body<{ nickname: string }>(c).nickname),
      );
      return c.json({ ...s.key(key), secret }, 201);
    },
  );

  on(
    app,
    plainRoute('get', '/v1/accounts/{id}/api_keys', 'List API keys (deleted keys are not listed)'),
    async (c) => {
      const keys = unwrap(await engine.keys.list(param(c, 'id')));
      return c.json({ data: keys.map(s.key) }, 200);
    },
  );

  on(app, plainRoute('get', '/v1/api_keys/{key_id}', 'Get an API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.get(param(c, 'key_id')))), 200);
  });

  on(app, plainRoute('post', '/v1/api_keys/{key_id}/suspend', 'Suspend an API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.suspend(param(c, 'key_id')))), 200);
  });

  on(app, plainRoute('post', '/v1/api_keys/{key_id}/activate', 'Activate a suspended API key'), async (c) => {
    return c.json(s.key(unwrap(await engine.keys.activate(param(c, 'key_id')))), 200);
  });

  on(
    app,
    plainRoute('delete', '/v1/api_keys/{key_id}', 'Delete a suspended API key', undefined, 204),
    async (c) => {
      unwrap(await engine.keys.delete(param(c, 'key_id')));
      return c.body(null, 204);
    },
  );

  on(
    app,
    jsonRoute(
      'post',
      '/v1/api_keys/verify',
      'Verify an API key secret',
      z.strictObject({ key: z.string().max(1024) }),
    ),
    async (c) => {
      const v = await engine.keys.verify(body<{ key: string }>(c).key);
      if (!v.valid) return c.json({ valid: false, code: v.code }, 200);
      return c.json(
        {
          valid: true,
          account_id: v.accountId,
          key_id: v.keyId,
          available: formatAmount(v.available, engine.config.scales.credits),
        },
        200,
      );
    },
  );
}
