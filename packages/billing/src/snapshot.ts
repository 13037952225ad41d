/**
 * Snapshots of a Ledger: its state written as bytes, with where it stands in its source, and read
 * back into a Ledger that answers every query and takes every later event exactly as one that
 * replayed the whole log (the law in @msp-billing/testing checks it on random logs cut anywhere).
 *
 * The bytes (format {@link SNAPSHOT_FORMAT}): the 8 bytes `MSPBSNAP`, the format number (u32,
 * little-endian), then chunks (snapshotCodec.ts): a JSON header (the caller's meta, the position,
 * counts, who claimed the event ids, a fingerprint of the SLA catalog), a JSON body (rate cards,
 * contracts' facts and issued invoices, profiles, invalid events, warnings, the values the columns
 * number, the billed results), and the tables' columns as raw little-endian bytes: work entries,
 * tickets, billed results and invoice lines, and the event ids of the id rule.
 *
 * Not written, made again on restore: what caches hold (each entry's classified and priced result,
 * its `CURRENT` flag, contract views, rate lookups), so a restored Ledger recomputes a result when
 * it is first asked for; the index of entries by the day they read rates at, by period, by fact
 * group and per contract (rebuilt from the columns); and which generation of an entry's result its
 * billed result is, kept only as whether the two are the same. The bytes are canonical: Ledgers
 * given the same events, and asked the same queries at the same points, write the same bytes (which
 * entries a later change must mark for the next invoice depends on what was classified when, so
 * queries are part of the state, though never of the answers).
 */
import type { ContractFacts, RateCardFacts, TicketFacts } from '@msp-billing/contracts';
import type { InvoiceNumberUse, TicketRecord } from '@msp-billing/contracts/internal';
import type { Classification } from '@msp-billing/entitlements';
import type { TechnicianId } from '@msp-billing/events';
import { cyrb53 } from '@msp-billing/events/internal';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import { CURRENT, DIRTY } from './entryTable.js';
import { Book } from './facts.js';
import type { Profiles } from './issuing.js';
import {
  createLedger,
  ledgerState,
  type InvalidEvent,
  type IssuedWith,
  type Ledger,
  type LedgerOptions,
  type LedgerState,
  type Warning,
} from './ledger.js';
import type { ContractBook, IssuedInvoice, PricedEntry } from './state.js';
import {
  ChunkReader,
  ChunkWriter,
  LITTLE_ENDIAN,
  SnapshotDamaged,
  ValueDecoder,
  ValueEncoder,
  type Json,
  type Shape,
} from './snapshotCodec.js';

/** The snapshot format this engine writes and reads. */
export const SNAPSHOT_FORMAT = 1;

/**
 * Where the snapshot stands in its source: opaque to the Ledger, chosen by the store (e.g.
 * `{ position: '123456' }` for PostgreSQL; byte offset, line and a digest of the prefix for a file).
 */
export type SnapshotMeta = Readonly<Record<string, string>>;

/**
 * What {@link readSnapshot} made of some bytes: the restored Ledger and the meta written with it; or
 * a snapshot of another format, or bytes that are no usable snapshot, each with a one-line message
 * (the caller replays the whole log instead).
 */
export type SnapshotRead =
  | { readonly _tag: 'Restored'; readonly ledger: Ledger; readonly meta: SnapshotMeta }
  | { readonly _tag: 'OtherFormat'; readonly format: number; readonly message: string }
  | { readonly _tag: 'Unreadable'; readonly message: string };

const MAGIC = new TextEncoder().encode('MSPBSNAP');

/** What the header says. */
interface Header {
  readonly meta: SnapshotMeta;
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

/** A fingerprint of an SLA catalog (plain data): a snapshot is read only with the catalog it was written with. */
const catalogFingerprint = (catalog: LedgerState['catalog']): number => cyrb53(JSON.stringify(catalog));

/** The JSON body. */
interface Body {
  readonly rateCards: Json;
  readonly books: {
    facts: Json;
    lastIssuedPeriod: string | null;
    allDirty: boolean;
    issued: [string, number][];
  }[];
  readonly bookingsByVm: [string, number[]][];
  readonly alertContract: [string, string][];
  readonly invoices: { book: number; issued: Json; with: Json }[];
  readonly invoiceNumbers: Json;
  readonly provider: Json;
  readonly customers: Json;
  readonly invalid: Json;
  readonly warnings: Json;
  readonly technicians: (string | null)[];
  readonly periods: (string | null)[];
  readonly strings: (string | null)[];
  readonly ticketBooks: number[];
  readonly records: [number, Json][];
  readonly whole: [number, Json][];
  /** Distinct billed results and classifications (by value), which the columns refer to by index. */
  readonly priced: Json[];
  readonly classifications: Json[];
  /** Entries whose latest result is not their billed one although it bills the same: entry, priced. */
  readonly latest: [number, number][];
  /** The shapes of the records above (snapshotCodec.ts), written last. */
  readonly shapes: Shape[];
}

/** Values by index, each distinct value (by its JSON text) once. */
class Distinct<T> {
  readonly list: Json[] = [];
  constructor(private readonly enc: ValueEncoder) {}
  private readonly byObject = new Map<T, number>();
  private readonly byText = new Map<string, number>();
  indexOf(v: T): number {
    const known = this.byObject.get(v);
    if (known !== undefined) return known;
    const json = this.enc.encode(v);
    const text = JSON.stringify(json);
    let n = this.byText.get(text);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(json);
      this.byText.set(text, n);
    }
    this.byObject.set(v, n);
    return n;
  }
}

const nullable = (values: readonly (string | undefined)[]): (string | null)[] => values.map((v) => v ?? null);

/**
 * Write `ledger`'s state with `meta` (where it stands in its source), in format
 * {@link SNAPSHOT_FORMAT}. {@link readSnapshot} makes a Ledger of it that answers and applies every
 * later event exactly as `ledger` does. Throws only for a Ledger not made by `createLedger`.
 */
export const writeSnapshot = (ledger: Ledger, meta: SnapshotMeta): Uint8Array => {
  const s = ledgerState(ledger);
  if (s === undefined) throw new Error('writeSnapshot: not a Ledger made by createLedger');
  if (!LITTLE_ENDIAN) throw new Error('writeSnapshot: snapshots are written on little-endian machines only');
  const { facts, bases, issuing } = s;
  const { entries, tickets } = facts;
  const books = [...facts.books.values()];
  const bookIndex = new Map<ContractBook, number>(books.map((b, k) => [b, k]));
  const issuedIndex = new Map<IssuedInvoice, number>(issuing.issuedOrder.map((x, k) => [x.issued, k]));
  const n = entries.size;
  const nb = bases.size;

  // Which billed results stand for their entry's current generation (`settled`), and the entries'
  // latest results where those are not their billed ones: all a later walk needs of generations.
  const settled = new Uint8Array(nb);
  const sameAsBilled = new Uint8Array(n);
  const enc = new ValueEncoder();
  const priced = new Distinct<PricedEntry>(enc);
  const classifications = new Distinct<Classification>(enc);
  const basisPriced = new Int32Array(nb);
  for (let b = 0; b < nb; b++) basisPriced[b] = priced.indexOf(bases.priced[b] as PricedEntry);
  const noteClassification = new Int32Array(bases.noteCount);
  for (let k = 0; k < bases.noteCount; k++)
    noteClassification[k] = classifications.indexOf(bases.noteClassification[k] as Classification);
  const latest: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const b = entries.invoiced[i] as number;
    if (b < 0 || bases.gen[b] !== entries.gen[i]) continue;
    settled[b] = 1;
    const p = entries.priced[i];
    if (p === bases.priced[b]) sameAsBilled[i] = 1;
    else if (p !== undefined) latest.push([i, priced.indexOf(p)]);
  }
  const flags = entries.flags.slice(0, n).map((f) => f & ~CURRENT);

  const e = entries.tables();
  const t = tickets.tables();
  const { provider, customers } = issuing.profiles();
  const body: Body = {
    rateCards: enc.encode([...facts.rateCards].map(([id, slot]) => [id, slot.facts])),
    books: books.map((b) => ({
      facts: enc.encode(b.facts),
      lastIssuedPeriod: b.lastIssuedPeriod ?? null,
      allDirty: b.allDirty,
      issued: [...b.issued].map(([p, x]) => [p, issuedIndex.get(x) as number]),
    })),
    bookingsByVm: [...facts.bookingsByVm].map(([vm, list]) => [
      vm,
      list.map((b) => bookIndex.get(b) as number),
    ]),
    alertContract: [...facts.alertContract],
    invoices: issuing.issuedOrder.map(({ book, issued }) => ({
      book: bookIndex.get(book) as number,
      issued: enc.encode(issued),
      with: enc.encode(issuing.issuedWithOf.get(issued)),
    })),
    invoiceNumbers: enc.encode([...issuing.invoiceNumbers]),
    provider: enc.encode(provider),
    customers: enc.encode([...customers]),
    invalid: enc.encode(s.invalid),
    warnings: enc.encode(s.warnings),
    technicians: nullable(e.technicians.numbered()),
    periods: nullable(e.periods.numbered()),
    strings: nullable(t.strings.numbered()),
    ticketBooks: t.books.numbered().map((b) => (b === undefined ? -1 : (bookIndex.get(b) as number))),
    records: t.records.flatMap((r, k): [number, Json][] => (r === undefined ? [] : [[k, enc.encode(r)]])),
    whole: [...t.whole].map(([k, f]) => [k, enc.encode(f)]),
    priced: priced.list,
    classifications: classifications.list,
    latest,
    shapes: enc.shapes as Shape[],
  };
  const ids = s.ids === 'none' ? undefined : s.seen.contents();
  const header: Header = {
    meta,
    position: s.position,
    ids: s.ids,
    catalog: catalogFingerprint(s.catalog),
    rateCards: facts.rateCards.size,
    books: books.length,
    tickets: tickets.size,
    entries: n,
    bases: nb,
    lines: bases.lineCount,
    notes: bases.noteCount,
    seen: ids === undefined ? 0 : ids.starts.length,
  };

  const w = new ChunkWriter();
  w.json(header);
  w.json(body);
  const ek = e.ids.contents();
  w.column(ek.chars);
  w.column(ek.starts);
  w.column(entries.startedAt, n);
  w.column(entries.minutes, n);
  w.column(entries.service, n);
  w.column(flags, n);
  w.column(entries.listedGroups, n);
  w.column(entries.ticket, n);
  w.column(entries.next, n);
  w.column(entries.corrections, n);
  w.column(entries.invoiced, n);
  w.column(entries.technician, n);
  w.column(entries.period, n);
  w.column(sameAsBilled, n);
  const tk = t.ids.contents();
  const nt = tickets.size;
  w.column(tk.chars);
  w.column(tk.starts);
  w.column(tickets.book, nt);
  w.column(tickets.requester, nt);
  w.column(tickets.vmId, nt);
  w.column(tickets.openedAt, nt);
  w.column(tickets.channel, nt);
  w.column(tickets.service, nt);
  w.column(tickets.first, nt);
  w.column(bases.entry, nb);
  w.column(settled, nb);
  w.column(bases.startedAt, nb);
  w.column(bases.minutes, nb);
  w.column(basisPriced, nb);
  w.column(bases.lines, bases.lineCount);
  w.column(bases.noteEntry, bases.noteCount);
  w.column(noteClassification, bases.noteCount);
  if (ids !== undefined) {
    w.column(ids.chars);
    w.column(ids.starts);
    w.column(ids.lines);
    w.column(ids.fingerprints);
  }
  const prefix = new Uint8Array(16);
  prefix.set(MAGIC);
  new DataView(prefix.buffer).setUint32(8, SNAPSHOT_FORMAT, true);
  return w.bytes(prefix);
};

/** One line: what went wrong while reading. */
const oneLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();

/**
 * Read a snapshot written by {@link writeSnapshot} into a new Ledger with `options` (the caller's:
 * the SLA catalog, the walk, the id rule). Never throws: bytes of another format give `OtherFormat`,
 * damaged ones or a snapshot these options cannot continue give `Unreadable`, each with a one-line
 * message.
 *
 * A snapshot is read only with the SLA catalog it was written with (the warnings it holds were
 * judged by it). A Ledger that applies the id rule (`dedupe`, the default) can continue only a
 * snapshot of a Ledger that applied it too (it needs the ids seen so far); one with `dedupe: false`
 * continues any, and keeps the ids only of a snapshot of an NDJSON fold, for the reader of the rest.
 */
export const readSnapshot = (bytes: Uint8Array, options: LedgerOptions = {}): SnapshotRead => {
  if (bytes.byteLength < 16 || MAGIC.some((m, k) => bytes[k] !== m))
    return { _tag: 'Unreadable', message: 'not a Ledger snapshot (no MSPBSNAP at its start)' };
  const format = new DataView(bytes.buffer, bytes.byteOffset, 16).getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT)
    return {
      _tag: 'OtherFormat',
      format,
      message: `snapshot format ${format}, this engine reads ${SNAPSHOT_FORMAT}: replaying the whole log`,
    };
  if (!LITTLE_ENDIAN)
    return { _tag: 'Unreadable', message: 'snapshots are read on little-endian machines only' };
  try {
    const r = new ChunkReader(bytes, 16);
    const header = r.json() as Header;
    const dedupe = options.dedupe ?? true;
    if (header.catalog !== catalogFingerprint(options.slaCatalog ?? DEFAULT_SLA_CATALOG))
      return {
        _tag: 'Unreadable',
        message: 'snapshot written with another SLA catalog: replaying the whole log',
      };
    if (dedupe && header.ids !== 'ledger')
      return {
        _tag: 'Unreadable',
        message: 'snapshot of a Ledger that did not apply the id rule itself: replaying the whole log',
      };
    const ledger = createLedger(options);
    restore(ledgerState(ledger) as LedgerState, header, r, dedupe);
    if (!r.done) throw new SnapshotDamaged('bytes after its last chunk');
    return { _tag: 'Restored', ledger, meta: header.meta };
  } catch (err) {
    return { _tag: 'Unreadable', message: `snapshot unreadable: ${oneLine(err)}` };
  }
};

/** Restore the state written in `r` (after its header) into the empty Ledger state `s`. */
const restore = (s: LedgerState, h: Header, r: ChunkReader, dedupe: boolean): void => {
  const body = r.json() as Body;
  const dec = new ValueDecoder(body.shapes);
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
  e.ids.load(r.columnOf(CHARS), r.columnOf(STARTS, n));
  entries.startedAt = r.column(new Float64Array(0), n);
  entries.minutes = r.column(new Uint16Array(0), n);
  entries.service = r.column(new Uint8Array(0), n);
  entries.flags = r.column(new Uint8Array(0), n);
  entries.listedGroups = r.column(new Uint8Array(0), n);
  entries.ticket = r.column(new Int32Array(0), n);
  entries.next = r.column(new Int32Array(0), n);
  entries.corrections = r.column(new Uint32Array(0), n);
  entries.invoiced = r.column(new Int32Array(0), n);
  entries.technician = r.column(new Int32Array(0), n);
  entries.period = r.column(new Int32Array(0), n);
  const sameAsBilled = r.column(new Uint8Array(0), n);
  entries.gen = new Uint32Array(n).fill(1);
  e.technicians.load(body.technicians.map((v) => (v ?? undefined) as TechnicianId | undefined));
  e.periods.load(body.periods.map((v) => v ?? undefined));
  entries.size = n;
  for (let i = 0; i < n; i++) entries.priced.push(undefined);

  // Tickets.
  const nt = h.tickets;
  const t = tickets.tables();
  t.ids.load(r.columnOf(CHARS), r.columnOf(STARTS, nt));
  tickets.book = r.column(new Int32Array(0), nt);
  tickets.requester = r.column(new Int32Array(0), nt);
  tickets.vmId = r.column(new Int32Array(0), nt);
  tickets.openedAt = r.column(new Float64Array(0), nt);
  tickets.channel = r.column(new Uint8Array(0), nt);
  tickets.service = r.column(new Uint8Array(0), nt);
  tickets.first = r.column(new Int32Array(0), nt);
  t.books.load(body.ticketBooks.map((k) => (k < 0 ? undefined : bookAt(k))));
  t.strings.load(body.strings.map((v) => v ?? undefined));
  for (let k = 0; k < nt; k++) t.records.push(undefined);
  for (const [k, rec] of body.records) t.records[k] = dec.decode(rec) as TicketRecord;
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
  for (const k of r.column(new Int32Array(0), nb)) bases.priced.push(pricedAt(k));
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
  for (let i = 0; i < n; i++) {
    const book = entries.bookOf(i);
    if (book === undefined) throw new SnapshotDamaged(`work entry ${i} on a ticket of no contract`);
    book.entries.push(i);
    if (((entries.flags[i] as number) & DIRTY) !== 0) book.dirty.push(i);
    deps.restored(i);
  }

  // Issued invoices and what issuing reads.
  const order = issuing.issuedOrder as { book: ContractBook; issued: IssuedInvoice }[];
  for (const x of body.invoices) {
    const issued = dec.decode(x.issued) as IssuedInvoice;
    order.push({ book: bookAt(x.book), issued });
    issuing.issuedWithOf.set(issued, dec.decode(x.with) as IssuedWith);
  }
  body.books.forEach((b, k) => {
    for (const [period, at] of b.issued) {
      const x = order[at];
      if (x === undefined) throw new SnapshotDamaged(`no issued invoice number ${at}`);
      bookAt(k).issued.set(period, x.issued);
    }
  });
  const numbers = issuing.invoiceNumbers as Map<string, InvoiceNumberUse>;
  for (const [k, use] of dec.decode(body.invoiceNumbers) as [string, InvoiceNumberUse][]) numbers.set(k, use);
  const { customers } = issuing.profiles();
  issuing.restoreProvider(dec.decode(body.provider) as Profiles['provider']);
  for (const [id, p] of dec.decode(body.customers) as Parameters<Profiles['customers']['set']>[])
    customers.set(id, p);

  // The id rule's table, when the restored Ledger goes on with it (see readSnapshot).
  if (h.ids !== 'none') {
    const chars = r.columnOf(CHARS);
    const starts = r.columnOf(STARTS, h.seen);
    const lines = r.columnOf(STARTS, h.seen);
    const fingerprints = r.column(new Float64Array(0), h.seen);
    if (dedupe ? h.ids === 'ledger' : h.ids === 'reader') {
      s.seen.load({ chars, starts, lines, fingerprints });
      s.ids = h.ids;
    } else s.ids = 'none';
  } else s.ids = 'none';
  for (const x of dec.decode(body.invalid) as InvalidEvent[]) s.invalid.push(x);
  for (const x of dec.decode(body.warnings) as Warning[]) s.warnings.push(x);
  s.position = h.position;
};

/** The kinds a KeyTable keeps its characters, and its starts (or an IdTable its lines), in. */
const CHARS: readonly (Uint8Array | Uint16Array)[] = [new Uint8Array(0), new Uint16Array(0)];
const STARTS: readonly (Uint32Array | Float64Array)[] = [new Uint32Array(0), new Float64Array(0)];

/**
 * Let the NDJSON reader of `foldNdjson` claim the event ids in `ledger`'s own table (the Ledger does
 * not apply the id rule itself: `dedupe: false`), so that a snapshot of it holds them and a fold of
 * the rest of the file goes on with them. Only before the first event; false if it cannot.
 */
export const keepReaderIds = (ledger: Ledger): boolean => {
  const s = ledgerState(ledger);
  if (s === undefined || s.dedupe || s.position !== 0 || s.ids !== 'none') return s?.ids === 'reader';
  s.ids = 'reader';
  return true;
};
