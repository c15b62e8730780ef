import { z } from '@hono/zod-openapi';
import { EINVOICE_SYNTAXES } from '../../core/einvoices/index.ts';
import type { Engine } from '../../core/engine.ts';
import type { InvoiceSnapshot } from '../../core/kernel/model.ts';
import type { EInvoiceSyntax } from '../../core/kernel/ports.ts';
import { unwrap } from '../errors.ts';
import { type AppType, on, rawRoute } from './common.ts';

/** `?format=facturx` asks the PDF routes for the Factur-X PDF/A-3 instead of the plain PDF. */
export const PdfQuery = z.object({
  format: z
    .enum(['pdf', 'facturx'])
    .optional()
    .openapi({ description: '`facturx`: a PDF/A-3 with the EN 16931 CII embedded as factur-x.xml' }),
});

const XmlQuery = z.object({
  syntax: z
    .enum(EINVOICE_SYNTAXES)
    .openapi({ description: '`ubl`: OASIS UBL 2.1; `cii`: UN/CEFACT Cross Industry Invoice D16B' }),
});

/** A frozen document: an invoice or a credit note. */
type Issued = { number: string; snapshot: InvoiceSnapshot };

/**
 * The body and headers of a document's PDF, plain or Factur-X; shared by the API and the portal.
 * @example c.body(...(await pdfAnswer(engine, invoice, 'facturx')))
 */
export async function pdfAnswer(engine: Engine, doc: Issued, format: 'pdf' | 'facturx' | undefined) {
  const facturX = format === 'facturx';
  const pdf = facturX
    ? await engine.einvoices.facturX(doc.snapshot)
    : await engine.invoices.render(doc.snapshot);
  const name = facturX ? `${doc.number}-facturx.pdf` : `${doc.number}.pdf`;
  return [
    pdf as Uint8Array<ArrayBuffer>,
    200,
    { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"` },
  ] as const;
}

/**
 * The body and headers of a document's e-invoice in one syntax; shared by the API and the portal.
 * @example c.body(...xmlAnswer(engine, invoice, 'ubl'))
 */
export function xmlAnswer(engine: Engine, doc: Issued, syntax: EInvoiceSyntax) {
  return [
    engine.einvoices.xml(doc.snapshot, syntax),
    200,
    {
      'content-type': 'application/xml; charset=utf-8',
      'content-disposition': `attachment; filename="${doc.number}-${syntax}.xml"`,
    },
  ] as const;
}

/** `GET /v1/invoices/{id}/xml` and `GET /v1/credit_notes/{id}/xml` (API.md "E-invoices"). */
export function eInvoiceRoutes(app: AppType, engine: Engine): void {
  on(
    app,
    rawRoute('get', '/v1/invoices/{id}/xml', 'Download an invoice as an EN 16931 e-invoice', 'xml', XmlQuery),
    async (c) => {
      const invoice = unwrap(await engine.invoices.get(c.req.valid('param').id));
      return c.body(...xmlAnswer(engine, invoice, c.req.valid('query').syntax));
    },
  );
  on(
    app,
    rawRoute(
      'get',
      '/v1/credit_notes/{id}/xml',
      'Download a credit note as an EN 16931 e-invoice',
      'xml',
      XmlQuery,
    ),
    async (c) => {
      const note = unwrap(await engine.invoices.getCreditNote(c.req.valid('param').id));
      return c.body(...xmlAnswer(engine, note, c.req.valid('query').syntax));
    },
  );
}
