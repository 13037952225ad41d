/**
 * fast-check generators of whole, valid event logs: contracts with their own rate cards, tickets of
 * every kind, work with corrections, voids and reclassifications, held orders, updates, alerts and
 * safety measures, retroactive facts (business times in any order) and issued invoices.
 *
 * Validity without duplicating the integrity rules here: each contract's sequence is generated
 * freely, then passed through a fresh Ledger and only the events it applied are kept. Invalid
 * events change no state, so the kept log replays to exactly the same Ledger.
 *
 * Each contract uses its own rate card, VM and id prefix, so contracts are independent and any
 * interleaving of their sequences is a valid log with the same per-contract results (law d).
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { decodeEvent, type DomainEvent, type EventType, type WireEvent } from '@msp-billing/events';
import { SERVICE_KINDS } from '@msp-billing/events/internal';
import { createLedger, type LedgerOptions } from '@msp-billing/billing';

/** What a generated log may contain; every field has a sensible default. */
export interface LogOptions {
  /** Hourly rates to draw from (decimal strings). */
  readonly rates?: readonly string[];
  /** Billing increments (minutes) to draw from. */
  readonly increments?: readonly number[];
  readonly timeZones?: readonly string[];
  readonly slas?: readonly ('Basic' | 'Standard' | 'Professional' | 'Premium')[];
  /** Maximum number of generated actions per contract (before invalid ones are dropped). */
  readonly maxActions?: number;
  /** Number of contracts. */
  readonly minContracts?: number;
  readonly maxContracts?: number;
  /** Ledger options used to keep only valid events (an SLA catalog of your own, …). */
  readonly ledger?: LedgerOptions;
}

const DEFAULTS = {
  rates: ['80', '95.50', '97.1234', '100.00', '120', '0.01'],
  increments: [1, 5, 15, 30, 60],
  timeZones: ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Pacific/Auckland'],
  slas: ['Basic', 'Standard', 'Professional', 'Premium'] as const,
  maxActions: 60,
};

const BASE = Date.UTC(2026, 7, 1); // 2026-08-01T00:00Z
const SPAN_MINUTES = 150 * 1440; // about five months of business time
const REQUESTERS = ['boss@customer.example', 'Dev@Customer.example', 'intern@customer.example'];
const ACTIONS = [
  'rate',
  'ticket',
  'ticket',
  'ticket',
  'update',
  'schedule',
  'alert',
  'ack',
  'measure',
  'work',
  'work',
  'work',
  'work',
  'work',
  'work',
  'correct',
  'void',
  'reclassify',
  'requester',
  'unrequester',
  'confirm',
  'decline',
  'share',
  'unshare',
  'alerting',
  'unalerting',
  'provisioning',
  'windows',
  'sla',
  'cancel',
  'invoice',
  'invoice',
] as const;

/** One generated step: a kind and a few numbers the renderer turns into an event. */
interface Action {
  readonly kind: (typeof ACTIONS)[number];
  readonly a: number;
  readonly b: number;
  readonly at: number;
  readonly minutes: number;
  readonly flag: boolean;
}

const arbitraryAction: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom(...ACTIONS),
  a: fc.nat({ max: 1000 }),
  b: fc.nat({ max: 1000 }),
  at: fc.integer({ min: -20 * 1440, max: SPAN_MINUTES }),
  minutes: fc.oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 1, max: 1440 })),
  flag: fc.boolean(),
});

const iso = (minuteOffset: number): string => new Date(BASE + minuteOffset * 60_000).toISOString();
const pick = <A>(xs: readonly A[], n: number): A => xs[n % xs.length] as A;
const periodAfter = (monthsFromAugust: number): string => {
  const d = new Date(Date.UTC(2026, 7 + monthsFromAugust, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** Render one contract's actions into wire events (not yet filtered for validity). */
const renderContract = (
  index: number,
  setup: { rate: number; increment: number; zone: number; sla: number; bookAt: number },
  actions: readonly Action[],
  o: Required<Pick<LogOptions, 'rates' | 'increments' | 'timeZones' | 'slas'>>,
): WireEvent[] => {
  const p = `k${index}-`;
  const contractId = `${p}c`;
  const rateCardId = `${p}rc`;
  const vmId = `${p}vm`;
  const out: WireEvent[] = [];
  let n = 0;
  const add = (type: EventType, occurredAt: string, data: Record<string, unknown>): void => {
    n += 1;
    out.push({ id: `${p}e${n}`, type, occurredAt, data });
  };
  add('RateCardPublished', iso(-30 * 1440), {
    rateCardId,
    currency: 'EUR',
    billingIncrementMinutes: pick(o.increments, setup.increment),
  });
  add('HourlyRateSet', iso(-30 * 1440), {
    rateCardId,
    effectiveFrom: iso(-30 * 1440),
    hourlyRate: pick(o.rates, setup.rate),
  });
  add('MSPBooked', iso(setup.bookAt - 10 * 1440), {
    contractId,
    customerId: `${p}cust`,
    vmId,
    sla: pick(o.slas, setup.sla),
    rateCardId,
    timeZone: pick(o.timeZones, setup.zone),
  });
  const tickets: string[] = [];
  const updates: string[] = [];
  const alerts: string[] = [];
  const works: string[] = [];
  /** Each work entry's minutes as last logged or corrected. */
  const minutesOf = new Map<string, number>();
  let invoices = 0;
  for (const x of actions) {
    const at = iso(x.at);
    const service = pick(SERVICE_KINDS, x.b);
    switch (x.kind) {
      case 'rate':
        add('HourlyRateSet', at, {
          rateCardId,
          effectiveFrom: iso(x.at - x.minutes * 60),
          hourlyRate: pick(o.rates, x.a),
        });
        break;
      case 'ticket': {
        const ticketId = `${p}t${tickets.length}`;
        tickets.push(ticketId);
        add('TicketOpened', at, {
          ticketId,
          contractId,
          channel: pick(['helpdesk', 'email', 'phone', 'other'], x.a),
          requester: pick(REQUESTERS, x.a),
          subject: `request ${ticketId}`,
          service,
          ...(x.a % 17 === 0 ? { vmId: x.flag ? vmId : `${p}other-vm` } : {}),
        });
        break;
      }
      case 'update': {
        const ticketId = `${p}t${tickets.length}`;
        tickets.push(ticketId);
        updates.push(ticketId);
        add('UpdateRequested', at, {
          ticketId,
          contractId,
          channel: 'email',
          requester: pick(REQUESTERS, x.a),
          software: 'openssl',
          scope: pick(['os', 'preinstalled', 'customer-installed'], x.b),
          vendorSupported: x.a % 5 !== 0,
        });
        break;
      }
      case 'schedule':
        if (updates.length > 0) {
          add('UpdateScheduled', at, {
            ticketId: pick(updates, x.a),
            scheduledFor: iso(x.at + (x.minutes % 97) * 60),
            agreedWithCustomer: x.flag,
          });
        }
        break;
      case 'alert': {
        const alertId = `${p}al${alerts.length}`;
        alerts.push(alertId);
        add('AlertRaised', at, {
          alertId,
          contractId,
          metric: pick(['cpu-load', 'ram', 'filesystem', 'host-down'], x.a),
        });
        break;
      }
      case 'ack':
        if (alerts.length > 0)
          add('AlertAcknowledged', at, { alertId: pick(alerts, x.a), by: pick(REQUESTERS, x.b) });
        break;
      case 'measure': {
        const ticketId = `${p}t${tickets.length}`;
        tickets.push(ticketId);
        add('SafetyMeasureTaken', at, {
          ticketId,
          contractId,
          justification: pick(['no-response', 'imminent-danger', 'customer-instructed'], x.a),
          ...(alerts.length > 0 && x.flag ? { alertId: pick(alerts, x.b) } : {}),
          description: 'kept the VM alive',
        });
        break;
      }
      case 'work':
        if (tickets.length > 0) {
          const workId = `${p}w${works.length}`;
          works.push(workId);
          minutesOf.set(workId, x.minutes);
          add('WorkLogged', at, {
            workId,
            ticketId: pick(tickets, x.a),
            technician: pick(['anna', 'bernd', 'chris'], x.b),
            startedAt: iso(x.at - (x.b % 3) * 1440),
            minutes: x.minutes,
            ...(x.b % 7 === 0 ? { service } : {}),
          });
        }
        break;
      case 'correct':
        if (works.length > 0) {
          // 4: the minutes it has already (a correction that changes no value: priced again, billed the same).
          const fields = x.a % 5;
          const workId = pick(works, x.b);
          const minutes = fields === 4 ? minutesOf.get(workId) : x.minutes;
          if (fields === 0 || fields === 3) minutesOf.set(workId, x.minutes);
          add('WorkLogCorrected', at, {
            workId,
            reason: 'fixed a typo',
            ...(fields === 0 || fields === 3 || fields === 4 ? { minutes } : {}),
            ...(fields === 1 || fields === 3 ? { startedAt: iso(x.at - 1440) } : {}),
            ...(fields === 2 ? { service } : {}),
          });
        }
        break;
      case 'void':
        if (works.length > 0) add('WorkLogVoided', at, { workId: pick(works, x.b), reason: 'logged twice' });
        break;
      case 'reclassify':
        if (tickets.length > 0)
          add('TicketReclassified', at, { ticketId: pick(tickets, x.a), service, reason: 'triage' });
        break;
      case 'requester':
      case 'unrequester':
        add(x.kind === 'requester' ? 'AuthorizedRequesterNamed' : 'AuthorizedRequesterRemoved', at, {
          contractId,
          email: pick(REQUESTERS, x.a % 2),
        });
        break;
      case 'confirm':
      case 'decline':
        if (tickets.length > 0) {
          add(
            x.kind === 'confirm' ? 'OrderConfirmed' : 'OrderDeclined',
            at,
            x.kind === 'confirm'
              ? { ticketId: pick(tickets, x.a), confirmedBy: pick(REQUESTERS, x.b % 2) }
              : { ticketId: pick(tickets, x.a), declinedBy: pick(REQUESTERS, x.b % 2) },
          );
        }
        break;
      case 'share':
      case 'unshare':
        add(x.kind === 'share' ? 'BackupNasShareAttached' : 'BackupNasShareDetached', at, {
          contractId,
          shareId: pick(['nas-a', 'nas-b'], x.a),
        });
        break;
      case 'alerting':
        add('AlertingActivated', at, { contractId, channels: x.flag ? ['email', 'sms'] : ['sms'] });
        break;
      case 'unalerting':
        add('AlertingDeactivated', at, { contractId });
        break;
      case 'provisioning':
        add('ProvisioningCompleted', at, { contractId });
        break;
      case 'windows':
        add('MaintenanceWindowsAgreed', at, {
          contractId,
          windows: x.flag
            ? []
            : [
                {
                  day: pick(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], x.a),
                  start: '20:00',
                  end: '02:00',
                },
              ],
        });
        break;
      case 'sla':
        add('SlaChanged', at, { contractId, sla: pick(o.slas, x.a) });
        break;
      case 'cancel':
        // Rare: a cancellation ends the contract's billable life.
        if (x.a % 10 === 0)
          add('MSPCancelled', iso(x.at + 100 * 1440), { contractId, vmDecommissioned: x.flag });
        break;
      case 'invoice':
        invoices += 1 + (x.a % 3 === 0 ? 1 : 0); // sometimes a period is skipped
        add('InvoiceIssued', iso(Math.max(x.at, (invoices + 1) * 31 * 1440)), {
          contractId,
          period: periodAfter(invoices - 1),
          invoiceNumber: `${p}INV-${invoices}`,
        });
        break;
    }
  }
  return out;
};

/** Decode wire events (generated ones always decode; anything else is a generator bug). */
export const decodeAll = (events: readonly WireEvent[]): DomainEvent[] =>
  events.map((w) => {
    const d = decodeEvent(w);
    if (E.isLeft(d)) throw new Error(`generated event ${w.id} does not decode: ${d.left.message}`);
    return d.right;
  });

/** Keep only the events a fresh Ledger applies: the valid sub-log. */
export const keepValid = (events: readonly WireEvent[], options: LedgerOptions = {}): WireEvent[] => {
  const ledger = createLedger(options);
  const decoded = decodeAll(events);
  return events.filter((_, i) => ledger.apply(decoded[i] as DomainEvent)._tag === 'Applied');
};

/** One contract's valid event sequence (its own rate card, VM and ids, prefixed `k<index>-`). */
export const arbitraryContractLog = (index: number, options: LogOptions = {}): fc.Arbitrary<WireEvent[]> => {
  const o = { ...DEFAULTS, ...options };
  return fc
    .record({
      setup: fc.record({
        rate: fc.nat(),
        increment: fc.nat(),
        zone: fc.nat(),
        sla: fc.nat(),
        bookAt: fc.integer({ min: 0, max: 20 * 1440 }),
      }),
      actions: fc.array(arbitraryAction, { minLength: 5, maxLength: o.maxActions, size: 'large' }),
    })
    .map(({ setup, actions }) => keepValid(renderContract(index, setup, actions, o), options.ledger));
};

/** A merge of several sequences that keeps each one's own order, driven by `choices`. */
export const interleave = <A>(sequences: readonly (readonly A[])[], choices: readonly number[]): A[] => {
  const cursors = sequences.map(() => 0);
  const out: A[] = [];
  let c = 0;
  for (;;) {
    const open = sequences
      .map((_, i) => i)
      .filter((i) => (cursors[i] as number) < (sequences[i] as readonly A[]).length);
    if (open.length === 0) return out;
    const i = open[(choices[c++ % Math.max(1, choices.length)] ?? 0) % open.length] as number;
    out.push((sequences[i] as readonly A[])[cursors[i] as number] as A);
    cursors[i] = (cursors[i] as number) + 1;
  }
};

/** Independent contract sequences, before interleaving. */
export const arbitraryContractLogs = (options: LogOptions = {}): fc.Arbitrary<WireEvent[][]> =>
  fc
    .integer({ min: options.minContracts ?? 1, max: options.maxContracts ?? 3 })
    .chain((k) => fc.tuple(...Array.from({ length: k }, (_, i) => arbitraryContractLog(i, options))));

/** A valid log of a few contracts, interleaved. */
export const arbitraryLog = (options: LogOptions = {}): fc.Arbitrary<WireEvent[]> =>
  fc
    .tuple(arbitraryContractLogs(options), fc.array(fc.nat(), { minLength: 1, maxLength: 50 }))
    .map(([seqs, choices]) => interleave(seqs, choices));
