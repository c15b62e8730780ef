import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../core/engine.ts';

/**
 * Prometheus metrics of one app, in a registry of its own (two apps in a process never share
 * one). Engine metrics arrive through its observer.
 */
export function createMetrics(engine: Engine) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollgate_' });
  const r = [registry];
  const usageCounts = plainCounter(r, 'tollgate_usage_events_total', 'Usage events by outcome', 'status', {
    accepted: 0,
    duplicate: 0,
    rejected: 0,
  });
  const commitSize = new Histogram({
    name: 'tollgate_group_commit_events',
    help: 'Usage events per group commit',
    buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000],
    registers: r,
  });
  const commitLatency = new Histogram({
    name: 'tollgate_group_commit_duration_seconds',
    help: 'Duration of one usage group commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: r,
  });
  const verificationCounts = plainCounter(
    r,
    'tollgate_key_verifications_total',
    'Key verifications by outcome',
    'outcome',
    { valid: 0, unknown_key: 0, suspended: 0, insufficient_credits: 0, spend_limit_reached: 0 },
  );
  const billedHours = new Counter({
    name: 'tollgate_billing_hours_billed_total',
    help: 'Account-hours billed by billing runs',
    registers: r,
  });
  const billingRuns = new Histogram({
    name: 'tollgate_billing_run_duration_seconds',
    help: 'Duration of billing runs',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers: r,
  });
  const billingLast = new Gauge({
    name: 'tollgate_billing_last_success_timestamp_seconds',
    help: 'When the last billing run succeeded',
    registers: r,
  });
  const deliveries = new Counter({
    name: 'tollgate_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'],
    registers: r,
  });

  engine.observe({
    usageEvents: (c) => {
      usageCounts.accepted += c.accepted;
      usageCounts.duplicate += c.duplicate;
      usageCounts.rejected += c.rejected;
    },
    groupCommit: (events, ms) => {
      commitSize.observe(events);
      commitLatency.observe(ms / 1000);
    },
    verification: (outcome) => {
      verificationCounts[outcome] += 1;
    },
    billingRun: ({ hours, ms, atMs }) => {
      billedHours.inc(hours);
      billingRuns.observe(ms / 1000);
      billingLast.set(atMs / 1000);
    },
    webhookDelivery: (outcome) => deliveries.inc({ outcome }),
  });

  const requests = new RequestMetrics();
  return {
    registry,
    request: requests.record,
    /** The Prometheus text of every metric. */
    text: async () => `${await registry.metrics()}${requests.text()}`,
  };
}

/**
 * A counter the hot paths bump as plain numbers (`counts[label] += n`), handed to prom-client
 * only when scraped: no label hashing per event.
 */
function plainCounter<K extends string>(
  registers: Registry[],
  name: string,
  help: string,
  labelName: string,
  counts: Record<K, number>,
): Record<K, number> {
  new Counter({
    name,
    help,
    labelNames: [labelName],
    registers,
    collect() {
      this.reset();
      for (const [label, n] of Object.entries<number>(counts)) if (n > 0) this.inc({ [labelName]: label }, n);
    },
  });
  return counts;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface RouteSeries {
  method: string;
  route: string;
  /** Requests by status. */
  statuses: Map<number, number>;
  /** Cumulative-at-render bucket counts (per bucket here), sum and count of durations. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * Request count and latency histogram by route: two of the hottest writes of the server, kept
 * as plain numbers (a map lookup and two increments a request, where prom-client hashes the
 * label set on every call) and rendered in the Prometheus text format when scraped.
 */
export class RequestMetrics {
  private readonly series = new Map<string, RouteSeries>();

  readonly record = (method: string, route: string, status: number, seconds: number): void => {
    const id = method + route;
    let s = this.series.get(id);
    if (!s) {
      s = {
        method,
        route,
        statuses: new Map(),
        buckets: new Float64Array(LATENCY_BUCKETS.length),
        sum: 0,
        count: 0,
      };
      this.series.set(id, s);
    }
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    if (i < LATENCY_BUCKETS.length) s.buckets[i]! += 1;
    s.sum += seconds;
    s.count += 1;
  };

  text(): string {
    const label = (v: string) => JSON.stringify(v);
    const count = [
      '# HELP tollgate_http_requests_total HTTP requests by route and status',
      '# TYPE tollgate_http_requests_total counter',
    ];
    const latency = [
      '# HELP tollgate_http_request_duration_seconds HTTP request latency by route',
      '# TYPE tollgate_http_request_duration_seconds histogram',
    ];
    for (const s of this.series.values()) {
      const labels = `method=${label(s.method)},route=${label(s.route)}`;
      for (const [status, n] of s.statuses)
        count.push(`tollgate_http_requests_total{${labels},status="${status}"} ${n}`);
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i]!;
        latency.push(`tollgate_http_request_duration_seconds_bucket{le="${le}",${labels}} ${cumulative}`);
      });
      latency.push(`tollgate_http_request_duration_seconds_bucket{le="+Inf",${labels}} ${s.count}`);
      latency.push(`tollgate_http_request_duration_seconds_sum{${labels}} ${s.sum}`);
      latency.push(`tollgate_http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    return `${count.join('\n')}\n\n${latency.join('\n')}\n`;
  }
}
