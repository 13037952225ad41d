/**
 * The e-invoice of an issued invoice (spec §8), without the official validation (that is
 * official.int.spec.ts): every amount exactly the §5 value, worked out by hand here, in both
 * syntaxes; credit notes, reverse charge, 4-decimal rates; every text read back exactly by an XML
 * parser; and the refusals, each naming the invoice and every reason in one line.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { arbitraryProfileText } from '@msp-billing/testing';
import { eInvoiceXml, type EInvoiceSyntax } from '../src/index.js';
import {
  PROVIDER,
  creditNote,
  fourDecimalRate,
  issue,
  issuedOf,
  lateWorkReversalCorrection,
  ledgerOf,
  profiles,
  reverseCharge,
  sampleEvents,
  work,
  world,
  xpath,
  type Raw,
} from './support/logs.js';

const SYNTAXES: readonly EInvoiceSyntax[] = ['ubl', 'cii'];

const xmlOf = (
  events: readonly Raw[],
  period: string,
  syntax: EInvoiceSyntax,
  contractId = 'c-1',
): string => {
  const [inv, issued] = issuedOf(ledgerOf(events), contractId, period);
  const r = eInvoiceXml(inv, issued, syntax);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const refusalOf = (events: readonly Raw[], period: string, contractId = 'c-1'): string => {
  const [inv, issued] = issuedOf(ledgerOf(events), contractId, period);
  const r = eInvoiceXml(inv, issued, 'ubl');
  expect(E.isLeft(r)).toBe(true);
  return E.isLeft(r) ? r.left.message : '';
};

/** The business terms the tests read, by syntax. */
const BT: Record<EInvoiceSyntax, Record<string, string>> = {
  ubl: {
    root: '/*/local-name()',
    typeCode: '/*/(cbc:InvoiceTypeCode|cbc:CreditNoteTypeCode)',
    number: '/*/cbc:ID',
    issueDate: '/*/cbc:IssueDate',
    dueDate: '/*/(cbc:DueDate|cac:PaymentMeans/cbc:PaymentDueDate)',
    buyerReference: '/*/cbc:BuyerReference',
    preceding: '/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID',
    net: '/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount',
    taxExclusive: '/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount',
    vat: '/*/cac:TaxTotal/cbc:TaxAmount',
    gross: '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
    payable: '/*/cac:LegalMonetaryTotal/cbc:PayableAmount',
    taxable: '/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount',
    category: '/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID',
    percent: '/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent',
    exemption: '/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode',
    lineAmounts: '/*/(cac:InvoiceLine|cac:CreditNoteLine)/cbc:LineExtensionAmount',
    lineQuantities: '/*/(cac:InvoiceLine|cac:CreditNoteLine)/(cbc:InvoicedQuantity|cbc:CreditedQuantity)',
    linePrices: '/*/(cac:InvoiceLine|cac:CreditNoteLine)/cac:Price/cbc:PriceAmount',
    lineNotes: '/*/(cac:InvoiceLine|cac:CreditNoteLine)/cbc:Note',
    sellerName: '/*/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName',
    buyerName: '/*/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName',
    buyerStreet: '/*/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName',
    buyerCity: '/*/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CityName',
  },
  cii: {
    root: '/*/local-name()',
    typeCode: '/*/rsm:ExchangedDocument/ram:TypeCode',
    number: '/*/rsm:ExchangedDocument/ram:ID',
    issueDate: '/*/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString',
    dueDate: '//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString',
    buyerReference: '//ram:ApplicableHeaderTradeAgreement/ram:BuyerReference',
    preceding: '//ram:InvoiceReferencedDocument/ram:IssuerAssignedID',
    net: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount',
    taxExclusive: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxBasisTotalAmount',
    vat: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount',
    gross: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount',
    payable: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount',
    taxable: '//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount',
    category: '//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode',
    percent: '//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent',
    exemption: '//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReasonCode',
    lineAmounts: '//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount',
    lineQuantities: '//ram:IncludedSupplyChainTradeLineItem//ram:BilledQuantity',
    linePrices: '//ram:IncludedSupplyChainTradeLineItem//ram:NetPriceProductTradePrice/ram:ChargeAmount',
    lineNotes: '//ram:IncludedSupplyChainTradeLineItem//ram:IncludedNote/ram:Content',
    sellerName: '//ram:SellerTradeParty/ram:Name',
    buyerName: '//ram:BuyerTradeParty/ram:Name',
    buyerStreet: '//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:LineOne',
    buyerCity: '//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CityName',
  },
};

const read = (xml: string, syntax: EInvoiceSyntax, term: string): string[] =>
  xpath(xml, BT[syntax][term] as string);
const one = (xml: string, syntax: EInvoiceSyntax, term: string): string | undefined => {
  const values = read(xml, syntax, term);
  expect(values.length).toBeLessThanOrEqual(1);
  return values[0];
};
const date = (syntax: EInvoiceSyntax, iso: string): string =>
  syntax === 'cii' ? iso.replaceAll('-', '') : iso;

describe.each(SYNTAXES)('%s: the worked sample', (syntax) => {
  it('states RE-2026-0917 with net 420.00, VAT 79.80, gross 499.80 (issue 23, spec §5)', () => {
    const xml = xmlOf([...profiles('acme-gmbh'), ...sampleEvents()], '2026-09', syntax, 'msp-4711');
    expect(one(xml, syntax, 'number')).toBe('RE-2026-0917');
    expect(one(xml, syntax, 'typeCode')).toBe('380');
    // Issued 2026-10-01 06:00 Berlin; 14 days of payment terms.
    expect(one(xml, syntax, 'issueDate')).toBe(date(syntax, '2026-10-01'));
    expect(one(xml, syntax, 'dueDate')).toBe(date(syntax, '2026-10-15'));
    for (const term of ['net', 'taxExclusive', 'taxable']) expect(one(xml, syntax, term)).toBe('420.00');
    expect(one(xml, syntax, 'vat')).toBe('79.80');
    expect(read(xml, syntax, 'vat')).toEqual(['79.80']);
    for (const term of ['gross', 'payable']) expect(one(xml, syntax, term)).toBe('499.80');
    expect([one(xml, syntax, 'category'), one(xml, syntax, 'percent')]).toEqual(['S', '19']);
    // The lines add up to the net, to the cent.
    const cents = read(xml, syntax, 'lineAmounts').reduce((s, a) => s + Math.round(Number(a) * 100), 0);
    expect(cents).toBe(42_000);
  });
});

describe('amounts are the §5 values, worked by hand, in both syntaxes', () => {
  it('late work, a reversal and a correction (rate 100.00/h, 15-minute increments)', () => {
    // September: w-1 60 min = 100.00, issued as RE-1 on 2 October. Then w-1 is corrected to 90 min
    // (reversal −100.00, correction 150.00), w-2 is logged late for September (30 min = 50.00) and
    // w-3 in October (15 min = 25.00). October: net 125.00, VAT 19 % 23.75, gross 148.75.
    const events = lateWorkReversalCorrection();
    for (const syntax of SYNTAXES) {
      const xml = xmlOf(events, '2026-10', syntax);
      expect(one(xml, syntax, 'typeCode')).toBe('380');
      expect(read(xml, syntax, 'lineQuantities')).toEqual(['-60', '90', '30', '15']);
      expect(read(xml, syntax, 'lineAmounts')).toEqual(['-100.00', '150.00', '50.00', '25.00']);
      expect(read(xml, syntax, 'linePrices')).toEqual(['100.00', '100.00', '100.00', '100.00']);
      expect([one(xml, syntax, 'net'), one(xml, syntax, 'vat'), one(xml, syntax, 'gross')]).toEqual([
        '125.00',
        '23.75',
        '148.75',
      ]);
      expect(one(xml, syntax, 'issueDate')).toBe(date(syntax, '2026-11-02'));
      expect(read(xml, syntax, 'lineNotes')).toEqual([
        'reversal w-1, ticket t-1, started 2026-09-10 10:00 Europe/Berlin, clause 3.1',
        'correction w-1, ticket t-1, started 2026-09-10 10:00 Europe/Berlin, clause 3.1',
        'late-work w-2, ticket t-1, started 2026-09-30 16:00 Europe/Berlin, clause 3.1',
        'work w-3, ticket t-1, started 2026-10-06 10:00 Europe/Berlin, clause 3.1',
      ]);
    }
  });

  it('a credit note for a negative net: every quantity and amount negated, BT-25 the invoice before', () => {
    // September: w-1 45 min = 75.00 (RE-1). October: w-1 voided → reversal −75.00; net −75.00,
    // VAT −14.25, gross −89.25. As a credit note: 381, quantity 45, amounts 75.00 / 14.25 / 89.25.
    const events = creditNote();
    for (const syntax of SYNTAXES) {
      const xml = xmlOf(events, '2026-10', syntax);
      expect(one(xml, syntax, 'root')).toBe(syntax === 'ubl' ? 'CreditNote' : 'CrossIndustryInvoice');
      expect(one(xml, syntax, 'typeCode')).toBe('381');
      expect(one(xml, syntax, 'preceding')).toBe('RE-1');
      expect(read(xml, syntax, 'lineQuantities')).toEqual(['45']);
      expect(read(xml, syntax, 'lineAmounts')).toEqual(['75.00']);
      expect(read(xml, syntax, 'linePrices')).toEqual(['100.00']);
      expect([one(xml, syntax, 'net'), one(xml, syntax, 'vat'), one(xml, syntax, 'gross')]).toEqual([
        '75.00',
        '14.25',
        '89.25',
      ]);
      expect(one(xml, syntax, 'payable')).toBe('89.25');
      expect(one(xml, syntax, 'dueDate')).toBe(date(syntax, '2026-11-16'));
    }
  });

  it('reverse charge: category AE at 0 % with VATEX-EU-AE, VAT 0.00', () => {
    const events = reverseCharge(); // 50 minutes on w-1: 60 billed minutes = 100.00
    for (const syntax of SYNTAXES) {
      const xml = xmlOf(events, '2026-09', syntax);
      expect([
        one(xml, syntax, 'category'),
        one(xml, syntax, 'percent'),
        one(xml, syntax, 'exemption'),
      ]).toEqual(['AE', '0', 'VATEX-EU-AE']);
      expect([one(xml, syntax, 'net'), one(xml, syntax, 'vat'), one(xml, syntax, 'gross')]).toEqual([
        '100.00',
        '0.00',
        '100.00',
      ]);
    }
  });

  it('a 4-decimal hourly rate: the price as set, the amount rounded half-up per line', () => {
    // 97.1234/h: 50 min → 60 billed = 97.1234 → 97.12; 20 min → 30 billed = 48.5617 → 48.56.
    // Net 145.68, VAT 19 % = 27.6792 → 27.68, gross 173.36.
    const events = fourDecimalRate();
    for (const syntax of SYNTAXES) {
      const xml = xmlOf(events, '2026-09', syntax);
      expect(read(xml, syntax, 'linePrices')).toEqual(['97.1234', '97.1234']);
      expect(read(xml, syntax, 'lineQuantities')).toEqual(['60', '30']);
      expect(read(xml, syntax, 'lineAmounts')).toEqual(['97.12', '48.56']);
      expect([one(xml, syntax, 'net'), one(xml, syntax, 'vat'), one(xml, syntax, 'gross')]).toEqual([
        '145.68',
        '27.68',
        '173.36',
      ]);
    }
  });
});

describe.each(SYNTAXES)('%s: every text round-trips exactly', (syntax) => {
  const septemberWith = (name: string, street: string, city: string): string =>
    xmlOf(
      [
        ...world({ customer: { name, street, city } }),
        work('w-1', '2026-09-10T10:00:00+02:00', 60),
        issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
      ],
      '2026-09',
      syntax,
    );

  it('markup characters, quotes, umlauts and emoji', () => {
    const name = `Müller & Söhne <IT> "Cloud" O'Brien 🚀 ]]> &amp;`;
    const xml = septemberWith(name, 'Straße 1 <b>', 'Zürich & Genève');
    expect(one(xml, syntax, 'buyerName')).toBe(name);
    expect(one(xml, syntax, 'buyerStreet')).toBe('Straße 1 <b>');
    expect(one(xml, syntax, 'buyerCity')).toBe('Zürich & Genève');
    expect(one(xml, syntax, 'sellerName')).toBe(PROVIDER.name);
  });

  it('any valid profile text (property)', () => {
    fc.assert(
      fc.property(
        arbitraryProfileText(300),
        arbitraryProfileText(),
        arbitraryProfileText(),
        (name, street, city) => {
          const xml = septemberWith(name, street, city);
          expect([
            one(xml, syntax, 'buyerName'),
            one(xml, syntax, 'buyerStreet'),
            one(xml, syntax, 'buyerCity'),
          ]).toEqual([name, street, city]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('refusals: one line naming the invoice and every reason', () => {
  const september = (extra: Raw[] = [], options: Parameters<typeof world>[0] = {}): Raw[] => [
    ...world(options),
    work('w-1', '2026-09-10T10:00:00+02:00', 60),
    ...extra,
  ];

  it('a draft, a skipped period and an empty invoice', () => {
    expect(refusalOf(september(), '2026-09')).toBe(
      'invoice (c-1 2026-09): it is a draft; only issued invoices have an e-invoice',
    );
    const skipped = september([issue('2026-10', 'RE-2', '2026-11-02T09:00:00+01:00')]);
    expect(refusalOf(skipped, '2026-09')).toBe(
      'invoice (c-1 2026-09): it is skipped; only issued invoices have an e-invoice',
    );
    const empty = [...world(), issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00')];
    expect(refusalOf(empty, '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): it has no lines; EN 16931 has no invoice without lines',
    );
  });

  it('missing profiles, named with the invoice date', () => {
    const events = september([issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00')]).filter(
      (e) => !e.type.endsWith('ProfileSet'),
    );
    expect(refusalOf(events, '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): the provider has no ProviderProfileSet at 2026-10-02; customer cust-1 has no CustomerProfileSet at 2026-10-02',
    );
    // A profile set after the invoice's instant is not the invoice's.
    const late = events.concat([
      { ...(profiles('cust-1')[0] as Raw), occurredAt: '2026-10-03T00:00:00Z' },
      { ...(profiles('cust-1')[1] as Raw), occurredAt: '2026-09-01T00:00:00Z' },
    ]);
    expect(refusalOf(late, '2026-09')).toContain('the provider has no ProviderProfileSet at 2026-10-02');
  });

  it('VAT cases EN 16931 cannot state with this data', () => {
    const issued = [issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00')];
    expect(refusalOf(september(issued, { vat: '0' }), '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): VAT rate 0 % without reverse charge: EN 16931 needs an exemption this engine does not state (customer cust-1 profile has no reverseCharge)',
    );
    expect(refusalOf(september(issued, { customer: { reverseCharge: true } }), '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): customer cust-1 is reverse charge, but the VAT rate is 19 %, not 0 %',
    );
    const noVatId = world({ vat: '0', customer: { reverseCharge: true } }).map((e) =>
      e.type === 'CustomerProfileSet' ? { ...e, data: { ...e.data, vatId: undefined } } : e,
    );
    expect(refusalOf([...noVatId, work('w-1', '2026-09-10T10:00:00+02:00', 60), ...issued], '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): customer cust-1 profile has no vatId, which reverse charge needs',
    );
  });

  it('an id XML cannot carry', () => {
    const events = [
      ...world(),
      work('w-\u0001', '2026-09-10T10:00:00+02:00', 60),
      issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
    ];
    expect(refusalOf(events, '2026-09')).toBe(
      'invoice RE-1 (c-1 2026-09): the work id of line 1 holds U+0001, which XML cannot carry',
    );
  });
});
