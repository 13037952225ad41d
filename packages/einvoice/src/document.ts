/**
 * The e-invoice of an issued invoice (spec §8), independent of syntax: the value of every business
 * term of EN 16931 that the engine fills, computed once from the invoice (spec §5) and what it was
 * issued with (the Ledger's `issuedWith`: instant, time zone, profiles). The UBL and CII modules only
 * write these values in their syntax; every rule of §8 (credit note for a negative net, reverse
 * charge, what is refused) lives here.
 */
import * as E from 'fp-ts/lib/Either.js';
import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { Dec, calendarDateOf, formatMoney, type Invoice, type IssuedWith } from '@msp-billing/billing';
import type { CustomerProfile, ProviderProfile } from '@msp-billing/contracts';
import { uncarriable } from './xml.js';

/** BT-24: XRechnung 3.0. */
export const XRECHNUNG_3_0 = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
/** BT-23: the Peppol billing process. */
export const PEPPOL_BILLING = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** One invoice line (BG-25), signed as the document states it. */
export interface DocumentLine {
  /** BT-126: `1`, `2`, … */
  readonly id: string;
  /** BT-127: kind, work id, ticket id, start in the contract's zone, clause. */
  readonly note: string;
  /** BT-129 in minutes (unit `MIN`). */
  readonly quantity: string;
  /** BT-131. */
  readonly amount: string;
  /** BT-146, per BT-149 = 60 minutes. */
  readonly price: string;
  /** BT-153: the service. */
  readonly itemName: string;
}

/** The VAT category of the document's one breakdown (BG-23) and of every line (BG-30). */
export interface VatCategory {
  /** BT-118 / BT-151: `S` standard rate, `AE` reverse charge. */
  readonly code: 'S' | 'AE';
  /** BT-119 / BT-152. */
  readonly percent: string;
  /** BT-121 and BT-120, for `AE` only. */
  readonly exemption?: { readonly code: 'VATEX-EU-AE'; readonly reason: string };
}

/** Every business term the engine fills, as the document states it. */
export interface EInvoiceDocument {
  /** A credit note (BT-3 `381`, UBL `CreditNote`) for a negative net: every quantity and amount negated. */
  readonly creditNote: boolean;
  /** BT-3. */
  readonly typeCode: '380' | '381';
  /** BT-1. */
  readonly number: string;
  /** BT-2, `YYYY-MM-DD` in the contract's time zone. */
  readonly issueDate: string;
  /** BT-9 = BT-2 + payment terms. */
  readonly dueDate: string;
  /** BT-20. */
  readonly paymentTerms: string;
  /** BT-5. */
  readonly currency: string;
  /** BT-10. */
  readonly buyerReference: string;
  /** BT-12. */
  readonly contractId: string;
  /** BT-25 (credit notes only): the contract's previous issued invoice. */
  readonly precedingInvoice: string | undefined;
  /** BT-73, BT-74. */
  readonly periodStart: string;
  readonly periodEnd: string;
  /** BG-4 … BG-6, BG-16. */
  readonly seller: ProviderProfile;
  /** BG-7, BG-8. */
  readonly buyer: CustomerProfile;
  /** BT-46. */
  readonly buyerId: string;
  readonly vat: VatCategory;
  /** BT-106 = BT-109 = BT-116. */
  readonly net: string;
  /** BT-110 = BT-117. */
  readonly vatAmount: string;
  /** BT-112 = BT-115. */
  readonly gross: string;
  readonly lines: readonly DocumentLine[];
}

/** Why an invoice has no e-invoice: one line naming the invoice and every reason. */
export interface EInvoiceRefusal {
  readonly _tag: 'EInvoiceRefused';
  readonly contractId: string;
  readonly period: string;
  readonly invoiceNumber: string | null;
  readonly reasons: readonly string[];
  /** `invoice RE-1 (c-1 2026-09): <reason>; <reason>`. */
  readonly message: string;
}

const refused = (invoice: Invoice, reasons: readonly string[]): EInvoiceRefusal => ({
  _tag: 'EInvoiceRefused',
  contractId: invoice.contractId,
  period: invoice.period,
  invoiceNumber: invoice.invoiceNumber,
  reasons,
  message: `invoice ${invoice.invoiceNumber === null ? '' : `${invoice.invoiceNumber} `}(${invoice.contractId} ${invoice.period}): ${reasons.join('; ')}`,
});

/** `YYYY-MM-DD` plus `days` calendar days. */
const plusDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

/** The first and last calendar day of a period `YYYY-MM`. */
const daysOf = (period: string): readonly [string, string] => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, '0')}`];
};

const negate = (amount: string): string => formatMoney(new Dec(amount).negated());

/** BT-20 in words. */
const termsText = (days: number, due: string): string =>
  days === 0
    ? `Payable immediately without deduction (due ${due}).`
    : `Payable within ${days} day${days === 1 ? '' : 's'} of the invoice date without deduction (due ${due}).`;

/**
 * The e-invoice document of an issued invoice, or why it has none: not issued (a draft or skipped
 * period), no lines, a profile missing at the invoice's instant, a VAT case EN 16931 cannot state
 * with this data, or a text XML cannot carry. Every reason is given at once.
 */
export const eInvoiceDocument = (
  invoice: Invoice,
  issued: IssuedWith | undefined,
): E.Either<EInvoiceRefusal, EInvoiceDocument> => {
  if (invoice.status !== 'issued' || invoice.invoiceNumber === null || issued === undefined)
    return E.left(
      refused(invoice, [
        `it is ${invoice.status === 'skipped' ? 'skipped' : 'a draft'}; only issued invoices have an e-invoice`,
      ]),
    );
  if (invoice.lines.length === 0)
    return E.left(refused(invoice, ['it has no lines; EN 16931 has no invoice without lines']));
  const zone = tz(issued.timeZone);
  const issueDate = calendarDateOf(issued.issuedAt, issued.timeZone);
  const reasons: string[] = [];
  const { provider, customer } = issued;
  if (provider === undefined) reasons.push(`the provider has no ProviderProfileSet at ${issueDate}`);
  if (customer === undefined)
    reasons.push(`customer ${issued.customerId} has no CustomerProfileSet at ${issueDate}`);
  const rate = new Dec(invoice.vatRatePercent);
  const reverseCharge = customer?.reverseCharge === true;
  if (rate.isZero() && !reverseCharge && customer !== undefined)
    reasons.push(
      `VAT rate 0 % without reverse charge: EN 16931 needs an exemption this engine does not state (customer ${issued.customerId} profile has no reverseCharge)`,
    );
  if (reverseCharge && !rate.isZero())
    reasons.push(
      `customer ${issued.customerId} is reverse charge, but the VAT rate is ${invoice.vatRatePercent} %, not 0 %`,
    );
  if (reverseCharge && customer?.vatId === undefined)
    reasons.push(`customer ${issued.customerId} profile has no vatId, which reverse charge needs`);
  const texts: [string, string][] = [
    ['invoice number (BT-1)', invoice.invoiceNumber],
    ['contract id (BT-12)', invoice.contractId],
    ['customer id (BT-46)', issued.customerId],
  ];
  invoice.lines.forEach((l, i) => {
    texts.push([`work id of line ${i + 1}`, l.workId], [`ticket id of line ${i + 1}`, l.ticketId]);
  });
  for (const [what, text] of texts) {
    const bad = uncarriable(text);
    if (bad !== undefined) reasons.push(`the ${what} holds ${bad}, which XML cannot carry`);
  }
  if (reasons.length > 0 || provider === undefined || customer === undefined)
    return E.left(refused(invoice, reasons));

  const creditNote = new Dec(invoice.net).isNegative() && !new Dec(invoice.net).isZero();
  const signed = creditNote ? negate : (a: string): string => a;
  const dueDate = plusDays(issueDate, provider.paymentTermsDays);
  const [periodStart, periodEnd] = daysOf(invoice.period);
  const lines = invoice.lines.map((l, i): DocumentLine => {
    const quantity = l.kind === 'reversal' ? -l.billedMinutes : l.billedMinutes;
    const started = format(Date.parse(l.startedAt), 'yyyy-MM-dd HH:mm', { in: zone });
    return {
      id: String(i + 1),
      note: `${l.kind} ${l.workId}, ticket ${l.ticketId}, started ${started} ${issued.timeZone}, clause ${l.clause}`,
      quantity: String(creditNote ? -quantity : quantity),
      amount: signed(l.amount),
      price: l.hourlyRate,
      itemName: l.service,
    };
  });
  return E.right({
    creditNote,
    typeCode: creditNote ? '381' : '380',
    number: invoice.invoiceNumber,
    issueDate,
    dueDate,
    paymentTerms: termsText(provider.paymentTermsDays, dueDate),
    currency: invoice.currency,
    buyerReference: customer.buyerReference ?? invoice.contractId,
    contractId: invoice.contractId,
    precedingInvoice: creditNote ? issued.previousInvoiceNumber : undefined,
    periodStart,
    periodEnd,
    seller: provider,
    buyer: customer,
    buyerId: issued.customerId,
    vat: reverseCharge
      ? {
          code: 'AE',
          percent: invoice.vatRatePercent,
          exemption: { code: 'VATEX-EU-AE', reason: 'Reverse charge' },
        }
      : { code: 'S', percent: invoice.vatRatePercent },
    net: signed(invoice.net),
    vatAmount: signed(invoice.vat),
    gross: signed(invoice.gross),
    lines,
  });
};
