/**
 * What classification reads (spec §4): the work entry after its corrections, its ticket, the
 * contract's business-time facts and the rate in force. Classification is pure: it sees only these
 * views, never the log, a store or a clock. The contract side is the contracts package's
 * `ContractFactsView` (the same facts the deciders decide on); the ticket side is a flat view of the
 * ticket's facts with the values in force (current service, latest schedule, decision that counts).
 */
import type {
  ContractFactsView,
  OrderDecision,
  SafetyMeasureFacts,
  TicketOrigin,
  UpdateSchedule,
} from '@msp-billing/contracts/internal';
import type { ServiceKind, TicketChannel } from '@msp-billing/events';
import type { UpdateScope } from '@msp-billing/events/internal';

/** The contract as classification reads it: business-time questions bound to one contract. */
export type ContractView = ContractFactsView;

/** A work entry as it stands after its corrections (a voided entry is never classified). */
export interface WorkEntryFacts {
  readonly workId: string;
  readonly ticketId: string;
  readonly startedAt: number;
  readonly minutes: number;
  /** The entry's own service; when absent the ticket's current service applies. */
  readonly service?: ServiceKind;
}

/** The update a ticket opened by `UpdateRequested` asks for, with its latest schedule (4.1). */
export interface UpdateView {
  readonly software: string;
  readonly scope: UpdateScope;
  readonly vendorSupported: boolean;
  /** The latest `UpdateScheduled` in business time, if any. */
  readonly schedule?: UpdateSchedule;
}

/** The customer's decision that counts (3), with its business time. */
export interface DecisionInForce extends OrderDecision {
  readonly at: number;
}

/** A ticket with the values in force: who asked, for what, and what happened to the order. */
export interface TicketView {
  readonly ticketId: string;
  readonly contractId: string;
  readonly openedAt: number;
  readonly origin: TicketOrigin;
  readonly channel?: TicketChannel;
  /** The customer's requester; absent for provider tickets (safety measures). */
  readonly requester?: string;
  readonly vmId?: string;
  /** The ticket's current service (the latest reclassification in business time, else as opened). */
  readonly service: ServiceKind;
  readonly update?: UpdateView;
  readonly safetyMeasure?: SafetyMeasureFacts;
  readonly decision?: DecisionInForce;
}

/** The hourly rate in force at an instant. */
export interface RateInForce {
  readonly hourlyRate: string;
  readonly effectiveFrom: number;
}

/** Everything `classify` looks at for one entry. */
export interface ClassificationInput {
  readonly entry: WorkEntryFacts;
  readonly ticket: TicketView;
  readonly contract: ContractView;
  readonly rateAt: (t: number) => RateInForce | undefined;
}
