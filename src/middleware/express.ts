import type { Request, RequestHandler, Response } from 'express';
import type { Engine } from '../core/engine.ts';
import {
  createMeter,
  type MeterOptionsOf,
  type Quantities,
  type Quantity,
  type TollgateCaller,
} from './meter.ts';

export type { TollgateCaller } from './meter.ts';

declare global {
  // Express types its request through this global namespace.
  namespace Express {
    interface Request {
      /** Set by `meter()` of `tollgate/express` on a guarded route: `{ accountId, keyId }` (and `holdId` with `hold`). */
      tollgate?: TollgateCaller;
    }
  }
}

/** Units of one answer, from the request and the response (e.g. `res.locals` the handler set). */
export type ExpressQuantity = (
  req: Request,
  res: Response,
) => Quantity | Quantities | Promise<Quantity | Quantities>;

export type MeterOptions = MeterOptionsOf<ExpressQuantity>;

/**
 * Guards and meters a route of your own Express API with the customer's tollgate API key: 401 or
 * 402 before the handler, one usage event per 2xx answer, and with `hold` credits reserved first.
 * The answer leaves once it is metered (its `res.end` waits for the usage event).
 * @example
 * import { meter } from 'tollgate/express';
 * app.post('/v1/images', meter(tollgate, { model: 'image-1024' }), (req, res) => res.json({ by: req.tollgate!.accountId }));
 */
export function meter(engine: Engine, options: MeterOptions): RequestHandler {
  const m = createMeter(engine, options);
  return (req, res, next) => {
    m.admit((name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    }).then((admission) => {
      if (!admission.ok) {
        res.status(admission.status).set(admission.headers).json(admission.body);
        return;
      }
      req.tollgate = admission.caller;
      let settled = false;
      const end = res.end;
      // Every answer ends here (res.send, res.json, a pipe, Express's error handler after a throw),
      // with its status final: meter or release, then let the answer go.
      res.end = function (this: Response, ...args: unknown[]) {
        if (settled) return (end as (...a: unknown[]) => Response).apply(this, args);
        settled = true;
        const served = res.statusCode >= 200 && res.statusCode < 300;
        void m
          .settle(admission, served ? () => m.quantityOf(req, res) : null)
          .finally(() => (end as (...a: unknown[]) => Response).apply(this, args));
        return this;
      } as Response['end'];
      // The handler's answer decides, not the socket. A client gone after the answer began (a
      // streamed 2xx) was served: it is metered now, whether or not the handler ever ends it. A
      // client gone before any answer leaves the handler running: its answer (res.end) decides,
      // and a handler that never answers leaves the hold to expire.
      res.on('close', () => {
        if (settled || !res.headersSent) return;
        settled = true;
        const served = res.statusCode >= 200 && res.statusCode < 300;
        void m.settle(admission, served ? () => m.quantityOf(req, res) : null);
      });
      next();
    }, next);
  };
}
