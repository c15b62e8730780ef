import type { EInvoice, Party } from './en16931.ts';
import { CUSTOMIZATION_ID } from './ubl.ts';
import { el, leaf, serialize, type XmlElement } from './xml.ts';

const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/**
 * An EN 16931 document in UN/CEFACT CII D16B (`CrossIndustryInvoice`, type code 380 or 381), the
 * syntax Factur-X and ZUGFeRD embed; elements in the order of the D16B schema.
 * @example ciiXml(eInvoiceOf(snapshot)).includes('<ram:TypeCode>381</ram:TypeCode>') // true for a credit note
 */
export function ciiXml(d: EInvoice): string {
  const amount = (name: string, value: string, currency?: string) =>
    leaf(name, value, currency ? { currencyID: currency } : {});
  const date = (name: string, iso: string, type: 'udt' | 'qdt' = 'udt') =>
    el(name, {}, leaf(`${type}:DateTimeString`, iso.replaceAll('-', ''), { format: '102' }));
  const lineTax = el(
    'ram:ApplicableTradeTax',
    {},
    leaf('ram:TypeCode', 'VAT'),
    leaf('ram:CategoryCode', d.vat.category),
    leaf('ram:RateApplicablePercent', d.vat.percent),
  );
  return serialize(
    el(
      'rsm:CrossIndustryInvoice',
      { 'xmlns:rsm': NS.rsm, 'xmlns:ram': NS.ram, 'xmlns:qdt': NS.qdt, 'xmlns:udt': NS.udt },
      el(
        'rsm:ExchangedDocumentContext',
        {},
        el('ram:GuidelineSpecifiedDocumentContextParameter', {}, leaf('ram:ID', CUSTOMIZATION_ID)),
      ),
      el(
        'rsm:ExchangedDocument',
        {},
        leaf('ram:ID', d.number),
        leaf('ram:TypeCode', d.typeCode),
        date('ram:IssueDateTime', d.issueDate),
        d.notes.map((n) => el('ram:IncludedNote', {}, leaf('ram:Content', n))),
      ),
      el(
        'rsm:SupplyChainTradeTransaction',
        {},
        d.lines.map((l) =>
          el(
            'ram:IncludedSupplyChainTradeLineItem',
            {},
            el('ram:AssociatedDocumentLineDocument', {}, leaf('ram:LineID', l.id)),
            el('ram:SpecifiedTradeProduct', {}, leaf('ram:Name', l.name)),
            el(
              'ram:SpecifiedLineTradeAgreement',
              {},
              el('ram:NetPriceProductTradePrice', {}, amount('ram:ChargeAmount', l.unitPrice)),
            ),
            el(
              'ram:SpecifiedLineTradeDelivery',
              {},
              leaf('ram:BilledQuantity', l.quantity, { unitCode: 'C62' }),
            ),
            el(
              'ram:SpecifiedLineTradeSettlement',
              {},
              lineTax,
              el(
                'ram:SpecifiedTradeSettlementLineMonetarySummation',
                {},
                amount('ram:LineTotalAmount', l.net),
              ),
            ),
          ),
        ),
        el(
          'ram:ApplicableHeaderTradeAgreement',
          {},
          party('ram:SellerTradeParty', d.seller),
          party('ram:BuyerTradeParty', d.buyer),
          el('ram:BuyerOrderReferencedDocument', {}, leaf('ram:IssuerAssignedID', d.orderReference)),
        ),
        el(
          'ram:ApplicableHeaderTradeDelivery',
          {},
          el('ram:ActualDeliverySupplyChainEvent', {}, date('ram:OccurrenceDateTime', d.deliveryDate)),
        ),
        el(
          'ram:ApplicableHeaderTradeSettlement',
          {},
          leaf('ram:TaxCurrencyCode', d.vatAccounting?.currency),
          leaf('ram:InvoiceCurrencyCode', d.currency),
          d.payment &&
            el(
              'ram:SpecifiedTradeSettlementPaymentMeans',
              {},
              leaf('ram:TypeCode', d.payment.code),
              leaf('ram:Information', d.payment.text),
              d.payment.cardLast4 &&
                el('ram:ApplicableTradeSettlementFinancialCard', {}, leaf('ram:ID', d.payment.cardLast4)),
            ),
          el(
            'ram:ApplicableTradeTax',
            {},
            amount('ram:CalculatedAmount', d.vat.tax),
            leaf('ram:TypeCode', 'VAT'),
            leaf('ram:ExemptionReason', d.vat.exemptionText),
            amount('ram:BasisAmount', d.vat.taxable),
            leaf('ram:CategoryCode', d.vat.category),
            leaf('ram:ExemptionReasonCode', d.vat.exemptionCode),
            leaf('ram:RateApplicablePercent', d.vat.percent),
          ),
          d.paymentTerms && el('ram:SpecifiedTradePaymentTerms', {}, leaf('ram:Description', d.paymentTerms)),
          el(
            'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
            {},
            amount('ram:LineTotalAmount', d.totals.lineNet),
            amount('ram:TaxBasisTotalAmount', d.totals.taxExclusive),
            amount('ram:TaxTotalAmount', d.totals.tax, d.currency),
            d.vatAccounting && amount('ram:TaxTotalAmount', d.vatAccounting.amount, d.vatAccounting.currency),
            amount('ram:GrandTotalAmount', d.totals.taxInclusive),
            amount('ram:TotalPrepaidAmount', d.totals.paid),
            amount('ram:DuePayableAmount', d.totals.due),
          ),
          d.precedingInvoice &&
            el(
              'ram:InvoiceReferencedDocument',
              {},
              leaf('ram:IssuerAssignedID', d.precedingInvoice.number),
              d.precedingInvoice.issueDate &&
                date('ram:FormattedIssueDateTime', d.precedingInvoice.issueDate, 'qdt'),
            ),
        ),
      ),
    ),
  );
}

function party(name: string, p: Party): XmlElement {
  return el(
    name,
    {},
    leaf('ram:ID', p.identifier),
    leaf('ram:Name', p.name),
    p.legalId && el('ram:SpecifiedLegalOrganization', {}, leaf('ram:ID', p.legalId)),
    p.contact &&
      el(
        'ram:DefinedTradeContact',
        {},
        p.contact.phone &&
          el('ram:TelephoneUniversalCommunication', {}, leaf('ram:CompleteNumber', p.contact.phone)),
        p.contact.email && el('ram:EmailURIUniversalCommunication', {}, leaf('ram:URIID', p.contact.email)),
      ),
    el(
      'ram:PostalTradeAddress',
      {},
      leaf('ram:PostcodeCode', p.postcode),
      leaf('ram:LineOne', p.lines[0]),
      leaf('ram:LineTwo', p.lines[1]),
      leaf('ram:LineThree', p.lines.slice(2).join(', ')),
      leaf('ram:CityName', p.city),
      leaf('ram:CountryID', p.country),
    ),
    p.electronicAddress &&
      el('ram:URIUniversalCommunication', {}, leaf('ram:URIID', p.electronicAddress, { schemeID: 'EM' })),
    p.vatId && el('ram:SpecifiedTaxRegistration', {}, leaf('ram:ID', p.vatId, { schemeID: 'VA' })),
    p.taxRegistration &&
      el('ram:SpecifiedTaxRegistration', {}, leaf('ram:ID', p.taxRegistration, { schemeID: 'FC' })),
  );
}
