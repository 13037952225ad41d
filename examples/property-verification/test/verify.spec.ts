/**
 * Runs the property-verification example: every billing law holds on 200 generated logs per law
 * built from our rates, our tenth/sixth-of-an-hour increments and our SLA catalog. Two checks keep
 * that green result honest: our catalog really reaches the Ledger (an update in OUR window but not
 * in the spec's default one is included with ours and flagged with the default), and the laws have
 * teeth (a copy of a log whose rates were tampered with, so its invoice nets differ, is caught).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '@msp-billing/billing';
import type { WireEvent } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import { arbitraryLog, decodeAll, foldEvents, lawInterleavingDoesNotMatter } from '@msp-billing/testing';
import { MY_SLA_CATALOG } from '../src/catalog.js';
import { verifyMyRateCard } from '../src/verify.js';

const MY_RATES = ['89.90', '119.00', '149.50'];
const MY_INCREMENTS = [6, 10];

describe('verifyMyRateCard', () => {
  it('finds that every billing law holds for our rate card and SLA catalog', () => {
    const report = verifyMyRateCard({
      rates: MY_RATES,
      increments: MY_INCREMENTS,
      slaCatalog: MY_SLA_CATALOG,
      numRuns: 200,
    });
    expect(report.laws.map((l) => ({ law: l.law, holds: l.holds, failure: l.failure }))).toEqual([
      { law: 'a', holds: true, failure: undefined },
      { law: 'b', holds: true, failure: undefined },
      { law: 'c', holds: true, failure: undefined },
      { law: 'd', holds: true, failure: undefined },
      { law: 'e, f', holds: true, failure: undefined },
    ]);
    expect(report.laws.map((l) => l.numRuns)).toEqual([200, 200, 200, 200, 200]);
    expect(report.holds).toBe(true);
    // 5 × 200 logs: allow for a loaded CI machine running every suite at once.
  }, 300_000);
});

describe('our SLA catalog reaches the Ledger', () => {
  // An OS update of a Basic contract scheduled for Sunday 2026-10-11 03:00 Berlin, not agreed with
  // the customer. Our Basic window is SUN 02:00–05:00: inside, so the update is included (4.1). The
  // spec's default Basic window is WED 22:00–06:00: outside, so the same work is flagged (4.1).
  const log: WireEvent[] = [
    {
      id: 'e-1',
      type: 'RateCardPublished',
      occurredAt: '2026-09-01T00:00:00Z',
      data: { rateCardId: 'rc', currency: 'EUR', billingIncrementMinutes: 6 },
    },
    {
      id: 'e-2',
      type: 'HourlyRateSet',
      occurredAt: '2026-09-01T00:00:00Z',
      data: { rateCardId: 'rc', effectiveFrom: '2026-09-01T00:00:00Z', hourlyRate: '89.90' },
    },
    {
      id: 'e-3',
      type: 'MSPBooked',
      occurredAt: '2026-10-01T08:00:00+02:00',
      data: { contractId: 'c', customerId: 'cu', vmId: 'vm', sla: 'Basic', rateCardId: 'rc' },
    },
    {
      id: 'e-4',
      type: 'UpdateRequested',
      occurredAt: '2026-10-08T10:00:00+02:00',
      data: {
        ticketId: 't',
        contractId: 'c',
        channel: 'helpdesk',
        requester: 'ops@customer.example',
        software: 'openssl',
        scope: 'os',
        vendorSupported: true,
      },
    },
    {
      id: 'e-5',
      type: 'UpdateScheduled',
      occurredAt: '2026-10-08T10:05:00+02:00',
      data: { ticketId: 't', scheduledFor: '2026-10-11T03:00:00+02:00', agreedWithCustomer: false },
    },
    {
      id: 'e-6',
      type: 'WorkLogged',
      occurredAt: '2026-10-11T04:00:00+02:00',
      data: {
        workId: 'w',
        ticketId: 't',
        technician: 'anna',
        startedAt: '2026-10-11T03:00:00+02:00',
        minutes: 45,
      },
    },
  ];

  it('includes the update with our catalog', () => {
    const [entry] = foldEvents(decodeAll(log), { slaCatalog: MY_SLA_CATALOG }).entries();
    expect(entry).toMatchObject({ workId: 'w', status: 'included', clause: '4.1' });
  });

  it('flags the same update with the default catalog', () => {
    const [entry] = foldEvents(decodeAll(log), { slaCatalog: DEFAULT_SLA_CATALOG }).entries();
    expect(entry).toMatchObject({ workId: 'w', status: 'flagged', clause: '4.1' });
  });
});

/** A copy of the log in which every hourly rate is doubled: every billable amount and net changes. */
const withDoubledRates = (events: readonly WireEvent[]): WireEvent[] =>
  events.map((e) =>
    e.type === 'HourlyRateSet'
      ? { ...e, data: { ...e.data, hourlyRate: new Dec(String(e.data['hourlyRate'])).times(2).toFixed(2) } }
      : e,
  );

describe('the laws have teeth', () => {
  const ledger = { slaCatalog: MY_SLA_CATALOG };
  const options = { rates: MY_RATES, increments: MY_INCREMENTS, timeZones: ['Europe/Berlin'], ledger };

  it('law (d) reports a copy whose invoice nets were tampered with', () => {
    // Law (d) says two logs with the same per-contract facts bill the same. A tampered copy does not
    // have the same facts, so whenever the log bills anything — an entry billable now, or a line on
    // an issued invoice (the entry may have been reclassified since, leaving a reversal in a draft) —
    // the law must report it. The smallest amount is 89.90 × 6 / 60 = 8.99, doubled 17.98: never
    // equal. A log that bills nothing has nothing a rate could change, and must pass.
    let billed = 0;
    fc.assert(
      fc.property(arbitraryLog(options), (events) => {
        const original = foldEvents(decodeAll(events), ledger);
        const billsSomething =
          original.entries().some((e) => e.status === 'billable') ||
          original.issuedInvoices().some((i) => i.lines.length > 0);
        if (billsSomething) billed += 1;
        const violation = lawInterleavingDoesNotMatter(events, withDoubledRates(events), ledger);
        expect(violation === undefined ? 'unnoticed' : violation.law).toBe(
          billsSomething ? 'd' : 'unnoticed',
        );
      }),
      { numRuns: 100 },
    );
    // Not vacuous: about half of the generated logs bill something (many contracts end up with only
    // included, held or flagged work); fewer than 10 in 100 would mean the property tested little.
    expect(billed).toBeGreaterThanOrEqual(10);
  });
});

describe('verifyMyRateCard input', () => {
  it('refuses a rate the wire format cannot carry, instead of generating nothing', () => {
    // Money has at most 4 fraction digits (spec §2); no HourlyRateSet could carry 89.90001.
    expect(() =>
      verifyMyRateCard({ rates: ['89.90001'], increments: MY_INCREMENTS, slaCatalog: MY_SLA_CATALOG }),
    ).toThrow('hourly rate "89.90001"');
  });

  it('refuses an increment outside 1..60 minutes', () => {
    expect(() =>
      verifyMyRateCard({ rates: MY_RATES, increments: [6, 90], slaCatalog: MY_SLA_CATALOG }),
    ).toThrow('billing increment 90');
  });
});
