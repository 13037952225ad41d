/**
 * The Ledger keeps its work entries itself rather than in each ticket's facts (billing state.ts), so
 * that an entry logged on a ticket does not copy the ticket. This pins that it still folds the same
 * values as the ticket decider's `evolveTicketFacts`: the same entries, with the same corrections and
 * voids, on generated valid logs with corrections and voids.
 */
import * as fc from 'fast-check';
import { type TicketFacts, type TicketState } from '@msp-billing/contracts';
import { evolveTicketFacts, keyedEntries } from '@msp-billing/contracts/internal';
import { formatInstant, type Instant } from '@msp-billing/events';
import { describe, expect, it } from 'vitest';
import { arbitraryLog, decodeAll, foldEvents } from '../src/index.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 300);

/** Every ticket's facts, folded by the ticket decider's evolve from the whole log. */
const ticketFactsOf = (events: ReturnType<typeof decodeAll>): Map<string, TicketFacts> => {
  const tickets = new Map<string, TicketState>();
  const ticketOfWork = new Map<string, string>();
  for (const e of events) {
    let ticketId: string | undefined;
    if (e.type === 'WorkLogCorrected' || e.type === 'WorkLogVoided')
      ticketId = ticketOfWork.get(e.data.workId);
    else if ('ticketId' in e.data) ticketId = e.data.ticketId;
    if (e.type === 'WorkLogged') ticketOfWork.set(e.data.workId, e.data.ticketId);
    if (ticketId !== undefined) tickets.set(ticketId, evolveTicketFacts(tickets.get(ticketId), e));
  }
  const out = new Map<string, TicketFacts>();
  for (const [id, t] of tickets) if (t !== undefined) out.set(id, t);
  return out;
};

describe("the Ledger's work entries", () => {
  it('are those evolveTicketFacts folds: same values after corrections, voided ones left out', () => {
    let corrected = 0;
    let voided = 0;
    fc.assert(
      fc.property(arbitraryLog(), (wire) => {
        const events = decodeAll(wire);
        const ledger = foldEvents(events);
        const expected = new Map<
          string,
          { ticketId: string; technician: string; startedAt: string; minutes: number }
        >();
        for (const t of ticketFactsOf(events).values())
          for (const [workId, e] of keyedEntries(t.entries)) {
            if (e.voided) {
              voided += 1;
              continue;
            }
            expected.set(workId, {
              ticketId: e.ticketId,
              technician: e.technician,
              startedAt: formatInstant(e.startedAt as Instant),
              minutes: e.minutes,
            });
          }
        corrected += events.filter((e) => e.type === 'WorkLogCorrected').length;
        const actual = new Map(
          ledger
            .entries()
            .map((e) => [
              e.workId,
              { ticketId: e.ticketId, technician: e.technician, startedAt: e.startedAt, minutes: e.minutes },
            ]),
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns },
    );
    // The generated logs did correct and void entries, so the comparison covered both.
    expect(corrected).toBeGreaterThan(0);
    expect(voided).toBeGreaterThan(0);
  });
});
