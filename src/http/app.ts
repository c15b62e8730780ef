import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Engine } from '../core/engine.ts';
import { runChange } from './audit.ts';
import { allows, callers, isBearer, isTraffic, refusals, toApiError, tokenMatches } from './edge.ts';
import type { Caller, Env } from './env.ts';
import { ApiError, errorResponse } from './errors.ts';
import { type AccessLog, fastPath } from './fast-path.ts';
import { hotRoutes } from './hot.ts';
import { createMetrics } from './metrics.ts';
import { describeResponses } from './openapi-responses.ts';
import { type PortalOptions, portalRoutes } from './portal/routes.tsx';
import { requestIds } from './request-id.ts';
import { accountRoutes } from './routes/accounts.ts';
import { allowanceRoutes } from './routes/allowances.ts';
import { creditRoutes } from './routes/credits.ts';
import { eInvoiceRoutes } from './routes/einvoices.ts';
import { eventRoutes } from './routes/events.ts';
import { holdRoutes } from './routes/holds.ts';
import { keyRoutes } from './routes/keys.ts';
import { operatorRoutes } from './routes/operators.ts';
import { priceRoutes } from './routes/prices.ts';
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
  app.use('/v1/*', async (c, next) => {
    if (PUBLIC_V1.has(c.req.path)) return next();
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    const authorization = c.req.header('authorization');
    const who = await caller(authorization, socket);
    if (!who) throw refusals.unauthorized();
    const { method, path } = c.req;
    if (!allows(who, method, path)) throw refusals.forbidden(who, method, path);
    c.set('caller', who);
    if (method === 'GET' || method === 'HEAD') return next();
    if (HOT_PATHS.has(path)) return next(); // they read their body from Node and check the token again themselves
    // The body is read whole before anything changes, and the token checked again once it has
    // arrived: a token revoked while its request was still sending changes nothing.
    const raw = await c.req.text();
    const again = await caller(authorization, socket);
    if (!again || !allows(again, method, path)) throw refusals.unauthorized();
    if (isTraffic(method, path)) return next();
    return once(c, next, who, raw, socket?.remoteAddress ?? null);
  });

  /**
   * A change, run once per caller and `Idempotency-Key` (API.md "Retries"): a retry answers the
   * kept answer again; its audit line and the key's mark commit in the change's own transaction.
   */
  const once = async (
    c: Context<Env>,
    next: () => Promise<void>,
    who: Caller,
    raw: string,
    ip: string | null,
  ) => {
    const routePath = matchedRoute(c);
    const outcome = await runChange(
      engine,
      {
        scope: who.actor.tokenId ?? `bootstrap:${who.actor.name}`,
        key: c.req.header('idempotency-key'),
        findsItsOwn: FINDS_ITS_OWN.has(routePath),
        fingerprint: createHash('sha256').update(`${c.req.method} ${c.req.path}\n${raw}`).digest('hex'),
        audit: {
          actor: who.actor,
          action: `${c.req.method} ${routePath}`,
          targetId: targetOf(c),
          requestId: c.get('requestId'),
          ip,
        },
      },
      async () => {
        await next();
        return c.res;
      },
      async (res) =>
        res.status >= 500
          ? null
          : {
              status: res.status,
              contentType: res.headers.get('content-type'),
              body: await res.clone().text(),
            },
      (error) =>
        options.log?.({
          request_id: c.get('requestId'),
          level: 'error',
          error: `answer not kept: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
    if (outcome.kind === 'refused') {
      const r = outcome.refusal;
      return errorResponse(c, r.code, r.message, r.details);
    }
    if (outcome.kind === 'replay') {
      const a = outcome.answer;
      return c.body(a.body, a.status as ContentfulStatusCode, {
        ...(a.contentType ? { 'content-type': a.contentType } : {}),
        'idempotent-replayed': 'true',
      });
    }
    return undefined;
  };

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Storage failing answers `unavailable` (503, Retry-After) through onError.
  app.get('/readyz', async (c) => {
    await engine.ready();
    return c.json({ ok: true });
  });
  if (metrics) {
    app.get('/metrics', async (c) => {
      const header = c.req.header('authorization') ?? '';
      if (!isBearer(header) || !tokenMatches(header.slice(7), metricsToken)) {
        return errorResponse(c, 'unauthorized', 'a valid metrics or operator bearer token is required');
      }
      return c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType });
    });
  }
  hotRoutes(app, engine, limit, async (c) => {
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    const again = await caller(c.req.header('authorization'), socket);
    return again !== null && allows(again, c.req.method, c.req.path);
  });
  accountRoutes(app, engine, s);
  keyRoutes(app, engine, s);
  creditRoutes(app, engine, s);
  eInvoiceRoutes(app, engine);
  allowanceRoutes(app, engine, s);
  usageRoutes(app, engine, s);
  eventRoutes(app, engine);
  holdRoutes(app, engine, s);
  priceRoutes(app, engine);
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

  // A path of the API asked with a method it does not take is 405 with the methods it takes
  // (RFC 9110 15.5.6), not 404: the path exists.
  const operations = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route'
      ? [
          {
            method: d.route.method.toUpperCase(),
            path: new RegExp(`^${d.route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
          },
        ]
      : [],
  );
  app.notFound((c) => {
    const allowed = [...new Set(operations.filter((o) => o.path.test(c.req.path)).map((o) => o.method))];
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header('allow', allowed.join(', '));
      return errorResponse(
        c,
        'method_not_allowed',
        `${c.req.path} takes ${allowed.join(', ')}, not ${c.req.method}`,
      );
    }
    return errorResponse(c, 'not_found', `no route ${c.req.method} ${c.req.path}`);
  });
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

/** The hot routes: they read their body straight from Node and check the token again once it is read. */
const HOT_PATHS = new Set(['/v1/api_keys/verify', '/v1/usage_events']);

/**
 * Routes whose use case keeps its own key as well: a purchase is found again by its account's key,
 * so a retry after a provider failure (503, the purchase kept, the answer not) or after a crash
 * that lost the answer starts the same checkout again rather than a second purchase.
 */
const FINDS_ITS_OWN = new Set(['/v1/accounts/:id/credit_purchases']);

/** The route as registered (`/v1/accounts/:id/holds`), not the path with its ids. */
function matchedRoute(c: Context<Env>): string {
  const found = c.req.matchedRoutes.findLast((r) => r.method !== 'ALL');
  return found?.path ?? c.req.routePath;
}

/** The object a change targets: the id in its path (`{id}` or `{key_id}`), else what it creates. */
function targetOf(c: Context<Env>): string | null {
  const m = /^\/v1\/[a-z_]+\/([^/]+)/.exec(c.req.path);
  if (!m || m[1] === 'verify') return null;
  const segment = decodeURIComponent(m[1]!);
  return ID_SEGMENT.test(segment) || /\/(void|resolve)$/.test(c.req.path) ? segment : null;
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
