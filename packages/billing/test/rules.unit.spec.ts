/**
 * A worked example for every classification rule of spec §4 (rules 1–17), through the Ledger so that
 * business-time facts, corrections and pricing are exercised together. Base scenario (support/log.ts):
 * 100.00 EUR/h, 15-minute increments, contract c-1 (Standard, Europe/Berlin) on vm-1 booked
 * 2026-09-01 08:00+02:00, provisioning completed 2026-09-02 12:00+02:00.
 */
import { describe, expect, it } from 'vitest';
import { BOSS, C, RATE_CARD, VM, base, entryOf, ticket, work } from './support/log.js';

describe('rule 1 — no active MSP (1)', () => {
  it('flags work started before the MSP was booked', () => {
    const l = ticket(base(), 't-1', 'support-request', '2026-09-01T09:00:00+02:00');
    // 2026-09-01 07:00+02:00 is one hour before the booking at 08:00+02:00.
    work(l, 'w-1', 't-1', '2026-09-01T07:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '1', amount: null });
  });

  it('flags work starting at the cancellation instant, not one minute before', () => {
    const l = ticket(base(), 't-1', 'support-request');
    l.add('MSPCancelled', '2026-09-20T12:00:00+02:00', { contractId: C, vmDecommissioned: true });
    work(l, 'w-at', 't-1', '2026-09-20T12:00:00+02:00', 30);
    work(l, 'w-before', 't-1', '2026-09-20T11:59:00+02:00', 30);
    const ledger = l.ledger();
    expect(entryOf(ledger, 'w-at')).toMatchObject({ status: 'flagged', clause: '1' });
    // 30 min → 30 billed × 100.00 / 60 = 50.00
    expect(entryOf(ledger, 'w-before')).toMatchObject({ status: 'billable', clause: '3.1', amount: '50.00' });
  });
});

describe('rule 2 — another VM (1)', () => {
  it("flags work on a ticket for a VM other than the contract's", () => {
    const l = ticket(base(), 't-1', 'support-request', undefined, { vmId: 'vm-other' });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const ledger = l.ledger();
    expect(entryOf(ledger, 'w-1')).toMatchObject({ status: 'flagged', clause: '1' });
    expect(entryOf(ledger, 'w-1').reason).toContain('vm-other');
  });

  it("does not flag a ticket that names the contract's own VM", () => {
    const l = ticket(base(), 't-1', 'incident', undefined, { vmId: VM });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '3.1' });
  });
});

describe('rule 3 — source builds are not offered (5.2)', () => {
  it('flags source-build work, even as the entry’s own service on another ticket', () => {
    const l = ticket(base(), 't-1', 'software-installation');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 60, { service: 'source-build' });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      status: 'flagged',
      clause: '5.2',
      service: 'source-build',
    });
  });
});

describe('rules 4 and 6 — included services (2.1, 2.2)', () => {
  it.each([
    ['os-setup', '2.1'],
    ['network-setup', '2.1'],
    ['certificate-installation', '2.1'],
    ['monitoring', '2.2'],
    ['alerting', '2.2'],
    ['certificate-renewal', '2.2'],
  ])('%s is included under %s', (service, clause) => {
    const l = ticket(base(), 't-1', service);
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 45);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause, billedMinutes: null });
  });
});

describe('rules 5 and 7 — backups only with a Backup-NAS-Share (2.1, 2.2)', () => {
  it('includes backup setup with a share attached and flags it without', () => {
    const l = ticket(base(), 't-1', 'backup-setup');
    work(l, 'w-none', 't-1', '2026-09-10T10:00:00+02:00', 30);
    l.add('BackupNasShareAttached', '2026-09-11T09:00:00+02:00', { contractId: C, shareId: 'nas-1' });
    work(l, 'w-with', 't-1', '2026-09-11T10:00:00+02:00', 30);
    const ledger = l.ledger();
    expect(entryOf(ledger, 'w-none')).toMatchObject({ status: 'flagged', clause: '2.1' });
    expect(entryOf(ledger, 'w-with')).toMatchObject({ status: 'included', clause: '2.1' });
  });

  it('applies a share attachment recorded late from its business time (retroactive fact)', () => {
    const l = ticket(base(), 't-1', 'backup-run');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    // Recorded after the work, but it happened on 2026-09-09.
    l.add('BackupNasShareAttached', '2026-09-09T09:00:00+02:00', { contractId: C, shareId: 'nas-1' });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '2.2' });
  });

  it('flags running backups after the share was detached', () => {
    const l = base()
      .add('BackupNasShareAttached', '2026-09-03T09:00:00+02:00', { contractId: C, shareId: 'nas-1' })
      .add('BackupNasShareDetached', '2026-09-15T09:00:00+02:00', { contractId: C, shareId: 'nas-1' });
    ticket(l, 't-1', 'backup-run');
    work(l, 'w-before', 't-1', '2026-09-14T10:00:00+02:00', 30);
    work(l, 'w-after', 't-1', '2026-09-15T10:00:00+02:00', 30);
    const ledger = l.ledger();
    expect(entryOf(ledger, 'w-before')).toMatchObject({ status: 'included', clause: '2.2' });
    expect(entryOf(ledger, 'w-after')).toMatchObject({ status: 'flagged', clause: '2.2' });
  });
});

describe('rule 8 — incidents of the provider (3.1)', () => {
  it('includes incident work', () => {
    const l = ticket(base(), 't-1', 'incident');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 90);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '3.1' });
  });
});

describe('rule 9 — updates on order, supported, in a window (4.1)', () => {
  const update = (scope: string, vendorSupported = true) =>
    base().add('UpdateRequested', '2026-09-14T10:00:00+02:00', {
      ticketId: 't-u',
      contractId: C,
      channel: 'email',
      requester: BOSS,
      software: 'openssl',
      scope,
      vendorSupported,
    });

  it('flags update work on a ticket not opened by UpdateRequested', () => {
    const l = ticket(base(), 't-1', 'update-installation');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '4.1' });
  });

  it('flags updates of software without vendor support', () => {
    const l = update('os', false);
    work(l, 'w-1', 't-u', '2026-09-16T23:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '4.1' });
  });

  it('includes an OS update scheduled inside the Standard window (Wed 22:00–06:00 Berlin)', () => {
    // 2026-09-16 is a Wednesday; 23:00+02:00 is inside Wed 22:00–06:00.
    const l = update('os').add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-09-16T23:00:00+02:00',
      agreedWithCustomer: false,
    });
    work(l, 'w-1', 't-u', '2026-09-16T23:00:00+02:00', 40);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '4.1' });
  });

  it('includes the early-morning tail of a window that crosses midnight (Thu 05:30 after Wed 22:00)', () => {
    const l = update('preinstalled').add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-09-17T05:30:00+02:00',
      agreedWithCustomer: false,
    });
    work(l, 'w-1', 't-u', '2026-09-17T05:30:00+02:00', 20);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '4.1' });
  });

  it('flags an update scheduled outside every window without agreement, accepts it with agreement', () => {
    // 2026-09-15 is a Tuesday: 14:00 is outside Wed 22:00–06:00.
    const outside = update('os').add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-09-15T14:00:00+02:00',
      agreedWithCustomer: false,
    });
    work(outside, 'w-1', 't-u', '2026-09-15T14:00:00+02:00', 30);
    const ledger = outside.ledger();
    expect(entryOf(ledger, 'w-1')).toMatchObject({ status: 'flagged', clause: '4.1' });
    expect(ledger.warnings().map((w) => w.clause)).toContain('4.1');

    // The latest schedule counts: rescheduled by appointment with the customer.
    outside.add('UpdateScheduled', '2026-09-14T11:00:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-09-15T14:00:00+02:00',
      agreedWithCustomer: true,
    });
    expect(entryOf(outside.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '4.1' });
  });

  it('uses agreed windows instead of the SLA defaults', () => {
    // Agreed: Tuesdays 13:00–15:00. Tuesday 14:00 is now inside; Wednesday 23:00 no longer is.
    const l = update('os')
      .add('MaintenanceWindowsAgreed', '2026-09-03T09:00:00+02:00', {
        contractId: C,
        windows: [{ day: 'TUE', start: '13:00', end: '15:00' }],
      })
      .add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
        ticketId: 't-u',
        scheduledFor: '2026-09-16T23:00:00+02:00',
        agreedWithCustomer: false,
      });
    work(l, 'w-1', 't-u', '2026-09-16T23:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '4.1' });
  });

  it('bills updates of customer-installed software', () => {
    const l = update('customer-installed').add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
      ticketId: 't-u',
      scheduledFor: '2026-09-16T23:00:00+02:00',
      agreedWithCustomer: false,
    });
    work(l, 'w-1', 't-u', '2026-09-16T23:00:00+02:00', 50);
    // 50 min → 60 billed (15-minute increments) × 100.00 / 60 = 100.00
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      status: 'billable',
      clause: '4.1',
      billedMinutes: 60,
      hourlyRate: '100.00',
      amount: '100.00',
    });
  });
});

describe('rule 10 — safety measures (4.2)', () => {
  const alerting = () =>
    base()
      .add('AlertingActivated', '2026-09-02T09:00:00+02:00', { contractId: C, channels: ['email'] })
      .add('AlertRaised', '2026-09-10T12:00:00+02:00', {
        alertId: 'al-1',
        contractId: C,
        metric: 'filesystem',
      });
  const measure = (l: ReturnType<typeof base>, at: string, justification: string, alertId?: string) => {
    l.add('SafetyMeasureTaken', at, {
      ticketId: 't-s',
      contractId: C,
      justification,
      ...(alertId === undefined ? {} : { alertId }),
      description: 'cleared /var/log',
    });
    return work(l, 'w-1', 't-s', at, 25);
  };

  it('includes a measure against imminent danger with alerting active', () => {
    expect(
      entryOf(measure(alerting(), '2026-09-10T12:30:00+02:00', 'imminent-danger').ledger(), 'w-1'),
    ).toMatchObject({
      status: 'included',
      clause: '4.2',
    });
  });

  it('flags any measure without active alerting', () => {
    const l = base().add('AlertRaised', '2026-09-10T12:00:00+02:00', {
      alertId: 'al-1',
      contractId: C,
      metric: 'ram',
    });
    expect(entryOf(measure(l, '2026-09-10T12:30:00+02:00', 'imminent-danger').ledger(), 'w-1')).toMatchObject(
      {
        status: 'flagged',
        clause: '4.2',
      },
    );
  });

  it('needs MORE than 72 hours without an answer for no-response', () => {
    // Alert at 2026-09-10 12:00; +72 h = 2026-09-13 12:00 exactly → not more than 72 h → flagged.
    expect(
      entryOf(measure(alerting(), '2026-09-13T12:00:00+02:00', 'no-response', 'al-1').ledger(), 'w-1'),
    ).toMatchObject({
      status: 'flagged',
      clause: '4.2',
    });
    // One minute later: 72 h 1 min → included.
    expect(
      entryOf(measure(alerting(), '2026-09-13T12:01:00+02:00', 'no-response', 'al-1').ledger(), 'w-1'),
    ).toMatchObject({
      status: 'included',
      clause: '4.2',
    });
  });

  it('flags no-response when the customer answered before the measure', () => {
    const l = alerting().add('AlertAcknowledged', '2026-09-11T08:00:00+02:00', { alertId: 'al-1', by: BOSS });
    expect(
      entryOf(measure(l, '2026-09-14T12:00:00+02:00', 'no-response', 'al-1').ledger(), 'w-1'),
    ).toMatchObject({
      status: 'flagged',
      clause: '4.2',
    });
  });

  it('includes customer-instructed measures only after the alert was answered', () => {
    const answered = alerting().add('AlertAcknowledged', '2026-09-10T13:00:00+02:00', {
      alertId: 'al-1',
      by: BOSS,
    });
    expect(
      entryOf(measure(answered, '2026-09-10T14:00:00+02:00', 'customer-instructed', 'al-1').ledger(), 'w-1'),
    ).toMatchObject({ status: 'included', clause: '4.2' });
    expect(
      entryOf(
        measure(alerting(), '2026-09-10T14:00:00+02:00', 'customer-instructed', 'al-1').ledger(),
        'w-1',
      ),
    ).toMatchObject({ status: 'flagged', clause: '4.2' });
  });
});

describe('rule 11 — configuration changes after handover (5.3)', () => {
  it('includes changes before ProvisioningCompleted and bills them after', () => {
    const l = ticket(base(), 't-1', 'change-request', '2026-09-01T09:00:00+02:00');
    work(l, 'w-setup', 't-1', '2026-09-02T11:59:00+02:00', 30);
    work(l, 'w-change', 't-1', '2026-09-02T12:00:00+02:00', 20);
    const ledger = l.ledger();
    expect(entryOf(ledger, 'w-setup')).toMatchObject({ status: 'included', clause: '5.3' });
    // 20 min → 30 billed × 100.00 / 60 = 50.00
    expect(entryOf(ledger, 'w-change')).toMatchObject({
      status: 'billable',
      clause: '5.3',
      billedMinutes: 30,
      amount: '50.00',
    });
  });

  it('treats every change as initial setup while provisioning is not completed', () => {
    const l = base();
    l.events.splice(3, 1); // drop ProvisioningCompleted
    ticket(l, 't-1', 'change-request');
    work(l, 'w-1', 't-1', '2026-11-10T10:00:00+01:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'included', clause: '5.3' });
  });
});

describe('rules 12–14 — billable services (3.1, 5.1, 5.2)', () => {
  it.each([
    ['support-request', '3.1'],
    ['customer-caused-fault', '5.1'],
    ['ddos-mitigation', '5.1'],
    ['security-review', '5.1'],
    ['malware-cleanup', '5.1'],
  ])('%s is billable under %s', (service, clause) => {
    const l = ticket(base(), 't-1', service);
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 61);
    // 61 min → 75 billed × 100.00 / 60 = 125.00
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      status: 'billable',
      clause,
      billedMinutes: 75,
      amount: '125.00',
    });
  });

  it('bills software installation even during provisioning', () => {
    const l = ticket(base(), 't-1', 'software-installation', '2026-09-01T09:00:00+02:00');
    work(l, 'w-1', 't-1', '2026-09-01T10:00:00+02:00', 15);
    // before ProvisioningCompleted (2026-09-02 12:00); 15 × 100.00 / 60 = 25.00
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'billable', clause: '5.2', amount: '25.00' });
  });
});

describe('rule 15 — provider tickets are nobody’s order (3)', () => {
  it('flags billable work on a safety-measure ticket reclassified to support', () => {
    const l = base()
      .add('AlertingActivated', '2026-09-02T09:00:00+02:00', { contractId: C, channels: ['sms'] })
      .add('SafetyMeasureTaken', '2026-09-10T12:30:00+02:00', {
        ticketId: 't-s',
        contractId: C,
        justification: 'imminent-danger',
        description: 'OOM killer loop',
      })
      .add('TicketReclassified', '2026-09-10T13:00:00+02:00', {
        ticketId: 't-s',
        service: 'support-request',
        reason: 'was a question',
      });
    work(l, 'w-1', 't-s', '2026-09-10T12:30:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '3' });
  });
});

describe('rule 16 — only authorised requesters order billable work (3)', () => {
  const named = () =>
    base().add('AuthorizedRequesterNamed', '2026-09-01T09:00:00+02:00', {
      contractId: C,
      email: 'Boss@Customer.example',
    });

  it('bills a ticket of an authorised requester, comparing e-mails case-insensitively', () => {
    const l = ticket(named(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'billable', clause: '3.1' });
  });

  it('holds a ticket of anyone else until confirmed, then bills it with the service clause', () => {
    const l = ticket(named(), 't-1', 'support-request', undefined, { requester: 'dev@customer.example' });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'held', clause: '3', amount: null });
    l.add('OrderConfirmed', '2026-09-11T09:00:00+02:00', { ticketId: 't-1', confirmedBy: BOSS });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'billable', clause: '3.1', amount: '50.00' });
  });

  it('flags a declined order; when both were recorded the later in business time counts', () => {
    const l = ticket(named(), 't-1', 'support-request', undefined, { requester: 'dev@customer.example' });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    l.add('OrderDeclined', '2026-09-12T09:00:00+02:00', { ticketId: 't-1', declinedBy: BOSS });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '3' });
    // A confirmation recorded afterwards but dated earlier does not override the decline …
    l.add('OrderConfirmed', '2026-09-11T09:00:00+02:00', { ticketId: 't-1', confirmedBy: BOSS });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '3' });
    // … a later one does.
    l.add('OrderConfirmed', '2026-09-13T09:00:00+02:00', { ticketId: 't-1', confirmedBy: BOSS });
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'billable', clause: '3.1' });
  });

  it('judges authorisation at the ticket’s opening: a requester named afterwards does not hold it', () => {
    const l = ticket(base(), 't-1', 'support-request', '2026-09-10T09:00:00+02:00', {
      requester: 'dev@customer.example',
    });
    l.add('AuthorizedRequesterNamed', '2026-09-10T09:30:00+02:00', { contractId: C, email: BOSS });
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'billable', clause: '3.1' });
  });
});

describe('rule 17 — a rate must be in force (3)', () => {
  it('flags billable work before the first rate and prices it once a retroactive rate is recorded', () => {
    const l = base();
    l.events.splice(1, 1); // no HourlyRateSet at all
    l.add('HourlyRateSet', '2026-09-01T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-09-15T00:00:00+02:00',
      hourlyRate: '90.00',
    });
    ticket(l, 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({ status: 'flagged', clause: '3' });
    // Recorded later, effective earlier: it applies from its effectiveFrom.
    l.add('HourlyRateSet', '2026-09-20T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-09-01T00:00:00+02:00',
      hourlyRate: '80.00',
    });
    // 30 min × 80.00 / 60 = 40.00
    expect(entryOf(l.ledger(), 'w-1')).toMatchObject({
      status: 'billable',
      hourlyRate: '80.00',
      amount: '40.00',
    });
  });
});
