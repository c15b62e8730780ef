import type { TollgateConfig } from '../src/core/config.ts';
import type { Clock } from '../src/core/ports.ts';
import { createApp, createTollgate, type Engine } from '../src/index.ts';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 25, 13, 30, 0)) {}
  nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const HOUR = 3_600_000;
export const ADMIN = 'test-admin-token';

export async function makeEngine(
  opts: { clock?: ManualClock; config?: Partial<TollgateConfig>; database?: string } = {},
) {
  const clock = opts.clock ?? new ManualClock();
  const engine = await createTollgate({
    database: opts.database ?? ':memory:',
    clock,
    ...(opts.config ? { config: opts.config } : {}),
  });
  return { engine, clock };
}

/** An engine and its HTTP app, with a JSON helper that sends the operator token. */
export async function makeApi(opts: { clock?: ManualClock; config?: Partial<TollgateConfig> } = {}) {
  const { engine, clock } = await makeEngine(opts);
  const logs: string[] = [];
  const app = createApp(engine, { adminToken: ADMIN, log: (l) => logs.push(JSON.stringify(l)) });
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: json, text, bytes, headers: res.headers };
  }
  return { engine, clock, app, call, logs };
}

/** The value of a core result, failing the test with the refusal otherwise. */
export function must<T>(r: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r.value;
}

/** An account holding `credits` (granted), for tests that need funds. */
export async function fundedAccount(engine: Engine, credits = '1000') {
  const account = must(await engine.accounts.create({ name: 'Acme' }));
  if (credits !== '0') must(await engine.credits.grant(account.id, { credits, reason: 'test funds' }));
  return account;
}
