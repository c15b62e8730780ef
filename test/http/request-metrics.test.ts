import { describe, expect, it } from 'vitest';
import { RequestMetrics } from '../../src/http/metrics.ts';

describe('request metrics', () => {
  it('renders counts by status and a cumulative latency histogram by route', () => {
    const m = new RequestMetrics();
    m.record('POST', '/v1/api_keys/verify', 200, 0.0004);
    m.record('POST', '/v1/api_keys/verify', 200, 0.003);
    m.record('POST', '/v1/api_keys/verify', 401, 3);
    const text = m.text();
    const labels = 'method="POST",route="/v1/api_keys/verify"';
    expect(text).toContain(`tollgate_http_requests_total{${labels},status="200"} 2`);
    expect(text).toContain(`tollgate_http_requests_total{${labels},status="401"} 1`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_bucket{le="0.0005",${labels}} 1`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_bucket{le="0.0025",${labels}} 1`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_bucket{le="0.005",${labels}} 2`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_bucket{le="2.5",${labels}} 2`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_bucket{le="+Inf",${labels}} 3`);
    expect(text).toContain(`tollgate_http_request_duration_seconds_count{${labels}} 3`);
    expect(text).toMatch(new RegExp(`tollgate_http_request_duration_seconds_sum\\{${labels}\\} 3\\.0034`));
  });
});
