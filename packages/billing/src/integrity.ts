/**
 * Integrity (spec §2): whether an event may be applied to the log so far. An event that breaks
 * integrity (it names a contract, ticket, alert, rate card or work entry that does not exist, claims
 * one that does, or an invoice the invoicing rules refuse) is refused and kept as an invalid event
 * with the refusal returned here (a tagged value; its message is derived by `invalidMessage`);
 * nothing of it is applied. The invoicing rules are those of @msp-billing/contracts
 * (`invoiceIssueRefusal`), whose refusal is carried as it is.
 */
import { type ContractFacts } from '@msp-billing/contracts';
import {
  authorizedRequestersAt,
  invoiceIssueRefusal,
  refusalMessage,
  type InvoiceIssueRefusal,
  type InvoiceNumberUse,
  type RefusalData,
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

/** The refusals of @msp-billing/contracts an invalid event carries as they are. */
type ContractsRefusal = Extract<
  RefusalData,
  {
    readonly _tag:
      | 'RateCardAlreadyPublished'
      | 'UnknownRateCard'
      | 'ContractAlreadyBooked'
      | 'MspAlreadyBookedForVm'
      | 'UnknownContract'
      | 'TicketIdAlreadyUsed'
      | 'UnknownTicket'
      | 'UnknownAlert'
      | 'AlertIdAlreadyUsed'
      | 'WorkIdAlreadyUsed'
      | 'UnknownWorkEntry'
      | 'WorkEntryVoided';
  }
>;

/**
 * Why an event is invalid (spec §2), as a tagged value: a refusal of @msp-billing/contracts where
 * one exists for the rule, or one of the Ledger's own (an event id reused for other content, an
 * order decided by someone not authorised then, a safety measure naming another contract's alert,
 * a work entry's value out of range, a line the reader could not decode).
 */
export type InvalidEventRefusal =
  | ContractsRefusal
  | InvoiceIssueRefusal
  | (Extract<RefusalData, { readonly _tag: 'NotAuthorizedToOrder' }> & {
      readonly contractId: string;
      readonly at: string;
    })
  | { readonly _tag: 'AlertOfOtherContract'; readonly alertId: string; readonly ownerContractId: string }
  | { readonly _tag: 'EntryValueOutOfRange'; readonly workId: string; readonly message: string }
  | { readonly _tag: 'IdReusedWithOtherContent'; readonly eventId: string }
  /** A line the NDJSON reader refused; `readerCode` and `message` are the reader's (events/ndjson.ts). */
  | { readonly _tag: 'UndecodableEvent'; readonly readerCode?: string; readonly message: string };

/** The clause an invalid event cites: every integrity rule is one of spec §2. */
export const invalidClause = (_r: InvalidEventRefusal): string => '2';

/** The one-line reason of an invalid event, as every command prints it (`line N: <reason>`). */
export const invalidMessage = (r: InvalidEventRefusal): string => {
  switch (r._tag) {
    case 'RateCardAlreadyPublished':
      return `rate card ${JSON.stringify(r.rateCardId)} already exists`;
    case 'UnknownRateCard':
      return `rate card ${JSON.stringify(r.rateCardId)} does not exist (no earlier RateCardPublished)`;
    case 'ContractAlreadyBooked':
      return `contract ${JSON.stringify(r.contractId)} is already booked`;
    case 'MspAlreadyBookedForVm':
      return `VM ${JSON.stringify(r.vmId)} already has an active MSP (contract ${r.activeContractId})`;
    case 'UnknownContract':
      return `contract ${JSON.stringify(r.contractId)} does not exist (no earlier MSPBooked)`;
    case 'TicketIdAlreadyUsed':
      return `ticket ${JSON.stringify(r.ticketId)} already exists`;
    case 'UnknownTicket':
      return `ticket ${JSON.stringify(r.ticketId)} does not exist (no earlier TicketOpened, UpdateRequested or SafetyMeasureTaken)`;
    case 'UnknownAlert':
      return `alert ${JSON.stringify(r.alertId)} does not exist (no earlier AlertRaised)`;
    case 'AlertIdAlreadyUsed':
      return `alert ${JSON.stringify(r.alertId)} already exists`;
    case 'AlertOfOtherContract':
      return `alert ${JSON.stringify(r.alertId)} belongs to contract ${r.ownerContractId}`;
    case 'WorkIdAlreadyUsed':
      return `work entry ${JSON.stringify(r.workId)} already exists`;
    case 'UnknownWorkEntry':
      return `work entry ${JSON.stringify(r.workId)} does not exist (no earlier WorkLogged)`;
    case 'WorkEntryVoided':
      return `work entry ${JSON.stringify(r.workId)} is already voided`;
    case 'NotAuthorizedToOrder':
      return `${r.by} is not an authorised requester of ${r.contractId} at ${r.at}`;
    case 'InvoicePeriodNotAfterLast':
    case 'InvoicePeriodNotOver':
    case 'InvoiceNumberAlreadyUsed':
      return refusalMessage(r);
    case 'EntryValueOutOfRange':
    case 'UndecodableEvent':
      return r.message;
    case 'IdReusedWithOtherContent':
      return `event id ${JSON.stringify(r.eventId)} was already used for a different event`;
  }
};

const iso = (t: number): string => formatInstant(t as Instant);

const bookOf = (s: IntegrityView, id: string): ContractBook | InvalidEventRefusal =>
  s.books.get(id) ?? { _tag: 'UnknownContract', contractId: id };

const isRefusal = (x: object): x is InvalidEventRefusal => '_tag' in x;

/** The number of ticket `id`, or why there is none. */
const ticketOf = (s: IntegrityView, id: string): number | InvalidEventRefusal =>
  s.tickets.numberOf(id) ?? { _tag: 'UnknownTicket', ticketId: id };

/** The number of the work entry `workId`, or why it cannot be corrected or voided. */
const liveEntry = (s: IntegrityView, workId: string): number | InvalidEventRefusal => {
  const i = s.entries.numberOf(workId);
  if (i === undefined) return { _tag: 'UnknownWorkEntry', workId };
  return s.entries.isVoided(i) ? { _tag: 'WorkEntryVoided', workId } : i;
};

/**
 * Why the minutes or service of a work entry are not what the wire format allows, as the decoder
 * says it; undefined when they are. A decoded event always passes; an event an embedding program
 * built itself may not, and the Ledger keeps minutes in 16 bits and a service as its number in
 * SERVICE_KINDS (entryTable.ts), so it refuses what it could not keep exactly.
 */
const entryValuesRefusal = (d: {
  workId: string;
  minutes?: number;
  service?: string;
}): InvalidEventRefusal | undefined => {
  const message =
    (d.minutes === undefined ? undefined : fieldRefusal('data.minutes', Minutes, d.minutes)) ??
    (d.service === undefined ? undefined : fieldRefusal('data.service', ServiceKind, d.service));
  return message === undefined ? undefined : { _tag: 'EntryValueOutOfRange', workId: d.workId, message };
};

/** Who may confirm or decline an order at t: an authorised requester, or anyone while none is named (3). */
const mayDecide = (c: ContractFacts, email: string, t: number): boolean => {
  const authorized = authorizedRequestersAt(c, t);
  return authorized.size === 0 || authorized.has(emailKey(email));
};

/** Check an event against the log so far; returns the refusal when it breaks integrity (spec §2). */
export const integrityRefusal = (s: IntegrityView, ev: DomainEvent): InvalidEventRefusal | undefined => {
  const { books, rateCards, bookingsByVm, invoiceNumbers, alertContract, tickets } = s;
  switch (ev.type) {
    case 'RateCardPublished':
      return rateCards.has(ev.data.rateCardId)
        ? { _tag: 'RateCardAlreadyPublished', rateCardId: ev.data.rateCardId }
        : undefined;
    case 'HourlyRateSet':
      return rateCards.has(ev.data.rateCardId)
        ? undefined
        : { _tag: 'UnknownRateCard', rateCardId: ev.data.rateCardId };
    case 'MSPBooked': {
      const d = ev.data;
      if (books.has(d.contractId)) return { _tag: 'ContractAlreadyBooked', contractId: d.contractId };
      if (!rateCards.has(d.rateCardId)) return { _tag: 'UnknownRateCard', rateCardId: d.rateCardId };
      const clash = (bookingsByVm.get(d.vmId) ?? []).find(
        (o) => o.facts.cancelledAt === undefined || o.facts.cancelledAt > ev.occurredAt,
      );
      return clash === undefined
        ? undefined
        : {
            _tag: 'MspAlreadyBookedForVm',
            vmId: d.vmId,
            contractId: d.contractId,
            activeContractId: clash.facts.contractId,
          };
    }
    case 'InvoiceIssued': {
      const book = bookOf(s, ev.data.contractId);
      if (isRefusal(book)) return book;
      return invoiceIssueRefusal(
        {
          contractId: book.facts.contractId,
          timeZone: book.facts.timeZone,
          lastIssuedPeriod: book.lastIssuedPeriod,
        },
        ev.data,
        ev.occurredAt,
        invoiceNumbers.get(ev.data.invoiceNumber),
      );
    }
    case 'TicketOpened':
    case 'UpdateRequested':
    case 'SafetyMeasureTaken': {
      const book = bookOf(s, ev.data.contractId);
      if (isRefusal(book)) return book;
      if (tickets.numberOf(ev.data.ticketId) !== undefined)
        return { _tag: 'TicketIdAlreadyUsed', ticketId: ev.data.ticketId };
      if (ev.type !== 'SafetyMeasureTaken' || ev.data.alertId === undefined) return undefined;
      const alertId = ev.data.alertId;
      const owner = alertContract.get(alertId);
      if (owner === undefined) return { _tag: 'UnknownAlert', alertId };
      return owner === ev.data.contractId
        ? undefined
        : { _tag: 'AlertOfOtherContract', alertId, ownerContractId: owner };
    }
    case 'TicketReclassified':
    case 'UpdateScheduled':
    case 'UpdateApplied':
    case 'UpdateFailed': {
      const t = ticketOf(s, ev.data.ticketId);
      return typeof t === 'number' ? undefined : t;
    }
    case 'OrderConfirmed':
    case 'OrderDeclined': {
      const t = ticketOf(s, ev.data.ticketId);
      if (typeof t !== 'number') return t;
      const c = tickets.bookOf(t).facts;
      const by = ev.type === 'OrderConfirmed' ? ev.data.confirmedBy : ev.data.declinedBy;
      return mayDecide(c, by, ev.occurredAt)
        ? undefined
        : {
            _tag: 'NotAuthorizedToOrder',
            ticketId: ev.data.ticketId,
            by,
            contractId: c.contractId,
            at: iso(ev.occurredAt),
          };
    }
    case 'AlertRaised': {
      const book = bookOf(s, ev.data.contractId);
      if (isRefusal(book)) return book;
      return alertContract.has(ev.data.alertId)
        ? { _tag: 'AlertIdAlreadyUsed', alertId: ev.data.alertId }
        : undefined;
    }
    case 'AlertAcknowledged':
      return alertContract.has(ev.data.alertId)
        ? undefined
        : { _tag: 'UnknownAlert', alertId: ev.data.alertId };
    case 'WorkLogged': {
      if (s.entries.numberOf(ev.data.workId) !== undefined)
        return { _tag: 'WorkIdAlreadyUsed', workId: ev.data.workId };
      const t = ticketOf(s, ev.data.ticketId);
      return typeof t === 'number' ? entryValuesRefusal(ev.data) : t;
    }
    case 'ProviderProfileSet':
    case 'CustomerProfileSet':
      // A profile needs nothing earlier: it may be set before any contract of its customer.
      return undefined;
    case 'WorkLogCorrected':
    case 'WorkLogVoided': {
      const i = liveEntry(s, ev.data.workId);
      if (typeof i !== 'number') return i;
      return ev.type === 'WorkLogCorrected' ? entryValuesRefusal(ev.data) : undefined;
    }
    default: {
      const book = bookOf(s, ev.data.contractId);
      return isRefusal(book) ? book : undefined;
    }
  }
};
