import { createRoute, type OpenAPIHono, type RouteConfig, type RouteHandler, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Env } from '../env.ts';

export type AppType = OpenAPIHono<Env>;

/** A decimal amount on the wire: always a string, never a JSON number. */
export const Amount = z.string().max(40).openapi({ example: '1500' });
/** An id in a path: ours are shorter, but a usage event's (the client's own) may have 128 characters. */
export const Id = z.string().min(1).max(128);
/** Scoped credits: the models a lot pays for (1 to 50 distinct names; the core checks each). */
export const ScopeModels = z
  .array(z.string().max(128))
  .max(50)
  .nullish()
  .openapi({ description: 'Models these credits pay for (scoped credits); absent or null: any model' });
/** A cap on credits used per UTC day or month (API.md "Spend controls"). */
export const SpendLimitSchema = z
  .strictObject({ credits: Amount, period: z.enum(['day', 'month']) })
  .openapi({ description: 'Credits used (billed and unbilled) per UTC day or month' });

const ok = { description: 'OK', content: { 'application/json': { schema: z.object({}).passthrough() } } };

/** API.md "Retries": every change takes an `Idempotency-Key`; purchases require one. */
const IDEMPOTENCY_KEY = z.string().min(1).max(255).openapi({
  description: 'Makes a retry safe: the same key and body answer the first answer again (kept 35 days)',
});
const PURCHASE_PATH = '/v1/accounts/{id}/credit_purchases';
const idempotencyHeader = (method: string, path: string) =>
  method === 'get'
    ? {}
    : {
        headers: z.object({
          'idempotency-key': path === PURCHASE_PATH ? IDEMPOTENCY_KEY : IDEMPOTENCY_KEY.optional(),
        }),
      };

/** A route with a strict JSON body (unknown fields are refused). */
export function jsonRoute<P extends string, B extends z.ZodType>(
  method: 'post' | 'patch' | 'put',
  path: P,
  summary: string,
  body: B,
  status = 200,
  optional = false,
) {
  return createRoute({
    method,
    path,
    summary,
    request: {
      params: pathParams(path),
      ...idempotencyHeader(method, path),
      body: { required: !optional, content: { 'application/json': { schema: body } } },
    },
    // Typed as a record: a computed key from a parameter would be emitted as-is into the .d.ts, which is invalid there.
    responses: { [status]: ok } as Record<number, typeof ok>,
  });
}

/** What a route without a JSON answer answers (the OpenAPI document describes each: openapi-responses.ts). */
const RAW = {
  pdf: { description: 'A PDF document', content: { 'application/pdf': { schema: z.string() } } },
  csv: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
  xml: { description: 'An XML document', content: { 'application/xml': { schema: z.string() } } },
  none: { description: 'Done; no content' },
} as const;

/** A route without a body (GET, DELETE, or an action POST), answering JSON. */
export function plainRoute<P extends string, Q extends z.ZodObject = z.ZodObject<Record<never, never>>>(
  method: 'get' | 'post' | 'delete',
  path: P,
  summary: string,
  query?: Q,
  status = 200,
) {
  return createRoute({
    method,
    path,
    summary,
    request: {
      params: pathParams(path),
      ...idempotencyHeader(method, path),
      // Typed as given, so handlers read it typed; absent, the route takes no query (zod-openapi skips it).
      query: query as Q,
    },
    // Typed as a record: a computed key from a parameter would be emitted as-is into the .d.ts, which is invalid there.
    responses: { [status]: ok } as Record<number, typeof ok>,
  });
}

/** A route without a body that answers a document (`pdf`, `csv`, `xml`) or nothing (`none`, 204). */
export function rawRoute<
  P extends string,
  M extends keyof typeof RAW,
  Q extends z.ZodObject = z.ZodObject<Record<never, never>>,
>(method: 'get' | 'delete', path: P, summary: string, media: M, query?: Q) {
  return createRoute({
    method,
    path,
    summary,
    request: {
      params: pathParams(path),
      ...idempotencyHeader(method, path),
      // Typed as given, so handlers read it typed; absent, the route takes no query (zod-openapi skips it).
      query: query as Q,
    },
    responses: { [media === 'none' ? 204 : 200]: RAW[media] } as Record<200 | 204, (typeof RAW)[M]>,
  });
}

/** The names of a path's parameters: `/v1/holds/{id}/capture` has `id`. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

function pathParams<P extends string>(path: P): z.ZodObject<Record<ParamNames<P>, typeof Id>> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((n) => [n, Id])) as Record<ParamNames<P>, typeof Id>);
}

export type Ctx = Context<Env>;

/**
 * Registers a documented route, typed end to end: the handler reads its validated input with
 * `c.req.valid('param' | 'json' | 'query')`, typed by the route's schemas, and answers what its
 * responses declare.
 */
export function on<R extends RouteConfig>(app: AppType, route: R, handler: RouteHandler<R, Env>): void {
  app.openapi(route, handler);
}
