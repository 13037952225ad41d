/** Commands from plain values: RFC 3339 strings or Dates in, the decoded command out, every problem named. */
import { describe, expect, it } from 'vitest';
import { command, decodeCommand, eventOfCommand } from '../src/index.js';

// 2026-10-05T10:00:00+02:00 = 08:00 UTC = 1791187200000; 07:00 UTC = 1791183600000.
const logWork = {
  type: 'LogWork',
  eventId: 'e-7',
  occurredAt: '2026-10-05T10:00:00+02:00',
  data: {
    workId: 'w-1',
    ticketId: 't-1',
    technician: 'tech-1',
    startedAt: '2026-10-05T07:00:00Z',
    minutes: 50,
  },
} as const;

describe('command', () => {
  it('decodes instants given as RFC 3339 text or as Dates to the same command', () => {
    const fromText = command(logWork);
    const fromDates = command({
      ...logWork,
      occurredAt: new Date(Date.UTC(2026, 9, 5, 8)),
      data: { ...logWork.data, startedAt: new Date(Date.UTC(2026, 9, 5, 7)) },
    });
    expect(fromText).toEqual({
      type: 'LogWork',
      eventId: 'e-7',
      occurredAt: 1_791_187_200_000,
      data: {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'tech-1',
        startedAt: 1_791_183_600_000,
        minutes: 50,
      },
    });
    expect(fromDates).toEqual(fromText);
  });

  it('fills the wire defaults of the event it records', () => {
    const booked = command({
      type: 'BookMsp',
      eventId: 'e-1',
      occurredAt: '2026-10-01T08:00:00Z',
      data: { contractId: 'c-1', customerId: 'cust', vmId: 'vm-1', sla: 'Basic', rateCardId: 'rc' },
    });
    expect(eventOfCommand(booked).data).toEqual({
      contractId: 'c-1',
      customerId: 'cust',
      vmId: 'vm-1',
      sla: 'Basic',
      rateCardId: 'rc',
      timeZone: 'Europe/Berlin',
      vatRatePercent: '19',
    });
  });

  it('throws one line naming every problem, the event id as eventId', () => {
    expect(() =>
      command({
        ...logWork,
        eventId: '',
        data: { ...logWork.data, minutes: 0, startedAt: '2026-10-05 07:00' },
      }),
    ).toThrow(
      new RangeError(
        'LogWork: eventId: expected a non-empty id (got ""); data.startedAt: timestamp has no offset ' +
          '(add Z or ±hh:mm) (got "2026-10-05 07:00"); data.minutes: expected an integer 1..1440 (got 0)',
      ),
    );
  });
});

describe('decodeCommand', () => {
  it('refuses unknown fields and an unknown type without throwing', () => {
    const r = decodeCommand({ ...logWork, colour: 'red', type: 'LogWorks' });
    expect(r._tag === 'Left' && r.left.message).toBe(
      'colour: unknown field; type: unknown command type (expected one of BookMsp, ChangeSla, CancelMsp, ' +
        'CompleteProvisioning, NameAuthorizedRequester, RemoveAuthorizedRequester, ActivateAlerting, ' +
        'DeactivateAlerting, AttachBackupNasShare, DetachBackupNasShare, AgreeMaintenanceWindows, RaiseAlert, ' +
        'AcknowledgeAlert, RecordHaRestart, RecordHeartbeatRestored, IssueInvoice, OpenTicket, ReclassifyTicket, ' +
        'ConfirmOrder, DeclineOrder, RequestUpdate, ScheduleUpdate, RecordUpdateApplied, RecordUpdateFailed, ' +
        'TakeSafetyMeasure, LogWork, CorrectWorkLog, VoidWorkLog, PublishRateCard, SetHourlyRate, SetProviderProfile, ' +
        'SetCustomerProfile)',
    );
    expect(decodeCommand(null)._tag).toBe('Left');
  });

  it('refuses an epoch number where an instant is: instants are RFC 3339 or Dates', () => {
    const r = decodeCommand({ ...logWork, occurredAt: 1_791_187_200_000 });
    expect(r._tag === 'Left' && r.left.message).toBe(
      'occurredAt: expected an RFC 3339 timestamp string (got 1791187200000)',
    );
  });
});
