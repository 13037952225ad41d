/** A ticket's facts: service over time, latest schedule and decision in business time, work entries. */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@msp-billing/events';
import {
  currentService,
  evolveTicketFacts,
  latestSchedule,
  orderDecision,
  timelineChanges,
  workEntry,
  type TicketFacts,
} from '../src/internal.js';
import { at, ev } from './fixtures.js';

const fold = (...events: DomainEvent[]): TicketFacts => {
  const t = events.reduce(evolveTicketFacts, undefined);
  if (t === undefined) throw new Error('not opened');
  return t;
};
const OPENED = ev('TicketOpened', 'e-o', '2026-10-02T00:00:00Z', {
  ticketId: 't-1',
  contractId: 'c-1',
  channel: 'phone',
  requester: 'dev@example.com',
  subject: 'help',
  service: 'support-request',
  vmId: 'vm-1',
});
const UPDATE = ev('UpdateRequested', 'e-u', '2026-10-02T00:00:00Z', {
  ticketId: 't-u',
  contractId: 'c-1',
  channel: 'helpdesk',
  requester: 'dev@example.com',
  software: 'openssl',
  scope: 'preinstalled',
  vendorSupported: true,
});

describe('TicketFacts', () => {
  it('opens with the requester, channel and VM; the latest reclassification in business time counts', () => {
    const t = fold(
      OPENED,
      ev('TicketReclassified', 'e-r2', '2026-10-04T00:00:00Z', {
        ticketId: 't-1',
        service: 'incident',
        reason: 'x',
      }),
      ev('TicketReclassified', 'e-r1', '2026-10-03T00:00:00Z', {
        ticketId: 't-1',
        service: 'change-request',
        reason: 'y',
      }),
    );
    expect({ origin: t.origin, requester: t.requester, channel: t.channel, vmId: t.vmId }).toEqual({
      origin: 'ticket',
      requester: 'dev@example.com',
      channel: 'phone',
      vmId: 'vm-1',
    });
    expect(currentService(t)).toBe('incident');
  });

  it('an update request opens an update-installation ticket; the latest schedule in business time counts', () => {
    const t = fold(
      UPDATE,
      ev('UpdateScheduled', 'e-s2', '2026-10-06T00:00:00Z', {
        ticketId: 't-u',
        scheduledFor: at('2026-10-07T20:30:00Z'),
        agreedWithCustomer: false,
      }),
      ev('UpdateScheduled', 'e-s1', '2026-10-05T00:00:00Z', {
        ticketId: 't-u',
        scheduledFor: at('2026-10-09T10:00:00Z'),
        agreedWithCustomer: true,
      }),
    );
    expect(currentService(t)).toBe('update-installation');
    expect(t.update?.scope).toBe('preinstalled');
    expect(latestSchedule(t)).toEqual({
      scheduledFor: at('2026-10-07T20:30:00Z'),
      agreedWithCustomer: false,
    });
  });

  it('a safety measure opens a provider ticket without requester', () => {
    const t = fold(
      ev('SafetyMeasureTaken', 'e-m', '2026-10-06T00:00:00Z', {
        ticketId: 't-s',
        contractId: 'c-1',
        justification: 'imminent-danger',
        description: 'OOM killer stopped the database',
      }),
    );
    expect(t.origin).toBe('safety-measure');
    expect(t.requester).toBeUndefined();
    expect(currentService(t)).toBe('safety-measure');
    expect(t.safetyMeasure?.takenAt).toBe(at('2026-10-06T00:00:00Z'));
  });

  it('the later decision in business time counts (3)', () => {
    const t = fold(
      OPENED,
      ev('OrderDeclined', 'e-d', '2026-10-05T00:00:00Z', { ticketId: 't-1', declinedBy: 'boss@example.com' }),
      ev('OrderConfirmed', 'e-c', '2026-10-04T00:00:00Z', {
        ticketId: 't-1',
        confirmedBy: 'boss@example.com',
      }),
    );
    expect(orderDecision(t)).toEqual({ kind: 'declined', by: 'boss@example.com' });
  });

  it('work entries carry their corrections; a voided entry ignores later corrections', () => {
    const t = fold(
      OPENED,
      ev('WorkLogged', 'e-w', '2026-10-02T10:00:00Z', {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'tech',
        startedAt: at('2026-10-02T09:00:00Z'),
        minutes: 30,
      }),
      ev('WorkLogCorrected', 'e-c', '2026-10-03T00:00:00Z', { workId: 'w-1', reason: 'typo', minutes: 45 }),
    );
    expect(workEntry(t, 'w-1')).toEqual({
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'tech',
      startedAt: at('2026-10-02T09:00:00Z'),
      minutes: 45,
      voided: false,
    });
    const v = fold(
      OPENED,
      ev('WorkLogged', 'e-w', '2026-10-02T10:00:00Z', {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'tech',
        startedAt: at('2026-10-02T09:00:00Z'),
        minutes: 30,
      }),
      ev('WorkLogVoided', 'e-v', '2026-10-03T00:00:00Z', { workId: 'w-1', reason: 'dup' }),
      ev('WorkLogCorrected', 'e-c', '2026-10-04T00:00:00Z', { workId: 'w-1', reason: 'typo', minutes: 45 }),
    );
    expect(workEntry(v, 'w-1')).toMatchObject({ minutes: 30, voided: true });
  });

  it('keeps each update outcome as recorded, the latest in business time last; and who decided an order', () => {
    const outcomes = (t: TicketFacts): unknown =>
      t.update === undefined ? undefined : timelineChanges(t.update.outcomes).map((c) => c.value);
    const failed = (id: string, time: string, rolledBack: boolean): DomainEvent =>
      ev('UpdateFailed', id, time, { ticketId: 't-u', rolledBack });
    const t = fold(
      UPDATE,
      failed('e-f1', '2026-10-03T00:00:00Z', true),
      failed('e-f2', '2026-10-04T00:00:00Z', false),
      ev('UpdateApplied', 'e-a', '2026-10-05T00:00:00Z', { ticketId: 't-u' }),
      ev('OrderDeclined', 'e-d', '2026-10-06T00:00:00Z', { ticketId: 't-u', declinedBy: 'boss@example.com' }),
    );
    expect(outcomes(t)).toEqual([
      { applied: false, rolledBack: true },
      { applied: false, rolledBack: false },
      { applied: true },
    ]);
    expect(orderDecision(t)).toEqual({ kind: 'declined', by: 'boss@example.com' });
  });
});
