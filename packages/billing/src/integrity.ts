/**
 * Integrity (spec §2): whether an event may be applied to the log so far. An event that breaks
 * integrity (it names a contract, ticket, alert, rate card or work entry that does not exist, claims
 * one that does, or an invoice the invoicing rules refuse) is refused and kept as an invalid event
 * with the reason returned here; nothing of it is applied.
 */
import { type ContractFacts } from '@msp-billing/contracts';
import {
  authorizedRequestersAt,
  invoiceIssueRefusal,
  refusalMessage,
  type InvoiceNumberUse,
} from '@msp-billing/contracts/internal';
import { Minutes, ServiceKind, formatInstant, type DomainEvent, type Instant } from '@msp-billing/events';
import { emailKey, fieldRefusal } from '@msp-billing/events/internal';
import type { EntryTable } from './entryTable.js';
import type { ContractBook } from './state.js';
import type { TicketTable } from './ticketTable.js';

/** What the integrity checks read of the Ledger's state. */
export interface IntegrityView {
  readonly books: ReadonlyMap<string, ContractBook>;
  readonly rateCards: ReadonlyMap<string, unknown>;
  /** The contracts booked for each VM, in booking order. */
  readonly bookingsByVm: ReadonlyMap<string, readonly ContractBook[]>;
  /** Invoice numbers of the valid `InvoiceIssued` so far (each is used once). */
  readonly invoiceNumbers: ReadonlyMap<string, InvoiceNumberUse>;
  /** The contract of each alert raised. */
  readonly alertContract: ReadonlyMap<string, string>;
  readonly tickets: TicketTable;
  readonly entries: EntryTable;
}

const iso = (t: number): string => formatInstant(t as Instant);

const bookOf = (s: IntegrityView, id: string): ContractBook | string =>
  s.books.get(id) ?? `contract ${JSON.stringify(id)} does not exist (no earlier MSPBooked)`;

/** The number of ticket `id`, or why there is none. */
const ticketOf = (s: IntegrityView, id: string): number | string =>
  s.tickets.numberOf(id) ??
  `ticket ${JSON.stringify(id)} does not exist (no earlier TicketOpened, UpdateRequested or SafetyMeasureTaken)`;

/** The number of the work entry `workId`, or why it cannot be corrected or voided. */
const liveEntry = (s: IntegrityView, workId: string): number | string => {
  const i = s.entries.numberOf(workId);
  if (i === undefined) return `work entry ${JSON.stringify(workId)} does not exist (no earlier WorkLogged)`;
  return s.entries.isVoided(i) ? `work entry ${JSON.stringify(workId)} is already voided` : i;
};

/**
 * Why the minutes or service of a work entry are not what the wire format allows, as the decoder
 * says it; undefined when they are. A decoded event always passes; an event an embedding program
 * built itself may not, and the Ledger keeps minutes in 16 bits and a service as its number in
 * SERVICE_KINDS (entryTable.ts), so it refuses what it could not keep exactly.
 */
const entryValuesRefusal = (d: { minutes?: number; service?: string }): string | undefined =>
  (d.minutes === undefined ? undefined : fieldRefusal('data.minutes', Minutes, d.minutes)) ??
  (d.service === undefined ? undefined : fieldRefusal('data.service', ServiceKind, d.service));

/** Who may confirm or decline an order at t: an authorised requester, or anyone while none is named (3). */
const mayDecide = (c: ContractFacts, email: string, t: number): boolean => {
  const authorized = authorizedRequestersAt(c, t);
  return authorized.size === 0 || authorized.has(emailKey(email));
};

/** Check an event against the log so far; returns the reason when it breaks integrity (spec §2). */
export const integrityRefusal = (s: IntegrityView, ev: DomainEvent): string | undefined => {
  const { books, rateCards, bookingsByVm, invoiceNumbers, alertContract, tickets } = s;
  switch (ev.type) {
    case 'RateCardPublished':
      return rateCards.has(ev.data.rateCardId)
        ? `rate card ${JSON.stringify(ev.data.rateCardId)} already exists`
        : undefined;
    case 'HourlyRateSet':
      return rateCards.has(ev.data.rateCardId)
        ? undefined
        : `rate card ${JSON.stringify(ev.data.rateCardId)} does not exist (no earlier RateCardPublished)`;
    case 'MSPBooked': {
      const d = ev.data;
      if (books.has(d.contractId)) return `contract ${JSON.stringify(d.contractId)} is already booked`;
      if (!rateCards.has(d.rateCardId))
        return `rate card ${JSON.stringify(d.rateCardId)} does not exist (no earlier RateCardPublished)`;
      const clash = (bookingsByVm.get(d.vmId) ?? []).find(
        (o) => o.facts.cancelledAt === undefined || o.facts.cancelledAt > ev.occurredAt,
      );
      return clash === undefined
        ? undefined
        : `VM ${JSON.stringify(d.vmId)} already has an active MSP (contract ${clash.facts.contractId})`;
    }
    case 'InvoiceIssued': {
      const book = bookOf(s, ev.data.contractId);
      if (typeof book === 'string') return book;
      const refused = invoiceIssueRefusal(
        {
          contractId: book.facts.contractId,
          timeZone: book.facts.timeZone,
          lastIssuedPeriod: book.lastIssuedPeriod,
        },
        ev.data,
        ev.occurredAt,
        invoiceNumbers.get(ev.data.invoiceNumber),
      );
      return refused === undefined ? undefined : refusalMessage(refused);
    }
    case 'TicketOpened':
    case 'UpdateRequested':
    case 'SafetyMeasureTaken': {
      const book = bookOf(s, ev.data.contractId);
      if (typeof book === 'string') return book;
      if (tickets.numberOf(ev.data.ticketId) !== undefined)
        return `ticket ${JSON.stringify(ev.data.ticketId)} already exists`;
      if (ev.type !== 'SafetyMeasureTaken' || ev.data.alertId === undefined) return undefined;
      const owner = alertContract.get(ev.data.alertId);
      if (owner === undefined)
        return `alert ${JSON.stringify(ev.data.alertId)} does not exist (no earlier AlertRaised)`;
      return owner === ev.data.contractId
        ? undefined
        : `alert ${JSON.stringify(ev.data.alertId)} belongs to contract ${owner}`;
    }
    case 'TicketReclassified':
    case 'UpdateScheduled':
    case 'UpdateApplied':
    case 'UpdateFailed': {
      const t = ticketOf(s, ev.data.ticketId);
      return typeof t === 'string' ? t : undefined;
    }
    case 'OrderConfirmed':
    case 'OrderDeclined': {
      const t = ticketOf(s, ev.data.ticketId);
      if (typeof t === 'string') return t;
      const c = tickets.bookOf(t).facts;
      const by = ev.type === 'OrderConfirmed' ? ev.data.confirmedBy : ev.data.declinedBy;
      return mayDecide(c, by, ev.occurredAt)
        ? undefined
        : `${by} is not an authorised requester of ${c.contractId} at ${iso(ev.occurredAt)}`;
    }
    case 'AlertRaised': {
      const book = bookOf(s, ev.data.contractId);
      if (typeof book === 'string') return book;
      return alertContract.has(ev.data.alertId)
        ? `alert ${JSON.stringify(ev.data.alertId)} already exists`
        : undefined;
    }
    case 'AlertAcknowledged':
      return alertContract.has(ev.data.alertId)
        ? undefined
        : `alert ${JSON.stringify(ev.data.alertId)} does not exist (no earlier AlertRaised)`;
    case 'WorkLogged': {
      if (s.entries.numberOf(ev.data.workId) !== undefined)
        return `work entry ${JSON.stringify(ev.data.workId)} already exists`;
      const t = ticketOf(s, ev.data.ticketId);
      return typeof t === 'string' ? t : entryValuesRefusal(ev.data);
    }
    case 'ProviderProfileSet':
    case 'CustomerProfileSet':
      // A profile needs nothing earlier: it may be set before any contract of its customer.
      return undefined;
    case 'WorkLogCorrected':
    case 'WorkLogVoided': {
      const i = liveEntry(s, ev.data.workId);
      if (typeof i === 'string') return i;
      return ev.type === 'WorkLogCorrected' ? entryValuesRefusal(ev.data) : undefined;
    }
    default: {
      const book = bookOf(s, ev.data.contractId);
      return typeof book === 'string' ? book : undefined;
    }
  }
};
