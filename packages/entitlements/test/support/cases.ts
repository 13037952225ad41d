/**
 * Classification inputs as plain JSON data (a `Case`) and a fast-check generator of them that
 * reaches every rule of spec §4 and the boundaries the rules turn on: work at the booking and at the
 * cancellation, alerts exactly 72 h old, schedules in and out of maintenance windows, requesters
 * named in another case, rates set after the work. `inputOf` turns a case into the
 * `ClassificationInput` that `classify` reads, with a contract view answering from the case alone;
 * `recorded` reads the cases pinned in fixtures/traces.ndjson.
 */
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import type { AlertFacts, ContractFactsView, WindowsInForce } from '@msp-billing/contracts/internal';
import { type MaintenanceWindow, type ServiceKind } from '@msp-billing/events';
import { SERVICE_KINDS, emailKey } from '@msp-billing/events/internal';
import type {
  Classification,
  ClassificationInput,
  RateInForce,
  TicketView,
  WorkEntryFacts,
} from '../../src/index.js';

/** A contract as plain data: each fact holds from one instant on (or never). */
export interface ContractCase {
  readonly contractId: string;
  readonly vmId: string;
  readonly timeZone: string;
  readonly bookedAt: number;
  readonly cancelledAt?: number;
  readonly provisioningCompletedAt?: number;
  /** A Backup-NAS-Share is attached from here on; never when absent. */
  readonly nasAttachedFrom?: number;
  /** Alerting is active from here on; never when absent. */
  readonly alertingFrom?: number;
  /** Authorised requesters as named (any case), in force from `requestersFrom` on. */
  readonly requesters: readonly string[];
  readonly requestersFrom: number;
  /** The maintenance windows in force at every instant. */
  readonly windows: WindowsInForce;
  readonly alerts: readonly AlertFacts[];
}

/** Everything one classification reads, as JSON data. */
export interface Case {
  readonly entry: WorkEntryFacts;
  readonly ticket: TicketView;
  readonly contract: ContractCase;
  /** Hourly rates in recording order (a later one with the same `effectiveFrom` wins). */
  readonly rates: readonly RateInForce[];
}

/** The rate in force at t: the latest `effectiveFrom` ≤ t, the later recorded on a tie (spec §5). */
const rateIn =
  (rates: readonly RateInForce[]) =>
  (t: number): RateInForce | undefined => {
    let best: RateInForce | undefined;
    for (const r of rates)
      if (r.effectiveFrom <= t && (best === undefined || r.effectiveFrom >= best.effectiveFrom)) best = r;
    return best;
  };

const from = (since: number | undefined, t: number): boolean => since !== undefined && t >= since;

/** The contract view of a case: the questions classification asks, answered from its data. */
export const contractViewOf = (c: ContractCase): ContractFactsView => ({
  contractId: c.contractId,
  vmId: c.vmId,
  timeZone: c.timeZone,
  bookedAt: c.bookedAt,
  ...(c.cancelledAt === undefined ? {} : { cancelledAt: c.cancelledAt }),
  ...(c.provisioningCompletedAt === undefined ? {} : { provisioningCompletedAt: c.provisioningCompletedAt }),
  isMspActiveAt: (t) => t >= c.bookedAt && (c.cancelledAt === undefined || t < c.cancelledAt),
  isNasShareAttachedAt: (t) => from(c.nasAttachedFrom, t),
  isAlertingActiveAt: (t) => from(c.alertingFrom, t),
  authorizedRequestersAt: (t) => new Set(t >= c.requestersFrom ? c.requesters.map(emailKey) : []),
  isProvisioningCompletedBefore: (t) => from(c.provisioningCompletedAt, t),
  slaAt: () => c.windows.sla,
  maintenanceWindowsAt: () => c.windows,
  alert: (alertId) => c.alerts.find((a) => a.alertId === alertId),
});

/** The input `classify` reads for a case. */
export const inputOf = (c: Case): ClassificationInput => ({
  entry: c.entry,
  ticket: c.ticket,
  contract: contractViewOf(c.contract),
  rateAt: rateIn(c.rates),
});

/** A recorded case: the case and the classification (with trace) it gave. */
export interface Recorded {
  readonly case: Case;
  readonly classification: Classification;
}

/** The cases of fixtures/traces.ndjson (see fixtures/record.ts and classify.property.unit.spec.ts). */
export const recorded = (): readonly Recorded[] =>
  readFileSync(new URL('../fixtures/traces.ndjson', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Recorded);

// ------------------------------------------------------------------------------------------------
// The generator

const T0 = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;
const H72 = 72 * HOUR;

/** An instant some weeks around the booking, on the hour or anywhere. */
const instant = fc.oneof(
  fc.integer({ min: -300, max: 3000 }).map((h) => T0 + h * HOUR),
  fc.integer({ min: -300 * HOUR, max: 3000 * HOUR }).map((ms) => T0 + ms),
);
/** Mostly while the MSP runs, sometimes anywhere. */
const during = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2500 * HOUR }).map((ms) => T0 + ms), weight: 6 },
  { arbitrary: instant, weight: 1 },
);
/** Present half the time; `usually` three times in four; `rarely` one time in four. */
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const usually = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(a, { nil: undefined, freq: 4 });
const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });

const windowArb: fc.Arbitrary<MaintenanceWindow> = fc
  .record({
    day: fc.constantFrom('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'),
    start: fc.constantFrom('00:00', '02:00', '09:30', '22:00'),
    end: fc.constantFrom('02:00', '06:00', '17:00', '24:00'),
  })
  .map((w) => w as MaintenanceWindow);

const windowsArb: fc.Arbitrary<WindowsInForce> = fc.record({
  windows: fc.array(windowArb, { maxLength: 3 }),
  source: fc.constantFrom('agreed' as const, 'sla' as const),
  sla: fc.constantFrom('Basic' as const, 'Standard' as const, 'Professional' as const, 'Premium' as const),
});

/** Every service, and more often those whose rules read more than the service. */
const serviceArb = fc.oneof(
  fc.constantFrom<ServiceKind>(...SERVICE_KINDS),
  fc.constantFrom<ServiceKind>('update-installation', 'safety-measure', 'change-request', 'support-request'),
);

/** The ages of an alert at the measure: anything up to 6 days, and 72 h to the millisecond. */
const alertAge = fc.oneof(fc.integer({ min: 0, max: 2 * H72 }), fc.integer({ min: H72 - 1, max: H72 + 1 }));

const raw = fc.record({
  timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata'),
  cancelledAt: rarely(fc.integer({ min: 100, max: 3000 }).map((h) => T0 + h * HOUR)),
  provisioningCompletedAt: maybe(instant),
  nasAttachedFrom: maybe(instant),
  alertingFrom: usually(fc.oneof(fc.constant(T0), instant)),
  requesters: fc.subarray(['Alice@Example.com', 'carol@example.com']),
  requestersFrom: instant,
  windows: windowsArb,
  startedAt: during,
  /** Where the work starts: anywhere, or exactly at the booking or cancellation. */
  snap: fc.constantFrom(
    ...Array.from({ length: 12 }, () => 'free' as const),
    'booked' as const,
    'beforeBooked' as const,
    'cancelled' as const,
  ),
  minutes: fc.integer({ min: 1, max: 480 }),
  entryService: maybe(serviceArb),
  ticketService: serviceArb,
  openedAt: instant,
  origin: fc.constantFrom('ticket' as const, 'update-request' as const, 'safety-measure' as const),
  channel: maybe(fc.constantFrom('helpdesk' as const, 'email' as const, 'phone' as const, 'other' as const)),
  requester: usually(fc.constantFrom('alice@example.com', 'CAROL@example.com', 'mallory@example.com')),
  vmId: maybe(fc.constantFrom('vm-1', 'vm-1', 'vm-2')),
  update: maybe(
    fc.record({
      software: fc.constantFrom('nginx', 'openssl'),
      scope: fc.constantFrom('os' as const, 'preinstalled' as const, 'customer-installed' as const),
      vendorSupported: fc.constantFrom(true, true, true, false),
      schedule: usually(fc.record({ scheduledFor: instant, agreedWithCustomer: fc.boolean() })),
    }),
  ),
  measure: maybe(
    fc.record({
      takenAt: during,
      justification: fc.constantFrom(
        'no-response' as const,
        'imminent-danger' as const,
        'customer-instructed' as const,
      ),
      alertId: maybe(fc.constantFrom('a-1', 'a-2', 'a-9')),
      alertAges: fc.tuple(alertAge, alertAge),
      acks: fc.tuple(maybe(fc.integer({ min: -H72, max: H72 })), maybe(fc.integer({ min: -H72, max: H72 }))),
    }),
  ),
  decision: maybe(
    fc.record({
      kind: fc.constantFrom('confirmed' as const, 'declined' as const),
      by: fc.constantFrom('alice@example.com', 'carol@example.com'),
      at: instant,
    }),
  ),
  rates: fc.array(
    fc.record({
      hourlyRate: fc.constantFrom('95.00', '120.50', '80'),
      effectiveFrom: fc.oneof(fc.constant(T0 - 24 * HOUR), instant),
    }),
    { maxLength: 3 },
  ),
});

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Generated cases: every service, with and without the facts each rule reads. */
export const caseArb: fc.Arbitrary<Case> = raw.map((r): Case => {
  const startedAt =
    r.snap === 'booked'
      ? T0
      : r.snap === 'beforeBooked'
        ? T0 - 1
        : r.snap === 'cancelled' && r.cancelledAt !== undefined
          ? r.cancelledAt
          : r.startedAt;
  const m = r.measure;
  // The measure's alerts are raised the given ages before it, and acknowledged around it.
  const alerts: AlertFacts[] =
    m === undefined
      ? []
      : (['a-1', 'a-2'] as const).map(
          (alertId, i) =>
            defined({
              alertId,
              contractId: 'c-1',
              metric: 'ram' as const,
              raisedAt: m.takenAt - (m.alertAges[i] ?? 0),
              firstAcknowledgedAt: m.acks[i] === undefined ? undefined : m.takenAt + (m.acks[i] ?? 0),
            }) as AlertFacts,
        );
  const contract: ContractCase = defined({
    contractId: 'c-1',
    vmId: 'vm-1',
    timeZone: r.timeZone,
    bookedAt: T0,
    cancelledAt: r.cancelledAt,
    provisioningCompletedAt: r.provisioningCompletedAt,
    nasAttachedFrom: r.nasAttachedFrom,
    alertingFrom: r.alertingFrom,
    requesters: r.requesters,
    requestersFrom: r.requestersFrom,
    windows: r.windows,
    alerts,
  });
  const ticket: TicketView = defined({
    ticketId: 't-1',
    contractId: 'c-1',
    openedAt: r.openedAt,
    origin: r.origin,
    channel: r.channel,
    requester: r.requester,
    vmId: r.vmId,
    service: r.ticketService,
    update: r.update === undefined ? undefined : defined(r.update),
    safetyMeasure:
      m === undefined
        ? undefined
        : (defined({
            takenAt: m.takenAt,
            justification: m.justification,
            alertId: m.alertId,
            description: 'measure',
          }) as TicketView['safetyMeasure']),
    decision: r.decision,
  });
  const entry: WorkEntryFacts = defined({
    workId: 'w-1',
    ticketId: 't-1',
    startedAt,
    minutes: r.minutes,
    service: r.entryService,
  });
  return { entry, ticket, contract, rates: r.rates };
});
