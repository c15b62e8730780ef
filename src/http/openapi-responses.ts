import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../core/kernel/errors.ts';
import type { AppType } from './routes/common.ts';

/**
 * What each operation answers, for the OpenAPI document (and the types of `tollgate/client`
 * generated from it). The routes declare their requests; their answers are described here, by
 * operation, and set on the registered routes before the document is built, with the error
 * envelope for every 4xx and 5xx an operation can answer. `test/openapi-answers.test.ts` checks
 * real answers of the running server against the document, so a description that drifts from a
 * serializer fails there.
 */

const Amount = z
  .string()
  .openapi({ description: 'Credits as a decimal string, never a JSON number', example: '1500' });
const Money = z
  .string()
  .openapi({ description: 'US dollars as a decimal string with cents', example: '15.00' });
const Time = z.string().openapi({ description: 'UTC time, ISO 8601', example: '2026-11-25T13:00:00.000Z' });
const Cursor = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]),
      message: z.string(),
      request_id: z.string().nullable(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error', { description: 'Every non-2xx answer: a stable `code` and a message for people' });

const SpendLimit = z
  .object({ credits: Amount, period: z.enum(['day', 'month']) })
  .nullable()
  .openapi('SpendLimit', {
    description: 'Credits used (billed and unbilled) per UTC day or month; null: none',
  });

const Account = z
  .object({
    id: z.string(),
    object: z.literal('account'),
    name: z.string(),
    email: z.string().nullable(),
    external_id: z.string().nullable(),
    low_balance_threshold: Amount.nullable(),
    spend_limit: SpendLimit,
    spend_budget: SpendLimit,
    auto_top_up: z
      .object({
        threshold: Amount,
        credits: Amount,
        monthly_max_total: Money,
        provider: z.enum(['manual', 'stripe']),
      })
      .nullable(),
    billing_details: z.record(z.string(), z.unknown()).nullable(),
    currency: z.string().openapi({ description: 'ISO 4217: what it buys in', example: 'EUR' }),
    created_at: Time,
  })
  .openapi('Account');

const Balance = z
  .object({
    posted: Amount,
    pending: Amount.openapi({ description: 'Held for long jobs' }),
    unbilled: Amount.openapi({ description: 'Metered, not yet billed' }),
    available: Amount.openapi({
      description: 'What any model can use: posted - pending - unbilled - the unspent of scoped credits',
    }),
    available_by_model: z.record(z.string(), Amount).openapi({
      description:
        'For each model scoped credits pay for: what that model can use (available plus the unspent scoped credits covering it)',
    }),
    currency: z.literal('credits'),
    runway_seconds: z
      .number()
      .nullable()
      .optional()
      .openapi({ description: 'How long available lasts at the last 24 hours of usage; null without usage' }),
  })
  .openapi('Balance');

const ApiKey = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    account_id: z.string(),
    nickname: z.string(),
    status: z.enum(['active', 'suspended', 'deleted']),
    hint: z.string().openapi({ description: 'Prefix and last 4 characters of the secret' }),
    created_at: Time,
    last_used_at: Time.nullable(),
    spend_limit: SpendLimit,
    spend_budget: SpendLimit,
    spent: Amount.optional().openapi({ description: 'Credits used in the current UTC period of its limit' }),
  })
  .openapi('ApiKey');

const NewApiKey = ApiKey.extend({
  secret: z.string().openapi({ description: 'The key itself: shown in this answer only' }),
}).openapi('NewApiKey');

const Purchase = z
  .object({
    id: z.string(),
    object: z.literal('credit_purchase'),
    account_id: z.string(),
    status: z.enum(['pending', 'paid', 'failed']),
    provider: z.string().openapi({ description: '`manual`, `stripe`, or another configured provider' }),
    credits: Amount,
    unit_price: z.string(),
    subtotal: Money,
    tax: Money,
    total: Money,
    currency: z.string().openapi({ description: 'ISO 4217', example: 'EUR' }),
    tax_rule: z
      .enum(['domestic', 'reverse_charge', 'eu_oss', 'outside_scope', 'configured'])
      .nullable()
      .openapi({
        description: 'The tax rule it was quoted under (null for purchases made before tax rules)',
      }),
    checkout_url: z.string().nullable(),
    invoice_id: z.string().nullable(),
    origin: z.enum(['customer', 'auto_top_up']),
    models: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'The models its credits pay for once paid (scoped credits); null: any model' }),
    created_at: Time,
  })
  .openapi('CreditPurchase');

const Allowance = z
  .object({
    id: z.string(),
    object: z.literal('credit_allowance'),
    account_id: z.string(),
    credits: Amount,
    period: z.literal('month'),
    reason: z.string(),
    models: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'The models its grants pay for (scoped credits); null: any model' }),
    created_at: Time,
    ended_at: Time.nullable().openapi({ description: 'When it was stopped; null while it grants' }),
  })
  .openapi('CreditAllowance', {
    description:
      'Credits granted at 00:00 UTC on every 1st (the first at once), each grant expiring when its month ends',
  });

const Quote = z
  .object({
    credits: Amount,
    unit_price: z.string(),
    subtotal: Money,
    tax: Money,
    total: Money,
    currency: z.string().openapi({ description: 'ISO 4217', example: 'EUR' }),
    tax_rule: z.enum(['domestic', 'reverse_charge', 'eu_oss', 'outside_scope', 'configured']),
    tax_rate: z.string().openapi({ example: '0.19' }),
  })
  .openapi('CreditQuote');

const Grant = z
  .object({
    id: z.string(),
    object: z.literal('credit_grant'),
    lot_id: z.string(),
    account_id: z.string(),
    credits: Amount,
    reason: z.string(),
    expires_at: Time.nullable(),
    models: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'The models the lot pays for (scoped credits); null: any model' }),
    created_at: Time,
  })
  .openapi('CreditGrant');

const Invoice = z
  .object({
    id: z.string(),
    object: z.literal('invoice'),
    number: z.string(),
    account_id: z.string(),
    purchase_id: z.string(),
    issued_at: Time,
    credits: Amount,
    total: Money,
    currency: z.string(),
    snapshot: z.record(z.string(), z.unknown()).openapi({ description: 'The invoice as frozen when issued' }),
  })
  .openapi('Invoice');

const CreditNote = z
  .object({
    id: z.string(),
    object: z.literal('credit_note'),
    number: z.string(),
    account_id: z.string(),
    invoice_id: z.string(),
    purchase_id: z.string(),
    credits: Amount,
    total: Money,
    currency: z.string().openapi({ description: 'ISO 4217', example: 'EUR' }),
    issued_at: Time,
    snapshot: z.record(z.string(), z.unknown()),
  })
  .openapi('CreditNote');

const Hold = z
  .object({
    id: z.string(),
    object: z.literal('hold'),
    account_id: z.string(),
    status: z.enum(['pending', 'captured', 'released', 'expired']),
    credits: Amount,
    captured: Amount.nullable(),
    reference: z.string().nullable(),
    expires_at: Time,
    created_at: Time,
  })
  .openapi('Hold');

const IngestResults = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        code: z
          .enum([
            'validation_failed',
            'idempotency_conflict',
            'unknown_key',
            'unknown_account',
            'unknown_model',
            'too_old',
            'in_future',
            'amount_out_of_range',
          ])
          .optional(),
        message: z.string().optional(),
      }),
    ),
  })
  .openapi('IngestResults', { description: 'One result per event, in input order' });

const Verification = z
  .object({
    valid: z.boolean(),
    account_id: z.string().optional(),
    key_id: z.string().optional(),
    available: Amount.optional(),
    code: z.enum(['unknown_key', 'suspended', 'insufficient_credits', 'spend_limit_reached']).optional(),
  })
  .openapi('Verification', {
    description: '{ valid: true, account_id, key_id, available } or { valid: false, code }',
  });

const UsageRecord = z
  .object({
    id: z.string(),
    status: z.enum(['accepted', 'voided']),
    voided_at: Time.optional(),
    void_reason: z.string().optional(),
    account_id: z.string(),
    api_key_id: z.string().nullable(),
    model: z.string(),
    quantity: z.string().openapi({
      description: 'The quantity, or the sum of the quantities of a model priced by several dimensions',
    }),
    quantities: z.record(z.string(), z.string()).openapi({
      description: 'Quantities by dimension',
      example: { input_tokens: '1200', output_tokens: '350' },
    }),
    credits: Amount,
    timestamp: Time,
    properties: z.record(z.string(), z.unknown()).nullable(),
    unit_price: z.string().nullable().openapi({
      description:
        'The entry it was rated at: `2.5` (credits per unit) or `input_tokens=2.5/1000000;...`; null when the event carried its own credits',
    }),
    price_version_id: z.string().nullable(),
    contract_id: z.string().nullable().openapi({ description: 'The contract that rated it, if any' }),
    rating: z
      .array(z.object({ dimension: z.string(), quantity: z.string(), credits: z.string(), per: z.string() }))
      .nullable()
      .openapi({
        description: 'How it was rated: the sum of quantity x credits / per, rounded once half up',
      }),
    billed_at: Time.nullable(),
    billing_transfer_id: z.string().nullable(),
  })
  .openapi('UsageRecord');

const UsageBucket = z
  .object({
    start: Time,
    model: z.string().optional(),
    api_key_id: z.string().nullable().optional(),
    events: z.number().int(),
    quantity: z.string(),
    credits: Amount,
  })
  .openapi('UsageBucket');

const BillingRun = z
  .object({
    hours: z.number().int(),
    accounts: z.number().int(),
    credits: Amount,
    through: Time,
    failed_accounts: z.array(z.object({ account_id: z.string(), error: z.string() })),
  })
  .openapi('BillingRun');

const WebhookEndpoint = z
  .object({
    id: z.string(),
    object: z.literal('webhook_endpoint'),
    url: z.string(),
    events: z.array(z.string()),
    created_at: Time,
  })
  .openapi('WebhookEndpoint');

const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().openapi({ description: 'The signing secret: shown in this answer only' }),
}).openapi('WebhookEndpointWithSecret');

const Delivery = z
  .object({
    id: z.string(),
    event_id: z.string(),
    endpoint_id: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    next_attempt_at: Time.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: Time,
    delivered_at: Time.nullable(),
  })
  .openapi('WebhookDelivery');

const OperatorToken = z
  .object({
    id: z.string(),
    object: z.literal('operator_token'),
    name: z.string(),
    scopes: z.array(z.enum(['admin', 'ingest', 'read'])),
    hint: z.string(),
    created_at: Time,
    revoked_at: Time.nullable(),
  })
  .openapi('OperatorToken');

const AuditLine = z
  .object({
    id: z.string(),
    at: Time,
    actor: z.object({ kind: z.string(), token_id: z.string().nullable(), name: z.string() }),
    action: z.string(),
    target_id: z.string().nullable(),
    request_id: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi('AuditLine');

const Dispute = z
  .object({
    id: z.string(),
    object: z.literal('usage_dispute'),
    account_id: z.string(),
    event_id: z.string(),
    reason: z.string(),
    status: z.enum(['open', 'resolved']),
    outcome: z.enum(['void', 'reject']).nullable(),
    note: z.string().nullable(),
    created_at: Time,
    resolved_at: Time.nullable(),
  })
  .openapi('UsageDispute');

const Void = z
  .object({
    id: z.string(),
    status: z.literal('voided'),
    credits: Amount,
    voided_at: Time,
    reason: z.string(),
    billed_credits: Amount,
    reversed_at: Time.nullable(),
    reversal_transfer_id: z.string().nullable(),
  })
  .openapi('UsageVoid');

const DeferredRevenue = z
  .object({
    month: z.string().openapi({ example: '2026-11' }),
    currency: z.string().openapi({ description: 'ISO 4217', example: 'EUR' }),
    opening: Money,
    purchased: Money,
    consumed: Money,
    refunded: Money,
    expired: Money,
    closing: Money.openapi({ description: 'opening + purchased - consumed - refunded - expired' }),
  })
  .openapi('DeferredRevenue');

const PortalLink = z
  .object({ url: z.string().openapi({ description: 'Opens the portal once' }), expires_at: Time })
  .openapi('PortalLink');

const Transfer = z
  .object({
    id: z.string(),
    object: z.literal('transfer'),
    code: z.string(),
    debit_account_id: z.string(),
    credit_account_id: z.string(),
    credits: Amount,
    created_at: Time,
    metadata: z.record(z.string(), z.unknown()).nullable(),
    usage: z
      .object({
        account_id: z.string(),
        hour: Time,
        billed: z.array(
          z.object({
            api_key_id: z.string().nullable(),
            model: z.string(),
            credits: Amount,
            billed_at: Time,
          }),
        ),
        groups: z.array(
          z.object({
            api_key_id: z.string().nullable(),
            model: z.string(),
            events: z.number().int(),
            quantity: z.string(),
            credits: Amount,
          }),
        ),
        records: z.string().openapi({ description: 'The usage records query of that hour' }),
      })
      .optional()
      .openapi({ description: 'For a usage billing transfer: the hour and the usage it bills' }),
    void: z
      .object({ event_id: z.string(), reason: z.string(), voided_at: Time })
      .optional()
      .openapi({ description: 'For a give-back: the void it returns' }),
  })
  .openapi('Transfer');

const RateEntry = z
  .object({
    model: z.string(),
    dimensions: z.array(
      z.object({
        name: z.string().openapi({ example: 'input_tokens' }),
        credits: z.string().openapi({ example: '2.5' }),
        per: z.string().openapi({ example: '1000000' }),
        whole: z.boolean(),
      }),
    ),
  })
  .openapi('RateEntry');

const PriceVersion = z
  .object({
    id: z.string(),
    object: z.literal('price_version'),
    effective_at: Time,
    models: z.array(RateEntry),
    note: z.string().nullable(),
    created_at: Time,
  })
  .openapi('PriceVersion');

const Prices = z
  .object({
    version_id: z.string(),
    effective_at: Time,
    account_id: z.string().nullable(),
    contract_id: z.string().nullable(),
    models: z.array(RateEntry),
  })
  .openapi('Prices');

const Contract = z
  .object({
    id: z.string(),
    object: z.literal('contract'),
    account_id: z.string(),
    starts_at: Time,
    ends_at: Time.nullable(),
    discount_percent: z.string().nullable(),
    models: z.array(RateEntry),
    created_at: Time,
  })
  .openapi('Contract');

const ExchangeRates = z
  .object({
    date: z.string().openapi({ example: '2026-12-07' }),
    base: z.string().openapi({ example: 'EUR' }),
    rates: z.record(z.string(), z.string()).openapi({ example: { USD: '1.0843' } }),
  })
  .openapi('ExchangeRates');

const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: Cursor });

type Answer =
  | { schema: z.ZodType; description: string }
  | { type: 'application/pdf' | 'text/csv' | 'application/xml'; description: string };
const json = (schema: z.ZodType, description: string): Answer => ({ schema, description });

/** The 2xx answer of each operation, by `METHOD path` as the routes register it. */
const ANSWERS: Record<string, Answer> = {
  'post /v1/api_keys/verify': json(Verification, 'The verdict on the key'),
  'post /v1/usage_events': json(IngestResults, 'Each event accepted, duplicate or rejected'),
  'post /v1/events': json(IngestResults, 'Each CloudEvent accepted, duplicate or rejected'),
  'post /v1/accounts': json(Account, 'The account created'),
  'get /v1/accounts': json(page(Account), 'Accounts, newest first'),
  'get /v1/accounts/{id}': json(Account, 'The account'),
  'patch /v1/accounts/{id}': json(Account, 'The account as updated'),
  'get /v1/accounts/{id}/balance': json(Balance, 'The balance now'),
  'post /v1/accounts/{id}/api_keys': json(NewApiKey, 'The key created, with its secret (this answer only)'),
  'get /v1/accounts/{id}/api_keys': json(list(ApiKey), 'The keys not deleted'),
  'get /v1/api_keys/{id}': json(ApiKey, 'The key'),
  'patch /v1/api_keys/{id}': json(ApiKey, 'The key as updated'),
  'post /v1/api_keys/{id}/suspend': json(ApiKey, 'The key, suspended'),
  'post /v1/api_keys/{id}/activate': json(ApiKey, 'The key, active'),
  'post /v1/accounts/{id}/credit_quotes': json(Quote, 'What that many credits cost'),
  'post /v1/accounts/{id}/credit_purchases': json(Purchase, 'The purchase, pending until its payment'),
  'get /v1/accounts/{id}/credit_purchases': json(
    list(Purchase),
    'The purchases of the account, newest first',
  ),
  'get /v1/credit_purchases': json(page(Purchase), 'Every account’s purchases, newest first'),
  'get /v1/credit_purchases/{id}': json(Purchase, 'The purchase'),
  'post /v1/credit_purchases/{id}/confirm': json(Purchase, 'The purchase, paid, with its invoice'),
  'post /v1/credit_purchases/{id}/fail': json(Purchase, 'The purchase, failed'),
  'post /v1/credit_purchases/{id}/refund': json(CreditNote, 'The credit note of the refund'),
  'post /v1/accounts/{id}/credit_grants': json(Grant, 'The grant: a lot of promotional credits'),
  'post /v1/accounts/{id}/credit_allowances': json(Allowance, 'The allowance; its first month is granted'),
  'get /v1/accounts/{id}/credit_allowances': json(
    list(Allowance),
    'The allowances of the account, oldest first',
  ),
  'delete /v1/credit_allowances/{id}': json(Allowance, 'The allowance, ended'),
  'get /v1/accounts/{id}/invoices': json(list(Invoice), 'Billing history, newest first'),
  'get /v1/invoices/{id}': json(Invoice, 'The frozen invoice'),
  'get /v1/invoices/{id}/pdf': {
    type: 'application/pdf',
    description:
      'The invoice as PDF; `format=facturx`: a Factur-X PDF/A-3 with its CII embedded as factur-x.xml',
  },
  'get /v1/invoices/{id}/xml': {
    type: 'application/xml',
    description: 'The invoice as an EN 16931 e-invoice: UBL 2.1 `Invoice` or UN/CEFACT CII (type code 380)',
  },
  'get /v1/accounts/{id}/credit_notes': json(list(CreditNote), 'Credit notes of the account'),
  'get /v1/credit_notes/{id}': json(CreditNote, 'The credit note'),
  'get /v1/credit_notes/{id}/pdf': {
    type: 'application/pdf',
    description:
      'The credit note as PDF; `format=facturx`: a Factur-X PDF/A-3 with its CII embedded as factur-x.xml',
  },
  'get /v1/credit_notes/{id}/xml': {
    type: 'application/xml',
    description:
      'The credit note as an EN 16931 e-invoice: UBL 2.1 `CreditNote` or UN/CEFACT CII (type code 381)',
  },
  'get /v1/usage_disputes': json(page(Dispute), 'Disputes, newest first'),
  'post /v1/usage_disputes/{id}/resolve': json(Dispute, 'The dispute, resolved'),
  'post /v1/usage_events/{id}/void': json(Void, 'The void'),
  'get /v1/accounts/{id}/usage/summary': json(list(UsageBucket), 'Usage per bucket'),
  'get /v1/accounts/{id}/usage/records': json(page(UsageRecord), 'Usage records in time order'),
  'get /v1/accounts/{id}/usage/records.csv': { type: 'text/csv', description: 'The same records as CSV' },
  'post /v1/billing_runs': json(BillingRun, 'What the run billed'),
  'post /v1/accounts/{id}/holds': json(Hold, 'The hold, pending'),
  'get /v1/holds/{id}': json(Hold, 'The hold'),
  'post /v1/price_versions': json(PriceVersion, 'The version created'),
  'get /v1/price_versions': json(list(PriceVersion), 'Every version, newest first'),
  'get /v1/prices': json(Prices, 'The prices in effect'),
  'post /v1/accounts/{id}/contracts': json(Contract, 'The contract created'),
  'get /v1/accounts/{id}/contracts': json(list(Contract), "The account's contracts"),
  'post /v1/contracts/{id}/end': json(Contract, 'The contract, ended'),
  'put /v1/exchange_rates': json(ExchangeRates, 'The rates stored'),
  'get /v1/exchange_rates': json(
    list(ExchangeRates),
    'Per base, the rates of the latest day at or before the date',
  ),
  'post /v1/holds/{id}/capture': json(Hold, 'The hold, captured'),
  'post /v1/holds/{id}/release': json(Hold, 'The hold, released'),
  'post /v1/webhook_endpoints': json(WebhookEndpointWithSecret, 'The endpoint, with its signing secret'),
  'get /v1/webhook_endpoints': json(list(WebhookEndpoint), 'The endpoints'),
  'get /v1/webhook_endpoints/{id}': json(WebhookEndpoint, 'The endpoint'),
  'post /v1/webhook_endpoints/{id}/rotate_secret': json(
    WebhookEndpointWithSecret,
    'The endpoint and its new secret',
  ),
  'get /v1/webhook_endpoints/{id}/deliveries': json(list(Delivery), 'Deliveries to the endpoint'),
  'post /v1/operator_tokens': json(
    OperatorToken.extend({
      token: z.string().openapi({ description: 'The token: shown in this answer only' }),
    }),
    'The token created',
  ),
  'get /v1/operator_tokens': json(list(OperatorToken), 'Tokens not revoked'),
  'get /v1/audit_log': json(page(AuditLine), 'Changes made through the API, oldest first'),
  'get /v1/transfers/{id}': json(Transfer, 'The transfer, traced to what it bills'),
  'get /v1/reports/deferred_revenue': json(DeferredRevenue, 'The month rolled forward, in USD at cost'),
  'get /v1/reports/journal.csv': { type: 'text/csv', description: 'The journal as CSV' },
  'post /v1/accounts/{id}/portal_sessions': json(PortalLink, 'A one-time link into the customer portal'),
};

/** The refusals each kind of operation can answer (API.md "Errors"), beyond 401, 403 and 503. */
function errorStatuses(method: string, path: string): number[] {
  const statuses = [401, 403];
  if (path.includes('{')) statuses.push(404);
  if (method !== 'get' && method !== 'delete') statuses.push(400, 409, 413);
  statuses.push(422, 503);
  return statuses.sort((a, b) => a - b);
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed_json (or invalid_signature): the body is not JSON',
  401: 'unauthorized: no or bad operator token',
  403: 'forbidden: the token’s scopes do not allow this route',
  404: 'not_found: unknown id',
  409: 'A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ...',
  413: 'payload_too_large',
  422: 'validation_failed (details list the fields), amount_out_of_range or payment_out_of_range',
  503: 'unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written',
};

/**
 * Sets each registered operation's answers: its 2xx schema and the error envelope of its
 * refusals. Operations not listed keep what their route declared.
 */
export function describeResponses(app: AppType): void {
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const route = def.route;
    const answer = ANSWERS[`${route.method} ${route.path}`];
    const success = Object.keys(route.responses).find((s) => s.startsWith('2')) ?? '200';
    const responses: typeof route.responses = { ...route.responses };
    if (success === '204') responses[success] = { description: 'Done; no content' };
    else if (answer)
      responses[success] =
        'schema' in answer
          ? { description: answer.description, content: { 'application/json': { schema: answer.schema } } }
          : {
              description: answer.description,
              content: { [answer.type]: { schema: { type: 'string', format: 'binary' } } },
            };
    if (route.path.startsWith('/v1/'))
      for (const status of errorStatuses(route.method, route.path))
        responses[String(status)] = {
          description: ERROR_DESCRIPTIONS[status]!,
          content: { 'application/json': { schema: ErrorEnvelope } },
        };
    route.responses = responses;
  }
}
