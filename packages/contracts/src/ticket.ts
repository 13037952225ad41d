/**
 * The Ticket decider: customer tickets and update requests (orders, 3 and 4.1), provider safety
 * measures (4.2), order confirmation, update scheduling and outcome, and work logged on the ticket.
 * Its state is the ticket's {@link TicketFacts}. Most rules read the ticket's contract (authorised
 * requesters, alerting, alerts, windows, the VM), so `inputs.contract` carries the facts of the
 * ticket's contract — for an opening command, of the contract it names; the registry answers
 * whether ticket and work ids are taken.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { type DomainEvent, type EventData, type EventType } from '@msp-billing/events';
import { emailKey, makeEvent } from '@msp-billing/events/internal';
import type { SlaCatalog } from '@msp-billing/sla';
import {
  EVENT_OF_COMMAND,
  type OpenTicket,
  type RequestUpdate,
  type TakeSafetyMeasure,
  type TicketCommand,
} from './commands.js';
import { alertOf, authorizedRequestersAt, type ContractFacts, type ContractState } from './contractFacts.js';
import type { Decider } from './decider.js';
import {
  otherVmRefusal,
  safetyMeasureRefusal,
  scheduleRefusal,
  vendorSupportRefusal,
} from './domainRules.js';
import { refusal, type Refusal, type RefusalData } from './refusal.js';
import { existenceRefusal } from './existence.js';
import { REGISTRY_IDS, type Registry } from './registry.js';
import { evolveTicketFacts, workEntry, type TicketFacts, type TicketState } from './ticketFacts.js';

/** What the ticket decider reads besides the ticket's own facts. */
export interface TicketInputs {
  /** Facts of the ticket's contract (for an opening command: of the contract it names). */
  readonly contract: ContractState;
  /** The registry of the log so far: ticket and work ids in use. */
  readonly registry: Registry;
  /** The SLA catalog in use (default maintenance windows, 4.1). */
  readonly catalog: SlaCatalog;
}

const refuse = (r: RefusalData): Either<Refusal, DomainEvent[]> => left(refusal(r));

const emit = <T extends EventType>(
  type: T,
  c: { readonly eventId: string; readonly occurredAt: number },
  data: EventData<T>,
): Either<Refusal, DomainEvent[]> => right([makeEvent(type, c.eventId, c.occurredAt, data) as DomainEvent]);

const contractNamed = (inputs: TicketInputs, contractId: string): ContractFacts | undefined =>
  inputs.contract !== undefined && inputs.contract.contractId === contractId ? inputs.contract : undefined;

/** Decide a ticket command on the ticket's state. */
export const decideTicket = (
  command: TicketCommand,
  state: TicketState,
  inputs: TicketInputs,
): Either<Refusal, DomainEvent[]> => {
  switch (command.type) {
    case 'OpenTicket':
    case 'RequestUpdate':
    case 'TakeSafetyMeasure':
      return decideOpening(command, state, inputs);
    case 'CorrectWorkLog':
    case 'VoidWorkLog': {
      // Routed by work id (registry.ticketOfWork): the entry must be one of this ticket's.
      const workId = command.data.workId;
      const entry = state === undefined ? undefined : workEntry(state, workId);
      if (state === undefined || entry === undefined)
        return refuse({
          _tag: 'UnknownWorkEntry',
          workId,
          ...(state === undefined ? {} : { ticketId: state.ticketId }),
        });
      if (entry.voided) return refuse({ _tag: 'WorkEntryVoided', workId });
      if (command.type === 'VoidWorkLog') return emit('WorkLogVoided', command, command.data);
      const d = command.data;
      if (d.startedAt === undefined && d.minutes === undefined && d.service === undefined)
        return refuse({ _tag: 'EmptyCorrection', workId });
      return emit('WorkLogCorrected', command, d);
    }
    default: {
      const ticketId = command.data.ticketId;
      if (state === undefined || state.ticketId !== ticketId)
        return refuse({ _tag: 'UnknownTicket', ticketId });
      return decideOnOpened(command, state, inputs);
    }
  }
};

const decideOpening = (
  command: OpenTicket | RequestUpdate | TakeSafetyMeasure,
  state: TicketState,
  inputs: TicketInputs,
): Either<Refusal, DomainEvent[]> => {
  const d = command.data;
  if (state !== undefined) return refuse({ _tag: 'TicketIdAlreadyUsed', ticketId: d.ticketId });
  // The ids it names (spec §2): its contract, a new ticket id, and the alert of a safety measure.
  const opening = makeEvent(EVENT_OF_COMMAND[command.type], command.eventId, command.occurredAt, d);
  const ids = existenceRefusal(REGISTRY_IDS, inputs.registry, opening as DomainEvent);
  if (ids !== undefined) return refuse(ids);
  const c = contractNamed(inputs, d.contractId);
  if (c === undefined) return refuse({ _tag: 'UnknownContract', contractId: d.contractId });
  if (command.type === 'TakeSafetyMeasure') return decideSafetyMeasure(command, c);
  const vmId = command.data.vmId;
  const otherVm = otherVmRefusal(c, vmId);
  if (otherVm !== undefined) return refuse(otherVm);
  if (command.type === 'OpenTicket') return emit('TicketOpened', command, command.data);
  const unsupported = vendorSupportRefusal(d.ticketId, command.data.software, command.data.vendorSupported);
  if (unsupported !== undefined) return refuse(unsupported);
  return emit('UpdateRequested', command, command.data);
};

const decideSafetyMeasure = (
  command: TakeSafetyMeasure,
  c: ContractFacts,
): Either<Refusal, DomainEvent[]> => {
  const d = command.data;
  const at = command.occurredAt;
  if (d.alertId !== undefined && alertOf(c, d.alertId) === undefined)
    return refuse({ _tag: 'UnknownAlert', alertId: d.alertId, contractId: c.contractId });
  const refused = safetyMeasureRefusal(c, d.ticketId, d.justification, d.alertId, at);
  if (refused !== undefined) return refuse(refused);
  return emit('SafetyMeasureTaken', command, d);
};

const decideOnOpened = (
  command: Exclude<
    TicketCommand,
    OpenTicket | RequestUpdate | TakeSafetyMeasure | { type: 'CorrectWorkLog' | 'VoidWorkLog' }
  >,
  t: TicketFacts,
  inputs: TicketInputs,
): Either<Refusal, DomainEvent[]> => {
  const at = command.occurredAt;
  switch (command.type) {
    case 'ReclassifyTicket':
      return emit('TicketReclassified', command, command.data);
    case 'ConfirmOrder':
    case 'DeclineOrder': {
      const c = contractNamed(inputs, t.contractId);
      if (c === undefined) return refuse({ _tag: 'UnknownContract', contractId: t.contractId });
      const by = command.type === 'ConfirmOrder' ? command.data.confirmedBy : command.data.declinedBy;
      // Only the customer's authorised staff may order billable work (3), judged at that time.
      if (!authorizedRequestersAt(c, at).has(emailKey(by)))
        return refuse({ _tag: 'NotAuthorizedToOrder', ticketId: t.ticketId, by });
      return command.type === 'ConfirmOrder'
        ? emit('OrderConfirmed', command, command.data)
        : emit('OrderDeclined', command, command.data);
    }
    case 'ScheduleUpdate': {
      if (t.update === undefined) return refuse({ _tag: 'NotAnUpdateTicket', ticketId: t.ticketId });
      const c = contractNamed(inputs, t.contractId);
      if (c === undefined) return refuse({ _tag: 'UnknownContract', contractId: t.contractId });
      const { scheduledFor, agreedWithCustomer } = command.data;
      const refused = scheduleRefusal(c, t.ticketId, scheduledFor, agreedWithCustomer, inputs.catalog);
      if (refused !== undefined) return refuse(refused);
      return emit('UpdateScheduled', command, command.data);
    }
    case 'RecordUpdateApplied':
      if (t.update === undefined) return refuse({ _tag: 'NotAnUpdateTicket', ticketId: t.ticketId });
      return emit('UpdateApplied', command, command.data);
    case 'RecordUpdateFailed':
      if (t.update === undefined) return refuse({ _tag: 'NotAnUpdateTicket', ticketId: t.ticketId });
      return emit('UpdateFailed', command, command.data);
    case 'LogWork': {
      const d = command.data;
      if (workEntry(t, d.workId) !== undefined)
        return refuse({ _tag: 'WorkIdAlreadyUsed', workId: d.workId });
      const logged = makeEvent('WorkLogged', command.eventId, at, d) as DomainEvent;
      const ids = existenceRefusal(REGISTRY_IDS, inputs.registry, logged);
      if (ids !== undefined) return refuse(ids);
      const c = contractNamed(inputs, t.contractId);
      if (c === undefined) return refuse({ _tag: 'UnknownContract', contractId: t.contractId });
      // Work for the ticket's VM must be work on the contract's VM (1).
      if (t.vmId !== undefined && t.vmId !== c.vmId)
        return refuse({
          _tag: 'WorkOnOtherVm',
          contractId: c.contractId,
          vmId: t.vmId,
          contractVmId: c.vmId,
        });
      return emit('WorkLogged', command, d);
    }
  }
};

/** The Ticket decider. */
export const ticketDecider: Decider<TicketCommand, TicketState, TicketInputs> = {
  decide: decideTicket,
  evolve: evolveTicketFacts,
  initialState: undefined,
};
