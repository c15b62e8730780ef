import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, ManualClock, makeApi, STORES } from '../helpers.ts';

/**
 * The network in the model: each money operation is sent to one engine once, and to a twin engine
 * with its answer lost and the same request sent again (1 to 3 times), plus the same key with
 * another body. What each customer was left with must be the same on both (each effect happened
 * once), every replayed answer must equal the first, and another body must be
 * `idempotency_conflict`. Objects are named by their order of creation, since ids differ.
 */

type Op =
  | { kind: 'purchase'; credits: number }
  | { kind: 'confirm'; purchase: number }
  | { kind: 'fail'; purchase: number }
  | { kind: 'grant'; credits: number }
  | { kind: 'refund'; purchase: number; credits: number }
  | { kind: 'hold'; credits: number }
  | { kind: 'capture'; hold: number; credits: number }
  | { kind: 'release'; hold: number }
  | { kind: 'usage'; credits: number }
  | { kind: 'void'; event: number }
  | { kind: 'bill' };

const small = fc.integer({ min: 1, max: 400 });
const index = fc.nat({ max: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('purchase' as const), credits: fc.integer({ min: 1000, max: 3000 }) }),
  fc.record({ kind: fc.constant('confirm' as const), purchase: index }),
  fc.record({ kind: fc.constant('fail' as const), purchase: index }),
  fc.record({ kind: fc.constant('grant' as const), credits: small }),
  fc.record({ kind: fc.constant('refund' as const), purchase: index, credits: small }),
  fc.record({ kind: fc.constant('hold' as const), credits: small }),
  fc.record({ kind: fc.constant('capture' as const), hold: index, credits: small }),
  fc.record({ kind: fc.constant('release' as const), hold: index }),
  fc.record({ kind: fc.constant('usage' as const), credits: small }),
  fc.record({ kind: fc.constant('void' as const), event: index }),
  fc.record({ kind: fc.constant('bill' as const) }),
);

/** One engine and the objects it created, in order. */
async function world(store: (typeof STORES)[number]) {
  const clock = new ManualClock();
  const api = await makeApi({ store, clock });
  const account = (await api.call('POST', '/v1/accounts', { name: 'Acme' })).body.id as string;
  return { api, clock, account, purchases: [] as string[], holds: [] as string[], events: [] as string[] };
}
type World = Awaited<ReturnType<typeof world>>;

/** The request of an operation, or null when it names an object not made yet. */
function requestOf(w: World, o: Op, step: number): { method: string; path: string; body?: unknown } | null {
  const pick = (list: string[], i: number) => (list.length === 0 ? null : list[i % list.length]!);
  switch (o.kind) {
    case 'purchase':
      return {
        method: 'POST',
        path: `/v1/accounts/${w.account}/credit_purchases`,
        body: { credits: String(o.credits), provider: 'manual' },
      };
    case 'confirm':
    case 'fail': {
      const p = pick(w.purchases, o.purchase);
      return p === null ? null : { method: 'POST', path: `/v1/credit_purchases/${p}/${o.kind}` };
    }
    case 'grant':
      return {
        method: 'POST',
        path: `/v1/accounts/${w.account}/credit_grants`,
        body: { credits: String(o.credits), reason: 'promo' },
      };
    case 'refund': {
      const p = pick(w.purchases, o.purchase);
      return p === null
        ? null
        : {
            method: 'POST',
            path: `/v1/credit_purchases/${p}/refund`,
            body: { credits: String(o.credits) },
          };
    }
    case 'hold':
      return {
        method: 'POST',
        path: `/v1/accounts/${w.account}/holds`,
        body: { credits: String(o.credits) },
      };
    case 'capture': {
      const h = pick(w.holds, o.hold);
      return h === null
        ? null
        : { method: 'POST', path: `/v1/holds/${h}/capture`, body: { credits: String(o.credits) } };
    }
    case 'release': {
      const h = pick(w.holds, o.hold);
      return h === null ? null : { method: 'POST', path: `/v1/holds/${h}/release` };
    }
    case 'usage':
      return {
        method: 'POST',
        path: '/v1/usage_events',
        body: {
          events: [
            {
              id: `e${step}`,
              account_id: w.account,
              model: 'image-1024',
              quantity: '1',
              credits: String(o.credits),
              timestamp: new Date(w.clock.ms).toISOString(),
            },
          ],
        },
      };
    case 'void': {
      const e = pick(w.events, o.event);
      return e === null
        ? null
        : { method: 'POST', path: `/v1/usage_events/${e}/void`, body: { reason: 'wrong' } };
    }
    case 'bill':
      return { method: 'POST', path: '/v1/billing_runs', body: {} };
  }
}

/** Remembers what a 2xx answer created, so later operations can name it by its order. */
function remember(w: World, o: Op, step: number, status: number, body: any): void {
  if (status >= 300) return;
  if (o.kind === 'purchase') w.purchases.push(body.id);
  if (o.kind === 'hold') w.holds.push(body.id);
  if (o.kind === 'usage' && body.results[0].status === 'accepted') w.events.push(`e${step}`);
}

/** What the customer sees: balance, purchases and their statuses, credit notes, holds. */
async function seen(w: World) {
  const get = async (path: string) => (await w.api.call('GET', path)).body;
  const balance = await get(`/v1/accounts/${w.account}/balance`);
  const purchases = (await get(`/v1/accounts/${w.account}/credit_purchases`)).data;
  const notes = (await get(`/v1/accounts/${w.account}/credit_notes`)).data;
  const invoices = (await get(`/v1/accounts/${w.account}/invoices`)).data;
  return {
    balance: {
      posted: balance.posted,
      pending: balance.pending,
      unbilled: balance.unbilled,
      available: balance.available,
    },
    purchases: purchases.map((p: any) => [p.credits, p.status]).sort(),
    notes: notes.map((n: any) => [n.credits, n.total]).sort(),
    invoices: invoices.map((i: any) => i.total).sort(),
  };
}

const strip = (text: string) => text.replace(/"request_id":"[^"]*"/g, '');

async function send(w: World, r: { method: string; path: string; body?: unknown }, key: string) {
  return w.api.call(r.method, r.path, r.body, { 'idempotency-key': key });
}

describe.each(STORES)('retries in the model ($name)', (store) => {
  it('each effect happens once however often its answer is lost; replays equal the first answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op, retries: fc.integer({ min: 1, max: 3 }), conflict: fc.boolean() }), {
          minLength: 4,
          maxLength: 18,
        }),
        async (steps) => {
          const once = await world(store);
          const twice = await world(store);
          try {
            for (const [i, s] of steps.entries()) {
              const key = `k${i}`;
              const r1 = requestOf(once, s.op, i);
              const r2 = requestOf(twice, s.op, i);
              if (!r1 || !r2) continue;
              const a = await send(once, r1, key);
              remember(once, s.op, i, a.status, a.body);
              const first = await send(twice, r2, key);
              expect(first.status, `${s.op.kind} ${a.text}`).toBe(a.status);
              remember(twice, s.op, i, first.status, first.body);
              if (s.op.kind === 'usage') continue; // ingest keeps its per-event ids: a retry is `duplicate`
              for (let n = 0; n < s.retries; n++) {
                const again = await send(twice, r2, key);
                expect(again.status).toBe(first.status);
                expect(strip(again.text)).toBe(strip(first.text));
                expect(again.headers.get('idempotent-replayed')).toBe('true');
              }
              if (s.conflict && r2.body !== undefined) {
                const b = r2.body as Record<string, unknown>;
                const changed =
                  typeof b.credits === 'string'
                    ? { ...b, credits: String(Number(b.credits) + 1) }
                    : { ...b, extra: 1 };
                const other = await send(twice, { ...r2, body: changed }, key);
                expect(other.status).toBe(409);
                expect(other.body.error.code).toBe('idempotency_conflict');
              }
              if (s.op.kind === 'bill') {
                once.clock.advance(HOUR);
                twice.clock.advance(HOUR);
              }
              expect(await seen(twice)).toEqual(await seen(once));
            }
          } finally {
            await once.api.engine.close();
            await twice.api.engine.close();
          }
        },
      ),
      { numRuns: Number(process.env.FC_RETRY_RUNS ?? 12) },
    );
  }, 300_000);
});
