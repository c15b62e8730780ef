import { describe, expect, it } from 'vitest';
import { accessLines } from '../src/serve.ts';

describe('access lines', () => {
  it('gathers JSON lines and hands them over in large chunks, all of them on flush', () => {
    const chunks: string[] = [];
    const log = accessLines((chunk) => chunks.push(chunk));
    log.access('req_1', 'POST', '/v1/api_keys/verify', 200, 1.23456);
    expect(chunks).toEqual([]);
    for (let i = 0; i < 1000; i++) log.access(`req_${i + 2}`, 'GET', '/v1/accounts/:id', 404, 0.5);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    log.flush();
    const lines = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1001);
    expect(lines[0]).toMatchObject({
      level: 30,
      request_id: 'req_1',
      method: 'POST',
      route: '/v1/api_keys/verify',
      status: 200,
      duration_ms: 1.235,
    });
    expect(new Date(lines[0].time).toISOString()).toBe(lines[0].time);
    expect(lines[1000]).toMatchObject({ request_id: 'req_1001', route: '/v1/accounts/:id', status: 404 });
    log.flush();
    expect(chunks.join('').trimEnd().split('\n')).toHaveLength(1001);
  });
});
