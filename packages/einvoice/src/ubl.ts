/**
 * An e-invoice document as UBL 2.1 (`Invoice`, or `CreditNote` for BT-3 381), XRechnung 3.0. Each
 * aggregate is written in the element order of the UBL 2.1 schema; business terms are named beside
 * the elements that carry them.
 */
import type { CustomerProfile, ProviderProfile } from '@msp-billing/contracts';
import { PEPPOL_BILLING, XRECHNUNG_3_0, type EInvoiceDocument, type VatCategory } from './document.js';
import { XmlWriter } from './xml.js';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

const address = (w: XmlWriter, p: ProviderProfile | CustomerProfile): void => {
  w.open('cac:PostalAddress')
    .leaf('cbc:StreetName', p.street) // BT-35 / BT-50
    .leaf('cbc:CityName', p.city) // BT-37 / BT-52
    .leaf('cbc:PostalZone', p.postalCode) // BT-38 / BT-53
    .open('cac:Country')
    .leaf('cbc:IdentificationCode', p.countryCode) // BT-40 / BT-55
    .close()
    .close();
};

const taxScheme = (w: XmlWriter, companyId: string, scheme: 'VAT' | 'FC'): void => {
  w.open('cac:PartyTaxScheme')
    .leaf('cbc:CompanyID', companyId)
    .open('cac:TaxScheme')
    .leaf('cbc:ID', scheme)
    .close()
    .close();
};

const category = (w: XmlWriter, name: string, vat: VatCategory): void => {
  w.open(name).leaf('cbc:ID', vat.code).leaf('cbc:Percent', vat.percent);
  if (vat.exemption !== undefined)
    w.leaf('cbc:TaxExemptionReasonCode', vat.exemption.code).leaf(
      'cbc:TaxExemptionReason',
      vat.exemption.reason,
    );
  w.open('cac:TaxScheme').leaf('cbc:ID', 'VAT').close().close();
};

/** The UBL 2.1 XML of an e-invoice document. */
export const toUbl = (d: EInvoiceDocument): string => {
  const w = new XmlWriter();
  const cur: [string, string][] = [['currencyID', d.currency]];
  const root = d.creditNote ? 'ubl:CreditNote' : 'ubl:Invoice';
  w.open(root, [
    ['xmlns:ubl', d.creditNote ? NS.creditNote : NS.invoice],
    ['xmlns:cac', NS.cac],
    ['xmlns:cbc', NS.cbc],
  ]);
  w.leaf('cbc:CustomizationID', XRECHNUNG_3_0) // BT-24
    .leaf('cbc:ProfileID', PEPPOL_BILLING) // BT-23
    .leaf('cbc:ID', d.number) // BT-1
    .leaf('cbc:IssueDate', d.issueDate); // BT-2
  if (!d.creditNote) w.leaf('cbc:DueDate', d.dueDate); // BT-9
  w.leaf(d.creditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', d.typeCode) // BT-3
    .leaf('cbc:DocumentCurrencyCode', d.currency) // BT-5
    .leaf('cbc:BuyerReference', d.buyerReference) // BT-10
    .open('cac:InvoicePeriod') // BG-14
    .leaf('cbc:StartDate', d.periodStart)
    .leaf('cbc:EndDate', d.periodEnd)
    .close();
  if (d.precedingInvoice !== undefined)
    w.open('cac:BillingReference') // BG-3
      .open('cac:InvoiceDocumentReference')
      .leaf('cbc:ID', d.precedingInvoice) // BT-25
      .close()
      .close();
  w.open('cac:ContractDocumentReference').leaf('cbc:ID', d.contractId).close(); // BT-12

  const s = d.seller;
  w.open('cac:AccountingSupplierParty').open('cac:Party'); // BG-4
  w.leaf('cbc:EndpointID', s.electronicAddress, [['schemeID', 'EM']]); // BT-34
  address(w, s); // BG-5
  taxScheme(w, s.vatId, 'VAT'); // BT-31
  if (s.taxNumber !== undefined) taxScheme(w, s.taxNumber, 'FC'); // BT-32
  w.open('cac:PartyLegalEntity')
    .leaf('cbc:RegistrationName', s.name) // BT-27
    .leaf('cbc:CompanyID', s.registrationId) // BT-30
    .close();
  w.open('cac:Contact') // BG-6
    .leaf('cbc:Name', s.contactName)
    .leaf('cbc:Telephone', s.contactPhone)
    .leaf('cbc:ElectronicMail', s.contactEmail)
    .close();
  w.close().close();

  const b = d.buyer;
  w.open('cac:AccountingCustomerParty').open('cac:Party'); // BG-7
  w.leaf('cbc:EndpointID', b.electronicAddress, [['schemeID', 'EM']]); // BT-49
  w.open('cac:PartyIdentification').leaf('cbc:ID', d.buyerId).close(); // BT-46
  address(w, b); // BG-8
  if (b.vatId !== undefined) taxScheme(w, b.vatId, 'VAT'); // BT-48
  w.open('cac:PartyLegalEntity').leaf('cbc:RegistrationName', b.name).close(); // BT-44
  w.close().close();

  w.open('cac:PaymentMeans') // BG-16
    .leaf('cbc:PaymentMeansCode', '58'); // BT-81
  if (d.creditNote) w.leaf('cbc:PaymentDueDate', d.dueDate); // BT-9
  w.leaf('cbc:PaymentID', d.number) // BT-83
    .open('cac:PayeeFinancialAccount')
    .leaf('cbc:ID', s.iban); // BT-84
  if (s.bic !== undefined) w.open('cac:FinancialInstitutionBranch').leaf('cbc:ID', s.bic).close(); // BT-86
  w.close().close();
  w.open('cac:PaymentTerms').leaf('cbc:Note', d.paymentTerms).close(); // BT-20

  w.open('cac:TaxTotal')
    .leaf('cbc:TaxAmount', d.vatAmount, cur) // BT-110
    .open('cac:TaxSubtotal') // BG-23
    .leaf('cbc:TaxableAmount', d.net, cur) // BT-116
    .leaf('cbc:TaxAmount', d.vatAmount, cur); // BT-117
  category(w, 'cac:TaxCategory', d.vat); // BT-118, BT-119, BT-121, BT-120
  w.close().close();
  w.open('cac:LegalMonetaryTotal') // BG-22
    .leaf('cbc:LineExtensionAmount', d.net, cur) // BT-106
    .leaf('cbc:TaxExclusiveAmount', d.net, cur) // BT-109
    .leaf('cbc:TaxInclusiveAmount', d.gross, cur) // BT-112
    .leaf('cbc:PayableAmount', d.gross, cur) // BT-115
    .close();

  const lineName = d.creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const quantityName = d.creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  for (const l of d.lines) {
    w.open(lineName) // BG-25
      .leaf('cbc:ID', l.id) // BT-126
      .leaf('cbc:Note', l.note) // BT-127
      .leaf(quantityName, l.quantity, [['unitCode', 'MIN']]) // BT-129, BT-130
      .leaf('cbc:LineExtensionAmount', l.amount, cur) // BT-131
      .open('cac:Item')
      .leaf('cbc:Name', l.itemName); // BT-153
    category(w, 'cac:ClassifiedTaxCategory', { code: d.vat.code, percent: d.vat.percent }); // BG-30
    w.close()
      .open('cac:Price') // BG-29
      .leaf('cbc:PriceAmount', l.price, cur) // BT-146
      .leaf('cbc:BaseQuantity', '60', [['unitCode', 'MIN']]) // BT-149, BT-150
      .close()
      .close();
  }
  w.close();
  return w.toString();
};
