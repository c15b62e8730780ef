import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../../core/kernel/model.ts';
import { unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { type AppType, jsonRoute, on, plainRoute, rawRoute } from './common.ts';

const CreateEndpoint = z.strictObject({
  url: z.string().max(2000),
  events: z.array(z.string().max(64)).min(1).max(20),
});

export function webhookRoutes(app: AppType, engine: Engine, s: Serializers): void {
  const a = answersOf(s);
  for (const register of [
    postWebhookEndpoints,
    getWebhookEndpoints,
    getWebhookEndpointsId,
    deleteWebhookEndpointsId,
    postWebhookEndpointsIdRotateSecret,
    getWebhookEndpointsIdDeliveries,
  ])
    register(app, engine, s, a);
}

/** What this resource's operations answer, from the serializers. */
function answersOf(s: Serializers) {
  const endpoint = (e: WebhookEndpoint) => ({
    id: e.id,
    object: 'webhook_endpoint',
    url: e.url,
    events: e.events,
    created_at: s.time(e.createdAtMs),
  });
  const delivery = (d: WebhookDelivery) => ({
    id: d.id,
    event_id: d.eventId,
    endpoint_id: d.endpointId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? s.time(d.nextAttemptAtMs) : null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: s.time(d.createdAtMs),
    delivered_at: s.time(d.deliveredAtMs),
  });
  return { endpoint, delivery };
}
type Answers = ReturnType<typeof answersOf>;

function postWebhookEndpoints(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { endpoint } = a;
  on(
    app,
    jsonRoute(
      'post',
      '/v1/webhook_endpoints',
      'Register a webhook endpoint (the secret is in this answer only)',
      CreateEndpoint,
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const e = unwrap(await engine.webhooks.create(b.url, b.events));
      return c.json({ ...endpoint(e), secret: e.secret }, 201);
    },
  );
}

function getWebhookEndpoints(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { endpoint } = a;
  on(app, plainRoute('get', '/v1/webhook_endpoints', 'List webhook endpoints'), async (c) => {
    return c.json({ data: (await engine.webhooks.list()).map(endpoint) }, 200);
  });
}

function getWebhookEndpointsId(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { endpoint } = a;
  on(app, plainRoute('get', '/v1/webhook_endpoints/{id}', 'Get a webhook endpoint'), async (c) => {
    return c.json(endpoint(unwrap(await engine.webhooks.get(c.req.valid('param').id))), 200);
  });
}

function deleteWebhookEndpointsId(app: AppType, engine: Engine, _s: Serializers, _a: Answers): void {
  on(
    app,
    rawRoute('delete', '/v1/webhook_endpoints/{id}', 'Delete a webhook endpoint', 'none'),
    async (c) => {
      unwrap(await engine.webhooks.delete(c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
}

function postWebhookEndpointsIdRotateSecret(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { endpoint } = a;
  on(
    app,
    plainRoute(
      'post',
      '/v1/webhook_endpoints/{id}/rotate_secret',
      'Rotate the signing secret (the new one is in this answer only)',
    ),
    async (c) => {
      const e = unwrap(await engine.webhooks.rotateSecret(c.req.valid('param').id));
      return c.json({ ...endpoint(e), secret: e.secret }, 200);
    },
  );
}

function getWebhookEndpointsIdDeliveries(app: AppType, engine: Engine, _s: Serializers, a: Answers): void {
  const { delivery } = a;
  on(
    app,
    plainRoute(
      'get',
      '/v1/webhook_endpoints/{id}/deliveries',
      'Delivery attempts of an endpoint, newest first',
    ),
    async (c) => {
      return c.json(
        { data: unwrap(await engine.webhooks.deliveries(c.req.valid('param').id)).map(delivery) },
        200,
      );
    },
  );
}
