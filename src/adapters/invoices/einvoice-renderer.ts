import type { InvoiceSnapshot } from '../../core/kernel/model.ts';
import type { EInvoiceRenderer, EInvoiceSyntax } from '../../core/kernel/ports.ts';
import { ciiXml } from './einvoice/cii.ts';
import { eInvoiceOf } from './einvoice/en16931.ts';
import { facturXPdf } from './einvoice/facturx.ts';
import { ublXml } from './einvoice/ubl.ts';

/**
 * EN 16931 e-invoices of a frozen invoice or credit note, from the snapshot alone: UBL 2.1 or
 * UN/CEFACT CII, and the Factur-X PDF/A-3 that embeds the CII.
 */
export const eInvoiceRenderer: EInvoiceRenderer = {
  xml: (snapshot: InvoiceSnapshot, syntax: EInvoiceSyntax) =>
    syntax === 'ubl' ? ublXml(eInvoiceOf(snapshot)) : ciiXml(eInvoiceOf(snapshot)),
  facturX: (snapshot: InvoiceSnapshot) => facturXPdf(snapshot, ciiXml(eInvoiceOf(snapshot))),
};
