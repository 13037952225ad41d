/**
 * Pricing, periods and the invoice difference model (spec §5) on worked examples: rate changes at
 * local midnight, periods across DST and month ends, late entries, corrections and voids of invoiced
 * entries, held orders confirmed or declined after an invoice, skipped periods, VAT on a negative net,
 * frozen issued invoices, and the integrity rules that make an event invalid (spec §2).
 */
import { describe, expect, it } from 'vitest';
import { C, RATE_CARD, base, entryOf, invoiceOf, ticket, work } from './support/log.js';
import { decodeEvent, type DomainEvent } from '@msp-billing/events';
import { foldNdjson, periodOf } from '../src/index.js';

/**
 * A contract whose authorised requester is boss@, with support requests t-1 (from dev@) and t-2 (from
 * intern@), neither authorised: their work is held until boss@ confirms or declines the order.
 */
const unauthorisedRequests = (): ReturnType<typeof base> => {
  const l = base().add('AuthorizedRequesterNamed', '2026-09-01T09:00:00+02:00', {
    contractId: C,
    email: 'boss@customer.example',
  });
  ticket(l, 't-1', 'support-request', undefined, { requester: 'dev@customer.example' });
  return ticket(l, 't-2', 'support-request', undefined, { requester: 'intern@customer.example' });
};

const issue = (l: ReturnType<typeof base>, period: string, at: string, invoiceNumber = `INV-${period}`) =>
  l.add('InvoiceIssued', at, { contractId: C, period, invoiceNumber });

describe('rates and periods', () => {
  it('switches rate at 00:00 local time on the 1st of a month', () => {
    const l = base().add('HourlyRateSet', '2026-09-15T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-10-01T00:00:00+02:00',
      hourlyRate: '110.00',
    });
    ticket(l, 't-1', 'support-request');
    work(l, 'w-sep', 't-1', '2026-09-30T23:59:00+02:00', 15);
    work(l, 'w-oct', 't-1', '2026-10-01T00:00:00+02:00', 15);
    const ledger = l.ledger();
    // 15 × 100.00 / 60 = 25.00 in September; 15 × 110.00 / 60 = 27.50 in October.
    expect(entryOf(ledger, 'w-sep')).toMatchObject({
      period: '2026-09',
      hourlyRate: '100.00',
      amount: '25.00',
    });
    expect(entryOf(ledger, 'w-oct')).toMatchObject({
      period: '2026-10',
      hourlyRate: '110.00',
      amount: '27.50',
    });
  });

  it('applies the rate at the start of the work to the whole entry', () => {
    const l = base().add('HourlyRateSet', '2026-09-15T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-10-01T00:00:00+02:00',
      hourlyRate: '110.00',
    });
    ticket(l, 't-1', 'support-request');
    // Starts 23:30 on 30 September, runs 120 minutes into October: all at 100.00 → 200.00.
    work(l, 'w-1', 't-1', '2026-09-30T23:30:00+02:00', 120);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      period: '2026-09',
      hourlyRate: '100.00',
      amount: '200.00',
    });
  });

  it('puts work starting 2026-10-31T23:30Z into November for a Berlin contract', () => {
    // 23:30Z on 31 October is 00:30 CET (+01:00) on 1 November.
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-10-31T23:30:00Z', 30);
    expect(entryOf(l.ledger(), 'w-1').period).toBe('2026-11');
    expect(periodOf(Date.parse('2026-10-31T22:59:59Z'), 'Europe/Berlin')).toBe('2026-10');
    expect(periodOf(Date.parse('2026-10-31T23:00:00Z'), 'Europe/Berlin')).toBe('2026-11');
  });

  it('handles the 25-hour 2026-10-25 in Berlin and a contract in another zone', () => {
    // 02:30 happens twice on 2026-10-25: 00:30Z (CEST) and 01:30Z (CET); both are October.
    expect(periodOf(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('2026-10');
    expect(periodOf(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe('2026-10');
    // New York: 2026-11-01T03:30Z is 23:30 EDT on 31 October; 04:30Z is 00:30 EDT on 1 November.
    expect(periodOf(Date.parse('2026-11-01T03:30:00Z'), 'America/New_York')).toBe('2026-10');
    expect(periodOf(Date.parse('2026-11-01T04:30:00Z'), 'America/New_York')).toBe('2026-11');
    // Kolkata (+05:30): the month starts at 18:30Z on the last day of the previous month.
    expect(periodOf(Date.parse('2026-09-30T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-09');
    expect(periodOf(Date.parse('2026-09-30T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-10');
  });

  it('includes a Premium update scheduled in the 5-hour 00:00–04:00 window of the 25-hour day', () => {
    const l = base({ sla: 'Premium' }).add('UpdateRequested', '2026-10-20T10:00:00+02:00', {
      ticketId: 't-u',
      contractId: C,
      channel: 'email',
      requester: 'boss@customer.example',
      software: 'nginx',
      scope: 'preinstalled',
      vendorSupported: true,
    });
    // 03:30+01:00 (02:30Z) is local 03:30 after the clocks went back: inside 00:00–04:00.
    l.add('UpdateScheduled', '2026-10-20T10:05:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-10-25T03:30:00+01:00',
      agreedWithCustomer: false,
    });
    work(l, 'w-1', 't-u', '2026-10-25T03:30:00+01:00', 20);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      status: 'included',
      clause: '4.1',
      period: '2026-10',
    });
  });

  it('re-prices entries already priced when a rate is set later, from the minute it is effective on', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-before', 't-1', '2026-09-10T09:59:00+02:00', 60);
    work(l, 'w-at', 't-1', '2026-09-10T10:00:00+02:00', 60);
    work(l, 'w-after', 't-1', '2026-09-11T10:00:00+02:00', 60);
    const ledger = l.ledger();
    // Priced (and remembered) at 100.00/h first.
    expect(['w-before', 'w-at', 'w-after'].map((w) => entryOf(ledger, w).amount)).toEqual([
      '100.00',
      '100.00',
      '100.00',
    ]);
    // Then a rate recorded late, effective from the very minute w-at started.
    const late = decodeEvent({
      id: 'e-late-rate',
      type: 'HourlyRateSet',
      occurredAt: '2026-09-20T00:00:00Z',
      data: { rateCardId: RATE_CARD, effectiveFrom: '2026-09-10T10:00:00+02:00', hourlyRate: '120.00' },
    });
    if (late._tag === 'Left') throw new Error(late.left.message);
    ledger.apply(late.right);
    // 60 minutes at 120.00/h from 10:00 on; the minute before keeps 100.00/h.
    expect(['w-before', 'w-at', 'w-after'].map((w) => entryOf(ledger, w).hourlyRate)).toEqual([
      '100.00',
      '120.00',
      '120.00',
    ]);
    expect(invoiceOf(ledger, '2026-09').net).toBe('340.00');
  });

  it('rounds half-up to cents per entry', () => {
    const l = base({ increment: 1 }).add('HourlyRateSet', '2026-09-01T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-09-05T00:00:00+02:00',
      hourlyRate: '97.1234',
    });
    ticket(l, 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 7);
    // 97.1234 × 7 / 60 = 11.33106333… → 11.33; 1-minute increments keep 7 billed minutes.
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      billedMinutes: 7,
      hourlyRate: '97.1234',
      amount: '11.33',
    });
  });
});

describe('facts recorded late', () => {
  it('re-classify the entries of tickets opened from the instant an authorised requester is named on', () => {
    const l = base();
    ticket(l, 't-before', 'support-request', '2026-09-10T08:59:00+02:00', {
      requester: 'dev@customer.example',
    });
    ticket(l, 't-at', 'support-request', '2026-09-10T09:00:00+02:00', { requester: 'dev@customer.example' });
    work(l, 'w-before', 't-before', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-at', 't-at', '2026-09-10T10:00:00+02:00', 30);
    const ledger = l.ledger();
    // No authorised requester named yet: every request is an implicit order (3), billable.
    expect(['w-before', 'w-at'].map((w) => entryOf(ledger, w).status)).toEqual(['billable', 'billable']);
    // boss@ named afterwards, effective from the very minute t-at was opened: dev@ is not authorised
    // for t-at, so its work is held; t-before was opened while none was named.
    const named = decodeEvent({
      id: 'e-late-requester',
      type: 'AuthorizedRequesterNamed',
      occurredAt: '2026-09-10T09:00:00+02:00',
      data: { contractId: C, email: 'boss@customer.example' },
    });
    if (named._tag === 'Left') throw new Error(named.left.message);
    ledger.apply(named.right);
    expect(['w-before', 'w-at'].map((w) => entryOf(ledger, w).status)).toEqual(['billable', 'held']);
  });
});

describe('the invoice difference model', () => {
  /** September: w-1 support 30 min → 50.00 and w-2 malware 60 min → 100.00; invoice issued 2026-10-01. */
  const september = () => {
    const l = ticket(base(), 't-1', 'support-request');
    ticket(l, 't-2', 'malware-cleanup');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-2', 't-2', '2026-09-11T10:00:00+02:00', 60);
    return issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
  };

  it('issues September with work lines and VAT', () => {
    const inv = invoiceOf(september().ledger(), '2026-09');
    // net 50.00 + 100.00 = 150.00; VAT 19 % = 28.50; gross 178.50
    expect(inv).toMatchObject({
      status: 'issued',
      invoiceNumber: 'INV-2026-09',
      currency: 'EUR',
      net: '150.00',
      vat: '28.50',
      gross: '178.50',
    });
    expect(inv.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['work', 'w-1', '50.00'],
      ['work', 'w-2', '100.00'],
    ]);
  });

  it('bills a late entry for an invoiced period as late-work on the next invoice', () => {
    const l = september();
    work(l, 'w-late', 't-1', '2026-09-29T16:00:00+02:00', 45);
    work(l, 'w-oct', 't-1', '2026-10-05T10:00:00+02:00', 15);
    const ledger = l.ledger();
    expect(invoiceOf(ledger, '2026-09').net).toBe('150.00');
    const oct = invoiceOf(ledger, '2026-10');
    // late 45 min → 75.00; October 15 min → 25.00; net 100.00, VAT 19.00, gross 119.00
    expect(oct.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['late-work', 'w-late', '75.00'],
      ['work', 'w-oct', '25.00'],
    ]);
    expect([oct.status, oct.net, oct.vat, oct.gross]).toEqual(['draft', '100.00', '19.00', '119.00']);
  });

  it('reverses and corrects an invoiced entry that was corrected, and reverses a voided one', () => {
    const l = september()
      .add('WorkLogCorrected', '2026-10-02T09:00:00+02:00', { workId: 'w-2', minutes: 40, reason: 'typo' })
      .add('WorkLogVoided', '2026-10-02T09:10:00+02:00', { workId: 'w-1', reason: 'duplicate entry' });
    const oct = invoiceOf(l.ledger(), '2026-10');
    // w-1: −50.00; w-2: −100.00 then 45 billed × 100 / 60 = 75.00; net −75.00, VAT −14.25, gross −89.25
    expect(oct.lines.map((x) => [x.kind, x.workId, x.minutes, x.amount])).toEqual([
      ['reversal', 'w-1', 30, '-50.00'],
      ['reversal', 'w-2', 60, '-100.00'],
      ['correction', 'w-2', 40, '75.00'],
    ]);
    expect([oct.net, oct.vat, oct.gross]).toEqual(['-75.00', '-14.25', '-89.25']);
  });

  it('reverses and corrects an invoiced entry whose corrected minutes bill the same amount', () => {
    // w-1: 30 min billed as 30 (15-minute increments) = 50.00; corrected to 29 min: still billed as 30.
    const l = september().add('WorkLogCorrected', '2026-10-02T09:00:00+02:00', {
      workId: 'w-1',
      minutes: 29,
      reason: 'clock was off',
    });
    const oct = invoiceOf(l.ledger(), '2026-10');
    // Spec §5: the minutes changed, so the old line is reversed and the new one billed; net 0.00.
    expect(oct.lines.map((x) => [x.kind, x.workId, x.minutes, x.billedMinutes, x.amount])).toEqual([
      ['reversal', 'w-1', 30, 30, '-50.00'],
      ['correction', 'w-1', 29, 30, '50.00'],
    ]);
    expect(oct.net).toBe('0.00');
  });

  it('reverses invoiced work that a cancellation recorded later, dated before it, leaves without an MSP', () => {
    // September is issued (its results computed and kept); then a cancellation dated 2026-09-05 is
    // recorded: from then on c-1 has no MSP, so both entries (10 and 11 September) are flagged (rule 1).
    const l = september().add('MSPCancelled', '2026-09-05T00:00:00+02:00', {
      contractId: C,
      vmDecommissioned: true,
    });
    const ledger = l.ledger();
    expect([entryOf(ledger, 'w-1').status, entryOf(ledger, 'w-1').clause]).toEqual(['flagged', '1']);
    const oct = invoiceOf(ledger, '2026-10');
    expect(oct.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['reversal', 'w-1', '-50.00'],
      ['reversal', 'w-2', '-100.00'],
    ]);
    expect(oct.net).toBe('-150.00');
  });

  it('moves invoiced work that a correction dated into a later month: reversed now, billed in its month', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
    // The work was really done on 10 November: the September invoice billed it too early.
    l.add('WorkLogCorrected', '2026-10-05T09:00:00+02:00', {
      workId: 'w-1',
      startedAt: '2026-11-10T10:00:00+01:00',
      reason: 'wrong date',
    });
    issue(l, '2026-10', '2026-11-01T06:00:00+01:00');
    const ledger = l.ledger();
    // 30 min × 100.00 / 60 = 50.00: reversed in October (its new period is after it) …
    expect(invoiceOf(ledger, '2026-10').lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['reversal', 'w-1', '-50.00'],
    ]);
    // … and billed again as November's work, on November's draft and in its summary walk.
    const nov = invoiceOf(ledger, '2026-11');
    expect(nov.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([['work', 'w-1', '50.00']]);
    expect(nov.net).toBe('50.00');
  });

  it('computes 19 % VAT on a negative net, rounding ties away from zero', () => {
    const l = ticket(base({ increment: 1 }), 't-1', 'support-request');
    // 25 min × 100.00 / 60 = 41.666… → 41.67
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 25);
    issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
    l.add('WorkLogVoided', '2026-10-03T09:00:00+02:00', { workId: 'w-1', reason: 'wrong customer' });
    const oct = invoiceOf(l.ledger(), '2026-10');
    // net −41.67; VAT −41.67 × 0.19 = −7.9173 → −7.92; gross −49.59
    expect([oct.net, oct.vat, oct.gross]).toEqual(['-41.67', '-7.92', '-49.59']);
  });

  it('bills a held order confirmed after its period was invoiced as late-work; a declined one never', () => {
    const l = unauthorisedRequests();
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-2', 't-2', '2026-09-10T11:00:00+02:00', 30);
    issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
    l.add('OrderConfirmed', '2026-10-02T09:00:00+02:00', {
      ticketId: 't-1',
      confirmedBy: 'boss@customer.example',
    });
    l.add('OrderDeclined', '2026-10-02T09:05:00+02:00', {
      ticketId: 't-2',
      declinedBy: 'boss@customer.example',
    });
    const ledger = l.ledger();
    const sep = invoiceOf(ledger, '2026-09');
    expect(sep.lines).toEqual([]);
    expect(sep.held.map((h) => h.workId)).toEqual(['w-1', 'w-2']);
    const oct = invoiceOf(ledger, '2026-10');
    expect(oct.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([['late-work', 'w-1', '50.00']]);
    expect(entryOf(ledger, 'w-2')).toMatchObject({ status: 'flagged', clause: '3' });
  });

  it('reverses an invoiced entry whose ticket was reclassified into an included service', () => {
    const l = september().add('TicketReclassified', '2026-10-03T09:00:00+02:00', {
      ticketId: 't-2',
      service: 'incident',
      reason: 'our storage failed',
    });
    const oct = invoiceOf(l.ledger(), '2026-10');
    expect(oct.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([['reversal', 'w-2', '-100.00']]);
    expect(oct.included).toEqual({ entries: 0, minutes: 0 });
  });

  it('marks a period passed over as skipped and bills its entries on the next issued invoice', () => {
    const l = september();
    work(l, 'w-oct', 't-1', '2026-10-05T10:00:00+02:00', 30);
    work(l, 'w-nov', 't-1', '2026-11-05T10:00:00+01:00', 15);
    issue(l, '2026-11', '2026-12-01T06:00:00+01:00');
    const ledger = l.ledger();
    const oct = invoiceOf(ledger, '2026-10');
    expect([oct.status, oct.invoiceNumber, oct.lines.length, oct.net, oct.vat, oct.gross]).toEqual([
      'skipped',
      null,
      0,
      '0.00',
      '0.00',
      '0.00',
    ]);
    const nov = invoiceOf(ledger, '2026-11');
    expect(nov.lines.map((x) => [x.kind, x.workId, x.amount])).toEqual([
      ['late-work', 'w-oct', '50.00'],
      ['work', 'w-nov', '25.00'],
    ]);
  });

  it('never changes an issued invoice when more events are appended', () => {
    const l = september();
    const before = JSON.stringify(invoiceOf(l.ledger(), '2026-09'));
    l.add('WorkLogVoided', '2026-10-02T09:00:00+02:00', { workId: 'w-1', reason: 'x' })
      .add('HourlyRateSet', '2026-10-02T10:00:00Z', {
        rateCardId: RATE_CARD,
        effectiveFrom: '2026-01-01T00:00:00Z',
        hourlyRate: '1.00',
      })
      .add('BackupNasShareAttached', '2026-09-01T09:00:00+02:00', { contractId: C, shareId: 'n' });
    work(l, 'w-3', 't-1', '2026-09-12T10:00:00+02:00', 30);
    expect(JSON.stringify(invoiceOf(l.ledger(), '2026-09'))).toBe(before);
  });

  it('summarises included, held and flagged entries of the period', () => {
    const l = ticket(base(), 't-1', 'incident');
    ticket(l, 't-2', 'source-build');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 40);
    work(l, 'w-2', 't-1', '2026-09-11T10:00:00+02:00', 20);
    work(l, 'w-3', 't-2', '2026-09-12T10:00:00+02:00', 20);
    work(l, 'w-4', 't-1', '2026-10-01T10:00:00+02:00', 20);
    const sep = invoiceOf(l.ledger(), '2026-09');
    expect(sep.included).toEqual({ entries: 2, minutes: 60 });
    expect(sep.flagged).toEqual([
      { workId: 'w-3', ticketId: 't-2', clause: '5.2', reason: expect.any(String) },
    ]);
    expect(sep.held).toEqual([]);
  });

  it('lists held and flagged entries on an issued invoice as its draft did, each in its own list, for good', () => {
    const l = unauthorisedRequests();
    ticket(l, 't-3', 'source-build');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-3', 't-3', '2026-09-11T10:00:00+02:00', 20);
    work(l, 'w-2', 't-2', '2026-09-12T11:00:00+02:00', 30);
    const draft = invoiceOf(l.ledger(), '2026-09');
    issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
    // After the invoice: w-1's order is confirmed, so its result changes; the issued invoice does not.
    l.add('OrderConfirmed', '2026-10-02T09:00:00+02:00', {
      ticketId: 't-1',
      confirmedBy: 'boss@customer.example',
    });
    const ledger = l.ledger();
    const sep = invoiceOf(ledger, '2026-09');
    expect(draft.held.map((h) => [h.workId, h.ticketId])).toEqual([
      ['w-1', 't-1'],
      ['w-2', 't-2'],
    ]);
    expect(draft.flagged.map((f) => [f.workId, f.ticketId, f.clause])).toEqual([['w-3', 't-3', '5.2']]);
    expect([sep.status, sep.held, sep.flagged, sep.included]).toEqual([
      'issued',
      draft.held,
      draft.flagged,
      draft.included,
    ]);
    expect(entryOf(ledger, 'w-1').status).toBe('billable');
  });

  it('hands out copies of an issued invoice: changing one changes nothing kept', () => {
    const l = ticket(base(), 't-1', 'incident');
    ticket(l, 't-2', 'source-build');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 40);
    work(l, 'w-2', 't-2', '2026-09-12T10:00:00+02:00', 20);
    issue(l, '2026-09', '2026-10-01T06:00:00+02:00');
    const ledger = l.ledger();
    const first = invoiceOf(ledger, '2026-09');
    const before = JSON.stringify(first);
    // A careless caller: the types say readonly, JavaScript does not enforce it.
    const loose = first as unknown as {
      included: { entries: number };
      held: unknown[];
      flagged: unknown[];
    };
    loose.included.entries = 99;
    loose.held.push({ workId: 'x' });
    loose.flagged.length = 0;
    expect(JSON.stringify(invoiceOf(ledger, '2026-09'))).toBe(before);
  });
});

describe('invalid events (spec §2)', () => {
  const reasons = (l: ReturnType<typeof base>) =>
    l
      .ledger()
      .invalidEvents()
      .map((e) => e.reason);

  it('refuses, from a program that builds its own events, minutes and services the wire format does not have', () => {
    // Decoding refuses these; Ledger.apply takes DomainEvent values, which a program can build
    // without decoding. The Ledger keeps minutes in 16 bits and a service as a number.
    const ledger = ticket(base(), 't-1', 'incident').ledger();
    const logged = {
      id: 'e-w1',
      type: 'WorkLogged',
      occurredAt: Date.UTC(2026, 8, 10, 8),
      data: {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'tech-1',
        startedAt: Date.UTC(2026, 8, 10, 8),
        minutes: 70_000,
      },
    } as unknown as DomainEvent;
    const withService = (service: string, id: string) =>
      ({
        ...logged,
        id,
        data: { ...(logged.data as object), minutes: 30, service },
      }) as unknown as DomainEvent;
    expect(ledger.apply(logged)).toEqual({
      _tag: 'Invalid',
      code: 'EntryValueOutOfRange',
      reason: 'data.minutes: expected an integer 1..1440 (got 70000)',
    });
    expect(ledger.apply(withService('nope', 'e-w2'))).toMatchObject({
      _tag: 'Invalid',
      reason: expect.stringMatching(/^data\.service: expected one of os-setup, .* \(got "nope"\)$/),
    });
    expect(ledger.apply(withService('incident', 'e-w3'))).toEqual({ _tag: 'Applied' });
    const corrected = {
      id: 'e-c1',
      type: 'WorkLogCorrected',
      occurredAt: Date.UTC(2026, 8, 11, 8),
      data: { workId: 'w-1', minutes: 0, reason: 'typo' },
    } as unknown as DomainEvent;
    expect(ledger.apply(corrected)).toEqual({
      _tag: 'Invalid',
      code: 'EntryValueOutOfRange',
      reason: 'data.minutes: expected an integer 1..1440 (got 0)',
    });
    expect(ledger.entries().map((e) => [e.workId, e.minutes, e.service])).toEqual([['w-1', 30, 'incident']]);
  });

  it('refuses references to things no earlier event created', () => {
    const l = base();
    work(l, 'w-1', 't-missing', '2026-09-10T10:00:00+02:00', 30);
    l.add('AlertAcknowledged', '2026-09-10T10:00:00+02:00', { alertId: 'al-x', by: 'a@b.c' });
    l.add('SlaChanged', '2026-09-10T10:00:00+02:00', { contractId: 'c-missing', sla: 'Basic' });
    l.add('WorkLogVoided', '2026-09-10T10:00:00+02:00', { workId: 'w-missing', reason: 'x' });
    expect(reasons(l)).toEqual([
      expect.stringContaining('ticket "t-missing" does not exist'),
      expect.stringContaining('alert "al-x" does not exist'),
      expect.stringContaining('contract "c-missing" does not exist'),
      expect.stringContaining('work entry "w-missing" does not exist'),
    ]);
    // Each is a tagged value of spec §2; its reason is derived from the tag and its fields.
    expect(
      l
        .ledger()
        .invalidEvents()
        .map((e) => [e.code, e.clause, e.refusal]),
    ).toEqual([
      ['UnknownTicket', '2', { _tag: 'UnknownTicket', ticketId: 't-missing' }],
      ['UnknownAlert', '2', { _tag: 'UnknownAlert', alertId: 'al-x' }],
      ['UnknownContract', '2', { _tag: 'UnknownContract', contractId: 'c-missing' }],
      ['UnknownWorkEntry', '2', { _tag: 'UnknownWorkEntry', workId: 'w-missing' }],
    ]);
  });

  it('refuses re-creations: second booking, a VM with an active MSP, duplicate workId and ticket', () => {
    const l = ticket(base(), 't-1', 'incident');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-1', 't-1', '2026-09-11T10:00:00+02:00', 30);
    ticket(l, 't-1', 'incident');
    l.add('MSPBooked', '2026-09-05T08:00:00+02:00', {
      contractId: C,
      customerId: 'x',
      vmId: 'vm-9',
      sla: 'Basic',
      rateCardId: RATE_CARD,
    });
    l.add('MSPBooked', '2026-09-05T08:00:00+02:00', {
      contractId: 'c-2',
      customerId: 'x',
      vmId: 'vm-1',
      sla: 'Basic',
      rateCardId: RATE_CARD,
    });
    expect(reasons(l)).toEqual([
      expect.stringContaining('work entry "w-1" already exists'),
      expect.stringContaining('ticket "t-1" already exists'),
      expect.stringContaining('contract "c-1" is already booked'),
      expect.stringContaining('VM "vm-1" already has an active MSP'),
    ]);
    expect(
      l
        .ledger()
        .invalidEvents()
        .map((e) => e.code),
    ).toEqual(['WorkIdAlreadyUsed', 'TicketIdAlreadyUsed', 'ContractAlreadyBooked', 'MspAlreadyBookedForVm']);
  });

  it('refuses work with a used work id on an unknown ticket for the ticket, as the LogWork decider does', () => {
    const l = ticket(base(), 't-1', 'incident');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    work(l, 'w-1', 't-9', '2026-09-11T10:00:00+02:00', 30);
    expect(
      l
        .ledger()
        .invalidEvents()
        .map((e) => e.code),
    ).toEqual(['UnknownTicket']);
  });

  it('allows booking a VM again after its MSP was cancelled', () => {
    const l = base()
      .add('MSPCancelled', '2026-09-30T12:00:00+02:00', { contractId: C, vmDecommissioned: false })
      .add('MSPBooked', '2026-10-01T08:00:00+02:00', {
        contractId: 'c-2',
        customerId: 'x',
        vmId: 'vm-1',
        sla: 'Basic',
        rateCardId: RATE_CARD,
      });
    expect(reasons(l)).toEqual([]);
  });

  it('refuses correcting a voided entry, an invoice period not after the last, and unauthorised confirmations', () => {
    const l = base().add('AuthorizedRequesterNamed', '2026-09-01T09:00:00+02:00', {
      contractId: C,
      email: 'boss@customer.example',
    });
    ticket(l, 't-1', 'support-request', undefined, { requester: 'dev@customer.example' });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    l.add('WorkLogVoided', '2026-09-11T10:00:00+02:00', { workId: 'w-1', reason: 'x' });
    l.add('WorkLogCorrected', '2026-09-12T10:00:00+02:00', { workId: 'w-1', minutes: 10, reason: 'x' });
    l.add('OrderConfirmed', '2026-09-12T10:00:00+02:00', {
      ticketId: 't-1',
      confirmedBy: 'dev@customer.example',
    });
    issue(l, '2026-10', '2026-11-01T06:00:00+01:00');
    issue(l, '2026-09', '2026-11-01T07:00:00+01:00');
    issue(l, '2026-10', '2026-11-01T08:00:00+01:00', 'INV-again');
    expect(reasons(l)).toEqual([
      expect.stringContaining('already voided'),
      expect.stringContaining('dev@customer.example is not an authorised requester'),
      expect.stringContaining('period 2026-09 is not after the last issued period 2026-10'),
      expect.stringContaining('period 2026-10 is not after the last issued period 2026-10'),
    ]);
  });

  // September ends at 2026-10-01T00:00 in Berlin (CEST, +02:00), which is 2026-09-30T22:00Z.
  it('refuses an invoice whose period is not over at its occurredAt, and keeps the period issuable', () => {
    const l = base();
    issue(l, '2026-09', '2026-09-30T23:59:59+02:00', 'RE-early');
    issue(l, '2027-05', '2026-11-02T09:00:00+01:00', 'RE-future');
    issue(l, '2026-09', '2026-10-01T00:00:00+02:00', 'RE-on-time');
    expect(
      l
        .ledger()
        .invalidEvents()
        .map((e) => [e.position, e.reason]),
    ).toEqual([
      [
        l.events.length - 3,
        expect.stringContaining('period 2026-09 is not over at 2026-09-30T21:59:59.000Z'),
      ],
      [
        l.events.length - 2,
        expect.stringContaining('period 2027-05 is not over at 2026-11-02T08:00:00.000Z'),
      ],
    ]);
    expect(invoiceOf(l.ledger(), '2026-09')).toMatchObject({ status: 'issued', invoiceNumber: 'RE-on-time' });
  });

  it('refuses an invoice number that an earlier valid invoice of any contract used', () => {
    const l = base().add('MSPBooked', '2026-09-01T08:00:00+02:00', {
      contractId: 'c-3',
      customerId: 'cu-3',
      vmId: 'vm-3',
      sla: 'Basic',
      rateCardId: RATE_CARD,
    });
    // An invalid invoice (its period is not over) does not take the number.
    issue(l, '2026-10', '2026-10-15T09:00:00+02:00', 'RE-2026-1001');
    issue(l, '2026-09', '2026-10-02T09:00:00+02:00', 'RE-2026-1001');
    l.add('InvoiceIssued', '2026-10-02T10:00:00+02:00', {
      contractId: 'c-3',
      period: '2026-09',
      invoiceNumber: 'RE-2026-1001',
    });
    issue(l, '2026-10', '2026-11-02T09:00:00+01:00', 'RE-2026-1001');
    expect(reasons(l)).toEqual([
      expect.stringContaining('period 2026-10 is not over'),
      'contract c-3: invoice number RE-2026-1001 is already used by the invoice of contract c-1 for 2026-09; an invoice number is used once (§ 14 UStG)',
      'contract c-1: invoice number RE-2026-1001 is already used by the invoice of contract c-1 for 2026-09; an invoice number is used once (§ 14 UStG)',
    ]);
    // The refusal is the invoicing rule's own (contracts' invoiceIssueRefusal), carried as it is.
    expect(
      l
        .ledger()
        .invalidEvents()
        .map((e) => e.refusal),
    ).toEqual([
      expect.objectContaining({ _tag: 'InvoicePeriodNotOver', contractId: C, period: '2026-10' }),
      {
        _tag: 'InvoiceNumberAlreadyUsed',
        contractId: 'c-3',
        period: '2026-09',
        invoiceNumber: 'RE-2026-1001',
        usedByContractId: C,
        usedForPeriod: '2026-09',
      },
      {
        _tag: 'InvoiceNumberAlreadyUsed',
        contractId: C,
        period: '2026-10',
        invoiceNumber: 'RE-2026-1001',
        usedByContractId: C,
        usedForPeriod: '2026-09',
      },
    ]);
    expect(invoiceOf(l.ledger(), '2026-10')).toMatchObject({ status: 'draft', invoiceNumber: null });
  });

  it('ignores an identical repeat and refuses the same id with other content, changing no state', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const repeat = { ...l.events[l.events.length - 1]! };
    l.events.push(repeat);
    // Same instant written with another offset is the same fact.
    l.events.push({ ...repeat, occurredAt: '2026-09-10T08:00:00Z' });
    l.events.push({ ...repeat, data: { ...repeat.data, minutes: 90 } });
    const ledger = l.ledger();
    expect(ledger.invalidEvents().map((e) => e.reason)).toEqual([
      expect.stringContaining('already used for a different event'),
    ]);
    expect(ledger.invalidEvents().map((e) => e.refusal)).toEqual([
      { _tag: 'IdReusedWithOtherContent', eventId: repeat.id },
    ]);
    expect(entryOf(ledger, 'w-1')).toMatchObject({ minutes: 30, amount: '50.00' });
  });

  it('keeps the lines the NDJSON reader refuses as invalid events with the reader’s code and message', async () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const logged = l.events[l.events.length - 1]!;
    const lines = [...l.events, { ...logged, data: { ...logged.data, minutes: 90 } }].map((e) =>
      JSON.stringify(e),
    );
    lines.push('{"id": ');
    const n = l.events.length;
    async function* log(): AsyncGenerator<string> {
      yield `${lines.join('\n')}\n`;
    }
    const { ledger } = await foldNdjson(log());
    expect(
      ledger
        .invalidEvents()
        .map((e) => [
          e.line,
          e.code,
          e.clause,
          e.refusal._tag === 'UndecodableEvent' && e.refusal.readerCode,
        ]),
    ).toEqual([
      [n + 1, 'UndecodableEvent', '2', 'EventIdReused'],
      [n + 2, 'UndecodableEvent', '2', 'InvalidJson'],
    ]);
    expect(ledger.invalidEvents().map((e) => e.reason)).toEqual([
      `event id ${JSON.stringify(logged.id)} was already used on line ${n} for a different event`,
      expect.stringMatching(/^invalid JSON: /),
    ]);
    expect(entryOf(ledger, 'w-1')).toMatchObject({ minutes: 30 });
  });
});

describe('ids and warnings', () => {
  it('claims the id of an invalid event too: a retry with the same id is invalid, an identical repeat ignored', () => {
    const l = base();
    // Invalid: ticket t-1 does not exist yet.
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const refused = l.events[l.events.length - 1]!;
    ticket(l, 't-1', 'support-request');
    l.events.push({ ...refused });
    l.events.push({ ...refused, data: { ...refused.data, minutes: 45 } });
    const ledger = l.ledger();
    expect(ledger.invalidEvents().map((e) => [e.eventId, e.reason])).toEqual([
      [refused.id, expect.stringContaining('ticket "t-1" does not exist')],
      [refused.id, expect.stringContaining('already used for a different event')],
    ]);
    expect(ledger.entries()).toEqual([]);
  });

  it('warns about what a command would refuse, and not about schedules without effect', () => {
    const l = ticket(base({ sla: 'Professional' }), 't-1', 'incident')
      .add('UpdateScheduled', '2026-09-11T10:00:00+02:00', {
        ticketId: 't-1',
        scheduledFor: '2026-09-15T14:00:00+02:00',
        agreedWithCustomer: false,
      })
      .add('VmRestartedByHa', '2026-09-12T10:00:00+02:00', { contractId: C, vmId: 'vm-other' })
      .add('MSPCancelled', '2026-09-30T10:00:00+02:00', { contractId: C, vmDecommissioned: false });
    expect(
      l
        .ledger()
        .warnings()
        .map((w) => [w.type, w.clause]),
    ).toEqual([
      ['VmRestartedByHa', '1'],
      ['MSPCancelled', '1'],
    ]);
  });

  it('warns about a 4th HA restart in a row, counted in business time', () => {
    const l = base();
    for (const hour of ['10', '11', '12'])
      l.add('VmRestartedByHa', `2026-09-12T${hour}:00:00+02:00`, { contractId: C, vmId: 'vm-1' });
    l.add('VmHeartbeatRestored', '2026-09-12T12:30:00+02:00', { contractId: C, vmId: 'vm-1' });
    l.add('VmRestartedByHa', '2026-09-12T13:00:00+02:00', { contractId: C, vmId: 'vm-1' });
    expect(l.ledger().warnings()).toEqual([]);
    // Recorded last, but it happened at 12:15, before the heartbeat came back: the 4th in a row.
    l.add('VmRestartedByHa', '2026-09-12T12:15:00+02:00', { contractId: C, vmId: 'vm-1' });
    expect(
      l
        .ledger()
        .warnings()
        .map((w) => [w.type, w.clause]),
    ).toEqual([['VmRestartedByHa', '4.2']]);
  });
});

describe('a long rate history', () => {
  it('prices by the right one of 30 000 rates recorded in reverse order', () => {
    const l = base();
    // Rates effective every hour from 2026-09-01T00:00Z, recorded newest first; rate k is 100 + k/100.
    for (let k = 29_999; k >= 0; k--) {
      l.add('HourlyRateSet', '2026-08-01T00:00:00Z', {
        rateCardId: RATE_CARD,
        effectiveFrom: new Date(Date.UTC(2026, 8, 1) + k * 3_600_000).toISOString(),
        hourlyRate: (100 + k / 100).toFixed(2),
      });
    }
    ticket(l, 't-1', 'support-request');
    // 2026-09-10T10:30Z is 226.5 h after 2026-09-01T00:00Z: rate k = 226 → 102.26; 60 min → 102.26.
    work(l, 'w-1', 't-1', '2026-09-10T10:30:00Z', 60);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ hourlyRate: '102.26', amount: '102.26' });
  });
});
