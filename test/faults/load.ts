/**
 * Traffic for the fault tests: clients that verify a key, ingest usage and buy credits in a loop
 * while the test breaks the store, and remember every answer a user would act on.
 */

export interface LoadReport {
  requests: number;
  byStatus: Record<number, number>;
  /** Answers that must never happen: a 500, a 503 without Retry-After or not `unavailable`, anything unexpected. */
  violations: string[];
  /** Requests that got no HTTP answer at all (the connection failed). */
  networkErrors: string[];
  /** Event ids the server answered `accepted` or `duplicate`: they must be stored. */
  ackedEvents: Set<string>;
  /** Purchases the server answered `paid`. */
  paidPurchases: Set<string>;
}

export interface Setup {
  accountId: string;
  keySecret: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends requests the way a gateway would: one request in flight per client, a short pause after an
 * `unavailable` answer. `stop()` ends the loops and answers what happened.
 */
export function startLoad(url: string, token: string, setup: Setup, clients = 16) {
  const report: LoadReport = {
    requests: 0,
    byStatus: {},
    violations: [],
    networkErrors: [],
    ackedEvents: new Set(),
    paidPurchases: new Set(),
  };
  let stopped = false;

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    report.requests++;
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      report.networkErrors.push(`${method} ${path}: ${(error as Error).cause ?? error}`);
      await sleep(50);
      return null;
    }
    const text = await res.text();
    report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
    const json = text ? JSON.parse(text) : null;
    if (res.status === 503) {
      if (!res.headers.get('retry-after'))
        report.violations.push(`${method} ${path}: 503 without Retry-After`);
      if (json?.error?.code !== 'unavailable')
        report.violations.push(`${method} ${path}: 503 with code ${json?.error?.code}`);
      await sleep(50);
      return null;
    }
    if (res.status !== 200 && res.status !== 201) {
      report.violations.push(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return null;
    }
    return json;
  };

  const verifier = async () => {
    while (!stopped) await send('POST', '/v1/api_keys/verify', { key: setup.keySecret });
  };
  const ingester = async (client: number) => {
    for (let n = 0; !stopped; n++) {
      const events = Array.from({ length: 10 }, (_, i) => ({
        id: `evt_${client}_${n}_${i}`,
        account_id: setup.accountId,
        model: 'fault-test',
        quantity: '1',
        credits: '1',
        timestamp: new Date().toISOString(),
      }));
      const r = await send('POST', '/v1/usage_events', { events });
      for (const e of r?.results ?? []) {
        if (e.status === 'accepted' || e.status === 'duplicate') report.ackedEvents.add(e.id);
        else report.violations.push(`event ${e.id} ${e.status} ${e.code}`);
      }
    }
  };
  const buyer = async (client: number) => {
    for (let n = 0; !stopped; n++) {
      const p = await send(
        'POST',
        `/v1/accounts/${setup.accountId}/credit_purchases`,
        { credits: '1000', provider: 'manual' },
        { 'idempotency-key': `buy_${client}_${n}` },
      );
      if (!p) continue;
      // Confirmation is idempotent: retried until answered, as a payment provider would.
      while (!stopped) {
        const c = await send('POST', `/v1/credit_purchases/${p.id}/confirm`, {});
        if (c?.status === 'paid') {
          report.paidPurchases.add(p.id);
          break;
        }
        if (c) report.violations.push(`confirm ${p.id} answered ${JSON.stringify(c)}`);
      }
    }
  };

  const loops = Array.from({ length: clients }, (_, i) =>
    i % 3 === 0 ? verifier() : i % 3 === 1 ? ingester(i) : buyer(i),
  );
  return {
    report,
    async stop(): Promise<LoadReport> {
      stopped = true;
      await Promise.all(loops);
      return report;
    },
  };
}

/**
 * Sends one usage event at a time until one is accepted, as a caller retrying after `unavailable`
 * would; the accepted id joins `report.ackedEvents`, any answer other than 200 or 503 its
 * violations. Answers the milliseconds it took, or -1 if none was accepted within `timeoutMs`.
 */
export async function firstAcceptedWrite(
  url: string,
  token: string,
  accountId: string,
  report: LoadReport,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (let n = 0; Date.now() - started < timeoutMs; n++) {
    const id = `evt_probe_${n}`;
    const event = {
      id,
      account_id: accountId,
      model: 'm',
      quantity: '1',
      credits: '1',
      timestamp: new Date().toISOString(),
    };
    const res = await fetch(`${url}/v1/usage_events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event] }),
    });
    const text = await res.text();
    if (res.status === 200 && JSON.parse(text).results[0].status === 'accepted') {
      report.ackedEvents.add(id);
      return Date.now() - started;
    }
    if (res.status !== 503) report.violations.push(`probe ${id}: ${res.status} ${text.slice(0, 300)}`);
    await sleep(100);
  }
  return -1;
}

/** Polls `path` until it answers `status`, or fails after `timeoutMs`. Answers the milliseconds it took. */
export async function waitFor(
  url: string,
  status: number,
  timeoutMs: number,
  path = '/readyz',
): Promise<number> {
  const started = Date.now();
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url + path, { signal: AbortSignal.timeout(5000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === status) return Date.now() - started;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
