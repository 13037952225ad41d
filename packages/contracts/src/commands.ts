/**
 * The commands a service issues, one per event of the catalog that it records (spec §2). A command
 * carries the id and business instant of the event it would record: domain code reads no clock and
 * makes no ids, so replaying a command gives the same event.
 */
import {
  DEFAULT_TIME_ZONE,
  DEFAULT_VAT_RATE_PERCENT,
  type DomainEvent,
  type EventData,
  type EventType,
} from '@msp-billing/events';
import { makeEvent, type Percent, type TimeZone } from '@msp-billing/events/internal';

/** A command asking to record one event: its id, its business instant and its data. */
export interface CommandOf<K extends string, D> {
  readonly type: K;
  /** Id of the event the command records when accepted. */
  readonly eventId: string;
  /** Business instant of that event (epoch ms). */
  readonly occurredAt: number;
  readonly data: D;
}

type Cmd<K extends string, T extends EventType> = CommandOf<K, EventData<T>>;

/** Book an MSP on a VM (1); `timeZone` and `vatRatePercent` default as on the wire. */
export type BookMsp = CommandOf<
  'BookMsp',
  Omit<EventData<'MSPBooked'>, 'timeZone' | 'vatRatePercent'> & {
    readonly timeZone?: TimeZone;
    readonly vatRatePercent?: Percent;
  }
>;
export type ChangeSla = Cmd<'ChangeSla', 'SlaChanged'>;
export type CancelMsp = Cmd<'CancelMsp', 'MSPCancelled'>;
export type CompleteProvisioning = Cmd<'CompleteProvisioning', 'ProvisioningCompleted'>;
export type NameAuthorizedRequester = Cmd<'NameAuthorizedRequester', 'AuthorizedRequesterNamed'>;
export type RemoveAuthorizedRequester = Cmd<'RemoveAuthorizedRequester', 'AuthorizedRequesterRemoved'>;
export type ActivateAlerting = Cmd<'ActivateAlerting', 'AlertingActivated'>;
export type DeactivateAlerting = Cmd<'DeactivateAlerting', 'AlertingDeactivated'>;
export type AttachBackupNasShare = Cmd<'AttachBackupNasShare', 'BackupNasShareAttached'>;
export type DetachBackupNasShare = Cmd<'DetachBackupNasShare', 'BackupNasShareDetached'>;
export type AgreeMaintenanceWindows = Cmd<'AgreeMaintenanceWindows', 'MaintenanceWindowsAgreed'>;
export type RaiseAlert = Cmd<'RaiseAlert', 'AlertRaised'>;
export type AcknowledgeAlert = Cmd<'AcknowledgeAlert', 'AlertAcknowledged'>;
export type RecordHaRestart = Cmd<'RecordHaRestart', 'VmRestartedByHa'>;
export type RecordHeartbeatRestored = Cmd<'RecordHeartbeatRestored', 'VmHeartbeatRestored'>;
export type IssueInvoice = Cmd<'IssueInvoice', 'InvoiceIssued'>;

/** Commands on a contract (stream `contract-<contractId>`). */
export type ContractCommand =
  | BookMsp
  | ChangeSla
  | CancelMsp
  | CompleteProvisioning
  | NameAuthorizedRequester
  | RemoveAuthorizedRequester
  | ActivateAlerting
  | DeactivateAlerting
  | AttachBackupNasShare
  | DetachBackupNasShare
  | AgreeMaintenanceWindows
  | RaiseAlert
  | AcknowledgeAlert
  | RecordHaRestart
  | RecordHeartbeatRestored
  | IssueInvoice;

export type OpenTicket = Cmd<'OpenTicket', 'TicketOpened'>;
export type ReclassifyTicket = Cmd<'ReclassifyTicket', 'TicketReclassified'>;
export type ConfirmOrder = Cmd<'ConfirmOrder', 'OrderConfirmed'>;
export type DeclineOrder = Cmd<'DeclineOrder', 'OrderDeclined'>;
export type RequestUpdate = Cmd<'RequestUpdate', 'UpdateRequested'>;
export type ScheduleUpdate = Cmd<'ScheduleUpdate', 'UpdateScheduled'>;
export type RecordUpdateApplied = Cmd<'RecordUpdateApplied', 'UpdateApplied'>;
export type RecordUpdateFailed = Cmd<'RecordUpdateFailed', 'UpdateFailed'>;
export type TakeSafetyMeasure = Cmd<'TakeSafetyMeasure', 'SafetyMeasureTaken'>;
export type LogWork = Cmd<'LogWork', 'WorkLogged'>;
export type CorrectWorkLog = Cmd<'CorrectWorkLog', 'WorkLogCorrected'>;
export type VoidWorkLog = Cmd<'VoidWorkLog', 'WorkLogVoided'>;

/** Commands on a ticket (stream `ticket-<ticketId>`). */
export type TicketCommand =
  | OpenTicket
  | ReclassifyTicket
  | ConfirmOrder
  | DeclineOrder
  | RequestUpdate
  | ScheduleUpdate
  | RecordUpdateApplied
  | RecordUpdateFailed
  | TakeSafetyMeasure
  | LogWork
  | CorrectWorkLog
  | VoidWorkLog;

export type PublishRateCard = Cmd<'PublishRateCard', 'RateCardPublished'>;
export type SetHourlyRate = Cmd<'SetHourlyRate', 'HourlyRateSet'>;

/** Commands on a rate card (stream `ratecard-<rateCardId>`). */
export type RateCardCommand = PublishRateCard | SetHourlyRate;

export type SetProviderProfile = Cmd<'SetProviderProfile', 'ProviderProfileSet'>;
export type SetCustomerProfile = Cmd<'SetCustomerProfile', 'CustomerProfileSet'>;

/** Commands on an invoicing profile (stream `provider` or `customer-<customerId>`, spec §8). */
export type ProfileCommand = SetProviderProfile | SetCustomerProfile;

/** Every command of this package. */
export type Command = ContractCommand | TicketCommand | RateCardCommand | ProfileCommand;

/** The event type each command records. */
export const EVENT_OF_COMMAND = {
  BookMsp: 'MSPBooked',
  ChangeSla: 'SlaChanged',
  CancelMsp: 'MSPCancelled',
  CompleteProvisioning: 'ProvisioningCompleted',
  NameAuthorizedRequester: 'AuthorizedRequesterNamed',
  RemoveAuthorizedRequester: 'AuthorizedRequesterRemoved',
  ActivateAlerting: 'AlertingActivated',
  DeactivateAlerting: 'AlertingDeactivated',
  AttachBackupNasShare: 'BackupNasShareAttached',
  DetachBackupNasShare: 'BackupNasShareDetached',
  AgreeMaintenanceWindows: 'MaintenanceWindowsAgreed',
  RaiseAlert: 'AlertRaised',
  AcknowledgeAlert: 'AlertAcknowledged',
  RecordHaRestart: 'VmRestartedByHa',
  RecordHeartbeatRestored: 'VmHeartbeatRestored',
  IssueInvoice: 'InvoiceIssued',
  OpenTicket: 'TicketOpened',
  ReclassifyTicket: 'TicketReclassified',
  ConfirmOrder: 'OrderConfirmed',
  DeclineOrder: 'OrderDeclined',
  RequestUpdate: 'UpdateRequested',
  ScheduleUpdate: 'UpdateScheduled',
  RecordUpdateApplied: 'UpdateApplied',
  RecordUpdateFailed: 'UpdateFailed',
  TakeSafetyMeasure: 'SafetyMeasureTaken',
  LogWork: 'WorkLogged',
  CorrectWorkLog: 'WorkLogCorrected',
  VoidWorkLog: 'WorkLogVoided',
  PublishRateCard: 'RateCardPublished',
  SetHourlyRate: 'HourlyRateSet',
  SetProviderProfile: 'ProviderProfileSet',
  SetCustomerProfile: 'CustomerProfileSet',
} as const satisfies Record<Command['type'], EventType>;

/**
 * The event a command records when it is accepted: same id, business instant and data, with the
 * wire defaults of `MSPBooked` filled in. A service that resends a command (a retry after a timeout)
 * can compare it with what the stream already holds: equal means "already applied", not a refusal.
 */
export const eventOfCommand = (command: Command): DomainEvent => {
  const data =
    command.type === 'BookMsp'
      ? {
          ...command.data,
          timeZone: command.data.timeZone ?? DEFAULT_TIME_ZONE,
          vatRatePercent: command.data.vatRatePercent ?? DEFAULT_VAT_RATE_PERCENT,
        }
      : command.data;
  return makeEvent(
    EVENT_OF_COMMAND[command.type],
    command.eventId,
    command.occurredAt,
    data as never,
  ) as DomainEvent;
};

/** The command types of the Contract decider (stream `contract-<id>`). */
export const CONTRACT_COMMAND_TYPES: ReadonlySet<Command['type']> = new Set<ContractCommand['type']>([
  'BookMsp',
  'ChangeSla',
  'CancelMsp',
  'CompleteProvisioning',
  'NameAuthorizedRequester',
  'RemoveAuthorizedRequester',
  'ActivateAlerting',
  'DeactivateAlerting',
  'AttachBackupNasShare',
  'DetachBackupNasShare',
  'AgreeMaintenanceWindows',
  'RaiseAlert',
  'AcknowledgeAlert',
  'RecordHaRestart',
  'RecordHeartbeatRestored',
  'IssueInvoice',
]);

/** Whether a command is for the Contract decider. */
export const isContractCommand = (c: Command): c is ContractCommand => CONTRACT_COMMAND_TYPES.has(c.type);
/** Whether a command is for the RateCard decider. */
export const isRateCardCommand = (c: Command): c is RateCardCommand =>
  c.type === 'PublishRateCard' || c.type === 'SetHourlyRate';
/** Whether a command is for a profile decider. */
export const isProfileCommand = (c: Command): c is ProfileCommand =>
  c.type === 'SetProviderProfile' || c.type === 'SetCustomerProfile';
/** Whether a command is for the Ticket decider (every other command). */
export const isTicketCommand = (c: Command): c is TicketCommand =>
  !isContractCommand(c) && !isRateCardCommand(c) && !isProfileCommand(c);
