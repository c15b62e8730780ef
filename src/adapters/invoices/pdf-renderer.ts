import PDFDocument from 'pdfkit';
import type { InvoiceSnapshot } from '../../core/model.ts';
import type { InvoiceRenderer } from '../../core/ports.ts';
import { ratePercent } from '../../core/pricing.ts';

/** Renders invoices and credit notes with pdfkit, from the frozen snapshot only. */
export const pdfRenderer: InvoiceRenderer = {
  render(snapshot: InvoiceSnapshot): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: snapshot.number } });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      doc.on('error', reject);
      const title = snapshot.kind === 'invoice' ? 'Invoice' : 'Credit note';
      doc.fontSize(20).text(`${title} ${snapshot.number}`);
      doc.moveDown(0.5).fontSize(10);
      doc.text(`Issued: ${snapshot.issued_at} (UTC)`);
      if (snapshot.invoice_number) doc.text(`Refers to invoice: ${snapshot.invoice_number}`);
      doc.text(`Purchase: ${snapshot.purchase_id}`);
      doc.moveDown();
      doc.fontSize(11).text('Seller', { underline: true }).fontSize(10);
      doc.text(snapshot.seller.name);
      if (snapshot.seller.address) doc.text(snapshot.seller.address);
      if (snapshot.seller.tax_id) doc.text(`Tax id: ${snapshot.seller.tax_id}`);
      doc.moveDown();
      doc.fontSize(11).text('Bill to', { underline: true }).fontSize(10);
      doc.text(snapshot.buyer.name);
      if (snapshot.buyer.email) doc.text(snapshot.buyer.email);
      doc.text(`Account: ${snapshot.buyer.account_id}`);
      doc.moveDown();
      for (const line of snapshot.lines) {
        doc.text(
          `${line.description}: ${line.quantity} credits x ${line.unit_price} ${snapshot.currency} = ${line.amount} ${snapshot.currency}`,
        );
      }
      doc.moveDown();
      doc.text(`Subtotal: ${snapshot.subtotal} ${snapshot.currency}`);
      doc.text(`Tax (${ratePercent(snapshot.tax_rate)}): ${snapshot.tax} ${snapshot.currency}`);
      doc.fontSize(12).text(`Total: ${snapshot.total} ${snapshot.currency}`);
      doc.end();
    });
  },
};
