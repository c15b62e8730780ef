import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { type EventResult, MAX_EVENTS_PER_CALL } from '../../core/usage/index.ts';
import { JSON_TYPE } from '../edge.ts';
import { ApiError } from '../errors.ts';
import { ingestAnswer, parse } from '../hot.ts';
import type { AppType } from './common.ts';

/**
 * CloudEvents ingest (API.md "CloudEvents ingest"): each CloudEvent becomes one usage event and
 * goes through the same metering as `POST /v1/usage_events`, with the same per-event answers.
 * Only the mapping lives here: `id` -> id, `time` -> timestamp, `type` -> model, `subject` -> an API
 * key id (`key_...`) or an account id (`acc_...`), `data.quantity` or `data.quantities`, `data.credits?`,
 * `data.properties?`. Every rule of an event (ids, timestamps, prices, dedupe) is the core's.
 */

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const DATA_FIELDS = new Set(['quantity', 'quantities', 'credits', 'properties']);
/** The context attributes of binary mode, as `ce-` headers (extensions are read and ignored). */
const BINARY_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time'] as const;

type Mapped = { usage: Record<string, unknown>; cloudEventId: string } | { rejected: EventResult };

const rejected = (id: unknown, message: string): Mapped => ({
  rejected: {
    id: typeof id === 'string' ? id : '',
    status: 'rejected',
    code: 'validation_failed',
    message,
  },
});

/**
 * The usage event id of a CloudEvent: `source` and `id` together (CloudEvents: unique per source),
 * so two producers may both send id `1`. `<source>/<id>` when that is a valid event id (128
 * printable characters), else `ce/` and the SHA-256 of the pair.
 */
function eventIdOf(source: string, id: string): string {
  const joined = `${source}/${id}`;
  if (joined.length <= 128 && /^[\x21-\x7e]+$/.test(joined)) return joined;
  return `ce/${createHash('sha256').update(`${source}\u0000${id}`).digest('hex')}`;
}

/** One CloudEvent (structured form) as the usage event it reports, or why it is not one. */
function toUsage(raw: unknown): Mapped {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return rejected('', 'a CloudEvent must be a JSON object');
  const e = raw as Record<string, unknown>;
  if (e.specversion !== '1.0') return rejected(e.id, 'specversion must be "1.0"');
  if (typeof e.id !== 'string' || e.id.length === 0) return rejected(e.id, 'id must be a non-empty string');
  if (typeof e.source !== 'string' || e.source.length === 0)
    return rejected(e.id, 'source must be a non-empty string');
  if (typeof e.type !== 'string') return rejected(e.id, 'type must be the model, a string');
  if (typeof e.time !== 'string') return rejected(e.id, 'time is required: when the usage happened');
  const subject = e.subject;
  const who =
    typeof subject === 'string' && subject.startsWith('key_')
      ? { api_key_id: subject }
      : typeof subject === 'string' && subject.startsWith('acc_')
        ? { account_id: subject }
        : undefined;
  if (!who) return rejected(e.id, 'subject must be an API key id (key_...) or an account id (acc_...)');
  if (e.data_base64 !== undefined) return rejected(e.id, 'data must be JSON, not data_base64');
  if (
    e.datacontenttype !== undefined &&
    !(typeof e.datacontenttype === 'string' && JSON_TYPE.test(e.datacontenttype))
  )
    return rejected(e.id, 'datacontenttype must be application/json');
  const data = e.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return rejected(e.id, 'data must be an object with quantity or quantities, credits? and properties?');
  for (const field of Object.keys(data))
    if (!DATA_FIELDS.has(field)) return rejected(e.id, `unknown field data.${field}`);
  const d = data as Record<string, unknown>;
  return {
    cloudEventId: e.id,
    usage: {
      id: eventIdOf(e.source, e.id),
      ...who,
      model: e.type,
      ...(d.quantities !== undefined ? { quantities: d.quantities } : { quantity: d.quantity }),
      timestamp: e.time,
      ...(d.credits !== undefined ? { credits: d.credits } : {}),
      ...(d.properties !== undefined ? { properties: d.properties } : {}),
    },
  };
}

const invalidBody = (message: string) =>
  new ApiError('validation_failed', `(body) ${message}`, [{ field: '(body)', message }]);

/** The CloudEvents of a request, in any of the three modes. */
function cloudEventsOf(
  mediaType: string,
  text: string,
  header: (name: string) => string | undefined,
): unknown[] {
  if (mediaType === STRUCTURED) {
    const event = parse(text);
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      throw invalidBody(`must be one CloudEvent, a JSON object (a batch is ${BATCH})`);
    return [event];
  }
  if (mediaType === BATCH) {
    const batch = parse(text);
    if (!Array.isArray(batch) || batch.length < 1 || batch.length > MAX_EVENTS_PER_CALL)
      throw invalidBody(`must be an array of 1 to ${MAX_EVENTS_PER_CALL} CloudEvents`);
    return batch;
  }
  if (header('ce-specversion') === undefined)
    throw new ApiError(
      'malformed_json',
      `send ${STRUCTURED}, ${BATCH}, or binary mode (ce-* headers with a JSON body)`,
    );
  if (!JSON_TYPE.test(mediaType))
    throw new ApiError('malformed_json', 'binary mode data must be JSON (Content-Type: application/json)');
  const event: Record<string, unknown> = { data: parse(text) };
  for (const name of BINARY_ATTRIBUTES) {
    const value = header(`ce-${name}`);
    if (value !== undefined) event[name] = value;
  }
  return [event];
}

export function eventRoutes(app: AppType, engine: Engine): void {
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/v1/events',
      summary:
        'Meter usage sent as CloudEvents: one (structured), a batch of at most 1000, or binary mode (ce-* headers); answered as /v1/usage_events',
      request: {
        body: {
          required: true,
          content: {
            [STRUCTURED]: { schema: z.record(z.string(), z.unknown()) },
            [BATCH]: { schema: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_EVENTS_PER_CALL) },
            'application/json': { schema: z.record(z.string(), z.unknown()) },
          },
        },
      },
      responses: {
        200: { description: '{ results: [ { id, status: accepted | duplicate | rejected, code? } ] }' },
      },
    }),
  );
  app.post('/v1/events', async (c) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const events = cloudEventsOf(mediaType, await c.req.text(), (name) => c.req.header(name)).map(toUsage);
    const usage = events.flatMap((m) => ('usage' in m ? [m.usage] : []));
    const metered = usage.length > 0 ? await engine.usage.ingest(usage) : [];
    let next = 0;
    // Answered by the CloudEvent's own id, in input order.
    return c.json(
      ingestAnswer(
        events.map((m) => ('usage' in m ? { ...metered[next++]!, id: m.cloudEventId } : m.rejected)),
      ),
    );
  });
}
