import type { InvoiceSnapshot } from '../kernel/model.ts';
import type { EInvoiceRenderer, EInvoiceSyntax } from '../kernel/ports.ts';

/** The syntaxes `GET /v1/invoices/{id}/xml?syntax=` answers, in the order documents list them. */
export const EINVOICE_SYNTAXES = ['ubl', 'cii'] as const satisfies readonly EInvoiceSyntax[];

/**
 * E-invoices (EN 16931) of frozen invoices and credit notes: what is issued is the snapshot, so a
 * document is rendered from it alone, each time it is asked for, and says the same each time.
 * @example const { einvoices } = einvoicesSlice(eInvoiceRenderer); einvoices.xml(invoice.snapshot, 'cii')
 */
export function einvoicesSlice(renderer: EInvoiceRenderer | undefined) {
  const need = (): EInvoiceRenderer => {
    if (!renderer) throw new Error('no e-invoice renderer was given to createEngine (deps.einvoices)');
    return renderer;
  };
  return {
    einvoices: {
      xml: (snapshot: InvoiceSnapshot, syntax: EInvoiceSyntax): string => need().xml(snapshot, syntax),
      facturX: (snapshot: InvoiceSnapshot): Promise<Uint8Array> => need().facturX(snapshot),
    },
  };
}
