import { balanceIn } from '../kernel/balance.ts';
import { type BalanceListener, type Context, fail, read, unit } from '../kernel/context.ts';
import { invalidField, ok, type Result, refuse } from '../kernel/errors.ts';
import {
  type OutboxEvent,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '../kernel/model.ts';
import type { Tx } from '../kernel/ports.ts';
import { isoUtc } from '../kernel/time.ts';
import type { WebhookState } from '../kernel/webhook-state.ts';

/** Delivery attempts stop after this many: 30 s doubling to a 6 h cap (jittered down to half) spans more than a day. */
export const MAX_ATTEMPTS = 18;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3_600_000;
/** In flight at once, in all and per endpoint: a slow endpoint uses its own slots only. */
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_PER_ENDPOINT = 4;
const CLAIM_LEASE_MS = 60_000;

/** Retry delay after `attempts` failures: exponential with full jitter between half and all of it. */
export function backoffMs(attempts: number, fraction: number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base / 2 + (base / 2) * fraction);
}

/**
 * Checks an endpoint. Refusals, first wins: `url` not an http(s) URL; `url` not https while
 * `webhookHttpsOnly`; `events` empty or unknown; `url`'s host resolving to an address that is not
 * public while `webhookPublicTargetsOnly` (asked of the sender, which checks each delivery again).
 */
async function validEndpoint(
  ctx: Context,
  sender: WebhookState['sender'],
  url: unknown,
  events: unknown,
): Promise<Result<{ url: string; events: WebhookEventType[] }>> {
  const wanted = ctx.config.webhookHttpsOnly ? 'an https URL' : 'an http(s) URL';
  if (typeof url !== 'string' || url.length > 2000) return invalidField('url', `must be ${wanted}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalidField('url', `must be ${wanted}`);
  }
  if (parsed.protocol !== 'https:' && (ctx.config.webhookHttpsOnly || parsed.protocol !== 'http:'))
    return invalidField('url', `must be ${wanted}`);
  if (!Array.isArray(events) || events.length === 0)
    return invalidField('events', `must list event types: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  for (const e of events) {
    if (!(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(e))
      return invalidField('events', `${String(e)} is not an event type`);
  }
  if (ctx.config.webhookPublicTargetsOnly) {
    const problem = await sender.checkTarget?.(parsed.href);
    if (problem) return invalidField('url', problem);
  }
  // Stored as the URL parser spells it: a scheme in capitals or surrounding spaces are normalised.
  return ok({ url: parsed.href, events: [...new Set(events as WebhookEventType[])] });
}

export async function createEndpoint(
  ctx: Context,
  state: WebhookState,
  url: unknown,
  events: unknown,
): Promise<Result<WebhookEndpoint>> {
  const v = await validEndpoint(ctx, state.sender, url, events);
  if (!v.ok) return v;
  const endpoint: WebhookEndpoint = {
    id: ctx.ids.newId('we'),
    ...v.value,
    secret: ctx.ids.newSecret('whsec_'),
    createdAtMs: ctx.clock.nowMs(),
  };
  const r = await unit(ctx, async (tx) => {
    await tx.webhooks.insertEndpoint(endpoint);
    return endpoint;
  });
  state.balanceListeners = null;
  return r;
}

export async function deleteEndpoint(ctx: Context, state: WebhookState, id: string): Promise<Result<true>> {
  const r = await unit(ctx, async (tx) => {
    if (!(await tx.webhooks.getEndpoint(id))) fail(refuse('not_found', `no webhook endpoint ${id}`));
    await tx.webhooks.deleteEndpoint(id, ctx.clock.nowMs());
    return true as const;
  });
  state.balanceListeners = null;
  return r;
}

export async function rotateSecret(ctx: Context, id: string): Promise<Result<WebhookEndpoint>> {
  return unit(ctx, async (tx) => {
    const endpoint = await tx.webhooks.getEndpoint(id);
    if (!endpoint) fail(refuse('not_found', `no webhook endpoint ${id}`));
    const secret = ctx.ids.newSecret('whsec_');
    await tx.webhooks.setSecret(id, secret);
    return { ...endpoint, secret };
  });
}

export async function listDeliveries(ctx: Context, id: string): Promise<Result<WebhookDelivery[]>> {
  const list = await read(ctx, async (tx) =>
    (await tx.webhooks.getEndpoint(id)) ? tx.webhooks.listDeliveries(id, 100) : undefined,
  );
  return list ? ok(list) : refuse('not_found', `no webhook endpoint ${id}`);
}

/**
 * Records an event in the outbox, with a delivery for each endpoint that listens to its type,
 * inside the caller's unit of work: it commits with the change it reports, or not at all.
 */
export async function emit(
  ctx: Context,
  tx: Tx,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const now = ctx.clock.nowMs();
  const event: OutboxEvent = { id: ctx.ids.newId('evt'), type, data, createdAtMs: now };
  const endpoints = (await tx.webhooks.listEndpoints()).filter((e) => e.events.includes(type));
  const deliveries: WebhookDelivery[] = endpoints.map((e) => ({
    id: ctx.ids.newId('whd'),
    eventId: event.id,
    endpointId: e.id,
    status: 'pending',
    attempts: 0,
    nextAttemptAtMs: now,
    lastStatusCode: null,
    lastError: null,
    createdAtMs: now,
    deliveredAtMs: null,
  }));
  await tx.webhooks.insertEvent(event, deliveries);
}

/**
 * Emits `balance.low` or `balance.depleted` when an account's available balance crosses below its
 * threshold or zero, once per crossing (the state is kept on the account). Runs inside the unit of
 * work that changed the balance.
 */
export async function checkBalanceAlerts(ctx: Context, tx: Tx, accountIds: Iterable<string>): Promise<void> {
  const state = ctx.webhooks;
  if (state.balanceListeners === null) {
    const endpoints = await tx.webhooks.listEndpoints();
    state.balanceListeners = endpoints.some((e) => e.events.some((t) => t.startsWith('balance.')));
    state.runwayListeners = endpoints.some((e) => e.events.includes('balance.runway_low'));
  }
  if (!state.balanceListeners) return;
  for (const accountId of accountIds) {
    const account = await tx.accounts.get(accountId);
    const balance = await balanceIn(tx, accountId);
    if (!account || !balance) continue;
    // What any model can use (scoped credits aside: they pay only some models).
    const { available } = balance;
    const threshold = account.lowBalanceThresholdMinor;
    const now = available <= 0n ? 'depleted' : threshold !== null && available < threshold ? 'low' : null;
    const before = await tx.webhooks.getAlertState(accountId);
    if (now === before) continue;
    await tx.webhooks.setAlertState(accountId, now);
    const rank = (s: string | null) => (s === 'depleted' ? 2 : s === 'low' ? 1 : 0);
    if (rank(now) > rank(before)) {
      const data = {
        account_id: accountId,
        available: available.toString(),
        threshold: threshold?.toString() ?? null,
        scale: ctx.config.scales.credits,
      };
      await emit(ctx, tx, now === 'depleted' ? 'balance.depleted' : 'balance.low', data);
    }
  }
}

/** The JSON body of a delivery: `{ id, type, created_at, data }`. The id is stable across retries. */
export const payloadOf = (event: OutboxEvent): string =>
  JSON.stringify({ id: event.id, type: event.type, created_at: isoUtc(event.createdAtMs), data: event.data });

/**
 * Starts every due delivery not already in flight, within the in-flight limits. Each delivery
 * finishes on its own; nothing waits for a slow endpoint. Answers how many it started.
 */
export async function dispatchWebhooks(ctx: Context, state: WebhookState): Promise<Promise<void>[]> {
  const now = ctx.clock.nowMs();
  const room = MAX_IN_FLIGHT - state.inFlight.size;
  if (room <= 0) return [];
  // Claimed for longer than a send can take (10 s timeout): a crash mid-send retries after the lease.
  const due = await ctx.storage.transaction((tx) => tx.webhooks.claimDue(now, now + CLAIM_LEASE_MS, room), {
    durability: 'normal',
  });
  const started: Promise<void>[] = [];
  const released: WebhookDelivery[] = [];
  for (const { delivery, event, endpoint } of due) {
    if (
      state.inFlight.size >= MAX_IN_FLIGHT ||
      state.inFlight.has(delivery.id) ||
      (state.perEndpoint.get(endpoint.id) ?? 0) >= MAX_IN_FLIGHT_PER_ENDPOINT
    ) {
      // Claimed but not sent now (its endpoint has all its slots busy): due again at once.
      released.push({ ...delivery, nextAttemptAtMs: now });
      continue;
    }
    state.inFlight.add(delivery.id);
    state.perEndpoint.set(endpoint.id, (state.perEndpoint.get(endpoint.id) ?? 0) + 1);
    started.push(
      (async () => {
        try {
          const r = await state.sender.send({
            url: endpoint.url,
            id: event.id,
            timestampSeconds: Math.floor(ctx.clock.nowMs() / 1000),
            body: payloadOf(event),
            secret: endpoint.secret,
          });
          const attempts = delivery.attempts + 1;
          const at = ctx.clock.nowMs();
          const next: WebhookDelivery = r.ok
            ? {
                ...delivery,
                status: 'delivered',
                attempts,
                lastStatusCode: r.status,
                lastError: null,
                deliveredAtMs: at,
              }
            : {
                ...delivery,
                status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
                attempts,
                nextAttemptAtMs: at + backoffMs(attempts, ctx.ids.fraction()),
                lastStatusCode: r.status,
                lastError: r.error,
              };
          await ctx.storage.transaction((tx) => tx.webhooks.updateDelivery(next), { durability: 'normal' });
          ctx.observer.webhookDelivery?.(r.ok ? 'delivered' : next.status === 'failed' ? 'failed' : 'retry');
        } finally {
          state.inFlight.delete(delivery.id);
          state.perEndpoint.set(endpoint.id, (state.perEndpoint.get(endpoint.id) ?? 1) - 1);
        }
      })(),
    );
  }
  if (released.length > 0) {
    await ctx.storage.transaction(
      async (tx) => {
        for (const d of released) await tx.webhooks.updateDelivery(d);
      },
      { durability: 'normal' },
    );
  }
  return started;
}

export type { WebhookState };

/** Balance alerts, as a listener of every change of a balance (registered in core/engine.ts). */
export const balanceAlertsListener: BalanceListener = {
  name: 'balance alerts',
  inTransaction: async (ctx, tx, change) => {
    // Also decides whether any endpoint hears balance and runway events, which the runway reads next.
    await checkBalanceAlerts(ctx, tx, change.accountIds);
    return undefined;
  },
};
