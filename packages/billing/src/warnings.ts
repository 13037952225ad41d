/**
 * Warnings (spec §6): a recorded fact that the command recording it would have been refused for.
 * Facts are applied whatever they are (the log is what happened); the Ledger, and so `check`,
 * reports each such fact with the refusal the decider would have given, judged by the same rule
 * functions of @msp-billing/contracts (domainRules.ts) over the facts recorded before it.
 */
import {
  MAX_HA_RESTARTS_IN_ROW,
  cancellationRefusal,
  haRestartRefusal,
  haVmRefusal,
  otherVmRefusal,
  safetyMeasureRefusal,
  scheduleRefusal,
  vendorSupportRefusal,
  type RefusalData,
} from '@msp-billing/contracts/internal';
import type { ContractFacts, TicketFacts } from '@msp-billing/contracts';
import type { DomainEvent } from '@msp-billing/events';
import type { SlaCatalog } from '@msp-billing/sla';

/** The refusals a warning carries. */
export type WarningRefusal = Extract<
  RefusalData,
  {
    readonly _tag:
      | 'WorkOnOtherVm'
      | 'VmNotOfContract'
      | 'UpdateWithoutVendorSupport'
      | 'UpdateOutsideMaintenanceWindow'
      | 'AlertingNotActive'
      | 'SafetyMeasureNotJustified'
      | 'MspMandatoryForSla'
      | 'HaRestartLimitReached';
  }
>;

/** The clause of the service description each warning cites. */
const CLAUSE: Record<WarningRefusal['_tag'], string> = {
  WorkOnOtherVm: '1',
  VmNotOfContract: '1',
  MspMandatoryForSla: '1',
  UpdateWithoutVendorSupport: '4.1',
  UpdateOutsideMaintenanceWindow: '4.1',
  AlertingNotActive: '4.2',
  SafetyMeasureNotJustified: '4.2',
  HaRestartLimitReached: '4.2',
};

/** The clause warning `r` cites. */
export const warningClause = (r: WarningRefusal): string => CLAUSE[r._tag];

/** The one-line message of warning `r` about event `ev`, as `check` prints it. */
export const warningMessage = (r: WarningRefusal, ev: DomainEvent): string => {
  switch (r._tag) {
    case 'WorkOnOtherVm':
      return `ticket is for VM ${r.vmId}, but contract ${r.contractId} covers ${r.contractVmId}`;
    case 'VmNotOfContract':
      return `VM ${r.vmId} is not the VM of contract ${r.contractId} (${r.contractVmId})`;
    case 'MspMandatoryForSla':
      return `MSP of a ${r.sla} VM cancelled while the VM is not decommissioned`;
    case 'UpdateWithoutVendorSupport':
      return `update of ${r.software} requested, but it has no vendor support`;
    case 'UpdateOutsideMaintenanceWindow':
      return `update scheduled for ${r.scheduledFor}, outside every maintenance window, without agreement`;
    case 'AlertingNotActive':
      return `safety measure not covered (${ev.type === 'SafetyMeasureTaken' ? ev.data.justification : ''}): alerting-not-active`;
    case 'SafetyMeasureNotJustified':
      return `safety measure not covered (${r.justification}): ${r.reason}`;
    case 'HaRestartLimitReached':
      return `HA restart number ${r.restartsInRow + 1} in a row; vSphere HA restarts at most ${MAX_HA_RESTARTS_IN_ROW} times`;
  }
};

const defined = (rs: readonly (RefusalData | undefined)[]): WarningRefusal[] =>
  rs.filter((r): r is WarningRefusal => r !== undefined && r._tag in CLAUSE);

/**
 * What the command recording `ev` would have been refused for, judged over contract facts `c` as
 * they were before it (no ticket event changes them) and, for a ticket event, the ticket's facts
 * `t` with it. An `UpdateScheduled` on a ticket that is no update request has no effect, so nothing
 * to warn about.
 */
export const warningsOf = (
  ev: DomainEvent,
  c: ContractFacts,
  t: TicketFacts | undefined,
  catalog: SlaCatalog,
): WarningRefusal[] => {
  switch (ev.type) {
    case 'TicketOpened':
      return defined([otherVmRefusal(c, t?.vmId)]);
    case 'UpdateRequested':
      return defined([
        otherVmRefusal(c, t?.vmId),
        vendorSupportRefusal(ev.data.ticketId, ev.data.software, ev.data.vendorSupported),
      ]);
    case 'SafetyMeasureTaken':
      return defined([
        otherVmRefusal(c, t?.vmId),
        safetyMeasureRefusal(c, ev.data.ticketId, ev.data.justification, ev.data.alertId, ev.occurredAt),
      ]);
    case 'UpdateScheduled':
      return t?.update === undefined
        ? []
        : defined([
            scheduleRefusal(c, t.ticketId, ev.data.scheduledFor, ev.data.agreedWithCustomer, catalog),
          ]);
    case 'MSPCancelled':
      return defined([cancellationRefusal(c, ev.occurredAt, ev.data.vmDecommissioned, catalog)]);
    case 'VmRestartedByHa':
      return defined([haVmRefusal(c, ev.data.vmId), haRestartRefusal(c, ev.occurredAt)]);
    case 'VmHeartbeatRestored':
      return defined([haVmRefusal(c, ev.data.vmId)]);
    default:
      return [];
  }
};
