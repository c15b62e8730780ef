import type { InvoiceLocale } from '../../core/kernel/model.ts';

/** Every word printed on an invoice or credit note, per language. */
export interface Labels {
  invoice: string;
  creditNote: string;
  number: string;
  issued: string;
  supplied: string;
  paidOn: string;
  refersTo: (number: string, date: string) => string;
  seller: string;
  billTo: string;
  vatId: string;
  account: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  tax: (rate: string) => string;
  total: string;
  totalCredited: string;
  paid: string;
  via: (method: string) => string;
  manual: string;
  card: (brand: string, last4: string) => string;
  creditsLine: string;
  refundLine: (invoiceNumber: string) => string;
  reverseCharge: string;
  noDetails: string;
  creditNoteMention: (invoiceNumber: string) => string;
  page: string;
  /** VAT stated in the seller's national currency (art. 230), with the rate and its date. */
  /** `base` and `quote`: 1 base = rate quote, as the operator stored it. */
  nationalVat: (
    currency: string,
    amount: string,
    base: string,
    rate: string,
    quote: string,
    day: string,
  ) => string;
  nationalVatMissing: (currency: string) => string;
  registration: string;
}

/** English, French, German: the wording an accountant of each country expects. */
export const LABELS: Record<InvoiceLocale, Labels> = {
  en: {
    invoice: 'Invoice',
    creditNote: 'Credit note',
    number: 'Number',
    issued: 'Date of issue',
    supplied: 'Date of supply',
    paidOn: 'Paid on',
    refersTo: (n, d) => `Refers to invoice ${n} of ${d}`,
    seller: 'From',
    billTo: 'Bill to',
    vatId: 'VAT number',
    account: 'Customer account',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    tax: (r) => `VAT (${r})`,
    total: 'Total',
    totalCredited: 'Total credited',
    paid: 'PAID',
    via: (m) => `Payment method: ${m}`,
    manual: 'manual',
    card: (b, l) => `${b} card ending in ${l}`,
    creditsLine: 'Prepaid credits',
    refundLine: (n) => `Refund of unspent prepaid credits (invoice ${n})`,
    reverseCharge: 'Reverse charge: VAT to be accounted for by the recipient, art. 196 Directive 2006/112/EC',
    noDetails: 'No billing details given',
    creditNoteMention: (n) => `This credit note cancels part or all of invoice ${n}.`,
    page: 'Page 1 of 1',
    nationalVat: (c, a, b, r, q, d) => `VAT in ${c}: ${a} (1 ${b} = ${r} ${q}, rate of ${d})`,
    nationalVatMissing: (c) => `VAT in ${c}: no exchange rate was known on the day of issue`,
    registration: 'Registration',
  },
  fr: {
    invoice: 'Facture',
    creditNote: 'Avoir',
    number: 'Numéro',
    issued: "Date d'émission",
    supplied: 'Date de la prestation',
    paidOn: 'Payée le',
    refersTo: (n, d) => `Se rapporte à la facture ${n} du ${d}`,
    seller: 'Émetteur',
    billTo: 'Facturé à',
    vatId: 'N° TVA intracommunautaire',
    account: 'Compte client',
    description: 'Désignation',
    quantity: 'Quantité',
    unitPrice: 'Prix unitaire HT',
    amount: 'Montant HT',
    subtotal: 'Total HT',
    tax: (r) => `TVA (${r})`,
    total: 'Total TTC',
    totalCredited: 'Total TTC crédité',
    paid: 'PAYÉE',
    via: (m) => `Moyen de paiement : ${m}`,
    manual: 'manuel',
    card: (b, l) => `carte ${b} se terminant par ${l}`,
    creditsLine: 'Crédits prépayés',
    refundLine: (n) => `Remboursement de crédits prépayés non utilisés (facture ${n})`,
    reverseCharge: 'Autoliquidation : TVA due par le preneur, art. 196 de la directive 2006/112/CE',
    noDetails: 'Aucune coordonnée de facturation',
    creditNoteMention: (n) => `Cet avoir annule tout ou partie de la facture ${n}.`,
    page: 'Page 1 sur 1',
    nationalVat: (c, a, b, r, q, d) => `TVA en ${c} : ${a} (1 ${b} = ${r} ${q}, taux du ${d})`,
    nationalVatMissing: (c) => `TVA en ${c} : aucun taux de change connu au jour de l’émission`,
    registration: 'Immatriculation',
  },
  de: {
    invoice: 'Rechnung',
    creditNote: 'Gutschrift',
    number: 'Nummer',
    issued: 'Rechnungsdatum',
    supplied: 'Leistungsdatum',
    paidOn: 'Bezahlt am',
    refersTo: (n, d) => `Bezieht sich auf Rechnung ${n} vom ${d}`,
    seller: 'Von',
    billTo: 'Rechnungsempfänger',
    vatId: 'USt-IdNr.',
    account: 'Kundenkonto',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    amount: 'Betrag',
    subtotal: 'Zwischensumme',
    tax: (r) => `USt. (${r})`,
    total: 'Gesamtbetrag',
    totalCredited: 'Gutgeschriebener Betrag',
    paid: 'BEZAHLT',
    via: (m) => `Zahlungsart: ${m}`,
    manual: 'manuell',
    card: (b, l) => `${b}-Karte mit Endziffern ${l}`,
    creditsLine: 'Prepaid-Guthaben (Credits)',
    refundLine: (n) => `Erstattung nicht genutzter Credits (Rechnung ${n})`,
    reverseCharge:
      'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge), Art. 196 Richtlinie 2006/112/EG',
    noDetails: 'Keine Rechnungsdaten angegeben',
    creditNoteMention: (n) => `Diese Gutschrift storniert die Rechnung ${n} ganz oder teilweise.`,
    page: 'Seite 1 von 1',
    nationalVat: (c, a, b, r, q, d) => `USt. in ${c}: ${a} (1 ${b} = ${r} ${q}, Kurs vom ${d})`,
    nationalVatMissing: (c) => `USt. in ${c}: am Ausstellungstag war kein Wechselkurs bekannt`,
    registration: 'Register',
  },
};
