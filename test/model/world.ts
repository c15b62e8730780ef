import { systemIds } from '../../src/adapters/system/system.ts';
import type { IdSource } from '../../src/core/kernel/ports.ts';
import { createApp, createTollgate, type TollgateOptions } from '../../src/index.ts';
import { ADMIN, ManualClock } from '../helpers.ts';
import type { World } from './commands.ts';
import { PricingModel } from './pricing-model.ts';
import { Model } from './reference-model.ts';

/** Ids that sort in creation order even within one millisecond, so burn order ties are stable. */
export function sequentialIds(clock: ManualClock, tag = ''): IdSource {
  let n = 0;
  return { ...systemIds(clock), newId: (prefix) => `${prefix}_${tag}${String(n++).padStart(10, '0')}` };
}

export const MODEL_CONFIG = {
  creditPrice: '0.013',
  taxRate: '0.2',
  currencies: [
    { code: 'USD', creditPrice: '0.013', minorUnits: 2, paymentMinMinor: 1000n, paymentMaxMinor: 1_000_000n },
    { code: 'JPY', creditPrice: '1.9', minorUnits: 0, paymentMinMinor: 10n, paymentMaxMinor: 10_000n },
  ],
};

/** A fresh engine on `database`, two customer accounts, and the model of the same. */
export async function openWorld(opts: { database: TollgateOptions['database'] }): Promise<World> {
  const database = opts.database;
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 13, 30, 0));
  const engine = await createTollgate({ database, clock, ids: sequentialIds(clock), config: MODEL_CONFIG });
  const model = new Model(clock.ms);
  const accounts: string[] = [];
  // One account buys in dollars, the other in yen (no minor unit).
  for (const [name, currency] of [
    ['Acme Films', 'USD'],
    ['Brightframe', 'JPY'],
  ] as const) {
    const a = await engine.accounts.create({ name, currency });
    if (!a.ok) throw new Error(a.message);
    accounts.push(a.value.id);
    model.addAccount(a.value.id, currency);
  }
  const app = createApp(engine, { adminToken: ADMIN });
  /** One request over HTTP, as an operator's app sends it, with its Idempotency-Key. */
  const http = async (method: string, path: string, body: string | undefined, key: string) => {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        'idempotency-key': key,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  };
  return {
    engine,
    clock,
    model,
    pricing: new PricingModel(),
    accounts,
    purchases: [],
    holds: [],
    log: [],
    http,
    sent: [],
    allowances: [],
  };
}
