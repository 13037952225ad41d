/**
 * Specifications of the Ticket decider: every command accepted, and every refusal (spec §6, the
 * order rules of 3 and the integrity rules of §2), as given/when/then. Berlin is on CEST (UTC+2)
 * in October 2026 before the 25th: local = Z + 2 h.
 */
// The assertions of these specifications live in `then` (fixtures.ts), which the rule cannot see.
/* oxlint-disable vitest/expect-expect */
import { describe, expect, it } from 'vitest';
import { CONTRACT, booked, cmd, ev, given } from './fixtures.js';

const C = 'c-1';
const T0 = '2026-10-02T08:00:00Z';

const opened = (ticketId = 't-1', vmId?: string, occurredAt = '2026-10-02T07:00:00Z') =>
  ev('TicketOpened', `e-open-${ticketId}`, occurredAt, {
    ticketId,
    contractId: C,
    channel: 'email',
    requester: 'dev@example.com',
    subject: 'Please change the firewall',
    service: 'change-request',
    ...(vmId === undefined ? {} : { vmId }),
  });
const updateRequested = (vendorSupported = true) =>
  ev('UpdateRequested', 'e-upd', '2026-10-02T07:00:00Z', {
    ticketId: 't-u',
    contractId: C,
    channel: 'helpdesk',
    requester: 'dev@example.com',
    software: 'nginx',
    scope: 'os',
    vendorSupported,
  });
const logged = (workId = 'w-1', ticketId = 't-1') =>
  ev('WorkLogged', `e-${workId}`, '2026-10-02T10:00:00Z', {
    workId,
    ticketId,
    technician: 'tech-1',
    startedAt: Date.parse('2026-10-02T09:00:00Z'),
    minutes: 30,
  });
const named = (email: string, occurredAt = '2026-10-01T00:00:00Z') =>
  ev('AuthorizedRequesterNamed', `e-n-${email}`, occurredAt, { contractId: C, email });
const removed = (email: string, occurredAt: string) =>
  ev('AuthorizedRequesterRemoved', `e-r-${email}`, occurredAt, { contractId: C, email });

describe('the given/when/then helper', () => {
  it('fails when the decision is not the expected one', () => {
    expect(() =>
      given(...CONTRACT)
        .when(cmd('ChangeSla', 'e-s', T0, { contractId: C, sla: 'Premium' }))
        .then('UnknownContract'),
    ).toThrow(/expected/);
    expect(() =>
      given(...CONTRACT)
        .when(cmd('ChangeSla', 'e-s', T0, { contractId: C, sla: 'Premium' }))
        .then([]),
    ).toThrow(/expected/);
  });
});

const open = (data: { ticketId?: string; contractId?: string; vmId?: string } = {}) =>
  cmd('OpenTicket', 'e-open-t-1', '2026-10-02T07:00:00Z', {
    ticketId: data.ticketId ?? 't-1',
    contractId: data.contractId ?? C,
    channel: 'email',
    requester: 'dev@example.com',
    subject: 'Please change the firewall',
    service: 'change-request',
    ...(data.vmId === undefined ? {} : { vmId: data.vmId }),
  });

describe('OpenTicket (3)', () => {
  it('opens a ticket (an implicit order)', () => {
    given(...CONTRACT)
      .when(open())
      .then([opened()]);
  });
  it('opens a ticket naming the contract’s VM', () => {
    given(...CONTRACT)
      .when(open({ vmId: 'vm-1' }))
      .then([opened('t-1', 'vm-1')]);
  });
  it('refuses a ticket for another VM (1)', () => {
    given(...CONTRACT)
      .when(open({ vmId: 'vm-2' }))
      .then('WorkOnOtherVm');
  });
  it('refuses a ticket id already used, also by another kind of ticket', () => {
    given(...CONTRACT, updateRequested())
      .when(open({ ticketId: 't-u' }))
      .then('TicketIdAlreadyUsed');
  });
  it('refuses a ticket on an unknown contract', () => {
    given(...CONTRACT)
      .when(open({ contractId: 'c-404' }))
      .then('UnknownContract');
  });
});

describe('ReclassifyTicket', () => {
  const data = { ticketId: 't-1', service: 'incident', reason: 'provider fault' };
  it('reclassifies a ticket', () => {
    given(...CONTRACT, opened())
      .when(cmd('ReclassifyTicket', 'e-rc1', T0, data))
      .then([ev('TicketReclassified', 'e-rc1', T0, data)]);
  });
  it('refuses an unknown ticket', () => {
    given(...CONTRACT)
      .when(cmd('ReclassifyTicket', 'e-rc1', T0, data))
      .then('UnknownTicket');
  });
});

const confirm = (by: string, occurredAt = T0) =>
  cmd('ConfirmOrder', 'e-cf', occurredAt, { ticketId: 't-1', confirmedBy: by });
const decline = (by: string) => cmd('DeclineOrder', 'e-dc', T0, { ticketId: 't-1', declinedBy: by });

describe('ConfirmOrder and DeclineOrder (3)', () => {
  it('accepts a confirmation by an authorised requester; addresses compare case-insensitively', () => {
    given(...CONTRACT, named('Boss@Example.com'), opened())
      .when(confirm('boss@EXAMPLE.com'))
      .then([ev('OrderConfirmed', 'e-cf', T0, { ticketId: 't-1', confirmedBy: 'boss@EXAMPLE.com' })]);
  });
  it('refuses a confirmation by someone not authorised', () => {
    given(...CONTRACT, named('boss@example.com'), opened())
      .when(confirm('dev@example.com'))
      .then('NotAuthorizedToOrder');
  });
  it('refuses a confirmation when nobody is authorised', () => {
    given(...CONTRACT, opened())
      .when(confirm('dev@example.com'))
      .then('NotAuthorizedToOrder');
  });
  it('judges authority at the confirmation’s business time: named later does not count', () => {
    // Named at 2026-10-03, recorded before the confirmation of 2026-10-02.
    given(...CONTRACT, named('boss@example.com', '2026-10-03T00:00:00Z'), opened())
      .when(confirm('boss@example.com'))
      .then('NotAuthorizedToOrder');
  });
  it('refuses a requester removed before the confirmation, even if the removal was recorded late', () => {
    given(
      ...CONTRACT,
      named('boss@example.com'),
      opened(),
      removed('boss@example.com', '2026-10-02T07:30:00Z'),
    )
      .when(confirm('boss@example.com'))
      .then('NotAuthorizedToOrder');
  });
  it('refuses on an unknown ticket', () => {
    given(...CONTRACT, named('boss@example.com'))
      .when(confirm('boss@example.com'))
      .then('UnknownTicket');
  });
  it('accepts a decline by an authorised requester', () => {
    given(...CONTRACT, named('boss@example.com'), opened())
      .when(decline('boss@example.com'))
      .then([ev('OrderDeclined', 'e-dc', T0, { ticketId: 't-1', declinedBy: 'boss@example.com' })]);
  });
  it('refuses a decline by someone not authorised', () => {
    given(...CONTRACT, named('boss@example.com'), opened())
      .when(decline('dev@example.com'))
      .then('NotAuthorizedToOrder');
  });
  it('refuses a decline on an unknown ticket', () => {
    given(...CONTRACT, named('boss@example.com'))
      .when(decline('boss@example.com'))
      .then('UnknownTicket');
  });
});

const request = (data: { vendorSupported?: boolean; vmId?: string; contractId?: string } = {}) =>
  cmd('RequestUpdate', 'e-upd', '2026-10-02T07:00:00Z', {
    ticketId: 't-u',
    contractId: data.contractId ?? C,
    channel: 'helpdesk',
    requester: 'dev@example.com',
    software: 'nginx',
    scope: 'os',
    vendorSupported: data.vendorSupported ?? true,
    ...(data.vmId === undefined ? {} : { vmId: data.vmId }),
  });

describe('RequestUpdate (4.1)', () => {
  it('opens an update ticket', () => {
    given(...CONTRACT)
      .when(request())
      .then([updateRequested()]);
  });
  it('refuses software without active vendor support', () => {
    given(...CONTRACT)
      .when(request({ vendorSupported: false }))
      .then('UpdateWithoutVendorSupport');
  });
  it('refuses an update of another VM (1)', () => {
    given(...CONTRACT)
      .when(request({ vmId: 'vm-2' }))
      .then('WorkOnOtherVm');
  });
  it('refuses on an unknown contract', () => {
    given(...CONTRACT)
      .when(request({ contractId: 'c-404' }))
      .then('UnknownContract');
  });
  it('refuses a ticket id already used', () => {
    given(...CONTRACT, updateRequested())
      .when(request())
      .then('TicketIdAlreadyUsed');
  });
});

const schedule = (scheduledFor: string, agreedWithCustomer = false, ticketId = 't-u') =>
  cmd('ScheduleUpdate', 'e-sch', T0, {
    ticketId,
    scheduledFor: Date.parse(scheduledFor),
    agreedWithCustomer,
  });
const scheduled = (scheduledFor: string, agreedWithCustomer = false) =>
  ev('UpdateScheduled', 'e-sch', T0, {
    ticketId: 't-u',
    scheduledFor: Date.parse(scheduledFor),
    agreedWithCustomer,
  });

describe('ScheduleUpdate (4.1)', () => {
  // Basic: Wed 22:00–06:00. Wed 2026-10-07 22:30 CEST = 20:30Z; Thu 2026-10-08 10:00 CEST = 08:00Z.
  const INSIDE = '2026-10-07T20:30:00Z';
  const OUTSIDE = '2026-10-08T08:00:00Z';
  it('schedules inside the SLA’s window', () => {
    given(...CONTRACT, updateRequested())
      .when(schedule(INSIDE))
      .then([scheduled(INSIDE)]);
  });
  it('refuses outside every window without an agreed appointment', () => {
    given(...CONTRACT, updateRequested())
      .when(schedule(OUTSIDE))
      .then('UpdateOutsideMaintenanceWindow');
  });
  it('schedules outside a window by an appointment agreed with the customer', () => {
    given(...CONTRACT, updateRequested())
      .when(schedule(OUTSIDE, true))
      .then([scheduled(OUTSIDE, true)]);
  });
  it('agreed windows replace the SLA’s: Thu 10:00 is inside, Wed 22:30 no longer', () => {
    const agreed = ev('MaintenanceWindowsAgreed', 'e-mw', '2026-10-01T00:00:00Z', {
      contractId: C,
      windows: [{ day: 'THU', start: '09:00', end: '12:00' }],
    });
    given(...CONTRACT, agreed, updateRequested())
      .when(schedule(OUTSIDE))
      .then([scheduled(OUTSIDE)]);
    given(...CONTRACT, agreed, updateRequested())
      .when(schedule(INSIDE))
      .then('UpdateOutsideMaintenanceWindow');
  });
  it('an empty agreement brings the SLA’s windows back', () => {
    const agreed = ev('MaintenanceWindowsAgreed', 'e-mw', '2026-10-01T00:00:00Z', {
      contractId: C,
      windows: [{ day: 'THU', start: '09:00', end: '12:00' }],
    });
    const withdrawn = ev('MaintenanceWindowsAgreed', 'e-mw2', '2026-10-05T00:00:00Z', {
      contractId: C,
      windows: [],
    });
    given(...CONTRACT, agreed, withdrawn, updateRequested())
      .when(schedule(INSIDE))
      .then([scheduled(INSIDE)]);
  });
  it('uses the windows of the SLA in force at the scheduled time', () => {
    // Premium from 2026-10-05: every day 00:00–04:00. Thu 2026-10-08 03:00 CEST = 01:00Z is inside.
    const premium = ev('SlaChanged', 'e-s', '2026-10-05T00:00:00Z', { contractId: C, sla: 'Premium' });
    given(...CONTRACT, premium, updateRequested())
      .when(schedule('2026-10-08T01:00:00Z'))
      .then([scheduled('2026-10-08T01:00:00Z')]);
    // Basic is still in force on Fri 2026-10-02 03:00 CEST = 01:00Z: not in Wed 22:00–Thu 06:00.
    given(...CONTRACT, premium, updateRequested())
      .when(schedule('2026-10-02T01:00:00Z'))
      .then('UpdateOutsideMaintenanceWindow');
  });
  it('refuses on a ticket not opened by an update request', () => {
    given(...CONTRACT, opened())
      .when(schedule(INSIDE, false, 't-1'))
      .then('NotAnUpdateTicket');
  });
  it('refuses on an unknown ticket', () => {
    given(...CONTRACT)
      .when(schedule(INSIDE))
      .then('UnknownTicket');
  });
});

describe('RecordUpdateApplied and RecordUpdateFailed (4.1)', () => {
  it('records an applied update', () => {
    given(...CONTRACT, updateRequested())
      .when(cmd('RecordUpdateApplied', 'e-ua', T0, { ticketId: 't-u' }))
      .then([ev('UpdateApplied', 'e-ua', T0, { ticketId: 't-u' })]);
  });
  it('records a failed update, rolled back', () => {
    given(...CONTRACT, updateRequested())
      .when(cmd('RecordUpdateFailed', 'e-uf', T0, { ticketId: 't-u', rolledBack: true }))
      .then([ev('UpdateFailed', 'e-uf', T0, { ticketId: 't-u', rolledBack: true })]);
  });
  it('refuses either on a ticket that is not an update', () => {
    given(...CONTRACT, opened())
      .when(cmd('RecordUpdateApplied', 'e-ua', T0, { ticketId: 't-1' }))
      .then('NotAnUpdateTicket');
    given(...CONTRACT, opened())
      .when(cmd('RecordUpdateFailed', 'e-uf', T0, { ticketId: 't-1', rolledBack: false }))
      .then('NotAnUpdateTicket');
  });
  it('refuses either on an unknown ticket', () => {
    given(...CONTRACT)
      .when(cmd('RecordUpdateApplied', 'e-ua', T0, { ticketId: 't-u' }))
      .then('UnknownTicket');
    given(...CONTRACT)
      .when(cmd('RecordUpdateFailed', 'e-uf', T0, { ticketId: 't-u', rolledBack: false }))
      .then('UnknownTicket');
  });
});

const acked = (occurredAt: string) =>
  ev('AlertAcknowledged', 'e-k', occurredAt, { alertId: 'a-1', by: 'it@example.com' });

describe('TakeSafetyMeasure (4.2)', () => {
  const alerting = ev('AlertingActivated', 'e-al', '2026-10-01T00:00:00Z', {
    contractId: C,
    channels: ['email'],
  });
  // The alert is raised on Fri 2026-10-02 08:00Z; 72 hours later is Mon 2026-10-05 08:00Z.
  const raised = ev('AlertRaised', 'e-a', '2026-10-02T08:00:00Z', {
    alertId: 'a-1',
    contractId: C,
    metric: 'filesystem',
  });
  const data = (justification: string, alertId?: string, contractId = C) => ({
    ticketId: 't-s',
    contractId,
    justification,
    ...(alertId === undefined ? {} : { alertId }),
    description: 'disk 100 % full: rotated logs',
  });
  const measure = (occurredAt: string, justification: string, alertId?: string, contractId = C) =>
    cmd('TakeSafetyMeasure', 'e-sm', occurredAt, data(justification, alertId, contractId));
  const taken = (occurredAt: string, justification: string, alertId?: string) =>
    ev('SafetyMeasureTaken', 'e-sm', occurredAt, data(justification, alertId));

  it('imminent danger always justifies a measure while alerting is active', () => {
    given(...CONTRACT, alerting)
      .when(measure(T0, 'imminent-danger'))
      .then([taken(T0, 'imminent-danger')]);
  });
  it('refuses any measure without active alerting', () => {
    given(...CONTRACT)
      .when(measure(T0, 'imminent-danger'))
      .then('AlertingNotActive');
  });
  it('refuses a measure after alerting was deactivated, judged at the measure’s business time', () => {
    // The deactivation of 2026-10-02 07:00Z is recorded after the alert but takes effect before T0.
    const off = ev('AlertingDeactivated', 'e-off', '2026-10-02T07:00:00Z', { contractId: C });
    given(...CONTRACT, alerting, raised, off)
      .when(measure(T0, 'imminent-danger'))
      .then('AlertingNotActive');
  });
  it('no-response: refused at exactly 72 hours after the alert (not MORE than 3 days)', () => {
    given(...CONTRACT, alerting, raised)
      .when(measure('2026-10-05T08:00:00.000Z', 'no-response', 'a-1'))
      .then('SafetyMeasureNotJustified');
  });
  it('no-response: accepted at 72 hours and 1 ms after the alert', () => {
    given(...CONTRACT, alerting, raised)
      .when(measure('2026-10-05T08:00:00.001Z', 'no-response', 'a-1'))
      .then([taken('2026-10-05T08:00:00.001Z', 'no-response', 'a-1')]);
  });
  it('no-response: refused when the customer acknowledged the alert before the measure', () => {
    given(...CONTRACT, alerting, raised, acked('2026-10-03T08:00:00Z'))
      .when(measure('2026-10-06T08:00:00Z', 'no-response', 'a-1'))
      .then('SafetyMeasureNotJustified');
  });
  it('no-response: an acknowledgement after the measure does not count, even if recorded before', () => {
    given(...CONTRACT, alerting, raised, acked('2026-10-07T08:00:00Z'))
      .when(measure('2026-10-06T08:00:00Z', 'no-response', 'a-1'))
      .then([taken('2026-10-06T08:00:00Z', 'no-response', 'a-1')]);
  });
  it('no-response: refused without an alert', () => {
    given(...CONTRACT, alerting)
      .when(measure(T0, 'no-response'))
      .then('SafetyMeasureNotJustified');
  });
  it('customer-instructed: accepted when the alert was acknowledged before the measure', () => {
    given(...CONTRACT, alerting, raised, acked('2026-10-02T09:00:00Z'))
      .when(measure('2026-10-02T10:00:00Z', 'customer-instructed', 'a-1'))
      .then([taken('2026-10-02T10:00:00Z', 'customer-instructed', 'a-1')]);
  });
  it('customer-instructed: refused when the acknowledgement is not before the measure', () => {
    given(...CONTRACT, alerting, raised, acked('2026-10-02T10:00:00Z'))
      .when(measure('2026-10-02T10:00:00Z', 'customer-instructed', 'a-1'))
      .then('SafetyMeasureNotJustified');
  });
  it('customer-instructed: refused without an acknowledgement, or without an alert', () => {
    given(...CONTRACT, alerting, raised)
      .when(measure('2026-10-02T10:00:00Z', 'customer-instructed', 'a-1'))
      .then('SafetyMeasureNotJustified');
    given(...CONTRACT, alerting)
      .when(measure('2026-10-02T10:00:00Z', 'customer-instructed'))
      .then('SafetyMeasureNotJustified');
  });
  it('refuses an alert of another contract', () => {
    const other = ev('AlertRaised', 'e-a2', '2026-10-01T00:00:00Z', {
      alertId: 'a-2',
      contractId: 'c-2',
      metric: 'ram',
    });
    given(...CONTRACT, booked('c-2', 'vm-2'), other, alerting)
      .when(measure('2026-10-06T08:00:00Z', 'no-response', 'a-2'))
      .then('UnknownAlert');
  });
  it('refuses on an unknown contract, and a ticket id already used', () => {
    given(...CONTRACT, alerting)
      .when(measure(T0, 'imminent-danger', undefined, 'c-404'))
      .then('UnknownContract');
    given(...CONTRACT, alerting, opened('t-s'))
      .when(measure(T0, 'imminent-danger'))
      .then('TicketIdAlreadyUsed');
  });
});

const log = (workId = 'w-1', ticketId = 't-1') =>
  cmd('LogWork', `e-${workId}`, '2026-10-02T10:00:00Z', {
    workId,
    ticketId,
    technician: 'tech-1',
    startedAt: Date.parse('2026-10-02T09:00:00Z'),
    minutes: 30,
  });

describe('LogWork (1)', () => {
  it('logs work on a ticket', () => {
    given(...CONTRACT, opened())
      .when(log())
      .then([logged()]);
  });
  it('refuses a work id already used, on any ticket', () => {
    given(...CONTRACT, opened(), opened('t-2'), logged('w-1', 't-2'))
      .when(log('w-1', 't-1'))
      .then('WorkIdAlreadyUsed');
  });
  it('refuses work on an unknown ticket', () => {
    given(...CONTRACT)
      .when(log())
      .then('UnknownTicket');
  });
  it('refuses a used work id on an unknown ticket for the ticket, as the Ledger does', () => {
    given(...CONTRACT, opened('t-2'), logged('w-1', 't-2'))
      .when(log('w-1', 't-9'))
      .then('UnknownTicket');
  });
  it('refuses work on a ticket for a VM other than the contract’s (1)', () => {
    // Such a ticket cannot be opened by the decider, but a log may contain one.
    given(...CONTRACT, opened('t-1', 'vm-2'))
      .when(log())
      .then('WorkOnOtherVm');
  });
});

const correct = (data: { workId?: string; minutes?: number }) =>
  cmd('CorrectWorkLog', 'e-c', '2026-10-03T00:00:00Z', {
    workId: data.workId ?? 'w-1',
    reason: 'typo',
    ...(data.minutes === undefined ? {} : { minutes: data.minutes }),
  });
const voidIt = (workId = 'w-1') =>
  cmd('VoidWorkLog', 'e-v', '2026-10-03T00:00:00Z', { workId, reason: 'duplicate' });

describe('CorrectWorkLog and VoidWorkLog', () => {
  const voided = ev('WorkLogVoided', 'e-v', '2026-10-03T00:00:00Z', { workId: 'w-1', reason: 'duplicate' });
  it('corrects an entry', () => {
    given(...CONTRACT, opened(), logged())
      .when(correct({ minutes: 45 }))
      .then([
        ev('WorkLogCorrected', 'e-c', '2026-10-03T00:00:00Z', { workId: 'w-1', reason: 'typo', minutes: 45 }),
      ]);
  });
  it('refuses a correction that changes nothing', () => {
    given(...CONTRACT, opened(), logged())
      .when(correct({}))
      .then('EmptyCorrection');
  });
  it('refuses to correct an unknown entry', () => {
    given(...CONTRACT, opened(), logged())
      .when(correct({ workId: 'w-404', minutes: 45 }))
      .then('UnknownWorkEntry');
  });
  it('refuses to correct a voided entry', () => {
    given(...CONTRACT, opened(), logged(), voided)
      .when(correct({ minutes: 45 }))
      .then('WorkEntryVoided');
  });
  it('voids an entry', () => {
    given(...CONTRACT, opened(), logged())
      .when(voidIt())
      .then([voided]);
  });
  it('refuses to void an unknown entry', () => {
    given(...CONTRACT, opened())
      .when(voidIt('w-404'))
      .then('UnknownWorkEntry');
  });
  it('refuses to void an entry twice', () => {
    given(...CONTRACT, opened(), logged(), voided)
      .when(voidIt())
      .then('WorkEntryVoided');
  });
});
