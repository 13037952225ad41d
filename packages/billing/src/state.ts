/**
 * The Ledger's state: per contract, ticket, alert, rate card and work entry, the facts with their
 * business time (spec §3). Mutated only by the Ledger's `apply`; read by classification through the
 * `ContractView` interface. Every fact bumps a version so that cached classifications know when
 * they are stale.
 */
import {
  emailKey,
  type EventData,
  type MaintenanceWindow,
  type ServiceKind,
  type SlaLevel,
} from '@msp-billing/events';
import type {
  AlertFacts,
  Classification,
  ContractView,
  OrderDecision,
  SafetyMeasureFacts,
  TicketFacts,
  TicketOrigin,
  UpdateRequestFacts,
  UpdateSchedule,
  WindowsInForce,
} from '@msp-billing/entitlements';
import type { SlaCatalog } from '@msp-billing/sla';
import type { Dec } from './money.js';
import { Timeline } from './timeline.js';

/** A rate card: currency, billing increment and the effective-dated hourly rates. */
export interface RateCardState {
  readonly rateCardId: string;
  readonly currency: string;
  readonly billingIncrementMinutes: number;
  readonly rates: Timeline<{ hourlyRate: string; effectiveFrom: number }>;
  /** Bumped by every rate recorded: classifications priced on this card become stale. */
  version: number;
}

/** An alert raised for a contract. */
export interface AlertState extends AlertFacts {
  readonly contractId: string;
  firstAcknowledgedAt?: number;
}

/** A ticket and what happened to it, with a version for caches. */
export interface TicketState {
  readonly ticketId: string;
  readonly contractId: string;
  readonly openedAt: number;
  readonly origin: TicketOrigin;
  readonly channel?: TicketFacts['channel'];
  readonly requester?: string;
  readonly vmId?: string;
  service: ServiceKind;
  update?: { software: string; scope: UpdateRequestFacts['scope']; vendorSupported: boolean };
  /** `UpdateScheduled` facts; the latest in business time counts. */
  readonly schedules: Timeline<UpdateSchedule>;
  safetyMeasure?: SafetyMeasureFacts;
  /** Order confirmations and declines; the latest in business time counts. */
  readonly decisions: Timeline<OrderDecision>;
  version: number;
}

/** A work entry with its corrections applied. */
export interface EntryState {
  readonly workId: string;
  readonly ticketId: string;
  readonly contractId: string;
  readonly technician: string;
  /** Recording position of its `WorkLogged`: invoice lines are ordered by it. */
  readonly seq: number;
  startedAt: number;
  minutes: number;
  service?: ServiceKind;
  description?: string;
  voided: boolean;
  version: number;
  cache?: CachedResult;
}

/** A classified and priced entry, kept until a fact it depends on changes. */
export interface PricedEntry {
  readonly classification: Classification;
  readonly period: string;
  readonly billedMinutes: number | null;
  readonly hourlyRate: string | null;
  readonly amount: Dec | null;
}

/** The cache of one entry and the versions it was computed at. */
export interface CachedResult {
  readonly contractVersion: number;
  readonly ticketVersion: number;
  readonly entryVersion: number;
  readonly rateVersion: number;
  readonly value: PricedEntry;
}

/** What an issued invoice billed for one entry: the values its last line stated. */
export interface InvoicedLine {
  readonly workId: string;
  readonly ticketId: string;
  readonly service: ServiceKind;
  readonly startedAt: number;
  readonly minutes: number;
  readonly billedMinutes: number;
  readonly hourlyRate: string;
  readonly amount: Dec;
  readonly clause: string;
}

/** Creates the business-time state of a booked contract. */
export const newContract = (
  data: EventData<'MSPBooked'>,
  bookedAt: number,
  seq: number,
  catalog: SlaCatalog,
): ContractState => new ContractState(data, bookedAt, seq, catalog);

/** A contract's facts in business time; implements the view classification reads. */
export class ContractState implements ContractView {
  readonly contractId: string;
  readonly customerId: string;
  readonly vmId: string;
  readonly rateCardId: string;
  readonly timeZone: string;
  readonly vatRatePercent: string;
  readonly bookedAt: number;
  cancelledAt?: number;
  provisioningCompletedAt?: number;
  readonly sla = new Timeline<SlaLevel>();
  readonly shares = new Map<string, Timeline<boolean>>();
  readonly alerting = new Timeline<boolean>();
  readonly requesters = new Map<string, Timeline<boolean>>();
  readonly agreedWindows = new Timeline<readonly MaintenanceWindow[]>();
  readonly alerts = new Map<string, AlertState>();
  /** Work entries in recording order of their `WorkLogged`. */
  readonly entries: EntryState[] = [];
  /** Issued invoices by period, and the latest issued period. */
  readonly issued = new Map<string, import('./invoice.js').Invoice>();
  lastIssuedPeriod?: string;
  /** What the issued invoices billed, per work entry. */
  readonly invoiced = new Map<string, InvoicedLine>();
  /** Consecutive HA restarts since the last restored heartbeat (4.2). */
  haRestartsInRow = 0;
  /** Bumped by every contract-level fact: all classifications of the contract become stale. */
  version = 0;

  constructor(
    data: EventData<'MSPBooked'>,
    bookedAt: number,
    seq: number,
    private readonly catalog: SlaCatalog,
  ) {
    this.contractId = data.contractId;
    this.customerId = data.customerId;
    this.vmId = data.vmId;
    this.rateCardId = data.rateCardId;
    this.timeZone = data.timeZone;
    this.vatRatePercent = data.vatRatePercent;
    this.bookedAt = bookedAt;
    this.sla.set(bookedAt, seq, data.sla);
  }

  isMspActiveAt(t: number): boolean {
    return t >= this.bookedAt && (this.cancelledAt === undefined || t < this.cancelledAt);
  }

  isNasShareAttachedAt(t: number): boolean {
    for (const share of this.shares.values()) if (share.at(t) === true) return true;
    return false;
  }

  isAlertingActiveAt(t: number): boolean {
    return this.alerting.at(t) === true;
  }

  authorizedRequestersAt(t: number): ReadonlySet<string> {
    const out = new Set<string>();
    for (const [email, timeline] of this.requesters) if (timeline.at(t) === true) out.add(email);
    return out;
  }

  /** The SLA in force at t (the booked one before any change, also before the booking). */
  slaAt(t: number): SlaLevel {
    return this.sla.at(t) ?? (this.sla.entries()[0]?.value as SlaLevel);
  }

  maintenanceWindowsAt(t: number): WindowsInForce {
    const sla = this.slaAt(t);
    const agreed = this.agreedWindows.at(t);
    // An agreement with an empty list withdraws the agreed windows: the SLA's defaults apply again
    // (docs/decisions.md), rather than leaving a contract with no window at all.
    if (agreed !== undefined && agreed.length > 0) return { windows: agreed, source: 'agreed', sla };
    return { windows: this.catalog[sla].maintenanceWindows, source: 'sla', sla };
  }

  alert(alertId: string): AlertFacts | undefined {
    return this.alerts.get(alertId);
  }

  /** Record that a share was attached or detached at business time `at`. */
  setShare(shareId: string, at: number, seq: number, attached: boolean): void {
    let timeline = this.shares.get(shareId);
    if (timeline === undefined) {
      timeline = new Timeline<boolean>();
      this.shares.set(shareId, timeline);
    }
    timeline.set(at, seq, attached);
  }

  /** Record that a requester was named or removed at business time `at`. */
  setRequester(email: string, at: number, seq: number, authorized: boolean): void {
    const key = emailKey(email);
    let timeline = this.requesters.get(key);
    if (timeline === undefined) {
      timeline = new Timeline<boolean>();
      this.requesters.set(key, timeline);
    }
    timeline.set(at, seq, authorized);
  }
}

/** The ticket facts classification reads, from the mutable ticket state. */
export const ticketFacts = (t: TicketState): TicketFacts => {
  const schedule = t.schedules.isEmpty ? undefined : t.schedules.at(Number.POSITIVE_INFINITY);
  const decision = t.decisions.isEmpty ? undefined : t.decisions.at(Number.POSITIVE_INFINITY);
  return {
    ticketId: t.ticketId,
    contractId: t.contractId,
    openedAt: t.openedAt,
    origin: t.origin,
    service: t.service,
    ...(t.channel === undefined ? {} : { channel: t.channel }),
    ...(t.requester === undefined ? {} : { requester: t.requester }),
    ...(t.vmId === undefined ? {} : { vmId: t.vmId }),
    ...(t.update === undefined
      ? {}
      : { update: { ...t.update, ...(schedule === undefined ? {} : { schedule }) } }),
    ...(t.safetyMeasure === undefined ? {} : { safetyMeasure: t.safetyMeasure }),
    ...(decision === undefined ? {} : { decision }),
  };
};
