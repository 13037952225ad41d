/** Refusal messages: one line, built in one place, citing the clause of the rule refused. */
import { describe, expect, it } from 'vitest';
import { refusal, refusalMessage, type RefusalData } from '../src/internal.js';

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
