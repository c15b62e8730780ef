import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MAX_SECRET_LENGTH } from '../core/access/index.ts';
import type { Engine } from '../core/engine.ts';
import { formatAmount } from '../core/kernel/amount.ts';
import { MODEL_NAME } from '../core/kernel/lots.ts';
import { type EventResult, MAX_EVENTS_PER_CALL } from '../core/usage/index.ts';
import { JSON_TYPE, refusals } from './edge.ts';
import type { Env } from './env.ts';
import { ApiError } from './errors.ts';
import type { AppType } from './routes/common.ts';

/**
 * The two hottest routes, key verification and usage ingest. Their handlers take a parsed body and
 * answer a JSON value; they are mounted on the Hono app (and documented in the OpenAPI document),
 * and the standalone server also answers them straight from Node's request, without building web
 * Request and Response objects (see `fastPath`).
 */
export type HotHandler = (body: unknown) => Promise<unknown>;

export function hotHandlers(engine: Engine): Record<'/v1/api_keys/verify' | '/v1/usage_events', HotHandler> {
  const credits = (m: bigint) => formatAmount(m, engine.config.scales.credits);
  return {
    '/v1/api_keys/verify': async (body) => {
      const { key, model } = onlyFields(body, ['key', 'model']);
      if (typeof key !== 'string') throw invalid('key', 'must be a string');
      if (model !== undefined && (typeof model !== 'string' || !MODEL_NAME.test(model)))
        throw invalid('model', 'must be 1 to 128 printable ASCII characters');
      const v = await engine.keys.verify(key, model);
      if (!v.valid) return { valid: false, code: v.code };
      return { valid: true, account_id: v.accountId, key_id: v.keyId, available: credits(v.available) };
    },
    '/v1/usage_events': async (body) => {
      const { events } = onlyFields(body, ['events']);
      if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_CALL) {
        throw invalid('events', `must be an array of 1 to ${MAX_EVENTS_PER_CALL} events`);
      }
      return ingestAnswer(await engine.usage.ingest(events));
    },
  };
}

/** The answer of usage ingest, in either shape (`/v1/usage_events`, `/v1/events`): one result per event, in order. */
export const ingestAnswer = (results: EventResult[]) => ({
  results: results.map((r) =>
    r.status === 'rejected'
      ? { id: r.id, status: r.status, code: r.code, message: r.message }
      : { id: r.id, status: r.status },
  ),
});

/**
 * @param stillAllowed checks the caller's token again once the body is read (a token revoked
 * while its request was still sending changes nothing).
 */
export function hotRoutes(
  app: AppType,
  engine: Engine,
  limitBytes: number,
  stillAllowed: (c: Context<Env>) => Promise<boolean>,
): void {
  const handlers = hotHandlers(engine);
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/v1/api_keys/verify',
      summary: 'Verify an API key secret',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                key: z.string().max(MAX_SECRET_LENGTH),
                model: z
                  .string()
                  .min(1)
                  .max(128)
                  .optional()
                  .describe('judge `available` on what this model can use (its scoped credits too)'),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          description:
            '{ valid: true, account_id, key_id, available } or { valid: false, code: unknown_key | suspended | insufficient_credits | spend_limit_reached }',
        },
      },
    }),
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/v1/usage_events',
      summary: 'Meter usage events (at most 1000), answered per event in order',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                events: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_EVENTS_PER_CALL),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: '{ results: [ { id, status: accepted | duplicate | rejected, code? } ] }' },
      },
    }),
  );
  for (const [path, handler] of Object.entries(handlers)) {
    app.post(path, async (c) => {
      const body = await readJson(c, limitBytes);
      if (!(await stillAllowed(c))) throw refusals.unauthorized();
      return c.json((await handler(body)) as object);
    });
  }
}

const invalid = (field: string, message: string) =>
  new ApiError('validation_failed', `${field} ${message}`, [{ field, message }]);

/** The fields a body may have; any other field is refused. */
function onlyFields<F extends string>(body: unknown, fields: readonly F[]): Record<F, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('(body)', 'must be a JSON object');
  for (const k of Object.keys(body))
    if (!(fields as readonly string[]).includes(k)) throw invalid(k, 'is not a known field');
  return body as Record<F, unknown>;
}

/** Parses a JSON body, refusing one that is not JSON. */
export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('malformed_json', 'the body is not valid JSON');
  }
}

async function readNode(incoming: AsyncIterable<Buffer>, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += chunk.length;
    if (size > limitBytes) throw refusals.tooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses a JSON body, refusing one over the limit or not JSON. */
async function readJson(c: Context<Env>, limitBytes: number): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) throw refusals.notJson();
  const incoming = (c.env as { incoming?: AsyncIterable<Buffer> } | undefined)?.incoming;
  if (incoming && Symbol.asyncIterator in incoming) return parse(await readNode(incoming, limitBytes));
  const text = await c.req.text();
  if (Buffer.byteLength(text) > limitBytes) throw refusals.tooLarge(limitBytes);
  return parse(text);
}
