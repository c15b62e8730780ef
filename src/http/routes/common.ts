import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Env } from '../env.ts';

export type AppType = OpenAPIHono<Env>;

/** A decimal amount on the wire: always a string, never a JSON number. */
export const Amount = z.string().max(40).openapi({ example: '1500' });
/** An id in a path: ours are shorter, but a usage event's (the client's own) may have 128 characters. */
export const Id = z.string().min(1).max(128);
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
export function jsonRoute<B extends z.ZodType>(
  method: 'post' | 'patch',
  path: string,
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

/** A route without a body (GET, DELETE, or an action POST). */
export function plainRoute(
  method: 'get' | 'post' | 'delete',
  path: string,
  summary: string,
  query?: z.ZodObject,
  status = 200,
) {
  return createRoute({
    method,
    path,
    summary,
    request: { params: pathParams(path), ...idempotencyHeader(method, path), ...(query ? { query } : {}) },
    // Typed as a record: a computed key from a parameter would be emitted as-is into the .d.ts, which is invalid there.
    responses: { [status]: ok } as Record<number, typeof ok>,
  });
}

function pathParams(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((n) => [n, Id])));
}

export type Ctx = Context<Env>;

/** Registers a documented route; handlers read their validated input through `param`, `body`, `query`. */
export function on(
  app: AppType,
  route: ReturnType<typeof createRoute>,
  handler: (c: Ctx) => Promise<Response> | Response,
): void {
  app.openapi(route, handler as never);
}

export const param = (c: Ctx, name: string): string =>
  (c.req.valid('param' as never) as Record<string, string>)[name]!;
export const body = <T>(c: Ctx): T => c.req.valid('json' as never) as T;
export const query = <T>(c: Ctx): T => c.req.valid('query' as never) as T;
