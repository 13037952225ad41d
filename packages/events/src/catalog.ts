/**
 * The event catalog, schemaVersion 1 (spec §2): one closed codec per event type. These codecs are
 * the single source of truth of the wire format; every event type in TypeScript is derived from
 * them with `t.TypeOf`.
 */
import type * as t from 'io-ts';
import { arrayOf, bool, closed, optional, refineWith, withDefault } from './codec.js';
import {
  AlertChannel,
  AlertId,
  AlertMetric,
  Bic,
  ContractId,
  CountryCode,
  Currency,
  CustomerId,
  DebtorAccount,
  Email,
  Iban,
  IncrementMinutes,
  InstantC,
  InvoiceNumber,
  Justification,
  Minutes,
  Money,
  PartyName,
  PaymentTermsDays,
  Percent,
  Period,
  ProfileText,
  RateCardId,
  ServiceKind,
  ShareId,
  SlaLevel,
  TechnicianId,
  Text,
  TicketChannel,
  TicketId,
  TimeZone,
  UpdateScope,
  VatId,
  VmId,
  WallTime,
  Weekday,
  WorkId,
  type Percent as PercentT,
  type TimeZone as TimeZoneT,
} from './primitives.js';

/** Default time zone of a contract when `MSPBooked` names none. */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin' as TimeZoneT;
/** Default VAT rate of a contract when `MSPBooked` names none. */
export const DEFAULT_VAT_RATE_PERCENT = '19' as PercentT;

/** A maintenance window on the wire: local day and times in the contract's zone. */
export const MaintenanceWindowC = closed('MaintenanceWindow', {
  day: Weekday,
  start: WallTime,
  end: WallTime,
});
/** A maintenance window: a weekday and local start and end times (`HH:MM`) in the contract's zone. */
export type MaintenanceWindow = t.TypeOf<typeof MaintenanceWindowC>;

const workLogCorrectedFields = closed('WorkLogCorrected', {
  workId: WorkId,
  reason: Text,
  startedAt: optional(InstantC),
  minutes: optional(Minutes),
  service: optional(ServiceKind),
});
type WorkLogCorrectedData = t.TypeOf<typeof workLogCorrectedFields>;
type WorkLogCorrectedWire = t.OutputOf<typeof workLogCorrectedFields>;

/** Data codecs of every event type, keyed by `type`. */
export const eventDataCodecs = {
  RateCardPublished: closed('RateCardPublished', {
    rateCardId: RateCardId,
    currency: Currency,
    billingIncrementMinutes: IncrementMinutes,
  }),
  HourlyRateSet: closed('HourlyRateSet', {
    rateCardId: RateCardId,
    effectiveFrom: InstantC,
    hourlyRate: Money,
  }),
  MSPBooked: closed('MSPBooked', {
    contractId: ContractId,
    customerId: CustomerId,
    vmId: VmId,
    sla: SlaLevel,
    rateCardId: RateCardId,
    timeZone: withDefault(TimeZone, DEFAULT_TIME_ZONE),
    vatRatePercent: withDefault(Percent, DEFAULT_VAT_RATE_PERCENT),
  }),
  SlaChanged: closed('SlaChanged', { contractId: ContractId, sla: SlaLevel }),
  MSPCancelled: closed('MSPCancelled', { contractId: ContractId, vmDecommissioned: bool }),
  ProvisioningCompleted: closed('ProvisioningCompleted', { contractId: ContractId }),
  AuthorizedRequesterNamed: closed('AuthorizedRequesterNamed', {
    contractId: ContractId,
    email: Email,
    name: optional(Text),
  }),
  AuthorizedRequesterRemoved: closed('AuthorizedRequesterRemoved', { contractId: ContractId, email: Email }),
  AlertingActivated: closed('AlertingActivated', {
    contractId: ContractId,
    channels: arrayOf(AlertChannel, { nonEmpty: true, max: 2, unique: true }),
  }),
  AlertingDeactivated: closed('AlertingDeactivated', { contractId: ContractId }),
  BackupNasShareAttached: closed('BackupNasShareAttached', { contractId: ContractId, shareId: ShareId }),
  BackupNasShareDetached: closed('BackupNasShareDetached', { contractId: ContractId, shareId: ShareId }),
  MaintenanceWindowsAgreed: closed('MaintenanceWindowsAgreed', {
    contractId: ContractId,
    windows: arrayOf(MaintenanceWindowC, { max: 100 }),
  }),
  TicketOpened: closed('TicketOpened', {
    ticketId: TicketId,
    contractId: ContractId,
    channel: TicketChannel,
    requester: Email,
    subject: Text,
    service: ServiceKind,
    vmId: optional(VmId),
  }),
  TicketReclassified: closed('TicketReclassified', {
    ticketId: TicketId,
    service: ServiceKind,
    reason: Text,
  }),
  OrderConfirmed: closed('OrderConfirmed', { ticketId: TicketId, confirmedBy: Email }),
  OrderDeclined: closed('OrderDeclined', { ticketId: TicketId, declinedBy: Email }),
  UpdateRequested: closed('UpdateRequested', {
    ticketId: TicketId,
    contractId: ContractId,
    channel: TicketChannel,
    requester: Email,
    software: Text,
    scope: UpdateScope,
    vendorSupported: bool,
    vmId: optional(VmId),
  }),
  UpdateScheduled: closed('UpdateScheduled', {
    ticketId: TicketId,
    scheduledFor: InstantC,
    agreedWithCustomer: bool,
  }),
  UpdateApplied: closed('UpdateApplied', { ticketId: TicketId }),
  UpdateFailed: closed('UpdateFailed', { ticketId: TicketId, rolledBack: bool }),
  AlertRaised: closed('AlertRaised', { alertId: AlertId, contractId: ContractId, metric: AlertMetric }),
  AlertAcknowledged: closed('AlertAcknowledged', { alertId: AlertId, by: Email }),
  SafetyMeasureTaken: closed('SafetyMeasureTaken', {
    ticketId: TicketId,
    contractId: ContractId,
    justification: Justification,
    alertId: optional(AlertId),
    description: Text,
  }),
  VmRestartedByHa: closed('VmRestartedByHa', { contractId: ContractId, vmId: VmId }),
  VmHeartbeatRestored: closed('VmHeartbeatRestored', { contractId: ContractId, vmId: VmId }),
  WorkLogged: closed('WorkLogged', {
    workId: WorkId,
    ticketId: TicketId,
    technician: TechnicianId,
    startedAt: InstantC,
    minutes: Minutes,
    service: optional(ServiceKind),
    description: optional(Text),
  }),
  WorkLogCorrected: refineWith<WorkLogCorrectedData, WorkLogCorrectedWire, WorkLogCorrectedData>(
    workLogCorrectedFields,
    'WorkLogCorrected',
    // Spec §2: a correction changes at least one of startedAt, minutes, service.
    (d) =>
      d.startedAt === undefined && d.minutes === undefined && d.service === undefined
        ? 'expected at least one of startedAt, minutes, service'
        : undefined,
  ),
  WorkLogVoided: closed('WorkLogVoided', { workId: WorkId, reason: Text }),
  InvoiceIssued: closed('InvoiceIssued', {
    contractId: ContractId,
    period: Period,
    invoiceNumber: InvoiceNumber,
  }),
  ProviderProfileSet: closed('ProviderProfileSet', {
    name: PartyName,
    street: ProfileText,
    city: ProfileText,
    postalCode: ProfileText,
    countryCode: CountryCode,
    vatId: VatId,
    taxNumber: optional(ProfileText),
    registrationId: optional(ProfileText),
    electronicAddress: Email,
    contactName: ProfileText,
    contactPhone: ProfileText,
    contactEmail: Email,
    iban: Iban,
    bic: optional(Bic),
    paymentTermsDays: PaymentTermsDays,
  }),
  CustomerProfileSet: closed('CustomerProfileSet', {
    customerId: CustomerId,
    name: PartyName,
    street: ProfileText,
    city: ProfileText,
    postalCode: ProfileText,
    countryCode: CountryCode,
    vatId: optional(VatId),
    electronicAddress: Email,
    buyerReference: optional(ProfileText),
    reverseCharge: withDefault(bool, false),
    debtorAccount: optional(DebtorAccount),
  }),
} as const;

type Codecs = typeof eventDataCodecs;

/** Every event type of the catalog. */
export type EventType = keyof Codecs;
/** The list of event types, in catalog order. */
export const EVENT_TYPES = Object.keys(eventDataCodecs) as EventType[];

/** Decoded `data` of an event of type `T`. */
export type EventData<T extends EventType> = t.TypeOf<Codecs[T]>;
/** Wire `data` of an event of type `T`. */
export type EventDataWire<T extends EventType> = t.OutputOf<Codecs[T]>;

/** A decoded, upcast event of type `T` (schemaVersion is that of the current catalog). */
export interface EventOf<T extends EventType> {
  readonly id: import('./primitives.js').EventId;
  readonly type: T;
  readonly occurredAt: import('./primitives.js').Instant;
  readonly data: EventData<T>;
}

/** Any decoded event: a union discriminated by `type`. */
export type DomainEvent = { [T in EventType]: EventOf<T> }[EventType];

/** An event on the wire, ready for `JSON.stringify`. */
export interface WireEvent {
  id: string;
  type: EventType;
  occurredAt: string;
  schemaVersion?: number;
  data: Record<string, unknown>;
}

/** The current schemaVersion of every type in this catalog. */
export const CURRENT_SCHEMA_VERSION = 1;
