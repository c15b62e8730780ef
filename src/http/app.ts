import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Engine } from '../core/engine.ts';
import type { Actor } from '../core/model.ts';
import { allows, callers, isTraffic, refusals, toApiError, tokenMatches } from './edge.ts';
import type { Env } from './env.ts';
import { ApiError, errorResponse } from './errors.ts';
import { type AccessLog, fastPath } from './fast-path.ts';
import { hotRoutes } from './hot.ts';
import { createMetrics } from './metrics.ts';
import { describeResponses } from './openapi-responses.ts';
import { type PortalOptions, portalRoutes } from './portal/routes.tsx';
import { requestIds } from './request-id.ts';
import { accountRoutes } from './routes/accounts.ts';
import { creditRoutes } from './routes/credits.ts';
import { eventRoutes } from './routes/events.ts';
import { holdRoutes } from './routes/holds.ts';
import { keyRoutes } from './routes/keys.ts';
import { operatorRoutes } from './routes/operators.ts';
import { reportRoutes } from './routes/reports.ts';
import { usageRoutes } from './routes/usage.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { serializers } from './serialize.ts';

export interface AppOptions {
  /** The operator's bearer token for every `/v1` route. */
  adminToken: string;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Receives errors, and one structured line per request unless `access` is given; never a secret. */
  log?: (line: Record<string, unknown>) => void;
  /** Receives one access record per request (request id, method, route, status, milliseconds). */
  access?: AccessLog;
  /** Serve `GET /metrics` (Prometheus text), guarded by this token or, when unset, the operator token. */
  metrics?: { token?: string };
  portal?: PortalOptions;
}

/** Paths under /v1 that authenticate otherwise (payment providers sign their webhooks). */
const PUBLIC_V1 = new Set(['/v1/webhooks/stripe']);

export { tokenMatches };

/**
 * Builds the HTTP app over an engine. No module-level state: two apps never share anything.
 * @example const app = createApp(engine, { adminToken: 'secret' }); serve({ fetch: app.fetch });
 */
export function createApp(engine: Engine, options: AppOptions) {
  return buildApp(engine, options, options.metrics ? createMetrics(engine) : null);
}

/**
 * A Node request listener for the standalone server: the hot routes (verification, usage ingest)
 * are answered straight from Node's request; everything else goes through the app.
 * @example createServer(createNodeListener(engine, { adminToken })).listen(8787)
 */
export function createNodeListener(
  engine: Engine,
  options: AppOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = options.metrics ? createMetrics(engine) : null;
  const app = buildApp(engine, options, metrics);
  const fallback = getRequestListener(app.fetch);
  const access = accessLog(options);
  const fast = fastPath(engine, {
    limitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    caller: callers(engine, options.adminToken),
    ...(options.log ? { log: options.log } : {}),
    ...(access ? { access } : {}),
    ...(metrics ? { observe: metrics.request } : {}),
  });
  return (req, res) => {
    if (!fast(req, res)) void fallback(req, res);
  };
}

function buildApp(engine: Engine, options: AppOptions, metrics: ReturnType<typeof createMetrics> | null) {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({
          field: i.path.join('.') || '(body)',
          message: i.message,
        }));
        return errorResponse(
          c,
          'validation_failed',
          `request does not fit: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`,
          details,
        );
      }
      return undefined;
    },
  });
  const s = serializers(engine.config);
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  const access = accessLog(options);
  const newRequestId = requestIds();
  const caller = callers(engine, options.adminToken);
  const metricsToken = options.metrics?.token ?? options.adminToken;

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = newRequestId();
    c.set('requestId', requestId);
    // Set before the response exists: changing headers afterwards makes Hono rebuild the response,
    // and the Node adapter then streams it slowly instead of writing it at once.
    c.header('x-request-id', requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    metrics?.request(c.req.method, c.req.routePath, c.res.status, seconds);
    access?.(c.get('requestId'), c.req.method, c.req.routePath, c.res.status, seconds * 1000);
  });
  const tooLarge = (c: Context<Env>) => {
    const e = refusals.tooLarge(limit);
    return errorResponse(c, e.code, e.message);
  };
  const streamedLimit = bodyLimit({ maxSize: limit, onError: tooLarge });
  app.use('*', async (c, next) => {
    // A declared length is checked at once; only a chunked body needs hono's counting stream
    // (which turns the Node request into a full Request object: costly on the hot paths).
    const length = c.req.header('content-length');
    if (length !== undefined) return Number(length) > limit ? tooLarge(c) : next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamedLimit(c, next);
  });
  /**
   * One line of the audit log for a change that succeeded: the route as the action, the first id
   * in the path (or the created object's id) as the target. Written right after the change and
   * before the answer leaves; if the store fails here the change already happened, so the failure
   * is logged and the answer stands.
   */
  const audit = async (c: Context<Env>, actor: Actor, ip: string | null) => {
    const requestId = c.get('requestId');
    try {
      const targetId =
        c.req.path.split('/').find((part) => ID_SEGMENT.test(part)) ?? (await createdId(c.res));
      await engine.audit.record({
        actor,
        action: `${c.req.method} ${c.req.routePath}`,
        targetId,
        requestId,
        ip,
      });
    } catch (error) {
      options.log?.({
        request_id: requestId,
        level: 'error',
        error: `audit log line not written: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };

  app.use('/v1/*', async (c, next) => {
    if (PUBLIC_V1.has(c.req.path)) return next();
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    const who = await caller(c.req.header('authorization'), socket);
    if (!who) throw refusals.unauthorized();
    if (!allows(who, c.req.method, c.req.path)) throw refusals.forbidden(who, c.req.method, c.req.path);
    c.set('caller', who);
    await next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 300) return;
    if (isTraffic(c.req.method, c.req.path)) return;
    await audit(c, who.actor, socket?.remoteAddress ?? null);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Storage failing answers `unavailable` (503, Retry-After) through onError.
  app.get('/readyz', async (c) => {
    await engine.ready();
    return c.json({ ok: true });
  });
  if (metrics) {
    app.get('/metrics', async (c) => {
      const header = c.req.header('authorization') ?? '';
      if (!header.startsWith('Bearer ') || !tokenMatches(header.slice(7), metricsToken)) {
        return errorResponse(c, 'unauthorized', 'a valid metrics or operator bearer token is required');
      }
      return c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType });
    });
  }
  hotRoutes(app, engine, limit);
  accountRoutes(app, engine, s);
  keyRoutes(app, engine, s);
  creditRoutes(app, engine, s);
  usageRoutes(app, engine, s);
  eventRoutes(app, engine);
  holdRoutes(app, engine, s);
  webhookRoutes(app, engine, s);
  operatorRoutes(app, engine);
  reportRoutes(app, engine, s);
  portalRoutes(app, engine, s, { ...options.portal, ...(options.log ? { log: options.log } : {}) });

  describeResponses(app);
  app.openAPIRegistry.registerComponent('securitySchemes', 'operator', { type: 'http', scheme: 'bearer' });
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'tollgate', version: '1', description: 'Credit billing engine for API platforms.' },
    security: [{ operator: [] }],
  });

  app.notFound((c) => errorResponse(c, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    let e: ApiError;
    if (err instanceof HTTPException && (err.status === 400 || err.status === 415)) e = refusals.notJson();
    else if (err instanceof HTTPException && err.status === 413) e = refusals.tooLarge(limit);
    else if (err instanceof HTTPException && err.status === 401)
      e = new ApiError('unauthorized', err.message);
    else e = toApiError(err, c.get('requestId') ?? null, options.log);
    return errorResponse(c, e.code, e.message, e.details);
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;

/** A path segment that is one of our ids (`acc_...`, `key_...`). */
const ID_SEGMENT = /^[a-z]{2,4}_[0-9A-Za-z]{10,}$/;

/** The id of the object a 201 answer created, if it says. */
async function createdId(res: Response): Promise<string | null> {
  if (res.status !== 201 || !res.headers.get('content-type')?.includes('json')) return null;
  const body = (await res.clone().json()) as { id?: unknown };
  return typeof body.id === 'string' ? body.id : null;
}

/** The access callback: the one given, or a structured line through `log`. */
function accessLog(options: AppOptions): AccessLog | undefined {
  if (options.access) return options.access;
  const log = options.log;
  if (!log) return undefined;
  return (requestId, method, route, status, ms) =>
    log({ request_id: requestId, method, route, status, duration_ms: Math.round(ms * 1000) / 1000 });
}

export type { Env };
