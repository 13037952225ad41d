/**
 * An e-invoice document as UN/CEFACT CII D16B (`CrossIndustryInvoice`), XRechnung 3.0. Each
 * aggregate is written in the element order of the D16B schema; business terms are named beside the
 * elements that carry them. Dates are `YYYYMMDD` with format `102`.
 */
import type { CustomerProfile, ProviderProfile } from '@msp-billing/contracts';
import { PEPPOL_BILLING, XRECHNUNG_3_0, type EInvoiceDocument } from './document.js';
import { XmlWriter } from './xml.js';

const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

const date = (w: XmlWriter, name: string, isoDate: string): void => {
  w.open(name)
    .leaf('udt:DateTimeString', isoDate.replaceAll('-', ''), [['format', '102']])
    .close();
};

const address = (w: XmlWriter, p: ProviderProfile | CustomerProfile): void => {
  w.open('ram:PostalTradeAddress')
    .leaf('ram:PostcodeCode', p.postalCode) // BT-38 / BT-53
    .leaf('ram:LineOne', p.street) // BT-35 / BT-50
    .leaf('ram:CityName', p.city) // BT-37 / BT-52
    .leaf('ram:CountryID', p.countryCode) // BT-40 / BT-55
    .close();
};

const electronicAddress = (w: XmlWriter, email: string): void => {
  w.open('ram:URIUniversalCommunication')
    .leaf('ram:URIID', email, [['schemeID', 'EM']])
    .close();
};

const taxRegistration = (w: XmlWriter, id: string, scheme: 'VA' | 'FC'): void => {
  w.open('ram:SpecifiedTaxRegistration')
    .leaf('ram:ID', id, [['schemeID', scheme]])
    .close();
};

/** The CII D16B XML of an e-invoice document. */
export const toCii = (d: EInvoiceDocument): string => {
  const w = new XmlWriter();
  w.open('rsm:CrossIndustryInvoice', [
    ['xmlns:rsm', NS.rsm],
    ['xmlns:ram', NS.ram],
    ['xmlns:udt', NS.udt],
  ]);
  w.open('rsm:ExchangedDocumentContext')
    .open('ram:BusinessProcessSpecifiedDocumentContextParameter')
    .leaf('ram:ID', PEPPOL_BILLING) // BT-23
    .close()
    .open('ram:GuidelineSpecifiedDocumentContextParameter')
    .leaf('ram:ID', XRECHNUNG_3_0) // BT-24
    .close()
    .close();
  w.open('rsm:ExchangedDocument')
    .leaf('ram:ID', d.number) // BT-1
    .leaf('ram:TypeCode', d.typeCode); // BT-3
  date(w, 'ram:IssueDateTime', d.issueDate); // BT-2
  w.close();

  w.open('rsm:SupplyChainTradeTransaction');
  for (const l of d.lines) {
    w.open('ram:IncludedSupplyChainTradeLineItem') // BG-25
      .open('ram:AssociatedDocumentLineDocument')
      .leaf('ram:LineID', l.id) // BT-126
      .open('ram:IncludedNote')
      .leaf('ram:Content', l.note) // BT-127
      .close()
      .close()
      .open('ram:SpecifiedTradeProduct')
      .leaf('ram:Name', l.itemName) // BT-153
      .close()
      .open('ram:SpecifiedLineTradeAgreement')
      .open('ram:NetPriceProductTradePrice') // BG-29
      .leaf('ram:ChargeAmount', l.price) // BT-146
      .leaf('ram:BasisQuantity', '60', [['unitCode', 'MIN']]) // BT-149, BT-150
      .close()
      .close()
      .open('ram:SpecifiedLineTradeDelivery')
      .leaf('ram:BilledQuantity', l.quantity, [['unitCode', 'MIN']]) // BT-129, BT-130
      .close()
      .open('ram:SpecifiedLineTradeSettlement')
      .open('ram:ApplicableTradeTax') // BG-30
      .leaf('ram:TypeCode', 'VAT')
      .leaf('ram:CategoryCode', d.vat.code) // BT-151
      .leaf('ram:RateApplicablePercent', d.vat.percent) // BT-152
      .close()
      .open('ram:SpecifiedTradeSettlementLineMonetarySummation')
      .leaf('ram:LineTotalAmount', l.amount) // BT-131
      .close()
      .close()
      .close();
  }

  const s = d.seller;
  const b = d.buyer;
  w.open('ram:ApplicableHeaderTradeAgreement').leaf('ram:BuyerReference', d.buyerReference); // BT-10
  w.open('ram:SellerTradeParty') // BG-4
    .leaf('ram:Name', s.name); // BT-27
  if (s.registrationId !== undefined)
    w.open('ram:SpecifiedLegalOrganization').leaf('ram:ID', s.registrationId).close(); // BT-30
  w.open('ram:DefinedTradeContact') // BG-6
    .leaf('ram:PersonName', s.contactName)
    .open('ram:TelephoneUniversalCommunication')
    .leaf('ram:CompleteNumber', s.contactPhone)
    .close()
    .open('ram:EmailURIUniversalCommunication')
    .leaf('ram:URIID', s.contactEmail)
    .close()
    .close();
  address(w, s); // BG-5
  electronicAddress(w, s.electronicAddress); // BT-34
  taxRegistration(w, s.vatId, 'VA'); // BT-31
  if (s.taxNumber !== undefined) taxRegistration(w, s.taxNumber, 'FC'); // BT-32
  w.close();
  w.open('ram:BuyerTradeParty') // BG-7
    .leaf('ram:ID', d.buyerId) // BT-46
    .leaf('ram:Name', b.name); // BT-44
  address(w, b); // BG-8
  electronicAddress(w, b.electronicAddress); // BT-49
  if (b.vatId !== undefined) taxRegistration(w, b.vatId, 'VA'); // BT-48
  w.close();
  w.open('ram:ContractReferencedDocument').leaf('ram:IssuerAssignedID', d.contractId).close(); // BT-12
  w.close();

  // No delivery information: the element is required by the schema and empty by design.
  w.open('ram:ApplicableHeaderTradeDelivery').close();

  w.open('ram:ApplicableHeaderTradeSettlement')
    .leaf('ram:PaymentReference', d.number) // BT-83
    .leaf('ram:InvoiceCurrencyCode', d.currency) // BT-5
    .open('ram:SpecifiedTradeSettlementPaymentMeans') // BG-16
    .leaf('ram:TypeCode', '58') // BT-81
    .open('ram:PayeePartyCreditorFinancialAccount')
    .leaf('ram:IBANID', s.iban) // BT-84
    .close();
  if (s.bic !== undefined)
    w.open('ram:PayeeSpecifiedCreditorFinancialInstitution').leaf('ram:BICID', s.bic).close(); // BT-86
  w.close();
  w.open('ram:ApplicableTradeTax') // BG-23
    .leaf('ram:CalculatedAmount', d.vatAmount) // BT-117
    .leaf('ram:TypeCode', 'VAT')
    .leaf('ram:ExemptionReason', d.vat.exemption?.reason) // BT-120
    .leaf('ram:BasisAmount', d.net) // BT-116
    .leaf('ram:CategoryCode', d.vat.code) // BT-118
    .leaf('ram:ExemptionReasonCode', d.vat.exemption?.code) // BT-121
    .leaf('ram:RateApplicablePercent', d.vat.percent) // BT-119
    .close();
  w.open('ram:BillingSpecifiedPeriod'); // BG-14
  date(w, 'ram:StartDateTime', d.periodStart); // BT-73
  date(w, 'ram:EndDateTime', d.periodEnd); // BT-74
  w.close();
  w.open('ram:SpecifiedTradePaymentTerms').leaf('ram:Description', d.paymentTerms); // BT-20
  date(w, 'ram:DueDateDateTime', d.dueDate); // BT-9
  w.close();
  w.open('ram:SpecifiedTradeSettlementHeaderMonetarySummation') // BG-22
    .leaf('ram:LineTotalAmount', d.net) // BT-106
    .leaf('ram:TaxBasisTotalAmount', d.net) // BT-109
    .leaf('ram:TaxTotalAmount', d.vatAmount, [['currencyID', d.currency]]) // BT-110
    .leaf('ram:GrandTotalAmount', d.gross) // BT-112
    .leaf('ram:DuePayableAmount', d.gross) // BT-115
    .close();
  if (d.precedingInvoice !== undefined)
    w.open('ram:InvoiceReferencedDocument').leaf('ram:IssuerAssignedID', d.precedingInvoice).close(); // BT-25
  w.close();
  w.close();
  w.close();
  return w.toString();
};
