/**
 * A ticket's facts (spec §2, §4): how it was opened (customer request, update request, provider
 * safety measure), its service over time, the update's schedule, the customer's decision on a held
 * order, and its work entries with their corrections. Schedules and decisions are timelines: the
 * latest in business time counts, whatever the order of recording.
 */
import type { AlertId, DomainEvent, ServiceKind, TechnicianId, TicketChannel } from '@msp-billing/events';
import type { Justification, UpdateScope } from '@msp-billing/events/internal';
import { intern, internOptional } from './intern.js';
import { emptyKeyedLog, keyedGet, keyedSet, type KeyedLog } from './keyedLog.js';
import {
  emptyTimeline,
  timelineAppend,
  timelineChangeAt,
  timelineLatest,
  type Timeline,
} from './timeline.js';

/** How a ticket came into being. */
export type TicketOrigin = 'ticket' | 'update-request' | 'safety-measure';

/** One `UpdateScheduled` (4.1). */
export interface UpdateSchedule {
  readonly scheduledFor: number;
  readonly agreedWithCustomer: boolean;
}

/** The update a ticket opened by `UpdateRequested` asks for (4.1). */
export interface UpdateFacts {
  readonly software: string;
  readonly scope: UpdateScope;
  readonly vendorSupported: boolean;
  readonly schedules: Timeline<UpdateSchedule>;
  readonly outcomes: Timeline<UpdateOutcome>;
}

/** One `UpdateApplied` or `UpdateFailed` (4.1). */
export interface UpdateOutcome {
  readonly applied: boolean;
  readonly rolledBack?: boolean;
}

/** The measure of a ticket opened by `SafetyMeasureTaken` (4.2). */
export interface SafetyMeasureFacts {
  readonly takenAt: number;
  readonly justification: Justification;
  readonly alertId?: AlertId;
  readonly description: string;
}

/** The customer's decision on a held order (3). */
export interface OrderDecision {
  readonly kind: 'confirmed' | 'declined';
  readonly by: string;
}

/** A work entry with its corrections applied. */
export interface WorkEntry {
  readonly workId: string;
  readonly ticketId: string;
  readonly technician: TechnicianId;
  readonly startedAt: number;
  readonly minutes: number;
  readonly service?: ServiceKind;
  readonly description?: string;
  readonly voided: boolean;
}

/** A ticket's facts: the state of the ticket decider once opened. */
export interface TicketFacts {
  readonly ticketId: string;
  readonly contractId: string;
  readonly openedAt: number;
  readonly origin: TicketOrigin;
  readonly channel?: TicketChannel;
  /** The customer's requester; absent on provider tickets (safety measures). */
  readonly requester?: string;
  readonly vmId?: string;
  /** The service the ticket was opened with, in force from `openedAt`. */
  readonly openedService: ServiceKind;
  /**
   * The ticket's reclassifications (`TicketReclassified`) over time, without the opening: the shared
   * empty timeline while never reclassified, as almost every ticket is — a one-change timeline per
   * ticket cost ~170 B. A new value exactly when a reclassification is recorded, so its identity
   * says whether the current service can have changed. Read the service with `currentService`.
   */
  readonly reclassifications: Timeline<ServiceKind>;
  readonly update?: UpdateFacts;
  readonly safetyMeasure?: SafetyMeasureFacts;
  readonly decisions: Timeline<OrderDecision>;
  readonly entries: KeyedLog<WorkEntry>;
}

/** The state of the ticket decider: undefined until the ticket is opened. */
export type TicketState = TicketFacts | undefined;

/**
 * The values a ticket was opened with, which never change: what a ticket opened by `TicketOpened`,
 * with nothing recorded on it since, is made of (a plain ticket: every other field of its facts is
 * a shared empty value). A projection that keeps hundreds of thousands of tickets can keep these
 * values (in columns), with a {@link TicketRecord} for a ticket that is not plain, and make the
 * facts again when asked, with {@link ticketFactsOf}; {@link ticketOpening} and {@link ticketRecord}
 * take facts apart.
 */
export interface PlainTicket {
  readonly ticketId: string;
  readonly contractId: string;
  readonly openedAt: number;
  readonly channel: TicketChannel | undefined;
  readonly requester: string | undefined;
  readonly vmId: string | undefined;
  readonly service: ServiceKind;
}

/**
 * What a ticket's facts hold beyond its {@link PlainTicket} values and its work entries: how it was
 * opened, and the reclassifications, update and decisions recorded on it since.
 */
export interface TicketRecord {
  readonly origin: TicketOrigin;
  readonly reclassifications: Timeline<ServiceKind>;
  readonly update: UpdateFacts | undefined;
  readonly safetyMeasure: SafetyMeasureFacts | undefined;
  readonly decisions: Timeline<OrderDecision>;
}

/** The record of a plain ticket: opened by `TicketOpened`, nothing recorded on it since. */
const PLAIN_RECORD: TicketRecord = {
  origin: 'ticket',
  reclassifications: emptyTimeline(),
  update: undefined,
  safetyMeasure: undefined,
  decisions: emptyTimeline(),
};

/**
 * The facts of the ticket opened with `p` and with the record `r`, without work entries: equal to
 * those `evolveTicketFacts` folds when `p` and `r` were taken from them, and how it opens every
 * ticket. Every TicketFacts is built with the same keys in the same order (here and in `update`),
 * absent ones undefined: one object shape for all tickets keeps property reads fast and the objects
 * small on logs with hundreds of thousands of tickets.
 */
export const ticketFactsOf = (p: PlainTicket, r: TicketRecord): TicketFacts => ({
  ticketId: p.ticketId,
  contractId: p.contractId,
  openedAt: p.openedAt,
  origin: r.origin,
  channel: p.channel,
  requester: p.requester,
  vmId: p.vmId,
  openedService: p.service,
  reclassifications: r.reclassifications,
  update: r.update,
  safetyMeasure: r.safetyMeasure,
  decisions: r.decisions,
  entries: emptyKeyedLog(),
});

/** The facts of the plain ticket `p`: equal to those `evolveTicketFacts` folds from its `TicketOpened`. */
export const plainTicketFacts = (p: PlainTicket): TicketFacts => ticketFactsOf(p, PLAIN_RECORD);

/** The values `t` was opened with. */
export const ticketOpening = (t: TicketFacts): PlainTicket => ({
  ticketId: t.ticketId,
  contractId: t.contractId,
  openedAt: t.openedAt,
  channel: t.channel,
  requester: t.requester,
  vmId: t.vmId,
  service: t.openedService,
});

/** Whether `r` is the record of a plain ticket. */
export const isPlainRecord = (r: TicketRecord): boolean =>
  r.origin === 'ticket' &&
  r.update === undefined &&
  r.safetyMeasure === undefined &&
  r.reclassifications.length === 0 &&
  r.decisions.length === 0;

/**
 * The record of `t` (see {@link TicketRecord}), so that `ticketFactsOf(ticketOpening(t), record)`
 * equals `t`; undefined when `t` has work entries in its facts (which a record does not hold).
 */
export const ticketRecord = (t: TicketFacts): TicketRecord | undefined =>
  t.entries.length > 0
    ? undefined
    : {
        origin: t.origin,
        reclassifications: t.reclassifications,
        update: t.update,
        safetyMeasure: t.safetyMeasure,
        decisions: t.decisions,
      };

/** The values of `t` when it is plain (see {@link PlainTicket}), else undefined. */
export const asPlainTicket = (t: TicketFacts): PlainTicket | undefined => {
  const r = ticketRecord(t);
  return r !== undefined && isPlainRecord(r) ? ticketOpening(t) : undefined;
};

/**
 * The ticket's current service: the latest reclassification in business time, else as opened. The
 * opening counts as the first change, at `openedAt`: a reclassification at the same instant was
 * recorded after it and wins; only when every reclassification took effect before the opening does
 * the service as opened stay.
 */
export const currentService = (t: TicketFacts): ServiceKind => {
  const latest = timelineChangeAt(t.reclassifications, Number.POSITIVE_INFINITY);
  return latest !== undefined && latest.at >= t.openedAt ? latest.value : t.openedService;
};

/** The latest `UpdateScheduled` in business time, if any. */
export const latestSchedule = (t: TicketFacts): UpdateSchedule | undefined =>
  t.update === undefined ? undefined : timelineLatest(t.update.schedules);

/** The customer's decision on the order that counts: the latest in business time (3). */
export const orderDecision = (t: TicketFacts): OrderDecision | undefined => timelineLatest(t.decisions);

/** The work entry `workId` of this ticket, voided or not. */
export const workEntry = (t: TicketFacts, workId: string): WorkEntry | undefined =>
  keyedGet(t.entries, workId);

const openingOf = (e: DomainEvent): TicketFacts | undefined => {
  const at = e.occurredAt;
  switch (e.type) {
    case 'TicketOpened': {
      const d = e.data;
      return plainTicketFacts({
        ticketId: d.ticketId,
        contractId: d.contractId,
        openedAt: at,
        channel: d.channel,
        // Kept for the life of the ticket and repeated across tickets: one shared copy each.
        requester: internOptional(d.requester),
        vmId: internOptional(d.vmId),
        service: d.service,
      });
    }
    case 'UpdateRequested': {
      const d = e.data;
      return ticketFactsOf(
        {
          ticketId: d.ticketId,
          contractId: d.contractId,
          openedAt: at,
          channel: d.channel,
          requester: internOptional(d.requester),
          vmId: internOptional(d.vmId),
          service: 'update-installation',
        },
        {
          origin: 'update-request',
          reclassifications: emptyTimeline(),
          update: {
            software: d.software,
            scope: d.scope,
            vendorSupported: d.vendorSupported,
            schedules: emptyTimeline(),
            outcomes: emptyTimeline(),
          },
          safetyMeasure: undefined,
          decisions: emptyTimeline(),
        },
      );
    }
    case 'SafetyMeasureTaken': {
      const d = e.data;
      return ticketFactsOf(
        {
          ticketId: d.ticketId,
          contractId: d.contractId,
          openedAt: at,
          channel: undefined,
          requester: undefined,
          vmId: undefined,
          service: 'safety-measure',
        },
        {
          origin: 'safety-measure',
          reclassifications: emptyTimeline(),
          update: undefined,
          safetyMeasure: {
            takenAt: at,
            justification: d.justification,
            ...(d.alertId === undefined ? {} : { alertId: d.alertId }),
            description: d.description,
          },
          decisions: emptyTimeline(),
        },
      );
    }
    default:
      return undefined;
  }
};

type Patch = Pick<Partial<TicketFacts>, 'reclassifications' | 'update' | 'decisions' | 'entries'>;

// A literal of fixed shape: object spread is several times slower in V8, and this runs per event.
const update = (t: TicketFacts, p: Patch): TicketFacts => ({
  ticketId: t.ticketId,
  contractId: t.contractId,
  openedAt: t.openedAt,
  origin: t.origin,
  channel: t.channel,
  requester: t.requester,
  vmId: t.vmId,
  openedService: t.openedService,
  reclassifications: p.reclassifications ?? t.reclassifications,
  update: p.update ?? t.update,
  safetyMeasure: t.safetyMeasure,
  decisions: p.decisions ?? t.decisions,
  entries: p.entries ?? t.entries,
});

/** An update's outcomes: three values, shared by every ticket (facts are never changed in place). */
const APPLIED: UpdateOutcome = { applied: true };
const FAILED: UpdateOutcome = { applied: false, rolledBack: false };
const ROLLED_BACK: UpdateOutcome = { applied: false, rolledBack: true };

type WorkEventData<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>['data'];

/**
 * The entry a `WorkLogged` on ticket `ticketId` records. The one definition of a work entry's values, used
 * by {@link evolveTicketFacts} and by projections that keep their entries elsewhere (the Ledger), so
 * both fold an entry to the same values.
 */
export const loggedEntry = (ticketId: string, d: WorkEventData<'WorkLogged'>): WorkEntry => ({
  workId: d.workId,
  // The id of the ticket it is logged on: equal to the event's `ticketId` (a projection that keeps
  // entries apart passes that), and the ticket's own copy from evolveTicketFacts, so that entries
  // share the ticket's string.
  ticketId,
  technician: intern(d.technician),
  startedAt: d.startedAt,
  minutes: d.minutes,
  ...(d.service === undefined ? {} : { service: d.service }),
  ...(d.description === undefined ? {} : { description: d.description }),
  voided: false,
});

/** `entry` with the values a `WorkLogCorrected` replaces (apply only to an entry that is not voided). */
export const correctedEntry = (entry: WorkEntry, d: WorkEventData<'WorkLogCorrected'>): WorkEntry => ({
  ...entry,
  ...(d.startedAt === undefined ? {} : { startedAt: d.startedAt }),
  ...(d.minutes === undefined ? {} : { minutes: d.minutes }),
  ...(d.service === undefined ? {} : { service: d.service }),
});

/** `entry` voided by a `WorkLogVoided` (a void is final, spec §2). */
export const voidedEntry = (entry: WorkEntry): WorkEntry => ({ ...entry, voided: true });

/**
 * Fold one event into a ticket's facts. Events of other tickets, and contract events, leave it
 * unchanged; a second opening of the same id is ignored (the decider refuses it).
 */
export const evolveTicketFacts = (t: TicketState, e: DomainEvent): TicketState => {
  if (t === undefined) return openingOf(e);
  const at = e.occurredAt;
  switch (e.type) {
    case 'TicketReclassified':
      return e.data.ticketId === t.ticketId
        ? update(t, { reclassifications: timelineAppend(t.reclassifications, at, e.data.service) })
        : t;
    case 'OrderConfirmed':
      return e.data.ticketId === t.ticketId
        ? update(t, {
            decisions: timelineAppend(t.decisions, at, { kind: 'confirmed', by: intern(e.data.confirmedBy) }),
          })
        : t;
    case 'OrderDeclined':
      return e.data.ticketId === t.ticketId
        ? update(t, {
            decisions: timelineAppend(t.decisions, at, { kind: 'declined', by: intern(e.data.declinedBy) }),
          })
        : t;
    case 'UpdateScheduled':
      if (e.data.ticketId !== t.ticketId || t.update === undefined) return t;
      return update(t, {
        update: {
          ...t.update,
          schedules: timelineAppend(t.update.schedules, at, {
            scheduledFor: e.data.scheduledFor,
            agreedWithCustomer: e.data.agreedWithCustomer,
          }),
        },
      });
    case 'UpdateApplied':
    case 'UpdateFailed':
      if (e.data.ticketId !== t.ticketId || t.update === undefined) return t;
      return update(t, {
        update: {
          ...t.update,
          outcomes: timelineAppend(
            t.update.outcomes,
            at,
            e.type === 'UpdateApplied' ? APPLIED : e.data.rolledBack ? ROLLED_BACK : FAILED,
          ),
        },
      });
    case 'WorkLogged': {
      const d = e.data;
      if (d.ticketId !== t.ticketId || keyedGet(t.entries, d.workId) !== undefined) return t;
      return update(t, { entries: keyedSet(t.entries, d.workId, loggedEntry(t.ticketId, d)) });
    }
    case 'WorkLogCorrected': {
      const entry = keyedGet(t.entries, e.data.workId);
      if (entry === undefined || entry.voided) return t;
      return update(t, { entries: keyedSet(t.entries, e.data.workId, correctedEntry(entry, e.data)) });
    }
    case 'WorkLogVoided': {
      const entry = keyedGet(t.entries, e.data.workId);
      if (entry === undefined || entry.voided) return t;
      return update(t, { entries: keyedSet(t.entries, e.data.workId, voidedEntry(entry)) });
    }
    default:
      return t;
  }
};
