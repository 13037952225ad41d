/**
 * The Ledger projection (ARCHITECTURE.md): applies one event at a time in amortised constant time,
 * keeping facts per contract with their business time, and classifies and prices on demand (cached
 * until a fact the entry depends on changes). `InvoiceIssued` is the only event that freezes
 * anything: it computes the invoice over the facts recorded before it and moves the per-entry
 * "already invoiced" state forward.
 *
 * Invalid events (spec §2: integrity breaks) change no state and are kept with their reasons;
 * facts a command would have refused (spec §6) are applied and reported as warnings.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  canonicalEvent,
  emailKey,
  formatInstant,
  type DomainEvent,
  type EventOf,
  type Instant,
} from '@msp-billing/events';
import { classify, type Classification, type RateInForce } from '@msp-billing/entitlements';
import { DEFAULT_SLA_CATALOG, isInMaintenanceWindow, type SlaCatalog } from '@msp-billing/sla';
import { amountOf, billedMinutesOf, formatMoney, formatRate } from './money.js';
import { periodOf } from './period.js';
import { assembleInvoice, difference, summary, type Invoice } from './invoice.js';
import {
  newContract,
  ticketFacts,
  type AlertState,
  type ContractState,
  type EntryState,
  type PricedEntry,
  type RateCardState,
  type TicketState,
} from './state.js';
import { Timeline } from './timeline.js';

/** Where an event stood in its source, for messages (`line N: …`). */
export interface EventSource {
  /** 1-based line number in an NDJSON file. */
  readonly line?: number;
}

/** An event the Ledger refused, with the reason. */
export interface InvalidEvent {
  readonly line?: number;
  /** Recording position (0-based) among the events given to the Ledger. */
  readonly position: number;
  readonly eventId?: string;
  readonly type?: string;
  readonly reason: string;
}

/** A fact that a command would have refused (spec §6); applied, and reported by `check`. */
export interface Warning {
  readonly line?: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly clause: string;
  readonly message: string;
}

/** What `apply` did with an event. */
export type ApplyResult =
  | { readonly _tag: 'Applied' }
  | { readonly _tag: 'Duplicate' }
  | { readonly _tag: 'Invalid'; readonly reason: string };

/** A work entry with its classification and price, as `ledger` prints it. */
export interface LedgerEntry {
  readonly workId: string;
  readonly ticketId: string;
  readonly contractId: string;
  readonly period: string;
  readonly service: string;
  readonly status: Classification['status'];
  readonly clause: string;
  readonly reason: string;
  readonly minutes: number;
  readonly billedMinutes: number | null;
  readonly hourlyRate: string | null;
  readonly amount: string | null;
  readonly startedAt: string;
  readonly technician: string;
}

/** How an entry was classified and priced, rule by rule (`explain`). */
export interface Explanation {
  readonly entry: LedgerEntry;
  readonly timeZone: string;
  readonly classification: Classification;
  readonly corrections: number;
  readonly pricing?: {
    readonly hourlyRate: string;
    readonly rateEffectiveFrom: string;
    readonly billingIncrementMinutes: number;
    readonly billedMinutes: number;
    readonly amount: string;
    readonly currency: string;
  };
}

/** Why a query could not be answered. */
export type LedgerQueryError =
  | { readonly _tag: 'UnknownContract'; readonly contractId: string; readonly message: string }
  | { readonly _tag: 'UnknownWorkEntry'; readonly workId: string; readonly message: string }
  | { readonly _tag: 'BadPeriod'; readonly period: string; readonly message: string };

/** Options of a Ledger. */
export interface LedgerOptions {
  /** The SLA catalog (default: spec §6). */
  readonly slaCatalog?: SlaCatalog;
  /** Apply the id rule of spec §2 here (default true); off when the reader already did. */
  readonly dedupe?: boolean;
}

/** The Ledger: apply events, then ask for entries, invoices, explanations and problems. */
export interface Ledger {
  apply(event: DomainEvent, source?: EventSource): ApplyResult;
  /** Record an input that could not even be decoded (keeps `invalidEvents` complete). */
  recordUndecodable(reason: string, source?: EventSource & { eventId?: string }): void;
  entries(filter?: { contractId?: string; period?: string }): LedgerEntry[];
  explain(workId: string): E.Either<LedgerQueryError, Explanation>;
  invoice(contractId: string, period: string): E.Either<LedgerQueryError, Invoice>;
  /** Every issued invoice, in the order they were issued. */
  issuedInvoices(): Invoice[];
  contractIds(): string[];
  invalidEvents(): readonly InvalidEvent[];
  warnings(): readonly Warning[];
  /** Number of events given to `apply` (valid, invalid and duplicate). */
  readonly eventCount: number;
}

/** cyrb53: a fast 53-bit string hash, enough to tell apart two events that share an id. */
const hash53 = (s: string): number => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

const HOURS_72_MS = 72 * 3_600_000;
const iso = (t: number): string => formatInstant(t as Instant);

const rateAtFor =
  (card: RateCardState) =>
  (t: number): RateInForce | undefined =>
    card.rates.at(t);

const ledgerEntry = (e: EntryState, p: PricedEntry): LedgerEntry => ({
  workId: e.workId,
  ticketId: e.ticketId,
  contractId: e.contractId,
  period: p.period,
  service: p.classification.service,
  status: p.classification.status,
  clause: p.classification.clause,
  reason: p.classification.reason,
  minutes: e.minutes,
  billedMinutes: p.billedMinutes,
  hourlyRate: p.hourlyRate === null ? null : formatRate(p.hourlyRate),
  amount: p.amount === null ? null : formatMoney(p.amount),
  startedAt: iso(e.startedAt),
  technician: e.technician,
});

/** Who may confirm or decline an order at t: an authorised requester, or anyone while none is named (3). */
const mayDecide = (contract: ContractState, email: string, t: number): boolean => {
  const authorized = contract.authorizedRequestersAt(t);
  return authorized.size === 0 || authorized.has(emailKey(email));
};

/** Create an empty Ledger. */
export const createLedger = (options: LedgerOptions = {}): Ledger => {
  const catalog = options.slaCatalog ?? DEFAULT_SLA_CATALOG;
  const dedupe = options.dedupe ?? true;
  const contracts = new Map<string, ContractState>();
  const rateCards = new Map<string, RateCardState>();
  const tickets = new Map<string, TicketState>();
  const entries = new Map<string, EntryState>();
  const alerts = new Map<string, AlertState>();
  const bookingsByVm = new Map<string, ContractState[]>();
  const seen = new Map<string, number>();
  const invalid: InvalidEvent[] = [];
  const warnings: Warning[] = [];
  const issuedOrder: Invoice[] = [];
  let position = 0;

  // ----------------------------------------------------------------------------------------------
  // Classification and pricing, cached per entry

  const priced = (e: EntryState): PricedEntry | undefined => {
    const contract = contracts.get(e.contractId);
    const ticket = tickets.get(e.ticketId);
    if (contract === undefined || ticket === undefined) return undefined;
    const card = rateCards.get(contract.rateCardId) as RateCardState;
    const c = e.cache;
    if (
      c !== undefined &&
      c.contractVersion === contract.version &&
      c.ticketVersion === ticket.version &&
      c.entryVersion === e.version &&
      c.rateVersion === card.version
    ) {
      return c.value;
    }
    const classification = classify({
      entry: {
        workId: e.workId,
        ticketId: e.ticketId,
        startedAt: e.startedAt,
        minutes: e.minutes,
        ...(e.service === undefined ? {} : { service: e.service }),
      },
      ticket: ticketFacts(ticket),
      contract,
      rateAt: rateAtFor(card),
    });
    const period = periodOf(e.startedAt, contract.timeZone);
    let value: PricedEntry;
    if (classification.status === 'billable' && classification.hourlyRate !== undefined) {
      const billedMinutes = billedMinutesOf(e.minutes, card.billingIncrementMinutes);
      value = {
        classification,
        period,
        billedMinutes,
        hourlyRate: classification.hourlyRate,
        amount: amountOf(classification.hourlyRate, billedMinutes),
      };
    } else {
      value = { classification, period, billedMinutes: null, hourlyRate: null, amount: null };
    }
    e.cache = {
      contractVersion: contract.version,
      ticketVersion: ticket.version,
      entryVersion: e.version,
      rateVersion: card.version,
      value,
    };
    return value;
  };

  // ----------------------------------------------------------------------------------------------
  // Integrity (spec §2) and warnings (spec §6)

  const warn = (ev: DomainEvent, src: EventSource | undefined, clause: string, message: string): void => {
    warnings.push({
      ...(src?.line === undefined ? {} : { line: src.line }),
      position,
      eventId: ev.id,
      type: ev.type,
      clause,
      message,
    });
  };

  const contractOf = (id: string): ContractState | string =>
    contracts.get(id) ?? `contract ${JSON.stringify(id)} does not exist (no earlier MSPBooked)`;
  const ticketOf = (id: string): TicketState | string =>
    tickets.get(id) ??
    `ticket ${JSON.stringify(id)} does not exist (no earlier TicketOpened, UpdateRequested or SafetyMeasureTaken)`;

  const openTicket = (
    ev: EventOf<'TicketOpened'> | EventOf<'UpdateRequested'> | EventOf<'SafetyMeasureTaken'>,
    src: EventSource | undefined,
  ): string | undefined => {
    const d = ev.data;
    const contract = contractOf(d.contractId);
    if (typeof contract === 'string') return contract;
    if (tickets.has(d.ticketId)) return `ticket ${JSON.stringify(d.ticketId)} already exists`;
    const base = {
      ticketId: d.ticketId,
      contractId: d.contractId,
      openedAt: ev.occurredAt,
      schedules: new Timeline<{ scheduledFor: number; agreedWithCustomer: boolean }>(),
      decisions: new Timeline<{ kind: 'confirmed' | 'declined'; at: number; by: string }>(),
      version: 0,
    };
    let ticket: TicketState;
    if (ev.type === 'TicketOpened') {
      ticket = {
        ...base,
        origin: 'ticket',
        channel: ev.data.channel,
        requester: ev.data.requester,
        service: ev.data.service,
        ...(ev.data.vmId === undefined ? {} : { vmId: ev.data.vmId }),
      };
    } else if (ev.type === 'UpdateRequested') {
      const u = ev.data;
      ticket = {
        ...base,
        origin: 'update-request',
        channel: u.channel,
        requester: u.requester,
        service: 'update-installation',
        ...(u.vmId === undefined ? {} : { vmId: u.vmId }),
        update: { software: u.software, scope: u.scope, vendorSupported: u.vendorSupported },
      };
      if (!u.vendorSupported)
        warn(ev, src, '4.1', `update of ${u.software} requested, but it has no vendor support`);
    } else {
      const m = ev.data;
      if (m.alertId !== undefined) {
        const alert = alerts.get(m.alertId);
        if (alert === undefined)
          return `alert ${JSON.stringify(m.alertId)} does not exist (no earlier AlertRaised)`;
        if (alert.contractId !== m.contractId)
          return `alert ${JSON.stringify(m.alertId)} belongs to contract ${alert.contractId}`;
      }
      ticket = {
        ...base,
        origin: 'safety-measure',
        service: 'safety-measure',
        safetyMeasure: {
          takenAt: ev.occurredAt,
          justification: m.justification,
          ...(m.alertId === undefined ? {} : { alertId: m.alertId }),
        },
      };
      const why = safetyMeasureProblem(contract, ticket);
      if (why !== undefined) warn(ev, src, '4.2', why);
    }
    if (ticket.vmId !== undefined && ticket.vmId !== contract.vmId) {
      warn(
        ev,
        src,
        '1',
        `ticket is for VM ${ticket.vmId}, but contract ${contract.contractId} covers ${contract.vmId}`,
      );
    }
    tickets.set(ticket.ticketId, ticket);
    return undefined;
  };

  /** Why a recorded safety measure would have been refused (4.2), judged on the facts known now. */
  const safetyMeasureProblem = (contract: ContractState, ticket: TicketState): string | undefined => {
    const m = ticket.safetyMeasure;
    if (m === undefined) return undefined;
    if (!contract.isAlertingActiveAt(m.takenAt)) return `safety measure taken without active alerting`;
    if (m.justification === 'imminent-danger') return undefined;
    const alert = m.alertId === undefined ? undefined : alerts.get(m.alertId);
    if (alert === undefined) return `justification ${m.justification} names no alert`;
    const ackBefore = alert.firstAcknowledgedAt !== undefined && alert.firstAcknowledgedAt < m.takenAt;
    if (m.justification === 'no-response') {
      if (ackBefore) return `alert ${alert.alertId} was answered before the measure`;
      if (m.takenAt - alert.raisedAt <= HOURS_72_MS)
        return `no-response needs more than 72 h since alert ${alert.alertId}`;
      return undefined;
    }
    return ackBefore
      ? undefined
      : `customer-instructed, but alert ${alert.alertId} was not answered before the measure`;
  };

  const entryOf = (workId: string): EntryState | string => {
    const e = entries.get(workId);
    if (e === undefined) return `work entry ${JSON.stringify(workId)} does not exist (no earlier WorkLogged)`;
    if (e.voided) return `work entry ${JSON.stringify(workId)} is already voided`;
    return e;
  };

  /** Apply a valid-looking event; returns the reason when it breaks integrity. */
  const applyValid = (ev: DomainEvent, src: EventSource | undefined): string | undefined => {
    const seq = position;
    const at = ev.occurredAt;
    switch (ev.type) {
      case 'RateCardPublished': {
        const d = ev.data;
        if (rateCards.has(d.rateCardId)) return `rate card ${JSON.stringify(d.rateCardId)} already exists`;
        rateCards.set(d.rateCardId, {
          rateCardId: d.rateCardId,
          currency: d.currency,
          billingIncrementMinutes: d.billingIncrementMinutes,
          rates: new Timeline(),
          version: 0,
        });
        return undefined;
      }
      case 'HourlyRateSet': {
        const card = rateCards.get(ev.data.rateCardId);
        if (card === undefined)
          return `rate card ${JSON.stringify(ev.data.rateCardId)} does not exist (no earlier RateCardPublished)`;
        card.rates.set(ev.data.effectiveFrom, seq, {
          hourlyRate: ev.data.hourlyRate,
          effectiveFrom: ev.data.effectiveFrom,
        });
        card.version += 1;
        return undefined;
      }
      case 'MSPBooked': {
        const d = ev.data;
        if (contracts.has(d.contractId)) return `contract ${JSON.stringify(d.contractId)} is already booked`;
        if (!rateCards.has(d.rateCardId))
          return `rate card ${JSON.stringify(d.rateCardId)} does not exist (no earlier RateCardPublished)`;
        const others = bookingsByVm.get(d.vmId) ?? [];
        const clash = others.find((o) => o.cancelledAt === undefined || o.cancelledAt > at);
        if (clash !== undefined)
          return `VM ${JSON.stringify(d.vmId)} already has an active MSP (contract ${clash.contractId})`;
        const contract = newContract(d, at, seq, catalog);
        contracts.set(d.contractId, contract);
        bookingsByVm.set(d.vmId, [...others, contract]);
        return undefined;
      }
      case 'InvoiceIssued': {
        const contract = contractOf(ev.data.contractId);
        if (typeof contract === 'string') return contract;
        const p = ev.data.period;
        if (contract.lastIssuedPeriod !== undefined && p <= contract.lastIssuedPeriod) {
          return `period ${p} is not after the last issued invoice of ${contract.contractId} (${contract.lastIssuedPeriod})`;
        }
        const card = rateCards.get(contract.rateCardId) as RateCardState;
        const diff = difference(contract, p, priced);
        const invoice = assembleInvoice({
          contract,
          period: p,
          status: 'issued',
          invoiceNumber: ev.data.invoiceNumber,
          currency: card.currency,
          lines: diff.lines,
          summary: summary(contract, p, priced),
        });
        for (const b of diff.billed) contract.invoiced.set(b.workId, b);
        for (const r of diff.reversed) contract.invoiced.delete(r);
        contract.issued.set(p, invoice);
        contract.lastIssuedPeriod = p;
        issuedOrder.push(invoice);
        return undefined;
      }
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken':
        return openTicket(ev, src);
      case 'TicketReclassified': {
        const t = ticketOf(ev.data.ticketId);
        if (typeof t === 'string') return t;
        t.service = ev.data.service;
        t.version += 1;
        return undefined;
      }
      case 'OrderConfirmed':
      case 'OrderDeclined': {
        const t = ticketOf(ev.data.ticketId);
        if (typeof t === 'string') return t;
        const contract = contracts.get(t.contractId) as ContractState;
        const by = ev.type === 'OrderConfirmed' ? ev.data.confirmedBy : ev.data.declinedBy;
        if (!mayDecide(contract, by, at))
          return `${by} is not an authorised requester of ${contract.contractId} at ${iso(at)}`;
        t.decisions.set(at, seq, { kind: ev.type === 'OrderConfirmed' ? 'confirmed' : 'declined', at, by });
        t.version += 1;
        return undefined;
      }
      case 'UpdateScheduled': {
        const t = ticketOf(ev.data.ticketId);
        if (typeof t === 'string') return t;
        t.schedules.set(at, seq, {
          scheduledFor: ev.data.scheduledFor,
          agreedWithCustomer: ev.data.agreedWithCustomer,
        });
        t.version += 1;
        const contract = contracts.get(t.contractId) as ContractState;
        const inForce = contract.maintenanceWindowsAt(ev.data.scheduledFor);
        if (
          !ev.data.agreedWithCustomer &&
          !isInMaintenanceWindow(ev.data.scheduledFor, inForce.windows, contract.timeZone)
        ) {
          warn(
            ev,
            src,
            '4.1',
            `update scheduled for ${iso(ev.data.scheduledFor)}, outside every maintenance window, without agreement`,
          );
        }
        return undefined;
      }
      case 'UpdateApplied':
      case 'UpdateFailed': {
        const t = ticketOf(ev.data.ticketId);
        return typeof t === 'string' ? t : undefined;
      }
      case 'AlertRaised': {
        const contract = contractOf(ev.data.contractId);
        if (typeof contract === 'string') return contract;
        if (alerts.has(ev.data.alertId)) return `alert ${JSON.stringify(ev.data.alertId)} already exists`;
        const alert: AlertState = { alertId: ev.data.alertId, contractId: ev.data.contractId, raisedAt: at };
        alerts.set(alert.alertId, alert);
        contract.alerts.set(alert.alertId, alert);
        contract.version += 1;
        return undefined;
      }
      case 'AlertAcknowledged': {
        const alert = alerts.get(ev.data.alertId);
        if (alert === undefined)
          return `alert ${JSON.stringify(ev.data.alertId)} does not exist (no earlier AlertRaised)`;
        if (alert.firstAcknowledgedAt === undefined || at < alert.firstAcknowledgedAt)
          alert.firstAcknowledgedAt = at;
        (contracts.get(alert.contractId) as ContractState).version += 1;
        return undefined;
      }
      case 'WorkLogged': {
        const d = ev.data;
        if (entries.has(d.workId)) return `work entry ${JSON.stringify(d.workId)} already exists`;
        const t = ticketOf(d.ticketId);
        if (typeof t === 'string') return t;
        const entry: EntryState = {
          workId: d.workId,
          ticketId: d.ticketId,
          contractId: t.contractId,
          technician: d.technician,
          seq,
          startedAt: d.startedAt,
          minutes: d.minutes,
          ...(d.service === undefined ? {} : { service: d.service }),
          ...(d.description === undefined ? {} : { description: d.description }),
          voided: false,
          version: 0,
        };
        entries.set(d.workId, entry);
        (contracts.get(t.contractId) as ContractState).entries.push(entry);
        return undefined;
      }
      case 'WorkLogCorrected': {
        const e = entryOf(ev.data.workId);
        if (typeof e === 'string') return e;
        const d = ev.data;
        if (d.startedAt === undefined && d.minutes === undefined && d.service === undefined) {
          return 'a correction needs at least one of startedAt, minutes, service';
        }
        if (d.startedAt !== undefined) e.startedAt = d.startedAt;
        if (d.minutes !== undefined) e.minutes = d.minutes;
        if (d.service !== undefined) e.service = d.service;
        e.version += 1;
        return undefined;
      }
      case 'WorkLogVoided': {
        const e = entryOf(ev.data.workId);
        if (typeof e === 'string') return e;
        e.voided = true;
        e.version += 1;
        return undefined;
      }
      default:
        return applyContractFact(ev, src, seq);
    }
  };

  /** Contract-level facts: each changes what classification sees for all of the contract's entries. */
  const applyContractFact = (
    ev: DomainEvent,
    src: EventSource | undefined,
    seq: number,
  ): string | undefined => {
    if (!('contractId' in ev.data)) return `event type ${ev.type} is not handled`;
    const contract = contractOf(ev.data.contractId);
    if (typeof contract === 'string') return contract;
    const at = ev.occurredAt;
    switch (ev.type) {
      case 'SlaChanged':
        contract.sla.set(at, seq, ev.data.sla);
        break;
      case 'MSPCancelled': {
        const sla = contract.slaAt(at);
        if (catalog[sla].mspMandatory && !ev.data.vmDecommissioned) {
          warn(ev, src, '1', `MSP of a ${sla} VM cancelled while the VM is not decommissioned`);
        }
        if (contract.cancelledAt === undefined || at < contract.cancelledAt) contract.cancelledAt = at;
        break;
      }
      case 'ProvisioningCompleted':
        if (contract.provisioningCompletedAt === undefined || at < contract.provisioningCompletedAt) {
          contract.provisioningCompletedAt = at;
        }
        break;
      case 'AuthorizedRequesterNamed':
        contract.setRequester(ev.data.email, at, seq, true);
        break;
      case 'AuthorizedRequesterRemoved':
        contract.setRequester(ev.data.email, at, seq, false);
        break;
      case 'AlertingActivated':
        contract.alerting.set(at, seq, true);
        break;
      case 'AlertingDeactivated':
        contract.alerting.set(at, seq, false);
        break;
      case 'BackupNasShareAttached':
        contract.setShare(ev.data.shareId, at, seq, true);
        break;
      case 'BackupNasShareDetached':
        contract.setShare(ev.data.shareId, at, seq, false);
        break;
      case 'MaintenanceWindowsAgreed':
        contract.agreedWindows.set(at, seq, ev.data.windows);
        break;
      case 'VmRestartedByHa':
        contract.haRestartsInRow += 1;
        if (contract.haRestartsInRow > 3) {
          warn(
            ev,
            src,
            '4.2',
            `HA restart number ${contract.haRestartsInRow} in a row; vSphere HA restarts at most 3 times`,
          );
        }
        return undefined;
      case 'VmHeartbeatRestored':
        contract.haRestartsInRow = 0;
        return undefined;
      default:
        return `event type ${ev.type} is not handled`;
    }
    contract.version += 1;
    return undefined;
  };

  // ----------------------------------------------------------------------------------------------
  // Queries

  const draftOrFrozen = (contract: ContractState, period: string): Invoice => {
    const frozen = contract.issued.get(period);
    if (frozen !== undefined) return frozen;
    const card = rateCards.get(contract.rateCardId) as RateCardState;
    if (contract.lastIssuedPeriod !== undefined && period < contract.lastIssuedPeriod) {
      return assembleInvoice({
        contract,
        period,
        status: 'skipped',
        invoiceNumber: null,
        currency: card.currency,
        lines: [],
        summary: summary(contract, period, priced),
      });
    }
    return assembleInvoice({
      contract,
      period,
      status: 'draft',
      invoiceNumber: null,
      currency: card.currency,
      lines: difference(contract, period, priced).lines,
      summary: summary(contract, period, priced),
    });
  };

  const ledger: Ledger = {
    get eventCount() {
      return position;
    },
    apply(event, src) {
      const fingerprint = dedupe ? hash53(canonicalEvent(event)) : 0;
      if (dedupe) {
        const prior = seen.get(event.id);
        if (prior !== undefined) {
          position += 1;
          if (prior === fingerprint) return { _tag: 'Duplicate' };
          const reason = `event id ${JSON.stringify(event.id)} was already used for a different event`;
          invalid.push({
            ...(src?.line === undefined ? {} : { line: src.line }),
            position: position - 1,
            eventId: event.id,
            type: event.type,
            reason,
          });
          return { _tag: 'Invalid', reason };
        }
      }
      const reason = applyValid(event, src);
      position += 1;
      if (reason !== undefined) {
        invalid.push({
          ...(src?.line === undefined ? {} : { line: src.line }),
          position: position - 1,
          eventId: event.id,
          type: event.type,
          reason,
        });
        return { _tag: 'Invalid', reason };
      }
      if (dedupe) seen.set(event.id, fingerprint);
      return { _tag: 'Applied' };
    },
    recordUndecodable(reason, src) {
      invalid.push({
        ...(src?.line === undefined ? {} : { line: src.line }),
        ...(src?.eventId === undefined ? {} : { eventId: src.eventId }),
        position,
        reason,
      });
      position += 1;
    },
    entries(filter = {}) {
      const out: LedgerEntry[] = [];
      const scan = (list: Iterable<EntryState>): void => {
        for (const e of list) {
          if (e.voided) continue;
          const p = priced(e);
          if (p === undefined || (filter.period !== undefined && p.period !== filter.period)) continue;
          out.push(ledgerEntry(e, p));
        }
      };
      if (filter.contractId !== undefined) scan(contracts.get(filter.contractId)?.entries ?? []);
      else scan(entries.values());
      return out;
    },
    explain(workId) {
      const e = entries.get(workId);
      if (e === undefined || e.voided) {
        return E.left({
          _tag: 'UnknownWorkEntry',
          workId,
          message:
            e === undefined
              ? `no work entry ${JSON.stringify(workId)} in the log`
              : `work entry ${JSON.stringify(workId)} is voided`,
        });
      }
      const p = priced(e) as PricedEntry;
      const contract = contracts.get(e.contractId) as ContractState;
      const card = rateCards.get(contract.rateCardId) as RateCardState;
      const c = p.classification;
      return E.right({
        entry: ledgerEntry(e, p),
        timeZone: contract.timeZone,
        classification: c,
        corrections: e.version,
        ...(p.amount !== null &&
        p.hourlyRate !== null &&
        p.billedMinutes !== null &&
        c.rateEffectiveFrom !== undefined
          ? {
              pricing: {
                hourlyRate: formatRate(p.hourlyRate),
                rateEffectiveFrom: iso(c.rateEffectiveFrom),
                billingIncrementMinutes: card.billingIncrementMinutes,
                billedMinutes: p.billedMinutes,
                amount: formatMoney(p.amount),
                currency: card.currency,
              },
            }
          : {}),
      });
    },
    invoice(contractId, period) {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
        return E.left({
          _tag: 'BadPeriod',
          period,
          message: `period ${JSON.stringify(period)} is not of the form YYYY-MM`,
        });
      }
      const contract = contracts.get(contractId);
      if (contract === undefined) {
        return E.left({
          _tag: 'UnknownContract',
          contractId,
          message: `no contract ${JSON.stringify(contractId)} in the log`,
        });
      }
      return E.right(draftOrFrozen(contract, period));
    },
    issuedInvoices: () => [...issuedOrder],
    contractIds: () => [...contracts.keys()],
    invalidEvents: () => invalid,
    warnings: () => warnings,
  };
  return ledger;
};
