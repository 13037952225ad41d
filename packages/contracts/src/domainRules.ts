/**
 * The domain rules of spec §6 that a command is refused by and a recorded fact is warned about:
 * written once here, each returning the typed refusal (refusal.ts) or undefined. The deciders refuse
 * a command with them; the Ledger (so `check`) warns about a recorded event that breaks them, asking
 * the same function over the facts recorded before the event.
 */
import { formatInstant, type Instant } from '@msp-billing/events';
import type { Justification } from '@msp-billing/events/internal';
import { isInMaintenanceWindow, type SlaCatalog } from '@msp-billing/sla';
import {
  alertOf,
  haRestartsInRowAt,
  isAlertingActiveAt,
  maintenanceWindowsAt,
  slaAt,
  type ContractFacts,
} from './contractFacts.js';
import type { RefusalData } from './refusal.js';
import { judgeSafetyMeasure } from './safetyMeasure.js';

/** HA restarts a VM at most this many times in a row (4.2). */
export const MAX_HA_RESTARTS_IN_ROW = 3;

/** Cancelling the MSP of `c` at `at` (1): an MSP is mandatory for some SLAs and ends only with the VM. */
export const cancellationRefusal = (
  c: ContractFacts,
  at: number,
  vmDecommissioned: boolean,
  catalog: SlaCatalog,
): RefusalData | undefined => {
  const sla = slaAt(c, at);
  return catalog[sla].mspMandatory && !vmDecommissioned
    ? { _tag: 'MspMandatoryForSla', contractId: c.contractId, sla }
    : undefined;
};

/** Work on VM `vmId` under contract `c` (1): MSP services are only for the VM they were booked for. */
export const otherVmRefusal = (c: ContractFacts, vmId: string | undefined): RefusalData | undefined =>
  vmId !== undefined && vmId !== c.vmId
    ? { _tag: 'WorkOnOtherVm', contractId: c.contractId, vmId, contractVmId: c.vmId }
    : undefined;

/** An HA event of VM `vmId` recorded for contract `c`: it must be the contract's VM. */
export const haVmRefusal = (c: ContractFacts, vmId: string): RefusalData | undefined =>
  vmId !== c.vmId
    ? { _tag: 'VmNotOfContract', contractId: c.contractId, vmId, contractVmId: c.vmId }
    : undefined;

/** One more HA restart of `c`'s VM at `at` (4.2): vSphere HA restarts at most 3 times in a row. */
export const haRestartRefusal = (c: ContractFacts, at: number): RefusalData | undefined => {
  const inRow = haRestartsInRowAt(c, at);
  return inRow >= MAX_HA_RESTARTS_IN_ROW
    ? { _tag: 'HaRestartLimitReached', contractId: c.contractId, vmId: c.vmId, restartsInRow: inRow }
    : undefined;
};

/** An update of `software` (4.1): only software under active vendor support is updated. */
export const vendorSupportRefusal = (
  ticketId: string,
  software: string,
  vendorSupported: boolean,
): RefusalData | undefined =>
  vendorSupported ? undefined : { _tag: 'UpdateWithoutVendorSupport', ticketId, software };

/**
 * An update of contract `c` scheduled for `scheduledFor` (4.1): inside the maintenance windows in
 * force then, or by an appointment agreed with the customer.
 */
export const scheduleRefusal = (
  c: ContractFacts,
  ticketId: string,
  scheduledFor: number,
  agreedWithCustomer: boolean,
  catalog: SlaCatalog,
): RefusalData | undefined => {
  if (agreedWithCustomer) return undefined;
  const { windows } = maintenanceWindowsAt(c, scheduledFor, catalog);
  return isInMaintenanceWindow(scheduledFor, windows, c.timeZone)
    ? undefined
    : {
        _tag: 'UpdateOutsideMaintenanceWindow',
        ticketId,
        scheduledFor: formatInstant(scheduledFor as Instant),
        timeZone: c.timeZone,
      };
};

/**
 * A proactive safety measure on contract `c` at `at` (4.2), justified by `justification` and, if
 * named, alert `alertId` (which must be one of `c`'s alerts: an unknown alert is the caller's
 * refusal, not this rule's).
 */
export const safetyMeasureRefusal = (
  c: ContractFacts,
  ticketId: string,
  justification: Justification,
  alertId: string | undefined,
  at: number,
): RefusalData | undefined => {
  const alert = alertId === undefined ? undefined : alertOf(c, alertId);
  const verdict = judgeSafetyMeasure({
    justification,
    takenAt: at,
    alertingActive: isAlertingActiveAt(c, at),
    ...(alert === undefined ? {} : { alert }),
  });
  if (verdict.holds) return undefined;
  if (verdict.reason === 'alerting-not-active')
    return { _tag: 'AlertingNotActive', contractId: c.contractId, at: formatInstant(at as Instant) };
  return {
    _tag: 'SafetyMeasureNotJustified',
    ticketId,
    justification,
    reason: verdict.reason,
    ...(alertId === undefined ? {} : { alertId }),
  };
};
