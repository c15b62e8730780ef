import { type Context, read } from '../kernel/context.ts';
import { ok, refuse } from '../kernel/errors.ts';
import {
  createEndpoint,
  deleteEndpoint,
  dispatchWebhooks,
  listDeliveries,
  rotateSecret,
} from './webhooks.ts';

/**
 * The webhooks feature's slice of the engine: the operator's endpoints and their deliveries.
 * @example const { webhooks } = webhooksSlice(ctx)
 */
export function webhooksSlice(ctx: Context) {
  return {
    webhooks: {
      create: (url: unknown, events: unknown) => createEndpoint(ctx, ctx.webhooks, url, events),
      list: () => read(ctx, (tx) => tx.webhooks.listEndpoints()),
      get: async (id: string) => {
        const e = await read(ctx, (tx) => tx.webhooks.getEndpoint(id));
        return e ? ok(e) : refuse('not_found', `no webhook endpoint ${id}`);
      },
      delete: (id: string) => deleteEndpoint(ctx, ctx.webhooks, id),
      rotateSecret: (id: string) => rotateSecret(ctx, id),
      deliveries: (id: string) => listDeliveries(ctx, id),
      /** Starts every due delivery; the returned promises settle as each one finishes. */
      dispatch: () => dispatchWebhooks(ctx, ctx.webhooks),
    },
  };
}
