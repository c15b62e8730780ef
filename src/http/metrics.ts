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
  const requests = new Counter({
    name: 'tollgate_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: r,
  });
  const latency = new Histogram({
    name: 'tollgate_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: r,
  });
  const usage = new Counter({
    name: 'tollgate_usage_events_total',
    help: 'Usage events by outcome',
    labelNames: ['status'],
    registers: r,
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
  const verifications = new Counter({
    name: 'tollgate_key_verifications_total',
    help: 'Key verifications by outcome',
    labelNames: ['outcome'],
    registers: r,
  });
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

  const outcomes = {
    valid: verifications.labels('valid'),
    unknown_key: verifications.labels('unknown_key'),
    suspended: verifications.labels('suspended'),
    insufficient_credits: verifications.labels('insufficient_credits'),
  };
  engine.observe({
    usageEvents: (c) => {
      if (c.accepted) usage.inc({ status: 'accepted' }, c.accepted);
      if (c.duplicate) usage.inc({ status: 'duplicate' }, c.duplicate);
      if (c.rejected) usage.inc({ status: 'rejected' }, c.rejected);
    },
    groupCommit: (events, ms) => {
      commitSize.observe(events);
      commitLatency.observe(ms / 1000);
    },
    verification: (outcome) => outcomes[outcome].inc(),
    billingRun: ({ hours, ms, atMs }) => {
      billedHours.inc(hours);
      billingRuns.observe(ms / 1000);
      billingLast.set(atMs / 1000);
    },
    webhookDelivery: (outcome) => deliveries.inc({ outcome }),
  });

  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  return {
    registry,
    request: (method: string, route: string, status: number, seconds: number) => {
      // Label children are resolved once per route and status, not hashed on every request.
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = {
          count: requests.labels(method, route, String(status)),
          time: latency.labels(method, route),
        };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
  };
}
