import { z } from '@hono/zod-openapi';
import type { Engine } from '../../core/engine.ts';
import { formatMoney } from '../../core/kernel/currency.ts';
import { parseTimeParam } from '../../core/kernel/time.ts';
import { ApiError, unwrap } from '../errors.ts';
import type { Serializers } from '../serialize.ts';
import { Amount, type AppType, jsonRoute, on, plainRoute, rawRoute, ScopeModels } from './common.ts';
import { PdfQuery, pdfAnswer } from './einvoices.ts';

const Grant = z.strictObject({
  credits: Amount,
  reason: z.string().max(500),
  expires_at: z.string().max(40).nullish(),
  priority: z.number().int().min(0).max(1000).optional(),
  models: ScopeModels,
});

export function creditRoutes(app: AppType, engine: Engine, s: Serializers): void {
  for (const register of [
    postAccountsIdCreditQuotes,
    postAccountsIdCreditPurchases,
    getAccountsIdCreditPurchases,
    getCreditPurchases,
    getCreditPurchasesId,
    postCreditPurchasesIdConfirm,
    postCreditPurchasesIdFail,
    createRefund,
    postAccountsIdCreditGrants,
    getAccountsIdInvoices,
    getInvoicesId,
    getInvoicesIdPdf,
    getAccountsIdCreditNotes,
    getCreditNotesId,
    getCreditNotesIdPdf,
    postWebhooksStripe,
  ])
    register(app, engine, s);
}

function postAccountsIdCreditQuotes(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/credit_quotes',
      'Price credits',
      z.strictObject({ credits: Amount }),
    ),
    async (c) => {
      const q = unwrap(await engine.credits.quoteFor(c.req.valid('param').id, c.req.valid('json').credits));
      return c.json(
        {
          credits: s.credits(q.creditsMinor),
          unit_price: q.unitPrice,
          subtotal: formatMoney(q.subtotalMinor, q.currency),
          tax: formatMoney(q.taxMinor, q.currency),
          total: formatMoney(q.totalMinor, q.currency),
          currency: q.currency,
          tax_rule: q.taxRule,
          tax_rate: q.taxRate,
        },
        200,
      );
    },
  );
}

function postAccountsIdCreditPurchases(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/credit_purchases',
      'Start a credit purchase (header Idempotency-Key)',
      z.strictObject({
        credits: Amount,
        provider: z.string().max(40),
        save_payment_method: z.boolean().optional(),
        models: ScopeModels,
      }),
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const key = c.req.header('idempotency-key') ?? '';
      const { purchase, created } = unwrap(await engine.credits.purchase(c.req.valid('param').id, b, key));
      // A retry with the same key and body answers exactly as the first time.
      if (!created) c.header('idempotent-replayed', 'true');
      return c.json(s.purchase(purchase), 201);
    },
  );
}

function getAccountsIdCreditPurchases(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute('get', '/v1/accounts/{id}/credit_purchases', 'Credit purchases of an account, newest first'),
    async (c) => {
      return c.json(
        { data: unwrap(await engine.credits.listPurchases(c.req.valid('param').id)).map(s.purchase) },
        200,
      );
    },
  );
}

function getCreditPurchases(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/credit_purchases',
      "Every account's credit purchases, newest first (status=pending: what waits for /confirm)",
      z.object({
        status: z.enum(['pending', 'paid', 'failed']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(64).optional(),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const page = await engine.credits.allPurchases(q);
      return c.json({ data: page.data.map(s.purchase), next_cursor: page.nextCursor }, 200);
    },
  );
}

function getCreditPurchasesId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/credit_purchases/{id}', 'Get a credit purchase'), async (c) => {
    return c.json(s.purchase(unwrap(await engine.credits.getPurchase(c.req.valid('param').id))), 200);
  });
}

function postCreditPurchasesIdConfirm(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute(
      'post',
      '/v1/credit_purchases/{id}/confirm',
      'Confirm a manual purchase: credits, lot, invoice',
    ),
    async (c) => {
      const p = unwrap(await engine.credits.confirm(c.req.valid('param').id));
      return c.json({ ...s.purchase(p), status: p.status, invoice_id: p.invoiceId }, 200);
    },
  );
}

function postCreditPurchasesIdFail(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    plainRoute('post', '/v1/credit_purchases/{id}/fail', 'Mark a pending purchase failed'),
    async (c) => {
      return c.json(s.purchase(unwrap(await engine.credits.fail(c.req.valid('param').id))), 200);
    },
  );
}

function createRefund(app: AppType, engine: Engine, s: Serializers): void {
  on(app, createRefundRoute(), async (c) => {
    const b = c.req.valid('json');
    const note = unwrap(await engine.credits.refund(c.req.valid('param').id, b?.credits));
    return c.json(s.creditNote(note), 201);
  });
}

function postAccountsIdCreditGrants(app: AppType, engine: Engine, s: Serializers): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/accounts/{id}/credit_grants',
      'Grant promotional credits (no invoice)',
      Grant,
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      let expiresAtMs: number | null = null;
      if (b.expires_at) {
        expiresAtMs = parseTimeParam(b.expires_at);
        if (!Number.isFinite(expiresAtMs))
          throw new ApiError('validation_failed', 'expires_at must be an ISO 8601 time', [
            { field: 'expires_at', message: 'must be an ISO 8601 time' },
          ]);
      }
      const lot = unwrap(
        await engine.credits.grant(c.req.valid('param').id, {
          credits: b.credits,
          reason: b.reason,
          expiresAtMs,
          models: b.models,
          ...(b.priority !== undefined ? { priority: b.priority } : {}),
        }),
      );
      return c.json(
        {
          id: lot.sourceId,
          object: 'credit_grant',
          lot_id: lot.id,
          account_id: lot.accountId,
          credits: s.credits(lot.creditsMinor),
          reason: b.reason,
          expires_at: s.time(lot.expiresAtMs),
          models: lot.models,
          created_at: s.time(lot.createdAtMs),
        },
        201,
      );
    },
  );
}

function getAccountsIdInvoices(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/accounts/{id}/invoices', 'Billing history, newest first'), async (c) => {
    const list = unwrap(await engine.invoices.list(c.req.valid('param').id));
    return c.json({ data: list.map(s.invoice) }, 200);
  });
}

function getInvoicesId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/invoices/{id}', 'Get a frozen invoice'), async (c) => {
    return c.json(s.invoice(unwrap(await engine.invoices.get(c.req.valid('param').id))), 200);
  });
}

function getInvoicesIdPdf(app: AppType, engine: Engine, _s: Serializers): void {
  on(
    app,
    rawRoute('get', '/v1/invoices/{id}/pdf', 'Download an invoice as PDF or Factur-X', 'pdf', PdfQuery),
    async (c) => {
      const invoice = unwrap(await engine.invoices.get(c.req.valid('param').id));
      return c.body(...(await pdfAnswer(engine, invoice, c.req.valid('query').format)));
    },
  );
}

function getAccountsIdCreditNotes(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/accounts/{id}/credit_notes', 'Credit notes of an account'), async (c) => {
    const list = unwrap(await engine.invoices.listCreditNotes(c.req.valid('param').id));
    return c.json({ data: list.map(s.creditNote) }, 200);
  });
}

function getCreditNotesId(app: AppType, engine: Engine, s: Serializers): void {
  on(app, plainRoute('get', '/v1/credit_notes/{id}', 'Get a credit note'), async (c) => {
    return c.json(s.creditNote(unwrap(await engine.invoices.getCreditNote(c.req.valid('param').id))), 200);
  });
}

function getCreditNotesIdPdf(app: AppType, engine: Engine, _s: Serializers): void {
  on(
    app,
    rawRoute(
      'get',
      '/v1/credit_notes/{id}/pdf',
      'Download a credit note as PDF or Factur-X',
      'pdf',
      PdfQuery,
    ),
    async (c) => {
      const note = unwrap(await engine.invoices.getCreditNote(c.req.valid('param').id));
      return c.body(...(await pdfAnswer(engine, note, c.req.valid('query').format)));
    },
  );
}

function postWebhooksStripe(app: AppType, engine: Engine, _s: Serializers): void {
  app.post('/v1/webhooks/stripe', async (c) => {
    const raw = await c.req.text();
    const r = unwrap(
      await engine.credits.webhook('stripe', raw, { 'stripe-signature': c.req.header('stripe-signature') }),
    );
    return c.json(r, 200);
  });
}

function createRefundRoute() {
  // The body is optional here: no body refunds every unspent credit of the purchase.
  return jsonRoute(
    'post',
    '/v1/credit_purchases/{id}/refund',
    'Refund unspent credits: issues a credit note',
    z.strictObject({ credits: Amount.optional() }),
    201,
    true,
  );
}
