/**
 * The billing laws as fast-check properties over generated valid logs (packages/testing/src/logs.ts).
 * MSP_LAW_RUNS raises the number of runs (default 300 per law).
 */
import * as fc from 'fast-check';
import type { DomainEvent, EventId, Instant, WireEvent } from '@msp-billing/events';
import { describe, expect, it } from 'vitest';
import {
  arbitraryContractLogs,
  arbitraryLog,
  decodeAll,
  exampleProviderProfile,
  foldEvents,
  interleave,
  invoicingProfilesFor,
  lawDuplicatesChangeNothing,
  lawInterleavingDoesNotMatter,
  lawIssuedInvoicesAreFrozen,
  lawNothingLostNothingBilledTwice,
  lawPricesAreExact,
  lawQueriesDoNotChangeAnswers,
  lawSnapshotIsTheReplay,
  lawWalkingChangesOnlyIsExact,
} from '../src/index.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 300);

describe('generated logs', () => {
  it('are valid and exercise every status and every invoice line kind', () => {
    const statuses = new Set<string>();
    const kinds = new Set<string>();
    fc.assert(
      fc.property(arbitraryLog(), (events) => {
        const ledger = foldEvents(decodeAll(events));
        expect(ledger.invalidEvents()).toEqual([]);
        for (const e of ledger.entries()) statuses.add(e.status);
        for (const c of ledger.contractIds()) {
          for (const p of ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']) {
            const r = ledger.invoice(c, p);
            if (r._tag === 'Right') for (const l of r.right.lines) kinds.add(l.kind);
          }
        }
      }),
      { numRuns },
    );
    expect([...statuses].toSorted()).toEqual(['billable', 'flagged', 'held', 'included']);
    expect([...kinds].toSorted()).toEqual(['correction', 'late-work', 'reversal', 'work']);
  });
});

describe('billing laws', () => {
  it('(a) issued nets plus the next draft equal the current billable amounts', () => {
    fc.assert(
      fc.property(arbitraryLog(), (events) => {
        expect(lawNothingLostNothingBilledTwice(events)).toBeUndefined();
      }),
      { numRuns },
    );
  });

  it('(b) an issued invoice never changes when more events are appended', () => {
    fc.assert(
      fc.property(
        arbitraryLog().chain((events) => fc.tuple(fc.constant(events), fc.nat({ max: events.length }))),
        ([events, cut]) => {
          expect(lawIssuedInvoicesAreFrozen(events, cut)).toBeUndefined();
        },
      ),
      { numRuns },
    );
  });

  it('(c) replaying a log with duplicated events gives the same ledger', () => {
    fc.assert(
      fc.property(
        arbitraryLog(),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 })), { minLength: 1, maxLength: 15 }),
        (events, copies) => {
          expect(lawDuplicatesChangeNothing(events, copies)).toBeUndefined();
        },
      ),
      { numRuns },
    );
  });

  it('(d) the ledger does not depend on how contracts are interleaved', () => {
    fc.assert(
      fc.property(
        arbitraryContractLogs({ minContracts: 2, maxContracts: 3 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (seqs, a, b) => {
          expect(lawInterleavingDoesNotMatter(interleave(seqs, a), interleave(seqs, b))).toBeUndefined();
        },
      ),
      { numRuns },
    );
  });

  it('(e, f) only billable entries are priced, and every price is exact', () => {
    fc.assert(
      fc.property(arbitraryLog(), (events) => {
        expect(lawPricesAreExact(events)).toBeUndefined();
      }),
      { numRuns },
    );
  });
});

describe('caches', () => {
  it('(g) a ledger queried along the way answers like one that folded everything first', () => {
    fc.assert(
      fc.property(
        arbitraryLog(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (events, queryAfter) => {
          expect(lawQueriesDoNotChangeAnswers(events, queryAfter)).toBeUndefined();
        },
      ),
      { numRuns },
    );
  });
});

describe('incremental invoices', () => {
  it('(h) walking only the entries that can change an invoice equals walking them all', () => {
    fc.assert(
      fc.property(
        arbitraryLog(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (events, queryAfter) => {
          expect(lawWalkingChangesOnlyIsExact(events, queryAfter)).toBeUndefined();
        },
      ),
      { numRuns },
    );
  });
});

/**
 * A generated log with noise inserted after its events: identical repeats (duplicates), the same id
 * with other content (invalid), and copies under a new id (late repeats of a fact: invalid when they
 * re-create what exists, valid otherwise). `noise` are [kind, which event, how far after it] triples.
 */
const withNoise = (events: readonly DomainEvent[], noise: readonly (readonly [number, number, number])[]) => {
  const out = [...events];
  noise.forEach(([kind, which, gap], n) => {
    if (events.length === 0) return;
    const e = events[which % events.length] as DomainEvent;
    const copy: DomainEvent =
      kind === 0
        ? structuredClone(e)
        : kind === 1
          ? ({ ...e, occurredAt: (e.occurredAt + 60_000) as Instant } as DomainEvent)
          : ({ ...e, id: `${e.id}-again-${n}` as EventId } as DomainEvent);
    const at = out.indexOf(e) + 1 + gap;
    out.splice(Math.min(at, out.length), 0, copy);
  });
  return out;
};

/**
 * The invoicing profiles of a log (spec §8), and a later provider profile: the first `at.length` of
 * them, each put at position `at[k]` (mod the length), so invoices are issued with and without them.
 */
const withProfiles = (wire: readonly WireEvent[], events: DomainEvent[], at: readonly number[]) => {
  const later: WireEvent = {
    id: 'profile-provider-2',
    type: 'ProviderProfileSet',
    occurredAt: '2026-09-15T00:00:00Z',
    data: { ...exampleProviderProfile(), name: 'Beispiel Hosting AG' },
  };
  const profiles = decodeAll([...invoicingProfilesFor(wire), later]).slice(0, at.length);
  profiles.forEach((p, k) => events.splice((at[k] as number) % (events.length + 1), 0, p));
  return events;
};

/** A noisy log and a cut: at the start, at the end, anywhere, or right after an InvoiceIssued. */
const logAndCut = fc
  .tuple(
    arbitraryLog(),
    fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat(), fc.nat({ max: 30 })), { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 4 }),
  )
  .map(([events, noise, at]) => withProfiles(events, withNoise(decodeAll(events), noise), at))
  .chain((events) => {
    const afterIssue = events.flatMap((e, k) => (e.type === 'InvoiceIssued' ? [k + 1] : []));
    return fc.tuple(
      fc.constant(events),
      fc.oneof(
        fc.constant(0),
        fc.constant(events.length),
        fc.nat({ max: events.length }),
        afterIssue.length === 0 ? fc.nat({ max: events.length }) : fc.constantFrom(...afterIssue),
      ),
      fc.boolean(),
    );
  });

describe('snapshots', () => {
  it('(i) a Ledger restored from a snapshot and given the rest answers like the whole replay', () => {
    fc.assert(
      fc.property(logAndCut, ([events, cut, queryFirst]) => {
        expect(lawSnapshotIsTheReplay(events, cut, queryFirst)).toBeUndefined();
      }),
      { numRuns },
    );
  });
});

describe('laws on hand-written logs', () => {
  it('(f) reads the increment of the rate card the Ledger kept, not of a refused re-publication', () => {
    const events = [
      {
        id: 'e1',
        type: 'RateCardPublished',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { rateCardId: 'rc', currency: 'EUR', billingIncrementMinutes: 15 },
      },
      {
        id: 'e2',
        type: 'HourlyRateSet',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { rateCardId: 'rc', effectiveFrom: '2026-01-01T00:00:00Z', hourlyRate: '100' },
      },
      {
        id: 'e3',
        type: 'MSPBooked',
        occurredAt: '2026-09-01T00:00:00Z',
        data: { contractId: 'c', customerId: 'x', vmId: 'vm', sla: 'Basic', rateCardId: 'rc' },
      },
      {
        id: 'e4',
        type: 'TicketOpened',
        occurredAt: '2026-09-02T00:00:00Z',
        data: {
          ticketId: 't',
          contractId: 'c',
          channel: 'helpdesk',
          requester: 'a@b.example',
          subject: 's',
          service: 'support-request',
        },
      },
      {
        id: 'e5',
        type: 'WorkLogged',
        occurredAt: '2026-09-02T10:00:00Z',
        data: { workId: 'w', ticketId: 't', technician: 'x', startedAt: '2026-09-02T10:00:00Z', minutes: 20 },
      },
      // Invalid: the rate card exists. The Ledger keeps 15-minute increments: 20 → 30 min = 50.00.
      {
        id: 'e6',
        type: 'RateCardPublished',
        occurredAt: '2026-09-03T00:00:00Z',
        data: { rateCardId: 'rc', currency: 'EUR', billingIncrementMinutes: 1 },
      },
    ] as WireEvent[];
    expect(foldEvents(decodeAll(events)).entries()[0]).toMatchObject({ billedMinutes: 30, amount: '50.00' });
    expect(lawPricesAreExact(events)).toBeUndefined();
  });
});
