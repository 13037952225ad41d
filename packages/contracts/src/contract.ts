/**
 * The Contract decider: booking, SLA, cancellation, handover, authorised requesters, alerting, NAS
 * shares, agreed maintenance windows, alerts, HA restarts and invoice issue. Its state is the
 * contract's {@link ContractFacts}; the facts of other aggregates it needs (which VM already has an
 * MSP, which rate cards and alert ids exist) come from the {@link Registry} in `inputs`.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import {
  DEFAULT_TIME_ZONE,
  DEFAULT_VAT_RATE_PERCENT,
  type DomainEvent,
  type EventData,
  type EventType,
} from '@msp-billing/events';
import { makeEvent } from '@msp-billing/events/internal';
import type { SlaCatalog } from '@msp-billing/sla';
import type { ContractCommand } from './commands.js';
import { alertOf, evolveContractFacts, type ContractFacts, type ContractState } from './contractFacts.js';
import type { Decider } from './decider.js';
import { cancellationRefusal, haRestartRefusal, haVmRefusal } from './domainRules.js';
import { invoiceIssueRefusal } from './invoiceRules.js';
import { refusal, type Refusal, type RefusalData } from './refusal.js';
import { existenceRefusal } from './existence.js';
import { REGISTRY_IDS, activeMspForVm, invoiceNumberUse, type Registry } from './registry.js';

/** What the contract decider reads besides the contract's own facts. */
export interface ContractInputs {
  /** The registry of the log so far: VMs with an active MSP, rate cards, alert ids. */
  readonly registry: Registry;
  /** The SLA catalog in use (whether an MSP is mandatory for an SLA, 1). */
  readonly catalog: SlaCatalog;
}

export { MAX_HA_RESTARTS_IN_ROW } from './domainRules.js';

const refuse = (r: RefusalData): Either<Refusal, DomainEvent[]> => left(refusal(r));

const emit = <T extends EventType>(
  type: T,
  c: { readonly eventId: string; readonly occurredAt: number },
  data: EventData<T>,
): Either<Refusal, DomainEvent[]> => right([makeEvent(type, c.eventId, c.occurredAt, data) as DomainEvent]);

/** Decide a contract command on the contract's state. */
export const decideContract = (
  command: ContractCommand,
  state: ContractState,
  inputs: ContractInputs,
): Either<Refusal, DomainEvent[]> => {
  if (command.type === 'BookMsp') {
    const d = command.data;
    if (state?.contractId === d.contractId)
      return refuse({ _tag: 'ContractAlreadyBooked', contractId: d.contractId });
    const booked = makeEvent('MSPBooked', command.eventId, command.occurredAt, {
      ...d,
      timeZone: d.timeZone ?? DEFAULT_TIME_ZONE,
      vatRatePercent: d.vatRatePercent ?? DEFAULT_VAT_RATE_PERCENT,
    }) as DomainEvent;
    // The ids it names (spec §2): a new contract, a published rate card.
    const ids = existenceRefusal(REGISTRY_IDS, inputs.registry, booked);
    if (ids !== undefined) return refuse(ids);
    // One MSP per VM (1).
    const active = activeMspForVm(inputs.registry, d.vmId);
    if (active !== undefined)
      return refuse({
        _tag: 'MspAlreadyBookedForVm',
        vmId: d.vmId,
        contractId: d.contractId,
        activeContractId: active,
      });
    return right([booked]);
  }
  if (command.type === 'AcknowledgeAlert') {
    // The caller routes an acknowledgement by the alert's contract (registry.contractOfAlert).
    const alertId = command.data.alertId;
    if (state === undefined || alertOf(state, alertId) === undefined)
      return refuse({
        _tag: 'UnknownAlert',
        alertId,
        ...(state === undefined ? {} : { contractId: state.contractId }),
      });
    return emit('AlertAcknowledged', command, command.data);
  }
  const contractId = command.data.contractId;
  if (state === undefined || state.contractId !== contractId)
    return refuse({ _tag: 'UnknownContract', contractId });
  return decideOnBooked(command, state, inputs);
};

const decideOnBooked = (
  command: Exclude<ContractCommand, { type: 'BookMsp' | 'AcknowledgeAlert' }>,
  c: ContractFacts,
  inputs: ContractInputs,
): Either<Refusal, DomainEvent[]> => {
  const at = command.occurredAt;
  switch (command.type) {
    case 'ChangeSla':
      return emit('SlaChanged', command, command.data);
    case 'CancelMsp': {
      if (c.cancelledAt !== undefined)
        return refuse({ _tag: 'MspAlreadyCancelled', contractId: c.contractId });
      const refused = cancellationRefusal(c, at, command.data.vmDecommissioned, inputs.catalog);
      if (refused !== undefined) return refuse(refused);
      return emit('MSPCancelled', command, command.data);
    }
    case 'CompleteProvisioning':
      return emit('ProvisioningCompleted', command, command.data);
    case 'NameAuthorizedRequester':
      return emit('AuthorizedRequesterNamed', command, command.data);
    case 'RemoveAuthorizedRequester':
      return emit('AuthorizedRequesterRemoved', command, command.data);
    case 'ActivateAlerting':
      return emit('AlertingActivated', command, command.data);
    case 'DeactivateAlerting':
      return emit('AlertingDeactivated', command, command.data);
    case 'AttachBackupNasShare':
      return emit('BackupNasShareAttached', command, command.data);
    case 'DetachBackupNasShare':
      return emit('BackupNasShareDetached', command, command.data);
    case 'AgreeMaintenanceWindows':
      return emit('MaintenanceWindowsAgreed', command, command.data);
    case 'RaiseAlert': {
      if (alertOf(c, command.data.alertId) !== undefined)
        return refuse({ _tag: 'AlertIdAlreadyUsed', alertId: command.data.alertId });
      const raised = makeEvent('AlertRaised', command.eventId, at, command.data) as DomainEvent;
      const ids = existenceRefusal(REGISTRY_IDS, inputs.registry, raised);
      return ids === undefined ? right([raised]) : refuse(ids);
    }
    case 'RecordHaRestart': {
      // A restored heartbeat ends the run of restarts.
      const refused = haVmRefusal(c, command.data.vmId) ?? haRestartRefusal(c, at);
      if (refused !== undefined) return refuse(refused);
      return emit('VmRestartedByHa', command, command.data);
    }
    case 'RecordHeartbeatRestored': {
      const refused = haVmRefusal(c, command.data.vmId);
      if (refused !== undefined) return refuse(refused);
      return emit('VmHeartbeatRestored', command, command.data);
    }
    case 'IssueInvoice': {
      const refused = invoiceIssueRefusal(
        c,
        command.data,
        at,
        invoiceNumberUse(inputs.registry, command.data.invoiceNumber),
      );
      return refused === undefined ? emit('InvoiceIssued', command, command.data) : refuse(refused);
    }
  }
};

/** The Contract decider. */
export const contractDecider: Decider<ContractCommand, ContractState, ContractInputs> = {
  decide: decideContract,
  evolve: evolveContractFacts,
  initialState: undefined,
};
