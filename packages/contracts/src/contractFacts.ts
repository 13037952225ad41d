/**
 * A contract's facts in business time (spec §3) and the questions classification and the deciders
 * ask of them. Every fact that can change takes effect at its `occurredAt` and may be recorded out of
 * order, so each is a {@link Timeline}; a question "at t" reads the change in force at t whatever
 * the order of recording. `evolveContractFacts` is O(1) amortised per event: it runs for every event
 * of multi-million-event logs.
 */
import { type DomainEvent, type EventData, type MaintenanceWindow, type SlaLevel } from '@msp-billing/events';
import { emailKey, type AlertMetric } from '@msp-billing/events/internal';
import type { SlaCatalog } from '@msp-billing/sla';
import { emptyHaHistory, haAppend, haRestartsInRow, type HaHistory } from './haHistory.js';
import { emptyKeyedLog, keyedGet, keyedSet, type KeyedLog } from './keyedLog.js';
import {
  emptyTimeline,
  keysPresentAt,
  timelineAppend,
  timelineAt,
  timelineEarliest,
  type Timeline,
} from './timeline.js';

/** An alert raised for a contract (4.2). */
export interface AlertFacts {
  readonly alertId: string;
  readonly contractId: string;
  readonly metric: AlertMetric;
  readonly raisedAt: number;
  /** The earliest acknowledgement in business time, if any. */
  readonly firstAcknowledgedAt?: number;
}

/** A change of a keyed membership (a NAS share, an authorised requester): present from `at` or not. */
export interface Membership {
  readonly key: string;
  readonly present: boolean;
}

/** A contract's business-time facts: the state of the contract decider once booked. */
export interface ContractFacts {
  readonly contractId: string;
  readonly customerId: string;
  readonly vmId: string;
  readonly rateCardId: string;
  readonly timeZone: string;
  readonly vatRatePercent: string;
  /** `MSPBooked.occurredAt`: the MSP is active from here (1). */
  readonly bookedAt: number;
  /** The earliest `MSPCancelled.occurredAt`: the MSP is inactive from here (1). */
  readonly cancelledAt?: number;
  readonly vmDecommissioned?: boolean;
  /** The earliest `ProvisioningCompleted.occurredAt`: the handover that ends initial setup (5.3). */
  readonly provisioningCompletedAt?: number;
  readonly sla: Timeline<SlaLevel>;
  /** Backup NAS shares attached (`present`) or detached, by share id (2.1, 2.2). */
  readonly nasShares: Timeline<Membership>;
  readonly alerting: Timeline<boolean>;
  /** Authorised requesters named (`present`) or removed, by e-mail key (3). */
  readonly requesters: Timeline<Membership>;
  /** Agreed maintenance windows (4.1); an empty list withdraws the agreement. */
  readonly agreedWindows: Timeline<readonly MaintenanceWindow[]>;
  readonly alerts: KeyedLog<AlertFacts>;
  /** HA restarts and restored heartbeats of the contract's VM (4.2). */
  readonly ha: HaHistory;
  /** The latest period an invoice was issued for (5). */
  readonly lastIssuedPeriod?: string;
}

/** The state of the contract decider: undefined until `MSPBooked`. */
export type ContractState = ContractFacts | undefined;

/** Facts of a freshly booked contract. */
export const bookedContract = (data: EventData<'MSPBooked'>, bookedAt: number): ContractFacts => ({
  contractId: data.contractId,
  customerId: data.customerId,
  vmId: data.vmId,
  rateCardId: data.rateCardId,
  timeZone: data.timeZone,
  vatRatePercent: data.vatRatePercent,
  bookedAt,
  cancelledAt: undefined,
  vmDecommissioned: undefined,
  provisioningCompletedAt: undefined,
  sla: timelineAppend(emptyTimeline<SlaLevel>(), bookedAt, data.sla),
  nasShares: emptyTimeline(),
  alerting: emptyTimeline(),
  requesters: emptyTimeline(),
  agreedWindows: emptyTimeline(),
  alerts: emptyKeyedLog(),
  ha: emptyHaHistory(),
  lastIssuedPeriod: undefined,
});

const earliest = (a: number | undefined, b: number): number => (a === undefined || b < a ? b : a);

type Patch = { -readonly [K in keyof ContractFacts]?: ContractFacts[K] };

// Object spread is several times slower than a literal of fixed shape in V8, and evolve runs for
// every event of the log: a literal that lists every field keeps one hidden class for all states.
const update = (c: ContractFacts, p: Patch): ContractFacts => ({
  contractId: c.contractId,
  customerId: c.customerId,
  vmId: c.vmId,
  rateCardId: c.rateCardId,
  timeZone: c.timeZone,
  vatRatePercent: c.vatRatePercent,
  bookedAt: c.bookedAt,
  cancelledAt: p.cancelledAt ?? c.cancelledAt,
  vmDecommissioned: p.vmDecommissioned ?? c.vmDecommissioned,
  provisioningCompletedAt: p.provisioningCompletedAt ?? c.provisioningCompletedAt,
  sla: p.sla ?? c.sla,
  nasShares: p.nasShares ?? c.nasShares,
  alerting: p.alerting ?? c.alerting,
  requesters: p.requesters ?? c.requesters,
  agreedWindows: p.agreedWindows ?? c.agreedWindows,
  alerts: p.alerts ?? c.alerts,
  ha: p.ha ?? c.ha,
  lastIssuedPeriod: p.lastIssuedPeriod ?? c.lastIssuedPeriod,
});

/**
 * Fold one event into a contract's facts. Events of other contracts, ticket events and rate-card
 * events leave it unchanged, so the whole log can be folded through it. A second `MSPBooked` is
 * ignored: the decider refuses it, and a log that has one is invalid (spec §2).
 */
export const evolveContractFacts = (c: ContractState, e: DomainEvent): ContractState => {
  if (e.type === 'MSPBooked') return c === undefined ? bookedContract(e.data, e.occurredAt) : c;
  if (c === undefined) return c;
  if (e.type === 'AlertAcknowledged') {
    const alert = keyedGet(c.alerts, e.data.alertId);
    if (alert === undefined) return c;
    const firstAcknowledgedAt = earliest(alert.firstAcknowledgedAt, e.occurredAt);
    // A later acknowledgement changes nothing (only the first counts, 4.2): the same facts, so an
    // alert answered again and again keeps no state.
    if (firstAcknowledgedAt === alert.firstAcknowledgedAt) return c;
    const acknowledged: AlertFacts = {
      alertId: alert.alertId,
      contractId: alert.contractId,
      metric: alert.metric,
      raisedAt: alert.raisedAt,
      firstAcknowledgedAt,
    };
    return update(c, { alerts: keyedSet(c.alerts, alert.alertId, acknowledged) });
  }
  if (!('contractId' in e.data) || e.data.contractId !== c.contractId) return c;
  const at = e.occurredAt;
  switch (e.type) {
    case 'SlaChanged':
      return update(c, { sla: timelineAppend(c.sla, at, e.data.sla) });
    case 'MSPCancelled':
      return update(c, {
        cancelledAt: earliest(c.cancelledAt, at),
        vmDecommissioned: e.data.vmDecommissioned,
      });
    case 'ProvisioningCompleted':
      return update(c, { provisioningCompletedAt: earliest(c.provisioningCompletedAt, at) });
    case 'AuthorizedRequesterNamed':
      return update(c, {
        requesters: timelineAppend(c.requesters, at, { key: emailKey(e.data.email), present: true }),
      });
    case 'AuthorizedRequesterRemoved':
      return update(c, {
        requesters: timelineAppend(c.requesters, at, { key: emailKey(e.data.email), present: false }),
      });
    case 'AlertingActivated':
      return update(c, { alerting: timelineAppend(c.alerting, at, true) });
    case 'AlertingDeactivated':
      return update(c, { alerting: timelineAppend(c.alerting, at, false) });
    case 'BackupNasShareAttached':
      return update(c, {
        nasShares: timelineAppend(c.nasShares, at, { key: e.data.shareId, present: true }),
      });
    case 'BackupNasShareDetached':
      return update(c, {
        nasShares: timelineAppend(c.nasShares, at, { key: e.data.shareId, present: false }),
      });
    case 'MaintenanceWindowsAgreed':
      return update(c, { agreedWindows: timelineAppend(c.agreedWindows, at, e.data.windows) });
    case 'AlertRaised':
      if (keyedGet(c.alerts, e.data.alertId) !== undefined) return c;
      return update(c, {
        alerts: keyedSet(c.alerts, e.data.alertId, {
          alertId: e.data.alertId,
          contractId: c.contractId,
          metric: e.data.metric,
          raisedAt: at,
          firstAcknowledgedAt: undefined,
        }),
      });
    case 'VmRestartedByHa':
      return update(c, { ha: haAppend(c.ha, at, true) });
    case 'VmHeartbeatRestored':
      return update(c, { ha: haAppend(c.ha, at, false) });
    case 'InvoiceIssued':
      return c.lastIssuedPeriod !== undefined && c.lastIssuedPeriod >= e.data.period
        ? c
        : update(c, { lastIssuedPeriod: e.data.period });
    default:
      // Ticket events name a contract too (TicketOpened, UpdateRequested, SafetyMeasureTaken) but
      // belong to the ticket's facts.
      return c;
  }
};

// ---------------------------------------------------------------------------------------------
// Questions at business time

/** Whether the MSP is active at t: from `MSPBooked` (inclusive) until `MSPCancelled` (exclusive) (1). */
export const isMspActiveAt = (c: ContractFacts, t: number): boolean =>
  t >= c.bookedAt && (c.cancelledAt === undefined || t < c.cancelledAt);

/** Whether at least one Backup-NAS-Share is attached at t (2.1, 2.2). */
export const isNasShareAttachedAt = (c: ContractFacts, t: number): boolean =>
  c.nasShares.length > 0 && keysPresentAt(c.nasShares, t).size > 0;

/** Whether alerting is active at t (4.2). */
export const isAlertingActiveAt = (c: ContractFacts, t: number): boolean =>
  timelineAt(c.alerting, t) === true;

/** E-mail keys (see `emailKey`) of the authorised requesters at t (3). */
export const authorizedRequestersAt = (c: ContractFacts, t: number): ReadonlySet<string> =>
  keysPresentAt(c.requesters, t);

/**
 * Whether the handover (`ProvisioningCompleted`) took effect at or before t. Work starting at t is
 * then no longer initial setup: a change request is billable (5.3); before it, included.
 */
export const isProvisioningCompletedBefore = (c: ContractFacts, t: number): boolean =>
  c.provisioningCompletedAt !== undefined && c.provisioningCompletedAt <= t;

/** The SLA in force at t; before the booking, the booked SLA. */
export const slaAt = (c: ContractFacts, t: number): SlaLevel =>
  timelineAt(c.sla, t) ?? (timelineEarliest(c.sla) as SlaLevel);

/** Maintenance windows in force at an instant, and where they come from (4.1). */
export interface WindowsInForce {
  readonly windows: readonly MaintenanceWindow[];
  readonly source: 'agreed' | 'sla';
  /** The SLA in force at that instant. */
  readonly sla: SlaLevel;
}

/**
 * The maintenance windows in force at t (4.1): the windows agreed in force at t replace the defaults
 * of the SLA in force at t. An agreement with an empty list withdraws the agreed windows, so the
 * SLA's defaults apply again — rather than leaving the contract with no window, which would make
 * every update need an appointment. Windows agreed before an SLA change stay in force after it.
 */
export const maintenanceWindowsAt = (c: ContractFacts, t: number, catalog: SlaCatalog): WindowsInForce => {
  const sla = slaAt(c, t);
  const agreed = timelineAt(c.agreedWindows, t);
  if (agreed !== undefined && agreed.length > 0) return { windows: agreed, source: 'agreed', sla };
  return { windows: catalog[sla].maintenanceWindows, source: 'sla', sla };
};

/** The alert `alertId` of this contract, or undefined. */
export const alertOf = (c: ContractFacts, alertId: string): AlertFacts | undefined =>
  keyedGet(c.alerts, alertId);

/**
 * HA restarts in a row at t (4.2): restarts at or before t since the latest restored heartbeat at or
 * before t, in business order.
 */
export const haRestartsInRowAt = (c: ContractFacts, t: number): number => haRestartsInRow(c.ha, t);

/** The questions of this module bound to one contract and catalog, as an object of methods. */
export interface ContractFactsView {
  readonly contractId: string;
  readonly vmId: string;
  readonly timeZone: string;
  readonly bookedAt: number;
  readonly cancelledAt?: number;
  readonly provisioningCompletedAt?: number;
  isMspActiveAt(t: number): boolean;
  isNasShareAttachedAt(t: number): boolean;
  isAlertingActiveAt(t: number): boolean;
  authorizedRequestersAt(t: number): ReadonlySet<string>;
  isProvisioningCompletedBefore(t: number): boolean;
  slaAt(t: number): SlaLevel;
  maintenanceWindowsAt(t: number): WindowsInForce;
  alert(alertId: string): AlertFacts | undefined;
}

/**
 * A contract's facts as a view object (the shape classification's `ContractView` reads), so a
 * caller holding {@link ContractFacts} need not wrap each question itself. A class: its methods live
 * once on the prototype, where an object literal of closures cost eight functions per view.
 */
class FactsView implements ContractFactsView {
  readonly contractId: string;
  readonly vmId: string;
  readonly timeZone: string;
  readonly bookedAt: number;
  readonly cancelledAt: number | undefined;
  readonly provisioningCompletedAt: number | undefined;
  readonly #c: ContractFacts;
  readonly #catalog: SlaCatalog;
  constructor(c: ContractFacts, catalog: SlaCatalog) {
    this.contractId = c.contractId;
    this.vmId = c.vmId;
    this.timeZone = c.timeZone;
    this.bookedAt = c.bookedAt;
    this.cancelledAt = c.cancelledAt;
    this.provisioningCompletedAt = c.provisioningCompletedAt;
    this.#c = c;
    this.#catalog = catalog;
  }
  isMspActiveAt(t: number): boolean {
    return isMspActiveAt(this.#c, t);
  }
  isNasShareAttachedAt(t: number): boolean {
    return isNasShareAttachedAt(this.#c, t);
  }
  isAlertingActiveAt(t: number): boolean {
    return isAlertingActiveAt(this.#c, t);
  }
  authorizedRequestersAt(t: number): ReadonlySet<string> {
    return authorizedRequestersAt(this.#c, t);
  }
  isProvisioningCompletedBefore(t: number): boolean {
    return isProvisioningCompletedBefore(this.#c, t);
  }
  slaAt(t: number): SlaLevel {
    return slaAt(this.#c, t);
  }
  maintenanceWindowsAt(t: number): WindowsInForce {
    return maintenanceWindowsAt(this.#c, t, this.#catalog);
  }
  alert(alertId: string): AlertFacts | undefined {
    return alertOf(this.#c, alertId);
  }
}

/** A contract's facts as a {@link ContractFactsView}. */
export const contractView = (c: ContractFacts, catalog: SlaCatalog): ContractFactsView =>
  new FactsView(c, catalog);
