/**
 * Integrity (spec §2): whether an event may be applied to the log so far. An event that breaks
 * integrity (it names a contract, ticket, alert, rate card or work entry that does not exist, claims
 * one that does, or an invoice the invoicing rules refuse) is refused and kept as an invalid event
 * with the refusal returned here (a tagged value; its message is derived by `invalidMessage`);
 * nothing of it is applied. The integrity of ids and the invoicing rules are those of
 * @msp-billing/contracts (`existenceRefusal`, answered here from the Ledger's tables by
 * {@link LEDGER_IDS}, and `invoiceIssueRefusal`), whose refusals are carried as they are.
 */
import { type ContractFacts } from '@msp-billing/contracts';
import {
  authorizedRequestersAt,
  existenceRefusal,
  invoiceIssueRefusal,
  refusalMessage,
  type ExistenceRefusal,
  type IdIndex,
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
type ContractsRefusal = ExistenceRefusal | Extract<RefusalData, { readonly _tag: 'MspAlreadyBookedForVm' }>;

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

/** Which ids the Ledger knows (spec §2), from its own tables, for `existenceRefusal`. */
export const LEDGER_IDS: IdIndex<IntegrityView> = Object.freeze({
  contractBooked: (s: IntegrityView, contractId: string) => s.books.has(contractId),
  rateCardPublished: (s: IntegrityView, rateCardId: string) => s.rateCards.has(rateCardId),
  ticketOpened: (s: IntegrityView, ticketId: string) => s.tickets.numberOf(ticketId) !== undefined,
  workEntry: (s: IntegrityView, workId: string) => {
    const i = s.entries.numberOf(workId);
    return i === undefined ? undefined : s.entries.isVoided(i) ? ('voided' as const) : ('live' as const);
  },
  contractOfAlert: (s: IntegrityView, alertId: string) => s.alertContract.get(alertId),
});

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

/**
 * Check an event against the log so far; returns the refusal when it breaks integrity (spec §2): its
 * ids first (`existenceRefusal`), then the rules that read more than which ids exist.
 */
export const integrityRefusal = (s: IntegrityView, ev: DomainEvent): InvalidEventRefusal | undefined => {
  const ids = existenceRefusal(LEDGER_IDS, s, ev);
  if (ids !== undefined) return ids;
  switch (ev.type) {
    case 'MSPBooked': {
      const d = ev.data;
      const clash = (s.bookingsByVm.get(d.vmId) ?? []).find(
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
      const book = s.books.get(ev.data.contractId) as ContractBook;
      return invoiceIssueRefusal(
        {
          contractId: book.facts.contractId,
          timeZone: book.facts.timeZone,
          lastIssuedPeriod: book.lastIssuedPeriod,
        },
        ev.data,
        ev.occurredAt,
        s.invoiceNumbers.get(ev.data.invoiceNumber),
      );
    }
    case 'SafetyMeasureTaken': {
      const alertId = ev.data.alertId;
      const owner = alertId === undefined ? undefined : s.alertContract.get(alertId);
      return alertId === undefined || owner === undefined || owner === ev.data.contractId
        ? undefined
        : { _tag: 'AlertOfOtherContract', alertId, ownerContractId: owner };
    }
    case 'OrderConfirmed':
    case 'OrderDeclined': {
      const c = s.tickets.bookOf(s.tickets.numberOf(ev.data.ticketId) as number).facts;
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
    case 'WorkLogged':
    case 'WorkLogCorrected':
      return entryValuesRefusal(ev.data);
    default:
      return undefined;
  }
};
