/**
 * fast-check commands that take one step on the real engine and on the reference model, and
 * compare the answers. After every step `checkWorld` compares every balance and lot, and checks
 * the product's invariants on the engine's own answers.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Engine } from '../../src/index.ts';
import type { ManualClock } from '../helpers.ts';
import { cardJson, NEXT_CARDS, type PricingModel } from './pricing-model.ts';
import { C, CURRENCIES, HOUR, MAX_CREDITS, type Model } from './reference-model.ts';

export interface World {
  engine: Engine;
  clock: ManualClock;
  model: Model;
  /** The rate card's versions and the accounts' contracts, as the model sees them. */
  pricing: PricingModel;
  accounts: string[];
  purchases: string[];
  holds: string[];
  log: string[];
  /** Sends one request over the HTTP app with an Idempotency-Key. */
  http: (
    method: string,
    path: string,
    body: string | undefined,
    key: string,
  ) => Promise<{ status: number; text: string; json: any }>;
  /** Money requests sent over HTTP and their first answers, for the network's retries. */
  sent: Sent[];
  allowances: string[];
}

/** A request sent once over HTTP, and what it answered. */
interface Sent {
  method: string;
  path: string;
  body: string | undefined;
  key: string;
  status: number;
  text: string;
  atMs: number;
}

/**
 * Sends a money request over HTTP with a fresh Idempotency-Key and keeps it for `resend` and
 * `conflict`; answers its code (`ok` for 2xx) and JSON.
 */
async function overHttp(
  w: World,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ code: string; json: any }> {
  const key = `model-${w.sent.length}-${w.log.length}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const r = await w.http(method, path, text, key);
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(500);
  w.sent.push({ method, path, body: text, key, status: r.status, text: r.text, atMs: w.clock.ms });
  return { code: r.status < 300 ? 'ok' : r.json.error.code, json: r.json };
}

/** USD minor units as answers write them ("12.34"). */
/** Minor units of a currency as answers write them ("12.34" in USD, "1234" in JPY). */
const money = (minor: bigint, currency: string) =>
  CURRENCIES[currency]!.units === 0
    ? minor.toString()
    : `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;

/** Requests whose kept answer is still kept (35 days): the network retries within that. */
const retriable = (w: World) => w.sent.filter((x) => w.clock.ms - x.atMs < 30 * 24 * HOUR);

/** The answer of a money request was lost: the same request again answers the first, byte for byte, and changes nothing. */
const resend = fc.nat().map((i) =>
  command(`resend request #${i} (its answer was lost)`, async (w) => {
    const first = pick(retriable(w), i);
    if (!first) return 'none';
    const again = await w.http(first.method, first.path, first.body, first.key);
    expect([again.status, again.text], `replay of ${first.method} ${first.path}`).toEqual([
      first.status,
      first.text,
    ]);
    return `${first.method} ${first.path} -> ${again.status} again`;
  }),
);

/** The same Idempotency-Key with another body: refused as a conflict, nothing changed. */
const conflict = fc.nat().map((i) =>
  command(`reuse the key of request #${i} with another body`, async (w) => {
    const first = pick(retriable(w), i);
    if (!first) return 'none';
    // Another valid body: other credits where it has credits, else another reason.
    const body = first.body ? JSON.parse(first.body) : {};
    const other = JSON.stringify(
      'credits' in body
        ? { ...body, credits: body.credits === '1500' ? '1600' : '1500' }
        : { ...body, reason: 'another body' },
    );
    const r = await w.http(first.method, first.path, other, first.key);
    expect([r.status, r.json?.error?.code], `${first.method} ${first.path} with another body`).toEqual([
      409,
      'idempotency_conflict',
    ]);
    return 'idempotency_conflict';
  }),
);

/** Minor units as the wire's decimal string. */
export function fmt(minor: bigint): string {
  const whole = minor / C;
  const frac = (minor % C).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

const pick = <T>(xs: T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

type Cmd = fc.AsyncCommand<World, World>;

function command(name: string, run: (w: World) => Promise<string>): Cmd {
  return {
    check: () => true,
    async run(_m, w) {
      const what = await run(w);
      w.log.push(`${name}: ${what}`);
      await checkWorld(w);
    },
    toString: () => name,
  };
}

/** Scopes of lots: none, one of the two models events use, both. */
const SCOPES = [null, ['tokens-1k'], ['video-custom'], ['tokens-1k', 'video-custom']] as const;
const scopeOf = (s: (typeof SCOPES)[number]): string[] | null => (s === null ? null : [...s]);

const PURCHASE_CREDITS = ['500', '800', '1000', '1234.5', '5000', '769231', '800000', '1000000001'];

const purchase = fc
  .record({
    account: fc.nat(),
    credits: fc.constantFrom(...PURCHASE_CREDITS),
    http: fc.boolean(),
    scope: fc.constantFrom(...SCOPES),
  })
  .map(({ account, credits, http, scope }) =>
    command(
      `purchase ${credits} on #${account} for ${scope ?? 'any model'}${http ? ' over HTTP' : ''}`,
      async (w) => {
        const acc = pick(w.accounts, account)!;
        const want = w.model.quote(BigInt(Math.round(Number(credits) * 1e6)), acc);
        const models = scopeOf(scope);
        if (http) {
          const r = await overHttp(w, 'POST', `/v1/accounts/${acc}/credit_purchases`, {
            credits,
            provider: 'manual',
            ...(models ? { models } : {}),
          });
          expect(r.code, 'purchase').toBe(want.ok ? 'ok' : want.code);
          if (r.code === 'ok' && want.ok) {
            expect(r.json.total, 'total of the purchase').toBe(
              money(want.value.total, w.model.account(acc).currency),
            );
            expect(r.json.currency, 'currency of the purchase').toBe(w.model.account(acc).currency);
            expect(r.json.models, 'scope of the purchase').toEqual(models);
            w.model.createPurchase(r.json.id, acc, BigInt(Math.round(Number(credits) * 1e6)), models);
            w.purchases.push(r.json.id);
          }
          return r.code;
        }
        const key = `order-${w.purchases.length}-${w.log.length}`;
        const r = await w.engine.credits.purchase(
          acc,
          { credits, provider: 'manual', ...(models ? { models } : {}) },
          key,
        );
        expect(codeOf(r), 'purchase').toBe(want.ok ? 'ok' : want.code);
        if (r.ok && want.ok) {
          expect(r.value.purchase.totalMinor, 'total of the purchase').toBe(want.value.total);
          expect(r.value.purchase.taxMinor, 'tax of the purchase').toBe(want.value.tax);
          w.model.createPurchase(r.value.purchase.id, acc, r.value.purchase.creditsMinor, models);
          w.purchases.push(r.value.purchase.id);
        }
        return codeOf(r)!;
      },
    ),
  );

const confirm = fc.record({ i: fc.nat(), http: fc.boolean() }).map(({ i, http }) =>
  command(`confirm purchase #${i}${http ? ' over HTTP' : ''}`, async (w) => {
    const id = pick(w.purchases, i);
    if (!id) return 'none';
    const code = http
      ? (await overHttp(w, 'POST', `/v1/credit_purchases/${id}/confirm`)).code
      : codeOf(await w.engine.credits.confirm(id))!;
    const want = w.model.confirm(id);
    expect(code, 'confirm').toBe(want.ok ? 'ok' : want.code);
    return code;
  }),
);

const failPurchase = fc.record({ i: fc.nat(), http: fc.boolean() }).map(({ i, http }) =>
  command(`fail purchase #${i}${http ? ' over HTTP' : ''}`, async (w) => {
    const id = pick(w.purchases, i);
    if (!id) return 'none';
    const code = http
      ? (await overHttp(w, 'POST', `/v1/credit_purchases/${id}/fail`)).code
      : codeOf(await w.engine.credits.fail(id))!;
    const want = w.model.fail(id);
    expect(code, 'fail').toBe(want.ok ? 'ok' : want.code);
    return code;
  }),
);

const GRANT_CREDITS = ['1', '10', '25.5', '100', '1000000000', '1000000001', '9223372036854'];

const grant = fc
  .record({
    account: fc.nat(),
    credits: fc.constantFrom(...GRANT_CREDITS),
    expiresInMinutes: fc.constantFrom(null, 30, 120, 24 * 60),
    // Default (before purchases), or after them: burn order is priority first.
    priority: fc.constantFrom(undefined, 20),
    http: fc.boolean(),
    scope: fc.constantFrom(...SCOPES),
  })
  .map(({ account, credits, expiresInMinutes, priority, http, scope }) =>
    command(
      `grant ${credits} on #${account} for ${scope ?? 'any model'} expiring in ${expiresInMinutes} min, priority ${priority}${http ? ' over HTTP' : ''}`,
      async (w) => {
        const acc = pick(w.accounts, account)!;
        const models = scopeOf(scope);
        const expiresAtMs = expiresInMinutes === null ? null : w.clock.ms + expiresInMinutes * 60_000;
        // The API takes no priority: over HTTP a grant has the default one.
        const r =
          http && priority === undefined
            ? await overHttp(w, 'POST', `/v1/accounts/${acc}/credit_grants`, {
                credits,
                reason: 'model',
                ...(expiresAtMs === null ? {} : { expires_at: new Date(expiresAtMs).toISOString() }),
                ...(models ? { models } : {}),
              }).then((x) =>
                x.code === 'ok'
                  ? { ok: true as const, value: { id: x.json.id as string } }
                  : { ok: false as const, code: x.code },
              )
            : await w.engine.credits.grant(acc, {
                credits,
                reason: 'model',
                expiresAtMs,
                models,
                ...(priority === undefined ? {} : { priority }),
              });
        const minor = BigInt(Math.round(Number(credits) * 1e6));
        const want = w.model.grant(acc, r.ok ? r.value.id : 'refused', minor, expiresAtMs, priority, models);
        if (!r.ok && want.ok) throw new Error('model granted what the engine refused');
        expect(codeOf(r), 'grant').toBe(want.ok ? 'ok' : want.code);
        return codeOf(r)!;
      },
    ),
  );

const refund = fc
  .record({
    i: fc.nat(),
    credits: fc.constantFrom(undefined, '1', '100', '450', '999', '1000000001'),
    http: fc.boolean(),
  })
  .map(({ i, credits, http }) =>
    command(`refund ${credits ?? 'all unspent'} of purchase #${i}${http ? ' over HTTP' : ''}`, async (w) => {
      const id = pick(w.purchases, i);
      if (!id) return 'none';
      const r = http
        ? await overHttp(
            w,
            'POST',
            `/v1/credit_purchases/${id}/refund`,
            credits === undefined ? {} : { credits },
          ).then((x) =>
            x.code === 'ok'
              ? {
                  ok: true as const,
                  value: {
                    creditsMinor: decimalMinor(x.json.credits),
                    totalMinor: BigInt(x.json.total.replace('.', '')),
                  },
                }
              : { ok: false as const, code: x.code },
          )
        : await w.engine.credits.refund(id, credits);
      const want = w.model.refund(id, credits === undefined ? undefined : BigInt(Number(credits)) * C);
      expect(codeOf(r), `refund (model: ${JSON.stringify(w.model.unspentOfPurchase(id))})`).toBe(
        want.ok ? 'ok' : want.code,
      );
      if (r.ok && want.ok) {
        expect(r.value.creditsMinor, 'credits refunded').toBe(want.value.credits);
        expect(r.value.totalMinor, 'money refunded').toBe(want.value.total);
      }
      return r.ok ? `${fmt(r.value.creditsMinor)} credits, ${r.value.totalMinor} cents` : r.code;
    }),
  );

/** Credits sent on an event: ordinary, fractional, zero, the maximum, and beyond it. */
const EVENT_CREDITS = [
  '0',
  '1',
  '2.5',
  '20',
  '0.000001',
  '999',
  '1000000000',
  '1000000000.000001',
  '9223372036854',
];
/** Quantities of `tokens-1k` (0.05 credits a unit): rounding half up, and a quantity past the bound. */
const QUANTITIES = ['1', '0.00001', '3.333333', '100', '20000000000'];
/** Quantities of `chat-large`: one or several dimensions, a cached one a later card drops, a fraction. */
const CHAT_QUANTITIES: Record<string, string>[] = [
  { input_tokens: '1200' },
  { input_tokens: '1200', output_tokens: '350' },
  { cached_input_tokens: '1', input_tokens: '3' },
  { output_tokens: '999999' },
  { input_tokens: '10.5' },
];
/** Minutes before now: the current hour, earlier hours, a few minutes ahead, far ahead, too old. */
const OFFSETS = [0, 1, 30, 70, 150, -3, -10, 36 * 24 * 60];

const event = fc.record({
  id: fc.nat({ max: 24 }),
  account: fc.nat(),
  offset: fc.constantFrom(...OFFSETS),
  priced: fc.boolean(),
  /** A priced event of the three-dimension `chat-large` instead of `tokens-1k`. */
  chat: fc.boolean(),
  credits: fc.constantFrom(...EVENT_CREDITS),
  quantity: fc.constantFrom(...QUANTITIES),
  quantities: fc.constantFrom(...CHAT_QUANTITIES),
});

const ingest = fc.array(event, { minLength: 1, maxLength: 4 }).map((events) =>
  command(`ingest ${JSON.stringify(events)}`, async (w) => {
    const now = w.clock.ms;
    // Whole seconds, so the engine's and the model's idea of the instant are the same.
    const base = now - (now % 1000);
    const wire = events.map((e) => {
      const acc = pick(w.accounts, e.account)!;
      const ts = base - e.offset * 60_000;
      const body: {
        id: string;
        account_id: string;
        model: string;
        quantity?: string;
        quantities?: Record<string, string>;
        timestamp: string;
        credits?: string;
      } = {
        id: `evt-${e.id}`,
        account_id: acc,
        model: e.priced ? (e.chat ? 'chat-large' : 'tokens-1k') : 'video-custom',
        ...(e.priced && e.chat ? { quantities: e.quantities } : { quantity: e.priced ? e.quantity : '1' }),
        timestamp: new Date(ts).toISOString(),
        ...(e.priced ? {} : { credits: e.credits }),
      };
      return { acc, ts, body };
    });
    const results = await w.engine.usage.ingest(wire.map((x) => x.body));
    const got = results.map((r) => (r.status === 'rejected' ? r.code : r.status));
    const want = wire.map(({ acc, ts, body }) => {
      let credits: bigint | string;
      if (body.credits !== undefined) credits = decimalMinor(body.credits);
      else if (body.quantities !== undefined) credits = w.pricing.rate(acc, ts, body.model, body.quantities);
      else {
        const q = decimalMinor(body.quantity!);
        credits =
          q > MAX_CREDITS
            ? 'too_big_quantity'
            : w.pricing.rate(acc, ts, body.model, { quantity: body.quantity! });
      }
      return w.model.ingest(body.id, acc, ts, credits, JSON.stringify(body), body.model);
    });
    expect(got, 'ingest answers').toEqual(want);
    return got.join(',');
  }),
);

const voidEvent = fc
  .record({ i: fc.nat(), unknown: fc.nat({ max: 4 }), http: fc.boolean() })
  .map(({ i, unknown, http }) =>
    command(
      `void stored event #${i}${unknown === 0 ? ' (or an unknown id)' : ''}${http ? ' over HTTP' : ''}`,
      async (w) => {
        // Mostly events that are stored (billed or not), sometimes an id never sent.
        const id =
          unknown === 0 ? 'evt-never-sent' : (pick([...w.model.events.keys()], i) ?? 'evt-never-sent');
        const want = w.model.voidEvent(id);
        if (http) {
          const r = await overHttp(w, 'POST', `/v1/usage_events/${id}/void`, {
            reason: 'reported twice by a retry loop',
          });
          expect(r.code, 'void').toBe(want.ok ? 'ok' : want.code);
          return r.code;
        }
        const r = await w.engine.usage.void(id, 'reported twice by a retry loop');
        expect(codeOf(r), 'void').toBe(want.ok ? 'ok' : want.code);
        if (r.ok && want.ok)
          expect(r.value.reversalMinor, 'billed credits to give back').toBe(want.value.givenBackLater);
        return r.ok
          ? `${r.value.reversalMinor > 0n ? 'billed' : 'unbilled'}, ${fmt(r.value.reversalMinor)} to give back`
          : r.code;
      },
    ),
  );

const createHold = fc
  .record({
    account: fc.nat(),
    credits: fc.constantFrom('1', '40', '300', '1500', '1000000001'),
    ttl: fc.constantFrom(60, 3600),
    http: fc.boolean(),
  })
  .map(({ account, credits, ttl, http }) =>
    command(`hold ${credits} on #${account} for ${ttl} s${http ? ' over HTTP' : ''}`, async (w) => {
      const acc = pick(w.accounts, account)!;
      const r = http
        ? await overHttp(w, 'POST', `/v1/accounts/${acc}/holds`, { credits, ttl_seconds: ttl }).then((x) =>
            x.code === 'ok'
              ? { ok: true as const, value: { id: x.json.id as string } }
              : { ok: false as const, code: x.code },
          )
        : await w.engine.holds.create(acc, { credits, ttlSeconds: ttl });
      const want = w.model.createHold(r.ok ? r.value.id : 'refused', acc, BigInt(credits) * C, ttl);
      expect(codeOf(r), `hold (model balance ${JSON.stringify(w.model.balance(acc), big)})`).toBe(
        want.ok ? 'ok' : want.code,
      );
      if (r.ok) w.holds.push(r.value.id);
      return codeOf(r)!;
    }),
  );

const resolveHold = fc
  .record({
    i: fc.nat(),
    capture: fc.boolean(),
    credits: fc.constantFrom('1', '20', '40', '300', '2000'),
    http: fc.boolean(),
  })
  .map(({ i, capture, credits, http }) =>
    command(
      `${capture ? `capture ${credits} of` : 'release'} hold #${i}${http ? ' over HTTP' : ''}`,
      async (w) => {
        const id = pick(w.holds, i);
        if (!id) return 'none';
        const code = http
          ? (
              await overHttp(
                w,
                'POST',
                `/v1/holds/${id}/${capture ? 'capture' : 'release'}`,
                capture ? { credits } : undefined,
              )
            ).code
          : codeOf(capture ? await w.engine.holds.capture(id, credits) : await w.engine.holds.release(id))!;
        const want = capture ? w.model.capture(id, BigInt(credits) * C) : w.model.release(id);
        expect(code, 'hold resolution').toBe(want.ok ? 'ok' : want.code);
        return code;
      },
    ),
  );

const advance = fc.constantFrom(1, 17, 60, 130, 2 * 24 * 60, 7 * 24 * 60).map((minutes) =>
  command(`advance ${minutes} min, then sweep holds`, async (w) => {
    w.clock.advance(minutes * 60_000);
    w.model.nowMs = w.clock.ms;
    const n = await w.engine.holds.expire();
    expect(n, 'holds expired').toBe(w.model.expireHolds());
    return `${n} holds expired`;
  }),
);

const bill = fc.constant(
  command('billing run', async (w) => {
    const r = await w.engine.billing.run();
    const want = w.model.bill();
    expect(r.creditsMinor, 'credits billed').toBe(want.credits);
    return `${fmt(r.creditsMinor)} credits billed`;
  }),
);

const expireLots = fc.constant(
  command('lot expiry', async (w) => {
    const r = await w.engine.credits.expireLots();
    expect(r.creditsMinor, 'credits expired').toBe(w.model.expireLots());
    return `${fmt(r.creditsMinor)} credits expired`;
  }),
);

const iso = (ms: number) => new Date(ms).toISOString();

/** A new version of the rate card, now or later: one of a few cards (a price change, a model or a dimension dropped). */
const priceVersion = fc
  .record({ offset: fc.constantFrom(0, 20, 90), card: fc.nat({ max: NEXT_CARDS.length - 1 }) })
  .map(({ offset, card }) =>
    command(`price version in ${offset} min: card #${card}`, async (w) => {
      const now = w.clock.ms;
      const at = now - (now % 1000) + offset * 60_000;
      const r = await w.engine.prices.createVersion({
        effective_at: iso(at),
        models: cardJson(NEXT_CARDS[card]!),
      });
      const want = w.pricing.addVersion(at, now, NEXT_CARDS[card]!);
      expect(codeOf(r), 'price version').toBe(want);
      return codeOf(r)!;
    }),
  );

/** A contract with a discount for one account, from now or an hour and a half ago, open or for two hours. */
const contract = fc
  .record({
    account: fc.nat(),
    discount: fc.constantFrom('10', '33.5', '100'),
    startsAgo: fc.constantFrom(0, 90),
    lasts: fc.constantFrom(null, 120),
  })
  .map(({ account, discount, startsAgo, lasts }) =>
    command(
      `contract ${discount} % off for account #${account}, from ${startsAgo} min ago, ${lasts ?? 'open'}`,
      async (w) => {
        const acc = pick(w.accounts, account)!;
        const now = w.clock.ms;
        const startsAtMs = now - (now % 1000) - startsAgo * 60_000;
        const endsAtMs = lasts === null ? null : startsAtMs + lasts * 60_000;
        const r = await w.engine.contracts.create(acc, {
          starts_at: iso(startsAtMs),
          ...(endsAtMs !== null ? { ends_at: iso(endsAtMs) } : {}),
          discount_percent: discount,
        });
        expect(codeOf(r), 'contract').toBe(w.pricing.addContract(acc, { startsAtMs, endsAtMs, discount }));
        return codeOf(r)!;
      },
    ),
  );

const ALLOWANCE_CREDITS = ['5', '50', '1000000001'];

const createAllowance = fc
  .record({
    account: fc.nat(),
    credits: fc.constantFrom(...ALLOWANCE_CREDITS),
    scope: fc.constantFrom(...SCOPES),
    http: fc.boolean(),
  })
  .map(({ account, credits, scope, http }) =>
    command(
      `allowance of ${credits} a month on #${account} for ${scope ?? 'any model'}${http ? ' over HTTP' : ''}`,
      async (w) => {
        const acc = pick(w.accounts, account)!;
        const models = scopeOf(scope);
        const body = { credits, period: 'month', reason: 'free tier', ...(models ? { models } : {}) };
        const r = http
          ? await overHttp(w, 'POST', `/v1/accounts/${acc}/credit_allowances`, body).then((x) =>
              x.code === 'ok'
                ? { ok: true as const, value: { id: x.json.id as string } }
                : { ok: false as const, code: x.code },
            )
          : await w.engine.allowances.create(acc, body);
        const want = w.model.createAllowance(
          r.ok ? r.value.id : 'refused',
          acc,
          decimalMinor(credits),
          models,
        );
        if (!r.ok && want.ok) throw new Error('model made an allowance the engine refused');
        expect(codeOf(r), 'allowance').toBe(want.ok ? 'ok' : want.code);
        if (r.ok) w.allowances.push(r.value.id);
        return codeOf(r)!;
      },
    ),
  );

const endAllowance = fc.record({ i: fc.nat(), http: fc.boolean() }).map(({ i, http }) =>
  command(`end allowance #${i}${http ? ' over HTTP' : ''}`, async (w) => {
    const id = pick(w.allowances, i);
    if (!id) return 'none';
    const code = http
      ? (await overHttp(w, 'DELETE', `/v1/credit_allowances/${id}`)).code
      : codeOf(await w.engine.allowances.end(id))!;
    const want = w.model.endAllowance(id);
    expect(code, 'end allowance').toBe(want.ok ? 'ok' : want.code);
    return code;
  }),
);

/** The scheduler's run (00:00 UTC on the 1st, and at start): twice in a row grants nothing more. */
const grantAllowances = fc.constant(
  command('allowance grants', async (w) => {
    const r = await w.engine.allowances.grantDue();
    expect(r.failed, 'allowance grants failed').toEqual([]);
    expect(r.granted, 'allowance grants').toBe(w.model.grantAllowances());
    expect((await w.engine.allowances.grantDue()).granted, 'a second run grants nothing').toBe(0);
    return `${r.granted} granted`;
  }),
);

/** Every step the engine can take, weighted roughly as a platform sees them. */
export const allCommands = [
  purchase,
  purchase,
  confirm,
  confirm,
  failPurchase,
  grant,
  refund,
  refund,
  ingest,
  ingest,
  ingest,
  voidEvent,
  voidEvent,
  createHold,
  createHold,
  resolveHold,
  resolveHold,
  advance,
  advance,
  bill,
  bill,
  expireLots,
  resend,
  resend,
  conflict,
  priceVersion,
  contract,
  createAllowance,
  endAllowance,
  grantAllowances,
];

function decimalMinor(s: string): bigint {
  const [w, f = ''] = s.split('.');
  return BigInt(w!) * C + BigInt(f.padEnd(6, '0').slice(0, 6) || '0') + (f.length > 6 ? 1n : 0n);
}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** The engine agrees with the model on every balance and lot, and the product invariants hold. */
export async function checkWorld(w: World): Promise<void> {
  const where = w.log.slice(-8).join('\n  ');
  const e = w.engine;
  let numbers: string[] = [];
  let noteNumbers: string[] = [];
  for (const acc of w.accounts) {
    const b = await e.accounts.balance(acc);
    if (!b.ok) throw new Error(b.message);
    const want = w.model.balance(acc);
    expect(
      {
        posted: b.value.posted,
        pending: b.value.pending,
        unbilled: b.value.unbilled,
        available: b.value.available,
      },
      `balance of ${acc} after\n  ${where}`,
    ).toEqual(want);
    expect(
      Object.fromEntries(b.value.availableByModel),
      `available by model of ${acc} after\n  ${where}`,
    ).toEqual(w.model.availableByModel(acc));
    const lots = await e.credits.lots(acc);
    const modelLots = w.model.burnOrder(acc);
    expect(
      lots.map((l) => [l.remainingMinor, l.models]),
      `lots of ${acc} in burn order after\n  ${where}`,
    ).toEqual(modelLots.map((l) => [l.remaining, l.models]));
    // Without scoped lots, lots hold exactly the credits the account has, never more (nothing
    // spent is refundable). A scoped lot keeps its credits for its models while usage no lot
    // covered is a debt of the account: lots then hold more, the debt netted in `available`.
    const inLots = lots.reduce((s, l) => s + l.remainingMinor, 0n);
    const floor = b.value.posted > 0n ? b.value.posted : 0n;
    if (w.model.account(acc).lots.every((l) => l.models === null))
      expect(inLots, `credits in lots of ${acc}`).toBe(floor);
    else expect(inLots >= floor, `credits in lots of ${acc}: ${inLots} < ${floor}`).toBe(true);
    const invoices = await e.invoices.list(acc);
    if (!invoices.ok) throw new Error(invoices.message);
    numbers = numbers.concat(invoices.value.map((i) => i.number));
    const notes = await e.invoices.listCreditNotes(acc);
    if (!notes.ok) throw new Error(notes.message);
    noteNumbers = noteNumbers.concat(notes.value.map((n) => n.number));
    // Per purchase: money received = invoice total - credit notes, never below zero.
    for (const inv of invoices.value) {
      const of = notes.value.filter((n) => n.purchaseId === inv.purchaseId);
      const back = of.reduce((s, n) => s + n.totalMinor, 0n);
      const credits = of.reduce((s, n) => s + n.creditsMinor, 0n);
      expect(back <= inv.totalMinor, `credit notes of ${inv.number} exceed it`).toBe(true);
      expect(credits <= inv.creditsMinor, `credits refunded of ${inv.number} exceed it`).toBe(true);
      const mp = w.model.purchases.get(inv.purchaseId)!;
      expect(back, `money refunded on ${inv.number}`).toBe(mp.refundedMoney);
      // A purchase's money, its invoice and its credit notes stay in one currency.
      expect(inv.currency, `currency of ${inv.number}`).toBe(mp.currency);
      for (const n of of) expect(n.snapshot.currency, `currency of ${n.number}`).toBe(mp.currency);
    }
  }
  expect(numbers.length, 'invoices').toBe(w.model.invoices);
  expect(noteNumbers.length, 'credit notes').toBe(w.model.creditNotes);
  expect(gapless(numbers), `invoice numbers ${numbers}`).toBe(true);
  expect(gapless(noteNumbers), `credit note numbers ${noteNumbers}`).toBe(true);
  await checkRecords(w, where);
  const audit = await e.ledger.audit();
  expect(audit.mismatchedAccounts, 'ledger accounts whose balance differs from their entries').toEqual([]);
  for (const s of audit.assetSums) expect(s.sum, `sum of ${s.asset} balances`).toBe(0n);
}

/**
 * The usage records of the last 30 days agree with the model (status, billed or not), and each
 * billing transfer is the sum of the credits of the records that name it.
 */
async function checkRecords(w: World, where: string): Promise<void> {
  const fromMs = w.clock.ms - 30 * 24 * HOUR + HOUR;
  const from = new Date(fromMs - (fromMs % HOUR)).toISOString();
  const to = new Date(w.clock.ms + HOUR).toISOString();
  for (const acc of w.accounts) {
    const page = await w.engine.usage.records({ accountId: acc, from, to, limit: '1000' });
    if (!page.ok) throw new Error(page.message);
    const perTransfer = new Map<string, bigint>();
    for (const r of page.value.records) {
      const m = w.model.events.get(r.id)!;
      expect(r.status, `status of ${r.id} after\n  ${where}`).toBe(m.voided ? 'voided' : 'accepted');
      // An event of zero credits needs no transfer: it names one only if its row had others to bill.
      if (m.credits > 0n)
        expect(r.billingTransferId !== null, `${r.id} billed, after\n  ${where}`).toBe(m.billed);
      if (r.billingTransferId)
        perTransfer.set(r.billingTransferId, (perTransfer.get(r.billingTransferId) ?? 0n) + r.creditsMinor);
    }
    for (const [id, credits] of perTransfer) {
      const t = await w.engine.ledger.trace(id);
      if (!t.ok) throw new Error(t.message);
      expect(t.value.transfer.amount, `credits billed by ${id}`).toBe(credits);
    }
  }
}

/** Numbers of one series are 1..n with nothing missing (`INV-2026-000001`...). */
function gapless(numbers: string[]): boolean {
  const bySeries = new Map<string, number[]>();
  for (const n of numbers) {
    const m = /^(.*?)(\d+)$/.exec(n)!;
    bySeries.set(m[1]!, [...(bySeries.get(m[1]!) ?? []), Number(m[2])]);
  }
  for (const seq of bySeries.values()) {
    seq.sort((a, b) => a - b);
    if (seq.some((v, i) => v !== i + 1)) return false;
  }
  return true;
}

export { HOUR };
