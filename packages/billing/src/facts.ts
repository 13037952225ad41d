/**
 * The fact projection (spec §3): folds each valid event into the business-time facts of rate cards,
 * contracts and tickets (by the `evolve` functions of @msp-billing/contracts, the deciders' own) and
 * into the Ledger's tables of work entries, reporting each change to the dependency index, each
 * `InvoiceIssued` and profile to issuing, and each fact a command would have refused as a warning.
 * Integrity has already passed (integrity.ts): every id an event names exists.
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
import { emptyReaders, type Dependencies } from './dependencies.js';
import type { EntryTable } from './entryTable.js';
import type { Issuing } from './issuing.js';
import type { ContractBook, IssuedInvoice } from './state.js';
import type { TicketTable } from './ticketTable.js';

/** The facts the projection keeps (and integrity and queries read). */
export interface FactState {
  readonly books: Map<string, ContractBook>;
  /** Each rate card's current facts, in one holder shared by the books of the contracts on it. */
  readonly rateCards: Map<string, { facts: RateCardFacts }>;
  /** The contracts booked for each VM, in booking order. */
  readonly bookingsByVm: Map<string, ContractBook[]>;
  /** The contract of each alert raised. */
  readonly alertContract: Map<string, string>;
  readonly tickets: TicketTable;
  readonly entries: EntryTable;
}

/** What folding a fact reports beyond the facts themselves. */
export interface FoldReports {
  readonly deps: Dependencies;
  readonly issuing: Issuing;
  /** Report what the command recording `ev` would have been refused for (spec §6). */
  warn(ev: DomainEvent, c: ContractFacts, t: TicketFacts | undefined): void;
}

/**
 * A contract's book (state.ts). Its card is read through the holder of its rate card's current
 * facts, shared by every book on the card, so a rate change updates one holder, not every book; a
 * class, so the getter lives once on the prototype.
 */
export class Book implements ContractBook {
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

/** The fold of valid events into `state`: `evolve(ev)` applies one. */
export const createFactFold = (state: FactState, reports: FoldReports): ((ev: DomainEvent) => void) => {
  const { books, rateCards, bookingsByVm, alertContract, tickets, entries } = state;
  const { deps, issuing, warn } = reports;

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
  const evolve = (ev: DomainEvent): void => {
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

  return evolve;
};
