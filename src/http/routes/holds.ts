import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { Amount, type AppType, jsonRoute, on, plainRoute } from './common.ts';

const CreateHold = z.strictObject({
  credits: Amount,
  ttl_seconds: z.number().int().optional(),
  reference: z.string().max(200).nullish(),
  /** The key the hold is for: its spend limit counts the hold while open. */
  api_key_id: z.string().max(64).optional(),
});

export function holdRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [postAccountsIdHolds, getHoldsId, postHoldsIdCapture, postHoldsIdRelease])
    register(app, engine, s);
}

function postAccountsIdHolds(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/holds',
      'Reserve credits for a long job (optional header Idempotency-Key makes a retry safe)',
      CreateHold,
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const key = c.req.header('idempotency-key');
      const hold = unwrap(
        await engine.holds.create(c.req.valid('param').id, {
          credits: b.credits,
          ttlSeconds: b.ttl_seconds,
          reference: b.reference,
          ...(b.api_key_id !== undefined ? { apiKeyId: b.api_key_id } : {}),
          ...(key !== undefined ? { idempotencyKey: key } : {}),
        }),
      );
      return c.json(s.hold(hold), 201);
    },
  );
}

function getHoldsId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/holds/{id}', 'Get a hold'), async (c) => {
    return c.json(s.hold(unwrap(await engine.holds.get(c.req.valid('param').id))), 200);
  });
}

function postHoldsIdCapture(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/holds/{id}/capture',
      'Capture up to the held credits',
      z.strictObject({ credits: Amount }),
    ),
    async (c) => {
      return c.json(
        s.hold(unwrap(await engine.holds.capture(c.req.valid('param').id, c.req.valid('json').credits))),
        200,
      );
    },
  );
}

function postHoldsIdRelease(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('post', '/v1/holds/{id}/release', 'Release a hold'), async (c) => {
    return c.json(s.hold(unwrap(await engine.holds.release(c.req.valid('param').id))), 200);
  });
}
