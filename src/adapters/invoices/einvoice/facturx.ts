import type { InvoiceSnapshot } from '../../../core/kernel/model.ts';
import { type Doc, renderPdf } from '../pdf-renderer.ts';
import { escapeText } from './xml.ts';

/** The name Factur-X gives the embedded CII (Factur-X 1.0, section 6). */
export const FACTURX_FILE = 'factur-x.xml';

/** pdfkit's attachment options with the `AFRelationship` its types do not name yet. */
type Attachment = NonNullable<Parameters<Doc['file']>[1]> & {
  relationship: 'Alternative' | 'Data' | 'Source';
};

/**
 * A Factur-X invoice (profile EN 16931): the invoice's PDF as PDF/A-3b with `cii` embedded as
 * `factur-x.xml`, related to the document as its `Alternative` (the relationship Factur-X and
 * ZUGFeRD name for the EN 16931 profile: the XML is the same invoice, the one a machine reads),
 * and the Factur-X XMP extension schema that tells readers where the XML is and which profile it
 * follows.
 * @example await facturXPdf(snapshot, ciiXml(eInvoiceOf(snapshot))) // a PDF with factur-x.xml attached
 */
export function facturXPdf(snapshot: InvoiceSnapshot, cii: string): Promise<Uint8Array> {
  const issued = new Date(snapshot.issued_at);
  const file: Attachment = {
    name: FACTURX_FILE,
    type: 'text/xml',
    description: `Factur-X ${snapshot.kind === 'invoice' ? 'invoice' : 'credit note'} ${snapshot.number}`,
    relationship: 'Alternative',
    creationDate: issued,
    modifiedDate: issued,
  };
  return renderPdf(snapshot, {
    attach: (doc) => doc.file(Buffer.from(cii, 'utf8'), file),
    metadata: facturXMetadata(),
  });
}

/** The XMP of Factur-X 1.0: its properties, and their declaration as a PDF/A extension schema. */
function facturXMetadata(): string {
  const ns = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
  const properties: [string, string][] = [
    ['DocumentFileName', 'The name of the embedded XML invoice file'],
    ['DocumentType', 'The type of the hybrid document: INVOICE'],
    ['Version', 'The version of the Factur-X XML schema'],
    ['ConformanceLevel', 'The Factur-X profile of the embedded XML'],
  ];
  const declared = properties
    .map(
      ([name, description]) => `<rdf:li rdf:parseType="Resource">
  <pdfaProperty:name>${name}</pdfaProperty:name>
  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
  <pdfaProperty:category>external</pdfaProperty:category>
  <pdfaProperty:description>${escapeText(description)}</pdfaProperty:description>
</rdf:li>`,
    )
    .join('\n');
  return `<rdf:Description rdf:about="" xmlns:fx="${ns}">
  <fx:DocumentType>INVOICE</fx:DocumentType>
  <fx:DocumentFileName>${FACTURX_FILE}</fx:DocumentFileName>
  <fx:Version>1.0</fx:Version>
  <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas>
<rdf:Bag>
<rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>${ns}</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>fx</pdfaSchema:prefix>
  <pdfaSchema:property>
<rdf:Seq>
${declared}
</rdf:Seq>
  </pdfaSchema:property>
</rdf:li>
</rdf:Bag>
</pdfaExtension:schemas>
</rdf:Description>`;
}
