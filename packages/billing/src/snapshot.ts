/**
 * Snapshots of a Ledger: its state written as bytes, with where it stands in its source, and read
 * back into a Ledger that answers every query and takes every later event exactly as one that
 * replayed the whole log (the law in @msp-billing/testing checks it on random logs cut anywhere).
 *
 * The bytes (format {@link SNAPSHOT_FORMAT}): the 8 bytes `MSPBSNAP`, the format number (u32,
 * little-endian), then chunks (snapshotCodec.ts): a JSON header (the caller's meta, the position,
 * counts, who claimed the event ids, a fingerprint of the SLA catalog), a JSON body (rate cards,
 * contracts' facts and issued invoices, profiles, the values the columns number, the billed
 * results), the invalid events, the warnings and what each invoice was issued with (a JSON chunk
 * each, read only when first asked for), and the tables' columns as raw little-endian bytes: work
 * entries, tickets (and their records, each a JSON text of its own, read only when asked for),
 * billed results and invoice lines, and the event ids of the id rule. Each table of ids is written
 * with its hash slots, so that the first event after a restore does not spread a million ids again
 * (~0.3 s at 1M).
 *
 * Not written, made again on restore: what caches hold (each entry's classified and priced result,
 * its `CURRENT` flag, contract views, rate lookups), so a restored Ledger recomputes a result when
 * it is first asked for; the index of entries by the day they read rates at, by period, by fact
 * group and per contract (rebuilt from the columns); the invoice numbers taken (each by the invoice
 * issued with it); and which generation of an entry's result its billed result is, kept only as
 * whether the two are the same. The bytes are canonical: Ledgers given the same events, and asked
 * the same queries at the same points, write the same bytes (which entries a later change must mark
 * for the next invoice depends on what was classified when, so queries are part of the state, though
 * never of the answers).
 */
import type { Classification } from '@msp-billing/entitlements';
import { cyrb53 } from '@msp-billing/events/internal';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import { CURRENT } from './entryTable.js';
import { createLedger, ledgerState, type Ledger, type LedgerOptions, type LedgerState } from './ledger.js';
import type { ContractBook, IssuedInvoice, PricedEntry } from './state.js';
import {
  ChunkReader,
  ChunkWriter,
  LITTLE_ENDIAN,
  SnapshotDamaged,
  ValueEncoder,
  type Json,
  type Shape,
} from './snapshotCodec.js';
import { ENTRY_COLUMNS, TICKET_COLUMNS, restore, type Body, type Header } from './snapshotRestore.js';

/** The snapshot format this engine writes and reads. */
export const SNAPSHOT_FORMAT = 3;

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

/** A fingerprint of an SLA catalog (plain data): a snapshot is read only with the catalog it was written with. */
export const catalogFingerprint = (catalog: LedgerState['catalog']): number =>
  cyrb53(JSON.stringify(catalog));

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
    if (p === undefined) continue;
    // Told by value, not by object: a rebased entry's result may equal its billed one without being
    // it, and a restore makes one object of the two (the same bytes must come out again).
    const k = p === bases.priced[b] ? (basisPriced[b] as number) : priced.indexOf(p);
    if (k === basisPriced[b]) sameAsBilled[i] = 1;
    else latest.push([i, k]);
  }
  const flags = entries.flags.slice(0, n).map((f) => f & ~CURRENT);

  const e = entries.tables();
  const t = tickets.tables();
  // Each ticket's record as a JSON text of its own (empty: none) in UTF-8, one after the other, and
  // where each ends (in bytes): a restore reads one only when its ticket's facts are asked for.
  const nt = tickets.size;
  const utf8 = new TextEncoder();
  const recordBytes: Uint8Array[] = [];
  const recordEnds = new Uint32Array(nt);
  let recordEnd = 0;
  for (let k = 0; k < nt; k++) {
    const record = t.records[k];
    if (record !== undefined) {
      const bytes = utf8.encode(JSON.stringify(enc.encode(record)));
      recordBytes.push(bytes);
      recordEnd += bytes.length;
    }
    recordEnds[k] = recordEnd;
  }
  const records = new Uint8Array(recordEnd);
  for (let k = 0, at = 0; k < recordBytes.length; k++) {
    const bytes = recordBytes[k] as Uint8Array;
    records.set(bytes, at);
    at += bytes.length;
  }
  const { provider, customers } = issuing.profiles();
  // Read by a restore only when first asked for (ledger.ts, ReportList): chunks of their own.
  const invalid = enc.encode(s.invalid.all());
  const warnings = enc.encode(s.warnings.all());
  const issuedWith = enc.encode(issuing.issuedOrder.map(({ issued }) => issuing.issuedWith(issued)));
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
    })),
    provider: enc.encode(provider),
    customers: enc.encode([...customers]),
    technicians: nullable(e.technicians.numbered()),
    periods: nullable(e.periods.numbered()),
    strings: nullable(t.strings.numbered()),
    ticketBooks: t.books.numbered().map((b) => (b === undefined ? -1 : (bookIndex.get(b) as number))),
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
  w.json(invalid);
  w.json(warnings);
  w.json(issuedWith);
  const ek = e.ids.contents();
  w.column(ek.chars);
  w.column(ek.starts);
  w.column(ek.slots);
  for (const k of ENTRY_COLUMNS) w.column(k === 'flags' ? flags : entries[k], n);
  w.column(sameAsBilled, n);
  const tk = t.ids.contents();
  w.column(tk.chars);
  w.column(tk.starts);
  w.column(tk.slots);
  for (const k of TICKET_COLUMNS) w.column(tickets[k], nt);
  w.column(records);
  w.column(recordEnds, nt);
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
    w.column(ids.slots);
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
export const readSnapshot = (bytes: Uint8Array, options: LedgerOptions = {}): SnapshotRead =>
  read(bytes, options, false);

/**
 * {@link readSnapshot} of bytes the caller gives up: the restored Ledger keeps its tables in them
 * where it can (views, not copies: at 1M events ~0.1 s less, and no second copy of their memory) and
 * changes them as it goes on. The caller must not read, change or restore them again.
 */
export const readSnapshotInPlace = (bytes: Uint8Array, options: LedgerOptions = {}): SnapshotRead =>
  read(bytes, options, true);

const read = (bytes: Uint8Array, options: LedgerOptions, inPlace: boolean): SnapshotRead => {
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
    const r = new ChunkReader(bytes, 16, inPlace);
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
