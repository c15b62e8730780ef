import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudEvent, emitterFor, HTTP, httpTransport, Mode } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener, createTollgate, type Engine } from '../src/index.ts';
import { ADMIN, must } from './helpers.ts';

/**
 * CloudEvents ingest on the standalone server's listener, sent by the official `cloudevents` SDK:
 * the same answers and rules as `/v1/usage_events`, and the customer's balance moves by the
 * credits of what was accepted.
 */
describe('POST /v1/events (CloudEvents)', () => {
  let engine: Engine;
  let url: string;
  let close: () => Promise<void>;
  let accountId: string;
  let keyId: string;
  const auth = { authorization: `Bearer ${ADMIN}` };
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    engine = await createTollgate({ config: { priceBook: { 'image-1024': '2', 'video-4s-720p': '20' } } });
    const account = must(await engine.accounts.create({ name: 'Acme Films' }));
    accountId = account.id;
    must(await engine.credits.grant(accountId, { credits: '1000', reason: 'start' }));
    keyId = must(await engine.keys.create(accountId, 'prod')).key.id;
    const server = createServer(createNodeListener(engine, { adminToken: ADMIN }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
    close = () => new Promise((r) => server.close(() => r()));
  });
  afterAll(async () => {
    await close();
    await engine.close();
  });

  const available = async () => Number(must(await engine.accounts.balance(accountId)).available) / 1e6;
  const usage = (id: string, subject: string, type: string, data: object) =>
    new CloudEvent({ id, source: 'https://render.example/jobs', type, subject, time: now(), data });

  it('meters an event sent in structured mode, and a retry of it is a duplicate', async () => {
    const emit = emitterFor(httpTransport(url), { mode: Mode.STRUCTURED });
    const event = usage('ce-structured-1', keyId, 'image-1024', { quantity: 3 });
    const before = await available();
    const first = await emit(event, { headers: auth });
    expect(JSON.parse((first as { body: string }).body)).toEqual({
      results: [{ id: 'ce-structured-1', status: 'accepted' }],
    });
    const again = await emit(event, { headers: auth });
    expect(JSON.parse((again as { body: string }).body).results[0].status).toBe('duplicate');
    expect(await available()).toBe(before - 6);
  });

  it('meters an event sent in binary mode (ce-* headers) against an account id', async () => {
    const emit = emitterFor(httpTransport(url), { mode: Mode.BINARY });
    const before = await available();
    const answer = await emit(usage('ce-binary-1', accountId, 'video-4s-720p', { quantity: '1' }), {
      headers: auth,
    });
    expect(JSON.parse((answer as { body: string }).body)).toEqual({
      results: [{ id: 'ce-binary-1', status: 'accepted' }],
    });
    expect(await available()).toBe(before - 20);
    const records = must(await engine.usage.records({ accountId, model: 'video-4s-720p' })).records;
    // Stored under source and id together: ids are unique per source only.
    expect(records.map((r) => [r.id, r.apiKeyId, r.creditsMinor])).toEqual([
      ['https://render.example/jobs/ce-binary-1', null, 20_000_000n],
    ]);
  });

  it('meters the same id from two producers (two sources) as two events', async () => {
    const emit = emitterFor(httpTransport(url), { mode: Mode.STRUCTURED });
    const before = await available();
    for (const source of ['https://a.example/jobs', 'https://b.example/jobs']) {
      const event = new CloudEvent({
        id: '1',
        source,
        type: 'image-1024',
        subject: keyId,
        time: now(),
        data: { quantity: '1' },
      });
      const answer = await emit(event, { headers: auth });
      expect(JSON.parse((answer as { body: string }).body).results).toEqual([
        { id: '1', status: 'accepted' },
      ]);
    }
    expect(await available()).toBe(before - 4);
  });

  it('answers a batch in input order, with the rules of /v1/usage_events for each event', async () => {
    const before = await available();
    const batch = [
      usage('ce-batch-1', keyId, 'image-1024', { quantity: 1, properties: { job: 'a' } }),
      usage('ce-batch-2', keyId, 'image-1024', { quantity: 1, credits: '0.5' }),
      usage('ce-batch-3', keyId, 'no-such-model', { quantity: 1 }),
      usage('ce-batch-4', 'user-42', 'image-1024', { quantity: 1 }),
      usage('ce-structured-1', keyId, 'image-1024', { quantity: 99 }),
      usage('ce-batch-5', keyId, 'image-1024', { quantity: 1, seconds: 4 }),
    ];
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { id: string; status: string; code?: string }[] };
    expect(results.map((r) => [r.id, r.status, r.code])).toEqual([
      ['ce-batch-1', 'accepted', undefined],
      ['ce-batch-2', 'accepted', undefined],
      ['ce-batch-3', 'rejected', 'unknown_model'],
      ['ce-batch-4', 'rejected', 'validation_failed'],
      ['ce-structured-1', 'rejected', 'idempotency_conflict'],
      ['ce-batch-5', 'rejected', 'validation_failed'],
    ]);
    expect(await available()).toBe(before - 2.5);
  });

  it('accepts an ingest-scoped operator token, refuses a read-scoped one (403)', async () => {
    const ingest = must(await engine.operators.create({ name: 'producer', scopes: ['ingest'] }));
    const read = must(await engine.operators.create({ name: 'dashboard', scopes: ['read'] }));
    const emit = emitterFor(httpTransport(url), { mode: Mode.STRUCTURED });
    const event = usage('ce-scoped-1', keyId, 'image-1024', { quantity: 1 });
    const allowed = await emit(event, { headers: { authorization: `Bearer ${ingest.secret}` } });
    expect(JSON.parse((allowed as { body: string }).body).results[0].status).toBe('accepted');
    const refused = await emit(event, { headers: { authorization: `Bearer ${read.secret}` } });
    expect(JSON.parse((refused as { body: string }).body).error.code).toBe('forbidden');
  });

  it('refuses what is not a usage CloudEvent with the error envelope', async () => {
    const post = async (headers: Record<string, string>, body: string, bearer = auth) => {
      const res = await fetch(url, { method: 'POST', headers: { ...bearer, ...headers }, body });
      return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
    };
    const one = HTTP.structured(usage('ce-x', keyId, 'image-1024', { quantity: 1 }));
    expect(
      await post(one.headers as Record<string, string>, one.body as string, { authorization: 'Bearer nope' }),
    ).toEqual({
      status: 401,
      code: 'unauthorized',
    });
    const big = JSON.stringify(Array.from({ length: 1001 }, () => JSON.parse(one.body as string)));
    expect(await post({ 'content-type': 'application/cloudevents-batch+json' }, big)).toEqual({
      status: 422,
      code: 'validation_failed',
    });
    expect(await post({ 'content-type': 'application/cloudevents+json' }, '{"id":')).toEqual({
      status: 400,
      code: 'malformed_json',
    });
    expect(await post({ 'content-type': 'text/plain' }, 'hello')).toEqual({
      status: 400,
      code: 'malformed_json',
    });
  });
});
