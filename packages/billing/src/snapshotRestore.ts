/**
 * Restoring a Ledger's state from a snapshot's chunks (snapshot.ts has the layout, the writer, and
 * `readSnapshot`, which calls this): the facts and invoices from the JSON body, the tables from their
 * columns (the tickets' records, the invalid events, the warnings and what each invoice was issued
 * with only when first asked for), then what is rebuilt rather than written — each book's entries
 * and dirty list, and the dependency index (rate readers, entries by period and by fact group).
 */
import type { ContractFacts, RateCardFacts, TicketFacts } from '@msp-billing/contracts';
import type { InvoiceNumberUse, TicketRecord } from '@msp-billing/contracts/internal';
import type { Classification } from '@msp-billing/entitlements';
import type { TechnicianId } from '@msp-billing/events';
import type { EntryTable } from './entryTable.js';
import { Book } from './facts.js';
import type { Profiles } from './issuing.js';
import type { InvalidEvent, IssuedWith, LedgerState, Warning } from './ledger.js';
import {
  ChunkReader,
  SnapshotDamaged,
  ValueDecoder,
  damagedLater,
  type Json,
  type Shape,
} from './snapshotCodec.js';
import type { ContractBook, IssuedInvoice, PricedEntry } from './state.js';
import type { TicketTable } from './ticketTable.js';

/**
 * The work entries' columns in the order a snapshot holds them, after their ids and before
 * `sameAsBilled`; one list for the writer (snapshot.ts) and the reader, so their orders cannot part.
 */
export const ENTRY_COLUMNS = [
  'startedAt',
  'minutes',
  'service',
  'flags',
  'listedGroups',
  'ticket',
  'next',
  'corrections',
  'invoiced',
  'technician',
  'period',
] as const satisfies readonly (keyof EntryTable)[];

/** The tickets' columns in the order a snapshot holds them, after their ids. */
export const TICKET_COLUMNS = [
  'book',
  'requester',
  'vmId',
  'openedAt',
  'channel',
  'service',
  'first',
] as const satisfies readonly (keyof TicketTable)[];

/** What the header says (written by snapshot.ts). */
export interface Header {
  readonly meta: Readonly<Record<string, string>>;
  readonly position: number;
  readonly ids: LedgerState['ids'];
  readonly catalog: number;
  readonly rateCards: number;
  readonly books: number;
  readonly tickets: number;
  readonly entries: number;
  readonly bases: number;
  readonly lines: number;
  readonly notes: number;
  readonly seen: number;
}

/** The JSON body (written by snapshot.ts). */
export interface Body {
  readonly rateCards: Json;
  readonly books: {
    facts: Json;
    lastIssuedPeriod: string | null;
    allDirty: boolean;
    issued: [string, number][];
  }[];
  readonly bookingsByVm: [string, number[]][];
  readonly alertContract: [string, string][];
  readonly invoices: { book: number; issued: Json }[];
  readonly provider: Json;
  readonly customers: Json;
  readonly technicians: (string | null)[];
  readonly periods: (string | null)[];
  readonly strings: (string | null)[];
  readonly ticketBooks: number[];
  readonly whole: [number, Json][];
  /** Distinct billed results and classifications (by value), which the columns refer to by index. */
  readonly priced: Json[];
  readonly classifications: Json[];
  /** Entries whose latest result is not their billed one although it bills the same: entry, priced. */
  readonly latest: [number, number][];
  /** The shapes of the records above (snapshotCodec.ts), written last. */
  readonly shapes: Shape[];
}

/** Restore the state written in `r` (after its header) into the empty Ledger state `s`. */
export const restore = (s: LedgerState, h: Header, r: ChunkReader, dedupe: boolean): void => {
  const body = r.json() as Body;
  const dec = new ValueDecoder(body.shapes);
  // Read when the Ledger is first asked for them: most starts are not.
  const invalid = r.jsonLater();
  const warnings = r.jsonLater();
  const issuedWith = r.jsonLater();
  /** The list `read` holds (of `length` items, if given), or one line on what does not read. */
  const later =
    <T>(what: string, read: () => unknown, length?: number) =>
    (): readonly T[] => {
      try {
        const list = dec.decode(read() as Json);
        if (!Array.isArray(list)) throw new Error('not a list');
        if (length !== undefined && list.length !== length)
          throw new Error(`${list.length} where ${length} belong`);
        return list as T[];
      } catch (err) {
        throw damagedLater(`its ${what}`, err);
      }
    };
  s.invalid.startWith(later<InvalidEvent>('invalid events', invalid));
  s.warnings.startWith(later<Warning>('warnings', warnings));
  const { facts, bases, issuing, deps } = s;
  const { entries, tickets } = facts;

  for (const [id, card] of dec.decode(body.rateCards) as [string, RateCardFacts][])
    facts.rateCards.set(id, { facts: card });
  const books = body.books.map((b) => {
    const f = dec.decode(b.facts) as ContractFacts;
    const slot = facts.rateCards.get(f.rateCardId);
    if (slot === undefined) throw new SnapshotDamaged(`contract ${f.contractId} on an unknown rate card`);
    const book = new Book(f, slot);
    if (b.lastIssuedPeriod !== null) book.lastIssuedPeriod = b.lastIssuedPeriod;
    book.allDirty = b.allDirty;
    facts.books.set(f.contractId, book);
    return book;
  });
  const bookAt = (k: number): ContractBook => {
    const b = books[k];
    if (b === undefined) throw new SnapshotDamaged(`no contract number ${k}`);
    return b;
  };
  for (const [vm, list] of body.bookingsByVm) facts.bookingsByVm.set(vm, list.map(bookAt));
  for (const [a, c] of body.alertContract) facts.alertContract.set(a, c);

  // Work entries: their ids, columns and numbered values; every generation 1 (see `settled`).
  const n = h.entries;
  const e = entries.tables();
  e.ids.load(r.columnOf(CHARS), r.columnOf(STARTS, n), r.column(new Int32Array(0)));
  const entryColumn = <K extends (typeof ENTRY_COLUMNS)[number]>(k: K): void => {
    entries[k] = r.column(entries[k], n);
  };
  for (const k of ENTRY_COLUMNS) entryColumn(k);
  const sameAsBilled = r.column(new Uint8Array(0), n);
  entries.gen = new Uint32Array(n).fill(1);
  e.technicians.load(body.technicians.map((v) => (v ?? undefined) as TechnicianId | undefined));
  e.periods.load(body.periods.map((v) => v ?? undefined));
  entries.size = n;
  entries.priced.length = n;
  entries.priced.fill(undefined);

  // Tickets.
  const nt = h.tickets;
  const t = tickets.tables();
  t.ids.load(r.columnOf(CHARS), r.columnOf(STARTS, nt), r.column(new Int32Array(0)));
  const ticketColumn = <K extends (typeof TICKET_COLUMNS)[number]>(k: K): void => {
    tickets[k] = r.column(tickets[k], nt);
  };
  for (const k of TICKET_COLUMNS) ticketColumn(k);
  t.books.load(body.ticketBooks.map((k) => (k < 0 ? undefined : bookAt(k))));
  t.strings.load(body.strings.map((v) => v ?? undefined));
  t.records.length = nt;
  t.records.fill(undefined);
  // The records' JSON texts, each read when its ticket's facts are first asked for (see writeSnapshot).
  const recordBytes = r.column(new Uint8Array(0));
  const recordEnds = r.column(new Uint32Array(0), nt);
  const unread = new Uint8Array(nt);
  for (let k = 0, start = 0; k < nt; k++) {
    const end = recordEnds[k] as number;
    if (end < start || end > recordBytes.length)
      throw new SnapshotDamaged(`ticket ${k}'s record ends at byte ${end}, outside the records`);
    if (end > start) unread[k] = 1;
    start = end;
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  tickets.readRecordsLater(unread, (k) => {
    const bytes = recordBytes.subarray(k === 0 ? 0 : recordEnds[k - 1], recordEnds[k]);
    try {
      return dec.decode(JSON.parse(utf8.decode(bytes)) as Json) as TicketRecord;
    } catch (err) {
      throw damagedLater(`ticket ${k}'s record`, err);
    }
  });
  for (const [k, f] of body.whole) t.whole.set(k, dec.decode(f) as TicketFacts);
  tickets.size = nt;

  // Billed results, invoice lines and held or flagged notes.
  const nb = h.bases;
  const priced = body.priced.map((p) => dec.decode(p) as PricedEntry);
  const classifications = body.classifications.map((c) => dec.decode(c) as Classification);
  const pricedAt = (k: number): PricedEntry => {
    const p = priced[k];
    if (p === undefined) throw new SnapshotDamaged(`no billed result number ${k}`);
    return p;
  };
  bases.entry = r.column(new Int32Array(0), nb);
  const settled = r.column(new Uint8Array(0), nb);
  bases.startedAt = r.column(new Float64Array(0), nb);
  bases.minutes = r.column(new Uint16Array(0), nb);
  const basisPriced = r.column(new Int32Array(0), nb);
  bases.priced.length = nb;
  for (let b = 0; b < nb; b++) bases.priced[b] = pricedAt(basisPriced[b] as number);
  // A billed result that stands for its entry's current result has its generation (1), any other 0.
  bases.gen = Uint32Array.from(settled);
  bases.size = nb;
  bases.lines = r.column(new Int32Array(0), h.lines);
  bases.lineCount = h.lines;
  bases.noteEntry = r.column(new Int32Array(0), h.notes);
  for (const k of r.column(new Int32Array(0), h.notes)) {
    const c = classifications[k];
    if (c === undefined) throw new SnapshotDamaged(`no classification number ${k}`);
    bases.noteClassification.push(c);
  }
  bases.noteCount = h.notes;

  // The entries' latest results where a later walk reads them, their books' lists, and the indexes.
  for (let i = 0; i < n; i++)
    if (sameAsBilled[i] === 1) entries.priced[i] = bases.priced[entries.invoiced[i] as number];
  for (const [i, k] of body.latest) entries.priced[i] = pricedAt(k);
  for (let i = 0; i < n; i++)
    if (entries.bookOf(i) === undefined)
      throw new SnapshotDamaged(`work entry ${i} on a ticket of no contract`);
  deps.restored(n, books);

  // Issued invoices and what issuing reads.
  const order = issuing.issuedOrder as { book: ContractBook; issued: IssuedInvoice }[];
  for (const x of body.invoices) {
    const issued = dec.decode(x.issued) as IssuedInvoice;
    order.push({ book: bookAt(x.book), issued });
  }
  issuing.restoreIssuedWith(later<IssuedWith>("invoices' profiles", issuedWith, order.length));
  body.books.forEach((b, k) => {
    for (const [period, at] of b.issued) {
      const x = order[at];
      if (x === undefined) throw new SnapshotDamaged(`no issued invoice number ${at}`);
      bookAt(k).issued.set(period, x.issued);
    }
  });
  // Each invoice number was taken by the invoice issued with it (issuing.ts), in issuing order.
  const numbers = issuing.invoiceNumbers as Map<string, InvoiceNumberUse>;
  for (const { book, issued } of order)
    numbers.set(issued.invoiceNumber, { contractId: book.facts.contractId, period: issued.period });
  const { customers } = issuing.profiles();
  issuing.restoreProvider(dec.decode(body.provider) as Profiles['provider']);
  for (const [id, p] of dec.decode(body.customers) as Parameters<Profiles['customers']['set']>[])
    customers.set(id, p);

  // The id rule's table, when the restored Ledger goes on with it (see readSnapshot).
  if (h.ids !== 'none') {
    const chars = r.columnOf(CHARS);
    const starts = r.columnOf(STARTS, h.seen);
    const slots = r.column(new Int32Array(0));
    const lines = r.columnOf(STARTS, h.seen);
    const fingerprints = r.column(new Float64Array(0), h.seen);
    if (dedupe ? h.ids === 'ledger' : h.ids === 'reader') {
      s.seen.load({ chars, starts, slots, lines, fingerprints });
      s.ids = h.ids;
    } else s.ids = 'none';
  } else s.ids = 'none';
  s.position = h.position;
};

/** The kinds a KeyTable keeps its characters, and its starts (or an IdTable its lines), in. */
const CHARS: readonly (Uint8Array | Uint16Array)[] = [new Uint8Array(0), new Uint16Array(0)];
const STARTS: readonly (Uint32Array | Float64Array)[] = [new Uint32Array(0), new Float64Array(0)];
