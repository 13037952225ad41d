/**
 * Reconciling booked invoices with the invoices a log issued: decimals compared by value, every kind
 * of difference found once, in export order and then the unbooked ones.
 */
import { describe, expect, it } from 'vitest';
import { describeDifference, reconcileInvoices, type BookedInvoice } from '../src/index.js';
import { C, base, invoiceOf, ticket, work } from './support/log.js';

/** September issued: one support entry, 30 min × 100.00 / 60 = 50.00 net, 9.50 VAT, 59.50 gross. */
const issued = () => {
  const l = ticket(base(), 't-1', 'support-request');
  work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
  l.add('InvoiceIssued', '2026-10-01T06:00:00+02:00', {
    contractId: C,
    period: '2026-09',
    invoiceNumber: 'RE-9',
  });
  const ledger = l.ledger();
  expect(invoiceOf(ledger, '2026-09')).toMatchObject({ net: '50.00', vat: '9.50', gross: '59.50' });
  return ledger.issuedInvoices();
};
const row = (line: number, over: Partial<BookedInvoice> = {}): BookedInvoice => ({
  line,
  contractId: C,
  period: '2026-09',
  invoiceNumber: 'RE-9',
  net: '50',
  vat: '9.5',
  gross: '59.50',
  ...over,
});

describe('reconcileInvoices', () => {
  it('finds nothing when amounts agree as decimals ("50" = "50.00")', () => {
    expect(reconcileInvoices([row(2)], issued())).toEqual([]);
  });

  it('finds each kind of difference', () => {
    const diffs = reconcileInvoices(
      [
        row(2, { net: '40.00', invoiceNumber: 'RE-X' }),
        row(3),
        row(4, { period: '2026-08', invoiceNumber: 'RE-8' }),
      ],
      issued(),
    );
    expect(diffs.map((d) => d.kind)).toEqual([
      'invoice-number-differs',
      'amount-differs',
      'booked-twice',
      'missing-in-log',
    ]);
    expect(diffs.map(describeDifference)).toEqual([
      'c-1 2026-09 (CSV line 2): invoiceNumber differs — export RE-X, log RE-9',
      'c-1 2026-09 (CSV line 2): net differs — export 40.00, log 50.00',
      'c-1 2026-09 (CSV line 3): listed twice in the export (also CSV line 2)',
      'c-1 2026-08 (CSV line 4): missing in log — the export has invoice RE-8, the log issued none for this period',
    ]);
  });

  it('reports an issued invoice the export lacks', () => {
    expect(reconcileInvoices([], issued()).map(describeDifference)).toEqual([
      'c-1 2026-09: missing in the export — the log issued invoice RE-9 (net 50.00, vat 9.50, gross 59.50)',
    ]);
  });
});
