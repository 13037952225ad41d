/**
 * The Ledger projection (ARCHITECTURE.md): applies one event at a time in amortised constant time and
 * classifies and prices on demand. The business-time facts of contracts, tickets and rate cards are
 * those of @msp-billing/contracts (the same values the deciders decide on, folded by the same
 * `evolve` functions); the Ledger adds what only a projection needs: integrity checks (spec §2),
 * warnings (spec §6), entry order, caches, and issued invoices. `InvoiceIssued` is the only event that
 * freezes anything (issuing.ts).
 */
import { type ContractFacts, type RateCardFacts, type TicketFacts } from '@msp-billing/contracts';
import {
  evolveContractFacts,
  evolveRateCard,
  evolveTicketFacts,
  timelineNextChangeAfter,
  loggedEntry,
  correctedEntry,
  voidedEntry,
} from '@msp-billing/contracts/internal';
import type { DomainEvent } from '@msp-billing/events';
import { IdTable, canonicalFingerprint } from '@msp-billing/events/internal';
import { DEFAULT_SLA_CATALOG, type SlaCatalog } from '@msp-billing/sla';
import type { LedgerRows } from './invoice.js';
import { BasisTable, EntryTable } from './entryTable.js';
import type { ContractBook, IssuedInvoice } from './state.js';
import { createDependencies, emptyReaders } from './dependencies.js';
import {
  integrityRefusal,
  invalidClause,
  invalidMessage,
  type IntegrityView,
  type InvalidEventRefusal,
} from './integrity.js';
import { createIssuing } from './issuing.js';
import { createPricing } from './pricing.js';
import { createQueries, type LedgerQueries } from './queries.js';
import { TicketTable } from './ticketTable.js';
import { warningClause, warningMessage, warningsOf, type WarningRefusal } from './warnings.js';

export type { InvalidEventRefusal } from './integrity.js';
export type {
  BillingRecord,
  ContractSummary,
  Explanation,
  IssuedWith,
  LedgerEntry,
  LedgerQueries,
  LedgerQueryError,
} from './queries.js';

/** Where an event stood in its source, for messages (`line N: …`). */
export interface EventSource {
  /** 1-based line number in an NDJSON file. */
  readonly line?: number;
}

/**
 * An event the Ledger refused (spec §2): the refusal (`code` is its tag), the clause it cites, and
 * the one-line reason derived from them (integrity.ts), as every command prints it.
 */
export interface InvalidEvent {
  readonly line?: number;
  /** Recording position (0-based) among the events given to the Ledger. */
  readonly position: number;
  readonly eventId?: string;
  readonly type?: string;
  readonly code: InvalidEventRefusal['_tag'];
  readonly clause: string;
  readonly reason: string;
  readonly refusal: InvalidEventRefusal;
}

/**
 * A fact that a command would have refused (spec §6); applied, and reported by `check`: the
 * refusal the decider would have given (`code` is its tag), the clause it cites, and the message
 * derived from them (warnings.ts).
 */
export interface Warning {
  readonly line?: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly code: WarningRefusal['_tag'];
  readonly clause: string;
  readonly message: string;
  readonly refusal: WarningRefusal;
}

/** What `apply` did with an event. */
export type ApplyResult =
  | { readonly _tag: 'Applied' }
  | { readonly _tag: 'Duplicate' }
  | {
      readonly _tag: 'Invalid';
      readonly code: InvalidEventRefusal['_tag'];
      readonly reason: string;
    };

/** Options of a Ledger. */
export interface LedgerOptions {
  /** The SLA catalog (default: spec §6). */
  readonly slaCatalog?: SlaCatalog;
  /** Apply the id rule of spec §2 here (default true); off when the reader already did. */
  readonly dedupe?: boolean;
  /**
   * Which entries an invoice walks: `changed` (default) only those that can change it (see
   * ContractBook.dirty in state.ts); `all` every entry of the contract, as the difference model is
   * defined. Both give the same invoices — a law in @msp-billing/testing checks it — `all` is the
   * slower reference.
   */
  readonly walk?: 'changed' | 'all';
}

/** The Ledger: apply events, then ask for entries, invoices, explanations and problems. */
export interface Ledger extends LedgerQueries {
  apply(event: DomainEvent, source?: EventSource): ApplyResult;
  /**
   * Record an input that could not even be decoded (keeps `invalidEvents` complete): the reader's
   * message, and its tag as `readerCode` when it has one.
   */
  recordUndecodable(reason: string, source?: EventSource & { eventId?: string; readerCode?: string }): void;
  invalidEvents(): readonly InvalidEvent[];
  warnings(): readonly Warning[];
  /** Number of events given to `apply` (valid, invalid and duplicate). */
  readonly eventCount: number;
}

/**
 * A contract's book (state.ts). Its card is read through the holder of its rate card's current
 * facts, shared by every book on the card, so a rate change updates one holder, not every book; a
 * class, so the getter lives once on the prototype.
 */
class Book implements ContractBook {
  readonly entries: number[] = [];
  readonly issued = new Map<string, IssuedInvoice>();
  lastIssuedPeriod?: string;
  dirty: number[] = [];
  allDirty = false;
  readonly byPeriod = new Map<string, number[]>();
  readonly readers = emptyReaders();
  constructor(
    public facts: ContractFacts,
    private readonly slot: { readonly facts: RateCardFacts },
  ) {}
  get card(): RateCardFacts {
    return this.slot.facts;
  }
}

/** Create an empty Ledger. */
export const createLedger = (options: LedgerOptions = {}): Ledger => {
  const catalog = options.slaCatalog ?? DEFAULT_SLA_CATALOG;
  const dedupe = options.dedupe ?? true;
  const walkAll = options.walk === 'all';
  const books = new Map<string, ContractBook>();
  /** Each rate card's current facts, in one holder shared by the books of the contracts on it. */
  const rateCards = new Map<string, { facts: RateCardFacts }>();
  const tickets = new TicketTable();
  const entries = new EntryTable(tickets);
  const bases = new BasisTable();
  const alertContract = new Map<string, string>();
  const bookingsByVm = new Map<string, ContractBook[]>();
  /**
   * The id rule of `apply` (spec §2): every id's canonical fingerprint, off the heap. The table's
   * "line" of an id is the position of the event that claimed it here (never asked for).
   */
  const seen = new IdTable();
  const invalid: InvalidEvent[] = [];
  const warnings: Warning[] = [];
  let position = 0;

  const deps = createDependencies(entries, tickets, walkAll);
  const classifyEntry = createPricing(entries, tickets, deps, catalog);
  const rows: LedgerRows = { entries, bases, current: (i) => classifyEntry(i, false) };
  const issuing = createIssuing(rows, deps);
  const state: IntegrityView = {
    books,
    rateCards,
    bookingsByVm,
    invoiceNumbers: issuing.invoiceNumbers,
    alertContract,
    tickets,
    entries,
  };

  /**
   * Fold a contract-level event into its book's facts and report the change to the dependency index
   * — unless the facts stayed the same object (a later acknowledgement, a second cancellation after
   * the first): then no result can have changed, and such events keep no state.
   */
  const evolveBook = (book: ContractBook, ev: DomainEvent): void => {
    const facts = evolveContractFacts(book.facts, ev) as ContractFacts;
    if (facts === book.facts) return;
    book.facts = facts;
    deps.contractChanged(book, ev);
  };

  // ----------------------------------------------------------------------------------------------
  // Integrity (spec §2) and warnings (spec §6)

  let source: EventSource | undefined;
  /** Report what the command recording `ev` would have been refused for (spec §6; warnings.ts). */
  const warn = (ev: DomainEvent, c: ContractFacts, t: TicketFacts | undefined): void => {
    for (const refusal of warningsOf(ev, c, t, catalog))
      warnings.push({
        ...(source?.line === undefined ? {} : { line: source.line }),
        position,
        eventId: ev.id,
        type: ev.type,
        code: refusal._tag,
        clause: warningClause(refusal),
        message: warningMessage(refusal, ev),
        refusal,
      });
  };

  /**
   * Fold `ev` into its ticket's facts (opening it if it is new). When they changed, every entry of
   * the ticket may classify differently: touch them. Work entries are not in the ticket's facts here
   * (entryTable.ts), so every change of the facts is one that classification reads: its service,
   * update, schedule, measure or decision.
   */
  const evolveTicket = (ticketId: string, ev: DomainEvent): TicketFacts => {
    const t = tickets.numberOf(ticketId);
    if (t === undefined) {
      const opened = evolveTicketFacts(undefined, ev) as TicketFacts;
      tickets.add(opened, books.get(opened.contractId) as ContractBook);
      return opened;
    }
    const before = tickets.factsOf(t);
    const facts = evolveTicketFacts(before, ev) as TicketFacts;
    if (facts === before) return facts;
    tickets.set(t, facts);
    deps.ticketChanged(t);
    return facts;
  };

  /** Fold a valid event into the facts and the bookkeeping, warning about what a command would refuse (§6). */
  const fold = (ev: DomainEvent): void => {
    switch (ev.type) {
      case 'RateCardPublished':
        // A new card (publishing one that exists is refused): no contract is booked on it yet.
        rateCards.set(ev.data.rateCardId, { facts: evolveRateCard(undefined, ev) as RateCardFacts });
        return;
      case 'HourlyRateSet': {
        const slot = rateCards.get(ev.data.rateCardId) as { facts: RateCardFacts };
        slot.facts = evolveRateCard(slot.facts, ev) as RateCardFacts;
        // The rate in force at an instant is the last one effective at or before it: this one
        // changed it from its start up to the next change, and only the entries started then read it.
        const from = ev.data.effectiveFrom;
        deps.rateChanged(ev.data.rateCardId, from, timelineNextChangeAfter(slot.facts.rates, from));
        return;
      }
      case 'MSPBooked': {
        const slot = rateCards.get(ev.data.rateCardId) as { facts: RateCardFacts };
        const book = new Book(evolveContractFacts(undefined, ev) as ContractFacts, slot);
        books.set(ev.data.contractId, book);
        bookingsByVm.set(ev.data.vmId, [...(bookingsByVm.get(ev.data.vmId) ?? []), book]);
        return;
      }
      case 'InvoiceIssued':
        issuing.issue(books.get(ev.data.contractId) as ContractBook, ev);
        return;
      case 'ProviderProfileSet':
      case 'CustomerProfileSet':
        issuing.profileSet(ev);
        return;
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken': {
        const t = evolveTicket(ev.data.ticketId, ev);
        warn(ev, (books.get(ev.data.contractId) as ContractBook).facts, t);
        return;
      }
      case 'UpdateScheduled': {
        const t = evolveTicket(ev.data.ticketId, ev);
        warn(ev, (books.get(t.contractId) as ContractBook).facts, t);
        return;
      }
      case 'TicketReclassified':
      case 'OrderConfirmed':
      case 'OrderDeclined':
      case 'UpdateApplied':
      case 'UpdateFailed':
        evolveTicket(ev.data.ticketId, ev);
        return;
      case 'WorkLogged': {
        // The entry is kept here, not in the ticket's facts: same values, by the same function.
        const t = tickets.numberOf(ev.data.ticketId) as number;
        const i = entries.add(loggedEntry(ev.data.ticketId, ev.data), t);
        const book = tickets.bookOf(t);
        book.entries.push(i);
        deps.entryLogged(i);
        return;
      }
      case 'WorkLogCorrected': {
        const i = entries.numberOf(ev.data.workId) as number;
        entries.corrections[i] = (entries.corrections[i] as number) + 1;
        entries.write(i, correctedEntry(entries.values(i), ev.data));
        deps.entryCorrected(i);
        return;
      }
      case 'WorkLogVoided': {
        const i = entries.numberOf(ev.data.workId) as number;
        entries.write(i, voidedEntry(entries.values(i)));
        deps.entryVoided(i);
        return;
      }
      case 'AlertAcknowledged':
        evolveBook(books.get(alertContract.get(ev.data.alertId) as string) as ContractBook, ev);
        return;
      default: {
        const book = books.get(ev.data.contractId) as ContractBook;
        if (ev.type === 'AlertRaised') alertContract.set(ev.data.alertId, ev.data.contractId);
        // Judged over the contract's facts before the event, as the decider judges its command.
        warn(ev, book.facts, undefined);
        evolveBook(book, ev);
      }
    }
  };

  const record = (list: InvalidEvent[], ev: DomainEvent, refusal: InvalidEventRefusal): ApplyResult => {
    const reason = invalidMessage(refusal);
    list.push({
      ...(source?.line === undefined ? {} : { line: source.line }),
      position,
      eventId: ev.id,
      type: ev.type,
      code: refusal._tag,
      clause: invalidClause(refusal),
      reason,
      refusal,
    });
    position += 1;
    return { _tag: 'Invalid', code: refusal._tag, reason };
  };

  const queries = createQueries({
    books,
    entries,
    rows,
    deps,
    classifyEntry,
    issuedOrder: issuing.issuedOrder,
    issuedWithOf: issuing.issuedWithOf,
  });

  const ledger: Ledger = {
    get eventCount() {
      return position;
    },
    apply(event, src) {
      source = src;
      if (dedupe) {
        // Ids are unique in the log (spec §2), valid or not: a new id is claimed here, before the
        // integrity check, exactly as the NDJSON reader claims it, so both report a reuse the same way.
        const fingerprint = canonicalFingerprint(event);
        const prior = seen.findOrAdd(event.id, position, fingerprint);
        if (prior >= 0 && seen.fingerprintOf(prior) === fingerprint) {
          position += 1;
          return { _tag: 'Duplicate' };
        }
        if (prior >= 0) {
          return record(invalid, event, { _tag: 'IdReusedWithOtherContent', eventId: event.id });
        }
      }
      const refusal = integrityRefusal(state, event);
      if (refusal !== undefined) return record(invalid, event, refusal);
      fold(event);
      position += 1;
      return { _tag: 'Applied' };
    },
    recordUndecodable(reason, src) {
      const refusal: InvalidEventRefusal = {
        _tag: 'UndecodableEvent',
        ...(src?.readerCode === undefined ? {} : { readerCode: src.readerCode }),
        message: reason,
      };
      invalid.push({
        ...(src?.line === undefined ? {} : { line: src.line }),
        ...(src?.eventId === undefined ? {} : { eventId: src.eventId }),
        position,
        code: refusal._tag,
        clause: invalidClause(refusal),
        reason: invalidMessage(refusal),
        refusal,
      });
      position += 1;
    },
    ...queries,
    invalidEvents: () => invalid,
    warnings: () => warnings,
  };
  return ledger;
};
