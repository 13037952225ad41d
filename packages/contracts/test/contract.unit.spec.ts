/**
 * Specifications of the Contract decider: every command accepted, and every refusal (spec §6 and the
 * integrity rules of §2), as given/when/then.
 */
// The assertions of these specifications live in `then` (fixtures.ts), which the rule cannot see.
/* oxlint-disable vitest/expect-expect */
import { describe, it } from 'vitest';
import { CONTRACT, RATE_CARD, booked, cmd, ev, given } from './fixtures.js';

const C = 'c-1';
const T0 = '2026-10-02T08:00:00Z';

describe('BookMsp (1)', () => {
  it('books an MSP on a free VM; time zone and VAT default as on the wire', () => {
    given(RATE_CARD)
      .when(
        cmd('BookMsp', 'e-book-c-1', '2026-10-01T00:00:00Z', {
          contractId: C,
          customerId: 'cu-1',
          vmId: 'vm-1',
          sla: 'Basic',
          rateCardId: 'rc-1',
        }),
      )
      .then([booked()]);
  });
  it('refuses a second booking of the same contract', () => {
    given(...CONTRACT)
      .when(
        cmd('BookMsp', 'e-2', T0, {
          contractId: C,
          customerId: 'cu-1',
          vmId: 'vm-9',
          sla: 'Basic',
          rateCardId: 'rc-1',
        }),
      )
      .then('ContractAlreadyBooked');
  });
  it('refuses a second MSP for a VM that has an active one (1)', () => {
    given(...CONTRACT)
      .when(
        cmd('BookMsp', 'e-2', T0, {
          contractId: 'c-2',
          customerId: 'cu-2',
          vmId: 'vm-1',
          sla: 'Basic',
          rateCardId: 'rc-1',
        }),
      )
      .then('MspAlreadyBookedForVm');
  });
  it('books a VM again once its MSP was cancelled', () => {
    given(
      ...CONTRACT,
      ev('MSPCancelled', 'e-x', '2026-10-02T00:00:00Z', { contractId: C, vmDecommissioned: false }),
    )
      .when(
        cmd('BookMsp', 'e-book-c-2', '2026-10-03T00:00:00Z', {
          contractId: 'c-2',
          customerId: 'cu-1',
          vmId: 'vm-1',
          sla: 'Basic',
          rateCardId: 'rc-1',
        }),
      )
      .then([booked('c-2', 'vm-1', 'Basic', '2026-10-03T00:00:00Z')]);
  });
  it('refuses a booking on a rate card never published', () => {
    given()
      .when(
        cmd('BookMsp', 'e-1', T0, {
          contractId: C,
          customerId: 'cu-1',
          vmId: 'vm-1',
          sla: 'Basic',
          rateCardId: 'rc-1',
        }),
      )
      .then('UnknownRateCard');
  });
});

describe('ChangeSla', () => {
  it('records the new SLA', () => {
    given(...CONTRACT)
      .when(cmd('ChangeSla', 'e-s', T0, { contractId: C, sla: 'Premium' }))
      .then([ev('SlaChanged', 'e-s', T0, { contractId: C, sla: 'Premium' })]);
  });
  it('refuses on an unknown contract', () => {
    given(...CONTRACT)
      .when(cmd('ChangeSla', 'e-s', T0, { contractId: 'c-404', sla: 'Premium' }))
      .then('UnknownContract');
  });
});

const cancel = (vmDecommissioned: boolean, occurredAt = T0) =>
  cmd('CancelMsp', 'e-c', occurredAt, { contractId: C, vmDecommissioned });
const cancelled = (vmDecommissioned: boolean, occurredAt = T0) =>
  ev('MSPCancelled', 'e-c', occurredAt, { contractId: C, vmDecommissioned });

describe('CancelMsp (1)', () => {
  it('cancels a Basic MSP with the VM still running', () => {
    given(...CONTRACT)
      .when(cancel(false))
      .then([cancelled(false)]);
  });
  it('refuses to cancel the MSP of a Professional VM that is not decommissioned', () => {
    given(RATE_CARD, booked(C, 'vm-1', 'Professional'))
      .when(cancel(false))
      .then('MspMandatoryForSla');
  });
  it('cancels the MSP of a Professional VM that is decommissioned', () => {
    given(RATE_CARD, booked(C, 'vm-1', 'Professional'))
      .when(cancel(true))
      .then([cancelled(true)]);
  });
  it('refuses for Premium, reached by an SLA change before the cancellation', () => {
    given(...CONTRACT, ev('SlaChanged', 'e-s', '2026-10-01T12:00:00Z', { contractId: C, sla: 'Premium' }))
      .when(cancel(false))
      .then('MspMandatoryForSla');
  });
  it('judges by the SLA in force at the cancellation: a later change to Premium does not count', () => {
    given(...CONTRACT, ev('SlaChanged', 'e-s', '2026-10-09T00:00:00Z', { contractId: C, sla: 'Premium' }))
      .when(cancel(false))
      .then([cancelled(false)]);
  });
  it('refuses a second cancellation', () => {
    given(...CONTRACT, cancelled(false, '2026-10-01T12:00:00Z'))
      .when(cancel(false))
      .then('MspAlreadyCancelled');
  });
  it('refuses on an unknown contract', () => {
    given(RATE_CARD).when(cancel(true)).then('UnknownContract');
  });
});

describe('contract facts without rules of their own', () => {
  it.each([
    ['CompleteProvisioning', 'ProvisioningCompleted', { contractId: C }],
    [
      'NameAuthorizedRequester',
      'AuthorizedRequesterNamed',
      { contractId: C, email: 'Boss@Example.com', name: 'Boss' },
    ],
    ['RemoveAuthorizedRequester', 'AuthorizedRequesterRemoved', { contractId: C, email: 'boss@example.com' }],
    ['ActivateAlerting', 'AlertingActivated', { contractId: C, channels: ['email', 'sms'] }],
    ['DeactivateAlerting', 'AlertingDeactivated', { contractId: C }],
    ['AttachBackupNasShare', 'BackupNasShareAttached', { contractId: C, shareId: 'nas-1' }],
    ['DetachBackupNasShare', 'BackupNasShareDetached', { contractId: C, shareId: 'nas-1' }],
    [
      'AgreeMaintenanceWindows',
      'MaintenanceWindowsAgreed',
      { contractId: C, windows: [{ day: 'MON', start: '10:00', end: '12:00' }] },
    ],
  ] as const)('%s records %s', (command, event, data) => {
    given(...CONTRACT)
      .when(cmd(command, 'e-1', T0, data as never))
      .then([ev(event, 'e-1', T0, data as never)]);
  });
  it.each([
    ['CompleteProvisioning', { contractId: 'c-404' }],
    ['NameAuthorizedRequester', { contractId: 'c-404', email: 'boss@example.com' }],
    ['RemoveAuthorizedRequester', { contractId: 'c-404', email: 'boss@example.com' }],
    ['ActivateAlerting', { contractId: 'c-404', channels: ['email'] }],
    ['DeactivateAlerting', { contractId: 'c-404' }],
    ['AttachBackupNasShare', { contractId: 'c-404', shareId: 'nas-1' }],
    ['DetachBackupNasShare', { contractId: 'c-404', shareId: 'nas-1' }],
    ['AgreeMaintenanceWindows', { contractId: 'c-404', windows: [] }],
    ['RaiseAlert', { contractId: 'c-404', alertId: 'a-1', metric: 'ram' }],
    ['RecordHaRestart', { contractId: 'c-404', vmId: 'vm-1' }],
    ['RecordHeartbeatRestored', { contractId: 'c-404', vmId: 'vm-1' }],
    ['IssueInvoice', { contractId: 'c-404', period: '2026-10', invoiceNumber: 'INV-1' }],
  ] as const)('%s refuses on an unknown contract', (command, data) => {
    given(...CONTRACT)
      .when(cmd(command, 'e-1', T0, data as never))
      .then('UnknownContract');
  });
});

describe('RaiseAlert and AcknowledgeAlert (4.2)', () => {
  const raised = ev('AlertRaised', 'e-a', T0, { alertId: 'a-1', contractId: C, metric: 'filesystem' });
  it('raises an alert', () => {
    given(...CONTRACT)
      .when(cmd('RaiseAlert', 'e-a', T0, { alertId: 'a-1', contractId: C, metric: 'filesystem' }))
      .then([raised]);
  });
  it('refuses an alert id already used, even by another contract', () => {
    given(
      ...CONTRACT,
      booked('c-2', 'vm-2'),
      ev('AlertRaised', 'e-a0', T0, { alertId: 'a-1', contractId: 'c-2', metric: 'ram' }),
    )
      .when(cmd('RaiseAlert', 'e-a', T0, { alertId: 'a-1', contractId: C, metric: 'filesystem' }))
      .then('AlertIdAlreadyUsed');
  });
  it('acknowledges a raised alert', () => {
    given(...CONTRACT, raised)
      .when(cmd('AcknowledgeAlert', 'e-k', '2026-10-02T09:00:00Z', { alertId: 'a-1', by: 'it@example.com' }))
      .then([
        ev('AlertAcknowledged', 'e-k', '2026-10-02T09:00:00Z', { alertId: 'a-1', by: 'it@example.com' }),
      ]);
  });
  it('refuses to acknowledge an unknown alert', () => {
    given(...CONTRACT, raised)
      .when(
        cmd('AcknowledgeAlert', 'e-k', '2026-10-02T09:00:00Z', { alertId: 'a-404', by: 'it@example.com' }),
      )
      .then('UnknownAlert');
  });
});

describe('RecordHaRestart and RecordHeartbeatRestored (4.2)', () => {
  const restart = (i: number) =>
    ev('VmRestartedByHa', `e-r${i}`, `2026-10-02T08:0${i}:00Z`, { contractId: C, vmId: 'vm-1' });
  const restored = ev('VmHeartbeatRestored', 'e-h', '2026-10-02T08:05:00Z', { contractId: C, vmId: 'vm-1' });
  const restartCmd = cmd('RecordHaRestart', 'e-r9', '2026-10-02T08:09:00Z', { contractId: C, vmId: 'vm-1' });
  const restartEv = ev('VmRestartedByHa', 'e-r9', '2026-10-02T08:09:00Z', { contractId: C, vmId: 'vm-1' });
  it('records up to three restarts in a row', () => {
    given(...CONTRACT, restart(1), restart(2))
      .when(restartCmd)
      .then([restartEv]);
  });
  it('refuses a 4th restart in a row', () => {
    given(...CONTRACT, restart(1), restart(2), restart(3))
      .when(restartCmd)
      .then('HaRestartLimitReached');
  });
  it('a restored heartbeat ends the run: the next restart is the first of a new one', () => {
    given(...CONTRACT, restart(1), restart(2), restart(3), restored)
      .when(restartCmd)
      .then([restartEv]);
  });
  it('refuses a restart of a VM that is not the contract’s', () => {
    given(...CONTRACT)
      .when(cmd('RecordHaRestart', 'e-r', T0, { contractId: C, vmId: 'vm-2' }))
      .then('VmNotOfContract');
  });
  it('records a restored heartbeat', () => {
    given(...CONTRACT, restart(1))
      .when(cmd('RecordHeartbeatRestored', 'e-h', '2026-10-02T08:05:00Z', { contractId: C, vmId: 'vm-1' }))
      .then([restored]);
  });
  it('refuses a restored heartbeat of another VM', () => {
    given(...CONTRACT)
      .when(cmd('RecordHeartbeatRestored', 'e-h', T0, { contractId: C, vmId: 'vm-2' }))
      .then('VmNotOfContract');
  });
});

const issued = (period: string, n: string, at = '2027-01-04T08:00:00Z', contractId = C) =>
  ev('InvoiceIssued', `e-${n}-${contractId}`, at, { contractId, period, invoiceNumber: n });
const issue = (period: string, n: string, at = '2027-01-04T08:00:00Z', contractId = C) =>
  cmd('IssueInvoice', `e-${n}-${contractId}`, at, { contractId, period, invoiceNumber: n });

describe('IssueInvoice (5)', () => {
  it('issues the first invoice', () => {
    given(...CONTRACT)
      .when(issue('2026-10', 'INV-1', '2026-11-02T00:00:00Z'))
      .then([issued('2026-10', 'INV-1', '2026-11-02T00:00:00Z')]);
  });
  it('issues a later period', () => {
    given(...CONTRACT, issued('2026-10', 'INV-1', '2026-11-02T00:00:00Z'))
      .when(issue('2026-12', 'INV-2'))
      .then([issued('2026-12', 'INV-2')]);
  });
  it('refuses the same period again', () => {
    given(...CONTRACT, issued('2026-10', 'INV-1'))
      .when(issue('2026-10', 'INV-2'))
      .then('InvoicePeriodNotAfterLast');
  });
  it('refuses an earlier period', () => {
    given(...CONTRACT, issued('2026-10', 'INV-1'))
      .when(issue('2026-09', 'INV-2'))
      .then('InvoicePeriodNotAfterLast');
  });
  // November ends at 2026-12-01T00:00 in Berlin (CET, +01:00), which is 2026-11-30T23:00Z.
  it("refuses a period that is not over in the contract's time zone", () => {
    given(...CONTRACT)
      .when(issue('2026-11', 'INV-1', '2026-11-30T22:59:59Z'))
      .then('InvoicePeriodNotOver');
  });
  it('refuses a period that has not begun', () => {
    given(...CONTRACT)
      .when(issue('2027-05', 'INV-1', '2026-11-02T00:00:00Z'))
      .then('InvoicePeriodNotOver');
  });
  it('issues at the first instant of the next month', () => {
    given(...CONTRACT)
      .when(issue('2026-11', 'INV-1', '2026-11-30T23:00:00Z'))
      .then([issued('2026-11', 'INV-1', '2026-11-30T23:00:00Z')]);
  });
  it('refuses a number another contract already used', () => {
    given(...CONTRACT, booked('c-2', 'vm-2'), issued('2026-10', 'INV-1', undefined, 'c-2'))
      .when(issue('2026-10', 'INV-1'))
      .then('InvoiceNumberAlreadyUsed');
  });
  it('refuses a number the same contract used for an earlier period', () => {
    given(...CONTRACT, issued('2026-10', 'INV-1'))
      .when(issue('2026-11', 'INV-1'))
      .then('InvoiceNumberAlreadyUsed');
  });
});

describe('RateCard decider', () => {
  it('publishes a rate card', () => {
    given()
      .when(
        cmd('PublishRateCard', 'e-rc', '2026-09-01T00:00:00Z', {
          rateCardId: 'rc-1',
          currency: 'EUR',
          billingIncrementMinutes: 15,
        }),
      )
      .then([RATE_CARD]);
  });
  it('refuses to publish it twice', () => {
    given(RATE_CARD)
      .when(
        cmd('PublishRateCard', 'e-2', T0, {
          rateCardId: 'rc-1',
          currency: 'EUR',
          billingIncrementMinutes: 15,
        }),
      )
      .then('RateCardAlreadyPublished');
  });
  it('sets an hourly rate', () => {
    const data = { rateCardId: 'rc-1', effectiveFrom: at0(), hourlyRate: '97.50' };
    given(RATE_CARD)
      .when(cmd('SetHourlyRate', 'e-r', T0, data))
      .then([ev('HourlyRateSet', 'e-r', T0, data)]);
  });
  it('refuses a rate on an unknown card', () => {
    given(RATE_CARD)
      .when(cmd('SetHourlyRate', 'e-r', T0, { rateCardId: 'rc-404', effectiveFrom: at0(), hourlyRate: '95' }))
      .then('UnknownRateCard');
  });
});

function at0(): number {
  return Date.parse('2026-10-01T00:00:00Z');
}
