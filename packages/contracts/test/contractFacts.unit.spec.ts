/**
 * A contract's facts at business time (spec §3): every fact takes effect at its `occurredAt`,
 * whatever the order in which it was recorded; two facts at the same instant: the later recorded
 * wins.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import {
  alertOf,
  contractView,
  authorizedRequestersAt,
  evolveContractFacts,
  haRestartsInRowAt,
  isAlertingActiveAt,
  isMspActiveAt,
  isNasShareAttachedAt,
  isProvisioningCompletedBefore,
  maintenanceWindowsAt,
  slaAt,
  type ContractFacts,
} from '../src/internal.js';
import { at, booked, ev } from './fixtures.js';

const C = 'c-1';
/** The facts after folding `events` in this (recording) order. */
const facts = (...events: DomainEvent[]): ContractFacts => {
  const c = events.reduce(evolveContractFacts, undefined);
  if (c === undefined) throw new Error('not booked');
  return c;
};
const BOOKED = booked(); // 2026-10-01T00:00Z, Basic, vm-1

describe('isMspActiveAt (1)', () => {
  const c = facts(
    BOOKED,
    ev('MSPCancelled', 'e-x', '2026-10-20T00:00:00Z', { contractId: C, vmDecommissioned: true }),
  );
  it('is active from the booking, inclusive', () => {
    expect(isMspActiveAt(c, at('2026-09-30T23:59:59.999Z'))).toBe(false);
    expect(isMspActiveAt(c, at('2026-10-01T00:00:00Z'))).toBe(true);
  });
  it('is inactive from the cancellation, exclusive', () => {
    expect(isMspActiveAt(c, at('2026-10-19T23:59:59.999Z'))).toBe(true);
    expect(isMspActiveAt(c, at('2026-10-20T00:00:00Z'))).toBe(false);
  });
});

describe('isNasShareAttachedAt (2.1, 2.2)', () => {
  it('a share attached with an earlier occurredAt, recorded later, counts from its occurredAt', () => {
    const c = facts(
      BOOKED,
      // Recorded first: detached on the 20th. Recorded second: attached on the 5th.
      ev('BackupNasShareDetached', 'e-d', '2026-10-20T00:00:00Z', { contractId: C, shareId: 'nas-1' }),
      ev('BackupNasShareAttached', 'e-a', '2026-10-05T00:00:00Z', { contractId: C, shareId: 'nas-1' }),
    );
    expect(isNasShareAttachedAt(c, at('2026-10-04T23:59:59Z'))).toBe(false);
    expect(isNasShareAttachedAt(c, at('2026-10-05T00:00:00Z'))).toBe(true);
    expect(isNasShareAttachedAt(c, at('2026-10-19T00:00:00Z'))).toBe(true);
    expect(isNasShareAttachedAt(c, at('2026-10-20T00:00:00Z'))).toBe(false);
  });
  it('any share attached will do: detaching one leaves the other', () => {
    const c = facts(
      BOOKED,
      ev('BackupNasShareAttached', 'e-1', '2026-10-02T00:00:00Z', { contractId: C, shareId: 'nas-1' }),
      ev('BackupNasShareAttached', 'e-2', '2026-10-03T00:00:00Z', { contractId: C, shareId: 'nas-2' }),
      ev('BackupNasShareDetached', 'e-3', '2026-10-04T00:00:00Z', { contractId: C, shareId: 'nas-1' }),
    );
    expect(isNasShareAttachedAt(c, at('2026-10-05T00:00:00Z'))).toBe(true);
  });
  it('no share ever: never attached', () => {
    expect(isNasShareAttachedAt(facts(BOOKED), at('2026-10-05T00:00:00Z'))).toBe(false);
  });
});

const on = (id: string, t: string) => ev('AlertingActivated', id, t, { contractId: C, channels: ['sms'] });
const off = (id: string, t: string) => ev('AlertingDeactivated', id, t, { contractId: C });

describe('isAlertingActiveAt (4.2)', () => {
  it('follows business time, and at the same instant the later recorded wins', () => {
    const c = facts(BOOKED, off('e-1', '2026-10-10T00:00:00Z'), on('e-2', '2026-10-02T00:00:00Z'));
    expect(isAlertingActiveAt(c, at('2026-10-01T12:00:00Z'))).toBe(false);
    expect(isAlertingActiveAt(c, at('2026-10-02T00:00:00Z'))).toBe(true);
    expect(isAlertingActiveAt(c, at('2026-10-10T00:00:00Z'))).toBe(false);
    const tie = facts(BOOKED, on('e-1', '2026-10-02T00:00:00Z'), off('e-2', '2026-10-02T00:00:00Z'));
    expect(isAlertingActiveAt(tie, at('2026-10-02T00:00:00Z'))).toBe(false);
    const tie2 = facts(BOOKED, off('e-1', '2026-10-02T00:00:00Z'), on('e-2', '2026-10-02T00:00:00Z'));
    expect(isAlertingActiveAt(tie2, at('2026-10-02T00:00:00Z'))).toBe(true);
  });
});

describe('authorizedRequestersAt (3)', () => {
  it('holds e-mail keys, named and removed in business time, recorded out of order', () => {
    const c = facts(
      BOOKED,
      ev('AuthorizedRequesterRemoved', 'e-r', '2026-10-15T00:00:00Z', {
        contractId: C,
        email: 'boss@example.com',
      }),
      ev('AuthorizedRequesterNamed', 'e-n', '2026-10-05T00:00:00Z', {
        contractId: C,
        email: 'Boss@Example.COM',
      }),
      ev('AuthorizedRequesterNamed', 'e-n2', '2026-10-06T00:00:00Z', {
        contractId: C,
        email: 'ops@example.com',
      }),
    );
    expect([...authorizedRequestersAt(c, at('2026-10-04T00:00:00Z'))]).toEqual([]);
    expect([...authorizedRequestersAt(c, at('2026-10-05T00:00:00Z'))]).toEqual(['boss@example.com']);
    expect([...authorizedRequestersAt(c, at('2026-10-10T00:00:00Z'))].toSorted()).toEqual([
      'boss@example.com',
      'ops@example.com',
    ]);
    expect([...authorizedRequestersAt(c, at('2026-10-15T00:00:00Z'))]).toEqual(['ops@example.com']);
  });
});

describe('isProvisioningCompletedBefore (5.3)', () => {
  it('is true from the handover on; the earliest handover counts', () => {
    const c = facts(
      BOOKED,
      ev('ProvisioningCompleted', 'e-p2', '2026-10-09T00:00:00Z', { contractId: C }),
      ev('ProvisioningCompleted', 'e-p1', '2026-10-08T00:00:00Z', { contractId: C }),
    );
    expect(isProvisioningCompletedBefore(c, at('2026-10-07T23:59:59.999Z'))).toBe(false);
    expect(isProvisioningCompletedBefore(c, at('2026-10-08T00:00:00Z'))).toBe(true);
    expect(isProvisioningCompletedBefore(facts(BOOKED), at('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('slaAt and maintenanceWindowsAt (4.1)', () => {
  const c = facts(
    BOOKED,
    // Recorded first: Premium from the 20th. Recorded second: Professional from the 10th.
    ev('SlaChanged', 'e-s2', '2026-10-20T00:00:00Z', { contractId: C, sla: 'Premium' }),
    ev('SlaChanged', 'e-s1', '2026-10-10T00:00:00Z', { contractId: C, sla: 'Professional' }),
    ev('MaintenanceWindowsAgreed', 'e-w1', '2026-10-12T00:00:00Z', {
      contractId: C,
      windows: [{ day: 'SAT', start: '08:00', end: '10:00' }],
    }),
    ev('MaintenanceWindowsAgreed', 'e-w2', '2026-10-14T00:00:00Z', { contractId: C, windows: [] }),
  );
  it('the SLA in force follows business time; before the booking it is the booked one', () => {
    expect(slaAt(c, at('2026-09-01T00:00:00Z'))).toBe('Basic');
    expect(slaAt(c, at('2026-10-09T00:00:00Z'))).toBe('Basic');
    expect(slaAt(c, at('2026-10-10T00:00:00Z'))).toBe('Professional');
    expect(slaAt(c, at('2026-10-25T00:00:00Z'))).toBe('Premium');
  });
  it('the SLA’s defaults, agreed windows replacing them, and an empty agreement restoring them', () => {
    expect(maintenanceWindowsAt(c, at('2026-10-05T00:00:00Z'), DEFAULT_SLA_CATALOG)).toEqual({
      windows: DEFAULT_SLA_CATALOG.Basic.maintenanceWindows,
      source: 'sla',
      sla: 'Basic',
    });
    expect(maintenanceWindowsAt(c, at('2026-10-13T00:00:00Z'), DEFAULT_SLA_CATALOG)).toEqual({
      windows: [{ day: 'SAT', start: '08:00', end: '10:00' }],
      source: 'agreed',
      sla: 'Professional',
    });
    expect(maintenanceWindowsAt(c, at('2026-10-15T00:00:00Z'), DEFAULT_SLA_CATALOG)).toEqual({
      windows: DEFAULT_SLA_CATALOG.Professional.maintenanceWindows,
      source: 'sla',
      sla: 'Professional',
    });
  });
});

describe('alerts and HA restarts (4.2)', () => {
  it('an alert keeps its earliest acknowledgement in business time', () => {
    const c = facts(
      BOOKED,
      ev('AlertRaised', 'e-a', '2026-10-02T00:00:00Z', { alertId: 'a-1', contractId: C, metric: 'ram' }),
      ev('AlertAcknowledged', 'e-k2', '2026-10-04T00:00:00Z', { alertId: 'a-1', by: 'x@example.com' }),
      ev('AlertAcknowledged', 'e-k1', '2026-10-03T00:00:00Z', { alertId: 'a-1', by: 'y@example.com' }),
    );
    expect(alertOf(c, 'a-1')).toEqual({
      alertId: 'a-1',
      contractId: C,
      metric: 'ram',
      raisedAt: at('2026-10-02T00:00:00Z'),
      firstAcknowledgedAt: at('2026-10-03T00:00:00Z'),
    });
    expect(alertOf(c, 'a-2')).toBeUndefined();
  });
  it('an acknowledgement after the earliest one leaves the facts as they were (it keeps no state)', () => {
    const acknowledged = facts(
      BOOKED,
      ev('AlertRaised', 'e-a', '2026-10-02T00:00:00Z', { alertId: 'a-1', contractId: C, metric: 'ram' }),
      ev('AlertAcknowledged', 'e-k1', '2026-10-03T00:00:00Z', { alertId: 'a-1', by: 'y@example.com' }),
    );
    const again = ev('AlertAcknowledged', 'e-k2', '2026-10-05T00:00:00Z', {
      alertId: 'a-1',
      by: 'x@example.com',
    });
    const sameInstant = ev('AlertAcknowledged', 'e-k3', '2026-10-03T00:00:00Z', {
      alertId: 'a-1',
      by: 'x@example.com',
    });
    expect(evolveContractFacts(acknowledged, again)).toBe(acknowledged);
    expect(evolveContractFacts(acknowledged, sameInstant)).toBe(acknowledged);
    // An earlier one does change it.
    const earlier = ev('AlertAcknowledged', 'e-k0', '2026-10-02T12:00:00Z', {
      alertId: 'a-1',
      by: 'x@example.com',
    });
    expect(
      alertOf(evolveContractFacts(acknowledged, earlier) as ContractFacts, 'a-1')?.firstAcknowledgedAt,
    ).toBe(at('2026-10-02T12:00:00Z'));
  });
  it('counts restarts in a row in business order; a restored heartbeat ends a run', () => {
    const restart = (id: string, t: string) => ev('VmRestartedByHa', id, t, { contractId: C, vmId: 'vm-1' });
    const c = facts(
      BOOKED,
      restart('e-1', '2026-10-02T01:00:00Z'),
      restart('e-3', '2026-10-02T03:00:00Z'),
      ev('VmHeartbeatRestored', 'e-h', '2026-10-02T02:30:00Z', { contractId: C, vmId: 'vm-1' }),
      restart('e-2', '2026-10-02T02:00:00Z'),
    );
    // Business order: restart 01:00, restart 02:00, restored 02:30, restart 03:00.
    expect(haRestartsInRowAt(c, at('2026-10-02T02:15:00Z'))).toBe(2);
    expect(haRestartsInRowAt(c, at('2026-10-02T02:45:00Z'))).toBe(0);
    expect(haRestartsInRowAt(c, at('2026-10-02T04:00:00Z'))).toBe(1);
  });
});

describe('evolveContractFacts', () => {
  it('ignores facts of other contracts and a second booking', () => {
    const c = facts(
      BOOKED,
      booked('c-2', 'vm-2', 'Premium'),
      ev('AlertingActivated', 'e-al', '2026-10-02T00:00:00Z', { contractId: 'c-2', channels: ['sms'] }),
    );
    expect(c.contractId).toBe(C);
    expect(slaAt(c, at('2026-10-05T00:00:00Z'))).toBe('Basic');
    expect(isAlertingActiveAt(c, at('2026-10-05T00:00:00Z'))).toBe(false);
  });
  it('leaves earlier states untouched (states are values)', () => {
    const before = facts(BOOKED);
    const after = evolveContractFacts(
      before,
      ev('AlertingActivated', 'e-al', '2026-10-02T00:00:00Z', { contractId: C, channels: ['sms'] }),
    ) as ContractFacts;
    const other = evolveContractFacts(
      before,
      ev('AlertingDeactivated', 'e-off', '2026-10-02T00:00:00Z', { contractId: C }),
    ) as ContractFacts;
    expect(isAlertingActiveAt(before, at('2026-10-03T00:00:00Z'))).toBe(false);
    expect(isAlertingActiveAt(after, at('2026-10-03T00:00:00Z'))).toBe(true);
    expect(isAlertingActiveAt(other, at('2026-10-03T00:00:00Z'))).toBe(false);
  });
});

describe('contractView', () => {
  it('binds the questions to one contract and catalog', () => {
    const c = facts(
      BOOKED,
      ev('AlertingActivated', 'e-al', '2026-10-02T00:00:00Z', { contractId: C, channels: ['sms'] }),
    );
    const view = contractView(c, DEFAULT_SLA_CATALOG);
    const t = at('2026-10-03T00:00:00Z');
    expect(view.contractId).toBe(C);
    expect(view.cancelledAt).toBeUndefined();
    expect(view.isAlertingActiveAt(t)).toBe(isAlertingActiveAt(c, t));
    expect(view.isMspActiveAt(t)).toBe(true);
    expect(view.maintenanceWindowsAt(t)).toEqual(maintenanceWindowsAt(c, t, DEFAULT_SLA_CATALOG));
  });
});
