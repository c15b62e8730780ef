import type { Context, HonoRequest, MiddlewareHandler } from 'hono';
import type { Engine } from '../core/engine.ts';
import {
  createMeter,
  type MeterOptionsOf,
  type Quantities,
  type Quantity,
  type TollgateCaller,
} from './meter.ts';

export type { TollgateCaller } from './meter.ts';

/** Units of one answer, from the request, the response and the context (e.g. a value the handler set). */
export type HonoQuantity = (
  req: HonoRequest,
  res: Response,
  c: Context,
) => Quantity | Quantities | Promise<Quantity | Quantities>;

export type MeterOptions = MeterOptionsOf<HonoQuantity>;

/** The variables the middleware sets: `c.get('tollgate')` is `{ accountId, keyId }` (and `holdId` with `hold`). */
export type MeterEnv = { Variables: { tollgate: TollgateCaller } };

/**
 * Guards and meters a route of your own Hono API with the customer's tollgate API key: 401 or 402
 * before the handler, one usage event per 2xx answer, and with `hold` credits reserved first.
 * @example
 * import { meter } from 'tollgate/hono';
 * app.post('/v1/images', meter(tollgate, { model: 'image-1024' }), (c) => c.json({ by: c.get('tollgate').accountId }));
 */
export function meter(engine: Engine, options: MeterOptions): MiddlewareHandler<MeterEnv> {
  const m = createMeter(engine, options);
  return async (c, next) => {
    const admission = await m.admit((name) => c.req.header(name));
    if (!admission.ok) return c.json(admission.body, admission.status, admission.headers);
    c.set('tollgate', admission.caller);
    try {
      await next();
    } catch (error) {
      await m.settle(admission, null);
      throw error;
    }
    // Hono turns a handler's throw into the error handler's answer and marks it in `c.error`.
    const served = !c.error && c.res.status >= 200 && c.res.status < 300;
    await m.settle(admission, served ? () => m.quantityOf(c.req, c.res, c) : null);
    return undefined;
  };
}
