/**
 * PROPERTY: a ticket's current service against an oracle written from the definition (spec §3, and
 * docs/decisions.md): the opening is the first change, at `openedAt`, then each `TicketReclassified`
 * at its `occurredAt`; the latest in business time counts, ties going to the later recorded. Random
 * logs reclassify before, at and after the opening, with many ties, among events of another ticket
 * and events that change other facts of this one.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { type DomainEvent, type EventData, type EventType } from '@msp-billing/events';
import { SERVICE_KINDS, makeEvent } from '@msp-billing/events/internal';
import { currentService, evolveTicketFacts, type TicketState } from '../src/internal.js';

const OPENED_AT = Date.parse('2026-10-02T00:00:00Z');
const HOUR = 60 * 60 * 1000;

const event = <T extends EventType>(type: T, n: number, occurredAt: number, data: unknown): DomainEvent =>
  makeEvent(type, `e-${n}`, occurredAt, data as EventData<T>) as DomainEvent;

type Step =
  | { readonly kind: 'reclassify'; readonly ticketId: string; readonly at: number; readonly service: string }
  | { readonly kind: 'confirm'; readonly at: number }
  | { readonly kind: 'work'; readonly at: number };

const service = fc.constantFrom(...SERVICE_KINDS);
// A few instants around the opening, so that ties (also with the opening itself) are frequent.
const instant = fc.integer({ min: -3, max: 3 }).map((h) => OPENED_AT + h * HOUR);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reclassify' as const),
      ticketId: fc.constant('t-1'),
      at: instant,
      service,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reclassify' as const),
      ticketId: fc.constant('t-2'),
      at: instant,
      service,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('confirm' as const), at: instant }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('work' as const), at: instant }) },
);

const eventOf = (s: Step, n: number): DomainEvent => {
  switch (s.kind) {
    case 'reclassify':
      return event('TicketReclassified', n, s.at, { ticketId: s.ticketId, service: s.service, reason: 'r' });
    case 'confirm':
      return event('OrderConfirmed', n, s.at, { ticketId: 't-1', confirmedBy: 'boss@example.com' });
    case 'work':
      return event('WorkLogged', n, s.at, {
        workId: `w-${n}`,
        ticketId: 't-1',
        technician: 'tech',
        startedAt: s.at,
        minutes: 15,
      });
  }
};

/** The definition, read literally: every change in business order, ties by recording; the last. */
const oracle = (opened: string, steps: readonly Step[]): string => {
  const changes = [
    { at: OPENED_AT, recorded: 0, service: opened },
    ...steps.flatMap((s, i) =>
      s.kind === 'reclassify' && s.ticketId === 't-1'
        ? [{ at: s.at, recorded: i + 1, service: s.service }]
        : [],
    ),
  ];
  changes.sort((a, b) => (a.at !== b.at ? a.at - b.at : a.recorded - b.recorded));
  return (changes[changes.length - 1] as (typeof changes)[number]).service;
};

describe('currentService', () => {
  it('PROPERTY: the latest change in business time, the opening included, ties to the later recorded', () => {
    fc.assert(
      fc.property(service, fc.array(step, { maxLength: 12, size: 'max' }), (opened, steps) => {
        let t: TicketState = evolveTicketFacts(
          undefined,
          event('TicketOpened', 0, OPENED_AT, {
            ticketId: 't-1',
            contractId: 'c-1',
            channel: 'phone',
            requester: 'dev@example.com',
            subject: 'help',
            service: opened,
          }),
        );
        expect(t === undefined ? undefined : currentService(t)).toBe(opened);
        steps.forEach((s, i) => {
          const before = t;
          t = evolveTicketFacts(t, eventOf(s, i + 1));
          if (before === undefined || t === undefined) throw new Error('not opened');
          expect(currentService(t)).toBe(oracle(opened, steps.slice(0, i + 1)));
          // The Ledger's caches rely on this: `reclassifications` is a new value exactly when reclassified.
          const reclassified = s.kind === 'reclassify' && s.ticketId === 't-1';
          expect(t.reclassifications !== before.reclassifications).toBe(reclassified);
          expect(t.openedService).toBe(opened);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
