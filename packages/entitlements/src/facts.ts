/**
 * What classification reads (spec §4): the work entry after its corrections, its ticket, the
 * contract's business-time facts and the rate in force. Classification is pure: it sees only these
 * views, never the log, a store or a clock. The Ledger (packages/billing) implements them.
 */
import type {
  AlertId,
  Justification,
  MaintenanceWindow,
  ServiceKind,
  SlaLevel,
  TicketChannel,
  UpdateScope,
} from '@msp-billing/events';

/** A work entry as it stands after its corrections (a voided entry is never classified). */
export interface WorkEntryFacts {
  readonly workId: string;
  readonly ticketId: string;
  readonly startedAt: number;
  readonly minutes: number;
  /** The entry's own service; when absent the ticket's current service applies. */
  readonly service?: ServiceKind;
}

/** How a ticket came into being: a customer request, an update request, or a provider measure. */
export type TicketOrigin = 'ticket' | 'update-request' | 'safety-measure';

/** The latest schedule of an update ticket. */
export interface UpdateSchedule {
  readonly scheduledFor: number;
  readonly agreedWithCustomer: boolean;
}

/** Facts of a ticket opened by `UpdateRequested` (4.1). */
export interface UpdateRequestFacts {
  readonly software: string;
  readonly scope: UpdateScope;
  readonly vendorSupported: boolean;
  /** The latest `UpdateScheduled` in business time, if any. */
  readonly schedule?: UpdateSchedule;
}

/** Facts of a ticket opened by `SafetyMeasureTaken` (4.2). */
export interface SafetyMeasureFacts {
  readonly takenAt: number;
  readonly justification: Justification;
  readonly alertId?: AlertId;
}

/** The customer's decision on a held order (3); the later one in business time counts. */
export interface OrderDecision {
  readonly kind: 'confirmed' | 'declined';
  readonly at: number;
  readonly by: string;
}

/** A ticket: who asked, for what, and what happened to the order. */
export interface TicketFacts {
  readonly ticketId: string;
  readonly contractId: string;
  readonly openedAt: number;
  readonly origin: TicketOrigin;
  readonly channel?: TicketChannel;
  /** The customer's requester; absent for provider tickets (safety measures). */
  readonly requester?: string;
  readonly vmId?: string;
  /** The ticket's current service (after reclassifications). */
  readonly service: ServiceKind;
  readonly update?: UpdateRequestFacts;
  readonly safetyMeasure?: SafetyMeasureFacts;
  readonly decision?: OrderDecision;
}

/** An alert's business-time facts (4.2). */
export interface AlertFacts {
  readonly alertId: string;
  readonly raisedAt: number;
  /** The earliest acknowledgement, if any. */
  readonly firstAcknowledgedAt?: number;
}

/** Maintenance windows in force at an instant, and where they come from (4.1). */
export interface WindowsInForce {
  readonly windows: readonly MaintenanceWindow[];
  readonly source: 'agreed' | 'sla';
  readonly sla: SlaLevel;
}

/** A contract's business-time facts, answered at an instant. */
export interface ContractView {
  readonly contractId: string;
  readonly vmId: string;
  readonly timeZone: string;
  readonly bookedAt: number;
  readonly cancelledAt?: number;
  readonly provisioningCompletedAt?: number;
  isMspActiveAt(t: number): boolean;
  isNasShareAttachedAt(t: number): boolean;
  isAlertingActiveAt(t: number): boolean;
  /** E-mail keys (lower case) of the authorised requesters at t. */
  authorizedRequestersAt(t: number): ReadonlySet<string>;
  maintenanceWindowsAt(t: number): WindowsInForce;
  alert(alertId: string): AlertFacts | undefined;
}

/** The hourly rate in force at an instant. */
export interface RateInForce {
  readonly hourlyRate: string;
  readonly effectiveFrom: number;
}

/** Everything `classify` looks at for one entry. */
export interface ClassificationInput {
  readonly entry: WorkEntryFacts;
  readonly ticket: TicketFacts;
  readonly contract: ContractView;
  readonly rateAt: (t: number) => RateInForce | undefined;
}
