/**
 * Reconciliation: the invoices an accounting system booked against the invoices the log issued,
 * by (contractId, period). Invoice numbers are compared as text, net / VAT / gross as decimals
 * ("95" equals "95.00"); an invoice on one side only is a difference too. The differences are data,
 * so a finance script can sort, filter or export them; `describeDifference` is the CLI's sentence.
 */
import { Dec } from './money.js';
import type { Invoice } from './invoice.js';

/** One invoice as an accounting export lists it, with the line it is on (1-based). */
export interface BookedInvoice {
  readonly line: number;
  readonly contractId: string;
  readonly period: string;
  readonly invoiceNumber: string;
  readonly net: string;
  readonly vat: string;
  readonly gross: string;
}

/** A money column of the export. */
export type AmountField = 'net' | 'vat' | 'gross';

/** One way the export and the log disagree. */
export type InvoiceDifference =
  | {
      readonly kind: 'amount-differs';
      readonly contractId: string;
      readonly period: string;
      readonly line: number;
      readonly field: AmountField;
      readonly booked: string;
      readonly logged: string;
    }
  | {
      readonly kind: 'invoice-number-differs';
      readonly contractId: string;
      readonly period: string;
      readonly line: number;
      readonly booked: string;
      readonly logged: string;
    }
  | {
      /** The accounting system booked an invoice the log never issued. */
      readonly kind: 'missing-in-log';
      readonly contractId: string;
      readonly period: string;
      readonly line: number;
      readonly invoiceNumber: string;
    }
  | {
      /** The log issued an invoice the accounting system has not booked. */
      readonly kind: 'missing-in-export';
      readonly contractId: string;
      readonly period: string;
      readonly invoiceNumber: string;
      readonly net: string;
      readonly vat: string;
      readonly gross: string;
    }
  | {
      readonly kind: 'booked-twice';
      readonly contractId: string;
      readonly period: string;
      readonly line: number;
      readonly firstLine: number;
    };

const key = (contractId: string, period: string): string => JSON.stringify([contractId, period]);

/** Compare booked invoices with the invoices the log issued; export order first, then the unbooked. */
export const reconcileInvoices = (
  booked: readonly BookedInvoice[],
  issued: readonly Invoice[],
): InvoiceDifference[] => {
  const logged = new Map(issued.map((i) => [key(i.contractId, i.period), i]));
  const seen = new Map<string, number>();
  const out: InvoiceDifference[] = [];
  for (const b of booked) {
    const k = key(b.contractId, b.period);
    const where = { contractId: b.contractId, period: b.period, line: b.line };
    const first = seen.get(k);
    if (first !== undefined) {
      out.push({ kind: 'booked-twice', ...where, firstLine: first });
      continue;
    }
    seen.set(k, b.line);
    const inv = logged.get(k);
    if (inv === undefined) {
      out.push({ kind: 'missing-in-log', ...where, invoiceNumber: b.invoiceNumber });
      continue;
    }
    if (b.invoiceNumber !== inv.invoiceNumber) {
      out.push({
        kind: 'invoice-number-differs',
        ...where,
        booked: b.invoiceNumber,
        logged: inv.invoiceNumber ?? '',
      });
    }
    for (const field of ['net', 'vat', 'gross'] as const) {
      if (!new Dec(b[field]).equals(new Dec(inv[field]))) {
        out.push({ kind: 'amount-differs', ...where, field, booked: b[field], logged: inv[field] });
      }
    }
  }
  for (const inv of issued) {
    if (seen.has(key(inv.contractId, inv.period))) continue;
    out.push({
      kind: 'missing-in-export',
      contractId: inv.contractId,
      period: inv.period,
      invoiceNumber: inv.invoiceNumber ?? '',
      net: inv.net,
      vat: inv.vat,
      gross: inv.gross,
    });
  }
  return out;
};

/** One difference as the line `msp-billing reconcile` prints. */
export const describeDifference = (d: InvoiceDifference): string => {
  const where =
    d.kind === 'missing-in-export'
      ? `${d.contractId} ${d.period}`
      : `${d.contractId} ${d.period} (CSV line ${d.line})`;
  switch (d.kind) {
    case 'amount-differs':
      return `${where}: ${d.field} differs — export ${d.booked}, log ${d.logged}`;
    case 'invoice-number-differs':
      return `${where}: invoiceNumber differs — export ${d.booked}, log ${d.logged === '' ? '(none)' : d.logged}`;
    case 'missing-in-log':
      return `${where}: missing in log — the export has invoice ${d.invoiceNumber}, the log issued none for this period`;
    case 'missing-in-export':
      return `${where}: missing in the export — the log issued invoice ${d.invoiceNumber === '' ? '(none)' : d.invoiceNumber} (net ${d.net}, vat ${d.vat}, gross ${d.gross})`;
    case 'booked-twice':
      return `${where}: listed twice in the export (also CSV line ${d.firstLine})`;
  }
};
