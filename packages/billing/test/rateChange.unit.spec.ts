/**
 * A rate recorded late changes the entries started while it is in force: from its `effectiveFrom`
 * up to the card's next rate, not before and not after (spec §5, rule 17), also on issued invoices.
 */
import { describe, expect, it } from 'vitest';
import { C, RATE_CARD, base, entryOf, invoiceOf, ticket, work } from './support/log.js';

describe('a late rate change between two rates', () => {
  it('reprices only the entries between its start and the next rate, and the next invoice corrects them', () => {
    const l = base().add('HourlyRateSet', '2026-09-01T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-09-20T00:00:00+02:00',
      hourlyRate: '200.00',
    });
    ticket(l, 't-1', 'support-request');
    work(l, 'w-a', 't-1', '2026-09-11T10:00:00+02:00', 60);
    work(l, 'w-b', 't-1', '2026-09-16T10:00:00+02:00', 60);
    work(l, 'w-c', 't-1', '2026-09-25T10:00:00+02:00', 60);
    l.add('InvoiceIssued', '2026-10-02T09:00:00+02:00', {
      contractId: C,
      period: '2026-09',
      invoiceNumber: 'INV-1',
    });
    // 60 minutes each: 100.00 + 100.00 + 200.00.
    expect(invoiceOf(l.ledger(), '2026-09')).toMatchObject({ status: 'issued', net: '400.00' });
    l.add('HourlyRateSet', '2026-10-05T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-09-15T00:00:00+02:00',
      hourlyRate: '150.00',
    });
    const ledger = l.ledger();
    // w-a started before 09-15 (100.00); w-b between 09-15 and 09-20 (150.00); w-c after 09-20 (200.00).
    expect(['w-a', 'w-b', 'w-c'].map((w) => entryOf(ledger, w).amount)).toEqual([
      '100.00',
      '150.00',
      '200.00',
    ]);
    const october = invoiceOf(ledger, '2026-10');
    expect(october.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['reversal', 'w-b', '-100.00'],
      ['correction', 'w-b', '150.00'],
    ]);
    expect(october.net).toBe('50.00');
    // The issued invoice stays what it was.
    expect(invoiceOf(ledger, '2026-09').net).toBe('400.00');
  });
});
