import type { EInvoice, Party } from './en16931.ts';
import { el, leaf, serialize, type XmlElement } from './xml.ts';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** The EN 16931 core specification, which tollgate's documents conform to (BT-24). */
export const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017';

/**
 * An EN 16931 document in OASIS UBL 2.1: an `Invoice` (type code 380) or a `CreditNote` (381),
 * elements in the order of the UBL schema.
 * @example ublXml(eInvoiceOf(snapshot)).includes('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>') // true
 */
export function ublXml(d: EInvoice): string {
  const invoice = d.typeCode === '380';
  const root = invoice ? 'Invoice' : 'CreditNote';
  const amount = (name: string, value: string, currency = d.currency) =>
    leaf(name, value, { currencyID: currency });
  const category = (name: string, withReason: boolean) =>
    el(
      name,
      {},
      leaf('cbc:ID', d.vat.category),
      leaf('cbc:Percent', d.vat.percent),
      withReason && leaf('cbc:TaxExemptionReasonCode', d.vat.exemptionCode),
      withReason && leaf('cbc:TaxExemptionReason', d.vat.exemptionText),
      vatScheme(),
    );
  return serialize(
    el(
      root,
      { xmlns: invoice ? NS.invoice : NS.creditNote, 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc },
      leaf('cbc:CustomizationID', CUSTOMIZATION_ID),
      leaf('cbc:ID', d.number),
      leaf('cbc:IssueDate', d.issueDate),
      leaf(invoice ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode', d.typeCode),
      d.notes.map((n) => leaf('cbc:Note', n)),
      leaf('cbc:DocumentCurrencyCode', d.currency),
      leaf('cbc:TaxCurrencyCode', d.vatAccounting?.currency),
      el('cac:OrderReference', {}, leaf('cbc:ID', d.orderReference)),
      d.precedingInvoice &&
        el(
          'cac:BillingReference',
          {},
          el(
            'cac:InvoiceDocumentReference',
            {},
            leaf('cbc:ID', d.precedingInvoice.number),
            leaf('cbc:IssueDate', d.precedingInvoice.issueDate),
          ),
        ),
      el('cac:AccountingSupplierParty', {}, party(d.seller)),
      el('cac:AccountingCustomerParty', {}, party(d.buyer)),
      el('cac:Delivery', {}, leaf('cbc:ActualDeliveryDate', d.deliveryDate)),
      d.payment &&
        el(
          'cac:PaymentMeans',
          {},
          leaf('cbc:PaymentMeansCode', d.payment.code, { name: d.payment.text }),
          d.payment.cardLast4 &&
            el(
              'cac:CardAccount',
              {},
              leaf('cbc:PrimaryAccountNumberID', d.payment.cardLast4),
              // Required by the UBL schema; the card's network as the processor named it.
              leaf('cbc:NetworkID', d.payment.cardNetwork || 'card'),
            ),
        ),
      d.paymentTerms && el('cac:PaymentTerms', {}, leaf('cbc:Note', d.paymentTerms)),
      el(
        'cac:TaxTotal',
        {},
        amount('cbc:TaxAmount', d.totals.tax),
        el(
          'cac:TaxSubtotal',
          {},
          amount('cbc:TaxableAmount', d.vat.taxable),
          amount('cbc:TaxAmount', d.vat.tax),
          category('cac:TaxCategory', true),
        ),
      ),
      // BT-111: the VAT total in the accounting currency, a TaxTotal of its own without breakdown.
      d.vatAccounting &&
        el('cac:TaxTotal', {}, amount('cbc:TaxAmount', d.vatAccounting.amount, d.vatAccounting.currency)),
      el(
        'cac:LegalMonetaryTotal',
        {},
        amount('cbc:LineExtensionAmount', d.totals.lineNet),
        amount('cbc:TaxExclusiveAmount', d.totals.taxExclusive),
        amount('cbc:TaxInclusiveAmount', d.totals.taxInclusive),
        amount('cbc:PrepaidAmount', d.totals.paid),
        amount('cbc:PayableAmount', d.totals.due),
      ),
      d.lines.map((l) =>
        el(
          invoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine',
          {},
          leaf('cbc:ID', l.id),
          leaf(invoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity', l.quantity, { unitCode: 'C62' }),
          amount('cbc:LineExtensionAmount', l.net),
          el('cac:Item', {}, leaf('cbc:Name', l.name), category('cac:ClassifiedTaxCategory', false)),
          el('cac:Price', {}, amount('cbc:PriceAmount', l.unitPrice)),
        ),
      ),
    ),
  );
}

const vatScheme = () => el('cac:TaxScheme', {}, leaf('cbc:ID', 'VAT'));

function party(p: Party): XmlElement {
  return el(
    'cac:Party',
    {},
    leaf('cbc:EndpointID', p.electronicAddress, { schemeID: 'EM' }),
    p.identifier && el('cac:PartyIdentification', {}, leaf('cbc:ID', p.identifier)),
    el('cac:PartyName', {}, leaf('cbc:Name', p.name)),
    el(
      'cac:PostalAddress',
      {},
      leaf('cbc:StreetName', p.lines[0]),
      leaf('cbc:AdditionalStreetName', p.lines[1]),
      leaf('cbc:CityName', p.city),
      leaf('cbc:PostalZone', p.postcode),
      p.lines.length > 2 && el('cac:AddressLine', {}, leaf('cbc:Line', p.lines.slice(2).join(', '))),
      el('cac:Country', {}, leaf('cbc:IdentificationCode', p.country)),
    ),
    p.vatId && el('cac:PartyTaxScheme', {}, leaf('cbc:CompanyID', p.vatId), vatScheme()),
    // BT-32: a tax registration other than a VAT identifier is told apart by its scheme.
    p.taxRegistration &&
      el(
        'cac:PartyTaxScheme',
        {},
        leaf('cbc:CompanyID', p.taxRegistration),
        el('cac:TaxScheme', {}, leaf('cbc:ID', 'LOC')),
      ),
    el('cac:PartyLegalEntity', {}, leaf('cbc:RegistrationName', p.name), leaf('cbc:CompanyID', p.legalId)),
    p.contact &&
      el(
        'cac:Contact',
        {},
        leaf('cbc:Telephone', p.contact.phone),
        leaf('cbc:ElectronicMail', p.contact.email),
      ),
  );
}
