/** Ports of the edges: the invoice renderers and the portal's sign-in provider. */
import type { InvoiceSnapshot } from '../model.ts';

/** Renders a frozen invoice or credit note as a document (PDF). */
export interface InvoiceRenderer {
  render(snapshot: InvoiceSnapshot): Promise<Uint8Array>;
}

/** The syntaxes of EN 16931 e-invoices: OASIS UBL 2.1 and UN/CEFACT CII D16B. */
export type EInvoiceSyntax = 'ubl' | 'cii';

/** Renders a frozen invoice or credit note as an EN 16931 e-invoice. */
export interface EInvoiceRenderer {
  /** The document in one syntax (an `Invoice`/`CreditNote`, or a `CrossIndustryInvoice`). */
  xml(snapshot: InvoiceSnapshot, syntax: EInvoiceSyntax): string;
  /** The Factur-X PDF/A-3: the printed document with its CII embedded as `factur-x.xml`. */
  facturX(snapshot: InvoiceSnapshot): Promise<Uint8Array>;
}

/** What a verified sign-in says about the person. */
export interface Identity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** Standalone sign-in to the customer portal (OpenID Connect: Google by default, any issuer). */
export interface SignInProvider {
  /** Where to send the browser, and the state to keep (in a cookie) until it comes back. */
  start(redirectUri: string): Promise<{ url: string; state: string }>;
  /** Checks the answer the browser brings back against the kept state. */
  finish(currentUrl: string, state: string): Promise<Identity>;
}
