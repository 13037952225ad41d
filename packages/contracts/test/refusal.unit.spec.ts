/** Refusal messages: one line, built in one place, citing the clause of the rule refused. */
import { describe, expect, it } from 'vitest';
import { periodEndsAt, refusal, refusalMessage, type RefusalData } from '../src/internal.js';

describe('refusalMessage', () => {
  it.each<[RefusalData, string]>([
    [{ _tag: 'MspAlreadyBookedForVm', vmId: 'vm-1', contractId: 'c-2', activeContractId: 'c-1' }, '(1)'],
    [{ _tag: 'MspMandatoryForSla', contractId: 'c-1', sla: 'Premium' }, '(1)'],
    [{ _tag: 'WorkOnOtherVm', contractId: 'c-1', vmId: 'vm-2', contractVmId: 'vm-1' }, '(1)'],
    [{ _tag: 'NotAuthorizedToOrder', ticketId: 't-1', by: 'dev@example.com' }, '(3)'],
    [{ _tag: 'UpdateWithoutVendorSupport', ticketId: 't-1', software: 'php5' }, '(4.1)'],
    [
      {
        _tag: 'UpdateOutsideMaintenanceWindow',
        ticketId: 't-1',
        scheduledFor: '2026-10-08T08:00:00.000Z',
        timeZone: 'Europe/Berlin',
      },
      '(4.1)',
    ],
    [{ _tag: 'AlertingNotActive', contractId: 'c-1', at: '2026-10-02T00:00:00.000Z' }, '(4.2)'],
    [
      {
        _tag: 'SafetyMeasureNotJustified',
        ticketId: 't-s',
        justification: 'no-response',
        reason: 'alert-not-older-than-72h',
        alertId: 'a-1',
      },
      '(4.2)',
    ],
    [{ _tag: 'HaRestartLimitReached', contractId: 'c-1', vmId: 'vm-1', restartsInRow: 3 }, '(4.2)'],
    [
      {
        _tag: 'InvoicePeriodNotOver',
        contractId: 'c-1',
        period: '2026-11',
        at: '2026-11-20T00:00:00.000Z',
        periodEndsAt: '2026-11-30T23:00:00.000Z',
        timeZone: 'Europe/Berlin',
      },
      '(5)',
    ],
    [
      {
        _tag: 'InvoiceNumberAlreadyUsed',
        contractId: 'c-2',
        period: '2026-10',
        invoiceNumber: 'RE-1',
        usedByContractId: 'c-1',
        usedForPeriod: '2026-09',
      },
      '(§ 14 UStG)',
    ],
  ])('$0._tag cites %s', (r, clause) => {
    const message = refusalMessage(r);
    expect(message).toContain(clause);
    expect(message).not.toContain('\n');
    expect(refusal(r)).toEqual({ ...r, message });
  });

  it('names the instant as the RFC 3339 text the refusal carries', () => {
    const message = refusalMessage({
      _tag: 'AlertingNotActive',
      contractId: 'c-1',
      at: '2026-10-02T08:00:00.000Z',
    });
    expect(message).toContain('alerting is not active at 2026-10-02T08:00:00.000Z;');
  });
});

describe('periodEndsAt', () => {
  // Worked by hand: the first instant of the next month at local midnight, in each zone's offset then.
  it.each([
    ['2026-11', 'Europe/Berlin', '2026-11-30T23:00:00.000Z'], // CET, +01:00
    ['2026-09', 'Europe/Berlin', '2026-09-30T22:00:00.000Z'], // CEST, +02:00
    ['2026-12', 'Pacific/Auckland', '2026-12-31T11:00:00.000Z'], // NZDT, +13:00, across New Year
    ['2026-12', 'America/New_York', '2027-01-01T05:00:00.000Z'], // EST, -05:00
    ['2027-02', 'Asia/Kolkata', '2027-02-28T18:30:00.000Z'], // +05:30
  ])('%s in %s ends at %s', (period, zone, end) => {
    expect(new Date(periodEndsAt(period, zone)).toISOString()).toBe(end);
  });
});
