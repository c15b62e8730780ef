import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { formatAmount } from '../core/amount.ts';
import type { Engine } from '../core/engine.ts';
import { MAX_EVENTS_PER_CALL } from '../core/metering.ts';
import type { Env } from './app.ts';
import { ApiError } from './errors.ts';
import type { AppType } from './routes/common.ts';

/**
 * The two hottest routes, key verification and usage ingest, answered without the generic
 * validation stack: the body is read straight from the Node request when there is one, parsed
 * once and checked by hand. They are still documented in the OpenAPI document.
 */
export function hotRoutes(app: AppType, engine: Engine, limitBytes: number): void {
  const credits = (m: bigint) => formatAmount(m, engine.config.scales.credits);

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/v1/api_keys/verify',
      summary: 'Verify an API key secret',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ key: z.string().max(1024) }) } },
        },
      },
      responses: {
        200: { description: '{ valid: true, account_id, key_id, available } or { valid: false, code }' },
      },
    }),
  );
  app.post('/v1/api_keys/verify', async (c) => {
    const body = await readJson(c, limitBytes);
    const key = onlyField(body, 'key');
    if (typeof key !== 'string') throw invalid('key', 'must be a string');
    const v = await engine.keys.verify(key);
    if (!v.valid) return c.json({ valid: false, code: v.code });
    return c.json({ valid: true, account_id: v.accountId, key_id: v.keyId, available: credits(v.available) });
  });

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
  app.post('/v1/usage_events', async (c) => {
    const body = await readJson(c, limitBytes);
    const events = onlyField(body, 'events');
    if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_CALL) {
      throw invalid('events', `must be an array of 1 to ${MAX_EVENTS_PER_CALL} events`);
    }
    const results = await engine.usage.ingest(events);
    return c.json({
      results: results.map((r) =>
        r.status === 'rejected'
          ? { id: r.id, status: r.status, code: r.code, message: r.message }
          : { id: r.id, status: r.status },
      ),
    });
  });
}

const invalid = (field: string, message: string) =>
  new ApiError('validation_failed', `${field} ${message}`, [{ field, message }]);

/** The one field a body may have; any other field is refused. */
function onlyField(body: unknown, field: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('(body)', 'must be a JSON object');
  for (const k of Object.keys(body)) if (k !== field) throw invalid(k, 'is not a known field');
  return (body as Record<string, unknown>)[field];
}

interface NodeIncoming extends AsyncIterable<Buffer> {
  headers: Record<string, string | string[] | undefined>;
}

/** Reads and parses a JSON body, refusing one over the limit or not JSON. */
async function readJson(c: Context<Env>, limitBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json/i.test(type))
    throw new ApiError('malformed_json', 'the body must be JSON (Content-Type: application/json)');
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  let text: string;
  if (incoming && Symbol.asyncIterator in incoming) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += chunk.length;
      if (size > limitBytes)
        throw new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`);
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    text = await c.req.text();
    if (Buffer.byteLength(text) > limitBytes)
      throw new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('malformed_json', 'the body is not valid JSON');
  }
}
