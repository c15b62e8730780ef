import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TollgateClient } from '../src/client/index.ts';
import { createNodeListener, createTollgate, type Engine } from '../src/index.ts';
import { ADMIN } from './helpers.ts';

/** OpenAPI 3.0's `nullable: true` as JSON Schema says it (Ajv reads only the latter). */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchema(v)]));
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/**
 * `tollgate/client` against the running server, for a whole flow (account, key, purchase,
 * confirm, usage, balance, invoice PDF, and the routes around them). Every answer the client
 * receives is checked against the OpenAPI document the server serves: its status must be listed
 * for that operation, and a JSON body must fit the schema listed for it.
 */
describe('tollgate/client on the running server', () => {
  let engine: Engine;
  let baseUrl: string;
  let close: () => Promise<void>;
  let client: TollgateClient;
  const checked: string[] = [];
  const misfits: string[] = [];

  beforeAll(async () => {
    engine = await createTollgate({});
    const server = createServer(createNodeListener(engine, { adminToken: ADMIN }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((r) => server.close(() => r()));

    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
      >;
      components: object;
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    client = createClient({ baseUrl, token: ADMIN });
    client.use({
      async onResponse({ schemaPath, request, response }) {
        const operation = doc.paths[schemaPath]?.[request.method.toLowerCase()];
        const listed = operation?.responses[String(response.status)];
        const where = `${request.method} ${schemaPath} -> ${response.status}`;
        checked.push(where);
        if (!listed) {
          misfits.push(`${where}: status not in the document`);
          return;
        }
        const type = response.headers.get('content-type') ?? '';
        if (!type.includes('json')) {
          if (response.status !== 204 && !Object.keys(listed.content ?? {}).some((t) => type.startsWith(t)))
            misfits.push(`${where}: ${type} not in the document`);
          return;
        }
        const schema = listed.content?.['application/json']?.schema;
        if (!schema) {
          misfits.push(`${where}: no JSON schema in the document`);
          return;
        }
        const validate = ajv.compile(jsonSchema({ ...schema, components: doc.components }) as object);
        if (!validate(await response.clone().json()))
          misfits.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      },
    });
  });
  afterAll(async () => {
    await close();
    await engine.close();
  });

  it('runs account, key, purchase, confirm, usage, balance and invoice PDF, every answer as documented', async () => {
    const account = await client.POST('/v1/accounts', {
      body: { name: 'Acme Films', email: 'ops@acme.test' },
    });
    expect(account.response.status).toBe(201);
    const accountId = account.data!.id;
    const id = { path: { id: accountId } };

    const key = await client.POST('/v1/accounts/{id}/api_keys', { params: id, body: { nickname: 'prod' } });
    expect(key.data).toMatchObject({ status: 'active', nickname: 'prod' });
    const keyId = key.data!.id;
    const secret = key.data!.secret;

    const quote = await client.POST('/v1/accounts/{id}/credit_quotes', {
      params: id,
      body: { credits: '1500' },
    });
    expect(quote.data).toMatchObject({ credits: '1500', total: '15.00', currency: 'USD' });

    const purchase = await client.POST('/v1/accounts/{id}/credit_purchases', {
      // The OpenAPI document declares the required header, so the typed client sends it.
      params: { ...id, header: { 'idempotency-key': 'order-1' } },
      body: { credits: '1500', provider: 'manual' },
    });
    expect(purchase.data).toMatchObject({ status: 'pending', total: '15.00', origin: 'customer' });
    const confirmed = await client.POST('/v1/credit_purchases/{id}/confirm', {
      params: { path: { id: purchase.data!.id } },
    });
    expect(confirmed.data).toMatchObject({ status: 'paid', invoice_id: expect.stringMatching(/^inv_/) });

    const verdict = await client.POST('/v1/api_keys/verify', { body: { key: secret } });
    expect(verdict.data).toMatchObject({
      valid: true,
      account_id: accountId,
      key_id: keyId,
      available: '1500',
    });

    const usage = await client.POST('/v1/usage_events', {
      body: {
        events: [
          {
            id: 'evt-1',
            api_key_id: keyId,
            model: 'video-4s-720p',
            quantity: '1',
            timestamp: new Date().toISOString(),
          },
        ],
      },
    });
    expect(usage.data?.results).toEqual([{ id: 'evt-1', status: 'accepted' }]);

    const balance = await client.GET('/v1/accounts/{id}/balance', { params: id });
    expect(balance.data).toMatchObject({
      posted: '1500',
      unbilled: '20',
      available: '1480',
      currency: 'credits',
    });

    const records = await client.GET('/v1/accounts/{id}/usage/records', { params: id });
    expect(records.data?.data.map((r) => [r.id, r.credits, r.status])).toEqual([['evt-1', '20', 'accepted']]);
    const summary = await client.GET('/v1/accounts/{id}/usage/summary', { params: id });
    expect(summary.data?.data.map((b) => b.credits)).toEqual(['20']);

    const invoices = await client.GET('/v1/accounts/{id}/invoices', { params: id });
    const invoice = invoices.data!.data[0]!;
    expect(invoice).toMatchObject({ total: '15.00', credits: '1500', purchase_id: purchase.data!.id });
    const pdf = await client.GET('/v1/invoices/{id}/pdf', {
      params: { path: { id: invoice.id } },
      parseAs: 'arrayBuffer',
    });
    expect(pdf.response.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(pdf.data as ArrayBuffer)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Around the flow: holds, grants, keys, listings, webhooks, tokens, billing.
    const hold = await client.POST('/v1/accounts/{id}/holds', { params: id, body: { credits: '50' } });
    expect(hold.data).toMatchObject({ status: 'pending', credits: '50' });
    const captured = await client.POST('/v1/holds/{id}/capture', {
      params: { path: { id: hold.data!.id } },
      body: { credits: '30' },
    });
    expect(captured.data).toMatchObject({ status: 'captured', captured: '30' });
    const grant = await client.POST('/v1/accounts/{id}/credit_grants', {
      params: id,
      body: { credits: '10', reason: 'welcome' },
    });
    expect(grant.data).toMatchObject({ credits: '10', reason: 'welcome' });
    expect(
      (await client.POST('/v1/api_keys/{id}/suspend', { params: { path: { id: keyId } } })).data?.status,
    ).toBe('suspended');
    expect((await client.GET('/v1/accounts/{id}/api_keys', { params: id })).data?.data).toHaveLength(1);
    expect((await client.GET('/v1/accounts', {})).data?.data.map((a) => a.id)).toEqual([accountId]);
    expect(
      (await client.GET('/v1/credit_purchases', { params: { query: { status: 'paid' } } })).data?.data,
    ).toHaveLength(1);
    const endpoint = await client.POST('/v1/webhook_endpoints', {
      body: { url: 'https://hooks.example.com/tollgate', events: ['credit_purchase.paid'] },
    });
    expect(endpoint.data?.secret).toEqual(expect.any(String));
    const token = await client.POST('/v1/operator_tokens', { body: { name: 'ingest', scopes: ['ingest'] } });
    expect(token.data?.scopes).toEqual(['ingest']);
    expect((await client.GET('/v1/audit_log', {})).data?.data.length).toBeGreaterThan(3);
    const run = await client.POST('/v1/billing_runs', { body: {} });
    expect(run.data).toMatchObject({ failed_accounts: [] });
    const voided = await client.POST('/v1/usage_events/{id}/void', {
      params: { path: { id: 'evt-1' } },
      body: { reason: 'sent twice' },
    });
    expect(voided.data).toMatchObject({ status: 'voided', credits: '20' });
    expect((await client.GET('/v1/usage_disputes', {})).data?.data).toEqual([]);
    const month = new Date().toISOString().slice(0, 7);
    const report = await client.GET('/v1/reports/deferred_revenue', { params: { query: { month } } });
    expect(report.data).toMatchObject({ month, currency: 'USD', purchased: '15.00' });
    const link = await client.POST('/v1/accounts/{id}/portal_sessions', { params: id });
    expect(link.data?.url).toContain('/portal/session/');
    const deleted = await client.DELETE('/v1/api_keys/{id}', { params: { path: { id: keyId } } });
    expect(deleted.response.status).toBe(204);

    // Refusals come back as `error`, in the envelope the document lists.
    const missing = await client.GET('/v1/accounts/{id}', { params: { path: { id: 'acc_missing' } } });
    expect(missing.error?.error.code).toBe('not_found');
    const bad = await client.POST('/v1/accounts/{id}/credit_quotes', { params: id, body: { credits: '1' } });
    expect(bad.error?.error.code).toBe('payment_out_of_range');
    const stranger = createClient({ baseUrl, token: 'not-a-token' });
    const denied = await stranger.GET('/v1/accounts/{id}', { params: id });
    expect(denied.error?.error.code).toBe('unauthorized');

    expect(misfits).toEqual([]);
    expect(checked).toHaveLength(30);
  });

  it("runs the README's client example as written against the server", async () => {
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    const block = /### A typed client, and CloudEvents[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = block!
      .replace("from 'tollgate/client'", `from '${join(import.meta.dirname, '../src/client/index.ts')}'`)
      .replace("'http://127.0.0.1:8787'", `'${baseUrl}'`);
    mkdirSync(join(import.meta.dirname, 'artifacts'), { recursive: true });
    const file = join(import.meta.dirname, 'artifacts/readme-client.ts');
    writeFileSync(file, `${code}\nexport { data, error, balance };\n`);
    process.env.TOLLGATE_ADMIN_TOKEN = ADMIN;
    const mod = await import(file).finally(() => delete process.env.TOLLGATE_ADMIN_TOKEN);
    expect(mod.error).toBeUndefined();
    expect(mod.data).toMatchObject({ object: 'account', name: 'Acme Films' });
    expect(mod.balance.data).toMatchObject({ available: '0', currency: 'credits' });
  });

  it('refuses to build a client without a base URL or a token', () => {
    expect(() => createClient({ baseUrl: '', token: 't' })).toThrow(/baseUrl/);
    expect(() => createClient({ baseUrl: 'http://x', token: '' })).toThrow(/token/);
  });
});
