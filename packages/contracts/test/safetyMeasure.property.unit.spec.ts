/**
 * PROPERTY: the justification of a safety measure (4.2) against an oracle written from the spec's
 * wording, for random alert ages around the 72-hour boundary and random acknowledgements before
 * or after the measure (an acknowledgement is recorded after its alert, or it would be invalid).
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { CONTRACT, cmd, decideAfter, ev } from './fixtures.js';

const H72 = 72 * 60 * 60 * 1000; // 259 200 000 ms
const MEASURE = Date.parse('2026-10-10T12:00:00Z');
const iso = (t: number): string => new Date(t).toISOString();

describe('TakeSafetyMeasure justification (4.2)', () => {
  it('PROPERTY: accepted exactly when the spec says the justification holds', () => {
    const age = fc.oneof(
      fc.integer({ min: 0, max: 2 * H72 }),
      fc.integer({ min: H72 - 2, max: H72 + 2 }), // the boundary, to the millisecond
    );
    const ackOffset = fc.option(fc.integer({ min: -H72, max: H72 }), { nil: undefined });
    const justification = fc.constantFrom('no-response', 'imminent-danger', 'customer-instructed');
    fc.assert(
      fc.property(age, ackOffset, justification, fc.boolean(), (ageMs, ack, just, withAlert) => {
        const raisedAt = MEASURE - ageMs;
        const ackAt = ack === undefined ? undefined : MEASURE + ack;
        const alerting = ev('AlertingActivated', 'e-al', '2026-10-01T00:00:00Z', {
          contractId: 'c-1',
          channels: ['sms'],
        });
        const raised = ev('AlertRaised', 'e-a', iso(raisedAt), {
          alertId: 'a-1',
          contractId: 'c-1',
          metric: 'ram',
        });
        const acks =
          ackAt === undefined
            ? []
            : [ev('AlertAcknowledged', 'e-k', iso(ackAt), { alertId: 'a-1', by: 'c@example.com' })];
        const log = [...CONTRACT, alerting, raised, ...acks];
        const result = decideAfter(
          log,
          cmd('TakeSafetyMeasure', 'e-m', iso(MEASURE), {
            ticketId: 't-s',
            contractId: 'c-1',
            justification: just,
            ...(withAlert ? { alertId: 'a-1' } : {}),
            description: 'measure',
          }),
        );
        // Oracle, from 4.2 / spec §4 rule 10.
        const acknowledgedBefore = withAlert && ackAt !== undefined && ackAt < MEASURE;
        const holds =
          just === 'imminent-danger' ||
          (just === 'no-response' && withAlert && MEASURE - raisedAt > H72 && !acknowledgedBefore) ||
          (just === 'customer-instructed' && acknowledgedBefore);
        expect(isLeft(result) ? result.left._tag : 'accepted').toBe(
          holds ? 'accepted' : 'SafetyMeasureNotJustified',
        );
      }),
      { numRuns: 1000 },
    );
  });
});
