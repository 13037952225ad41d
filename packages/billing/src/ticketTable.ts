/**
 * The Ledger's tickets by number (the order they were opened), as columns. A ticket keeps the values
 * it was opened with here (`ticketOpening` of @msp-billing/contracts), and what was recorded on it
 * since as a `TicketRecord` — none for a plain ticket, opened by `TicketOpened` with nothing recorded
 * on it since but work, as most are — and its facts are made again from them when asked for
 * (`ticketFactsOf`, equal to what `evolveTicketFacts` folds). An object of facts per ticket cost
 * ~190 B with its slot, ~70 B as columns (docs/benchmarks.md); a ticket with an update, a decision or
 * a safety measure keeps a record of 64 B instead of facts of 128 B and its own copy of its id.
 */
import { type TicketFacts } from '@msp-billing/contracts';
import {
  isPlainRecord,
  plainTicketFacts,
  ticketFactsOf,
  ticketOpening,
  ticketRecord,
  type TicketRecord,
} from '@msp-billing/contracts/internal';
import { type ServiceKind, type TicketChannel } from '@msp-billing/events';
import { KeyTable, SERVICE_KINDS, TICKET_CHANNELS, grown } from '@msp-billing/events/internal';
import type { ContractBook } from './state.js';
import { ValueTable } from './valueTable.js';

/** Tickets by number: their ids, books and entries, and their facts (plain ones as values). */
export class TicketTable {
  size = 0;
  /** The tickets' ids: ticket t is key t (see {@link TicketTable.ticketIdOf}, {@link TicketTable.numberOf}). */
  private readonly ids = new KeyTable();
  /** Its contract's book, as a number of `books` (see {@link TicketTable.bookOf}). */
  book = new Int32Array(0);
  private readonly books = new ValueTable<ContractBook>();
  /** What was recorded on it since it was opened; undefined while it is plain. */
  private readonly records: (TicketRecord | undefined)[] = [];
  /**
   * A restored snapshot's records are made when first asked for: ticket t's, while `unread[t]` is 1,
   * is `readRecord(t)` (see {@link TicketTable.readRecordsLater}).
   */
  private unread: Uint8Array | undefined;
  private readRecord: (t: number) => TicketRecord | undefined = () => undefined;
  /**
   * The tickets whose facts the columns and records cannot hold, kept whole: those with work entries
   * in their facts, or a channel or service the wire format does not have (an embedding program's).
   * The Ledger's never are.
   */
  private readonly whole = new Map<number, TicketFacts>();
  /** Its requester and VM, as numbers of `strings` (0: none). */
  requester = new Int32Array(0);
  vmId = new Int32Array(0);
  private readonly strings = new ValueTable<string>();
  openedAt = new Float64Array(0);
  /** 0: none, else 1 + its index in TICKET_CHANNELS. */
  channel = new Uint8Array(0);
  /** The service it was opened with: its index in SERVICE_KINDS. */
  service = new Uint8Array(0);
  /** Its latest logged entry (a number in the EntryTable), or -1; the others follow through `next`. */
  first = new Int32Array(0);

  /** Add the ticket whose facts are `facts`, of `book`; returns its number. */
  add(facts: TicketFacts, book: ContractBook): number {
    const t = this.size;
    const n = t + 1;
    if (n > this.first.length) {
      // Every typed column has one length: room for `n` tickets in all of them.
      this.openedAt = grown(this.openedAt, n);
      this.channel = grown(this.channel, n);
      this.service = grown(this.service, n);
      this.first = grown(this.first, n);
      this.book = grown(this.book, n);
      this.requester = grown(this.requester, n);
      this.vmId = grown(this.vmId, n);
    }
    if (this.ids.findOrAdd(facts.ticketId) !== ~t) throw new Error(`ticket ${facts.ticketId} added twice`);
    this.book[t] = this.books.numberOf(book);
    this.records.push(undefined);
    this.first[t] = -1;
    this.size = n;
    this.set(t, facts);
    return t;
  }

  ticketIdOf(t: number): string {
    return this.ids.keyOf(t);
  }

  bookOf(t: number): ContractBook {
    return this.books.valueOf(this.book[t] as number) as ContractBook;
  }

  /** The number of the ticket with id `ticketId`, or undefined. */
  numberOf(ticketId: string): number | undefined {
    return this.ids.find(ticketId);
  }

  /**
   * Let the records of the tickets `unread` marks with 1 (all of them still plain here) be made by
   * `read` when first asked for (snapshotRestore.ts: most are never asked for again).
   */
  readRecordsLater(unread: Uint8Array, read: (t: number) => TicketRecord | undefined): void {
    this.unread = unread;
    this.readRecord = read;
  }

  private recordOf(t: number): TicketRecord | undefined {
    const unread = this.unread;
    if (unread !== undefined && unread[t] === 1) {
      unread[t] = 0;
      this.records[t] = this.readRecord(t);
    }
    return this.records[t];
  }

  /** Its tables of ids, books, records and strings, for a snapshot (snapshot.ts). */
  tables(): {
    readonly ids: KeyTable;
    readonly books: ValueTable<ContractBook>;
    readonly records: (TicketRecord | undefined)[];
    readonly whole: Map<number, TicketFacts>;
    readonly strings: ValueTable<string>;
  } {
    if (this.unread !== undefined) for (let t = 0; t < this.size; t++) this.recordOf(t);
    const { ids, books, records, whole, strings } = this;
    return { ids, books, records, whole, strings };
  }

  /** Ticket `t`'s current facts. */
  factsOf(t: number): TicketFacts {
    if (this.whole.size > 0) {
      const kept = this.whole.get(t);
      if (kept !== undefined) return kept;
    }
    const channel = this.channel[t] as number;
    const opening = {
      ticketId: this.ticketIdOf(t),
      contractId: this.bookOf(t).facts.contractId,
      openedAt: this.openedAt[t] as number,
      channel: channel === 0 ? undefined : (TICKET_CHANNELS[channel - 1] as TicketChannel),
      requester: this.strings.valueOf(this.requester[t] as number),
      vmId: this.strings.valueOf(this.vmId[t] as number),
      service: SERVICE_KINDS[this.service[t] as number] as ServiceKind,
    };
    const record = this.recordOf(t);
    return record === undefined ? plainTicketFacts(opening) : ticketFactsOf(opening, record);
  }

  /** Replace ticket `t`'s facts (its id and contract never change). */
  set(t: number, facts: TicketFacts): void {
    if (this.unread !== undefined && t < this.unread.length) this.unread[t] = 0;
    const record = ticketRecord(facts);
    const opening = ticketOpening(facts);
    // Only values the columns hold exactly: a decoded event's always are; one an embedding program
    // built itself may name a channel or service the wire format does not have.
    if (
      record === undefined ||
      (opening.channel !== undefined && !TICKET_CHANNELS.includes(opening.channel)) ||
      !SERVICE_KINDS.includes(opening.service)
    ) {
      this.whole.set(t, facts);
      this.records[t] = undefined;
      return;
    }
    if (this.whole.size > 0) this.whole.delete(t);
    this.records[t] = isPlainRecord(record) ? undefined : record;
    this.openedAt[t] = opening.openedAt;
    this.channel[t] = opening.channel === undefined ? 0 : TICKET_CHANNELS.indexOf(opening.channel) + 1;
    this.service[t] = SERVICE_KINDS.indexOf(opening.service);
    this.requester[t] = this.strings.numberOf(opening.requester);
    this.vmId[t] = this.strings.numberOf(opening.vmId);
  }
}
