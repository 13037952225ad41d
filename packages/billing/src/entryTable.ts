/**
 * The Ledger's work entries and the results issued invoices billed, kept as columns: entry number
 * `i` (recording order of its `WorkLogged`) is row `i` of every column of an {@link EntryTable}, and
 * billed result `b` row `b` of a {@link BasisTable}. A million entries kept as objects cost three
 * objects each (the bookkeeping, the values, the cached result) with a 24-byte header and 8 bytes
 * per field apiece; as columns, numbers take 1 to 8 bytes, shared values (technicians, priced
 * results) one pointer, and the ids are in a KeyTable (21 B each). docs/benchmarks.md has the before
 * and after. Minutes are kept in 16 bits and a service as its number in SERVICE_KINDS: the Ledger
 * refuses a work entry whose values the wire format does not allow (`entryValuesRefusal`).
 *
 * The values are those of `loggedEntry` / `correctedEntry` / `voidedEntry` of @msp-billing/contracts
 * (ledger.ts writes their results here), less the description, which nothing the Ledger answers
 * shows or reads.
 */
import type { WorkEntry } from '@msp-billing/contracts/internal';
import type { Classification } from '@msp-billing/entitlements';
import { type ServiceKind, type TechnicianId } from '@msp-billing/events';
import { KeyTable, SERVICE_KINDS, grownTo, type TypedColumn } from '@msp-billing/events/internal';
import type { ContractBook, PricedEntry } from './state.js';
import type { TicketTable } from './ticketTable.js';
import { ValueTable } from './valueTable.js';

/** Bits of {@link EntryTable.flags}. */
export const VOIDED = 1;
/** On its book's `dirty` list (state.ts, ContractBook.dirty). */
export const DIRTY = 2;
/** Its `priced` result is current: nothing it was computed from has changed since. */
export const CURRENT = 4;

const serviceCode = (s: ServiceKind | undefined): number =>
  s === undefined ? 0 : SERVICE_KINDS.indexOf(s) + 1;

/**
 * `column` grown to hold at least `n` rows, as the same kind of typed array (by half again, so the
 * room kept is a third at most; the old column's memory is given back at once, see `grownTo`);
 * `column` itself when it already does. A table grows all its
 * columns of one length together, when a row would not fit (`capacity`).
 */
export const grown = <T extends TypedColumn>(column: T, n: number): T => {
  if (n <= column.length) return column;
  return grownTo(column, Math.max(n, 1024, Math.ceil(column.length * 1.5)));
};

/** Work entries by number: their values, their bookkeeping and their cached result. */
export class EntryTable {
  size = 0;
  /** The tickets the entries are logged on. */
  readonly tickets: TicketTable;
  /** The entries' ids: entry i is key i (see {@link EntryTable.workIdOf}, {@link EntryTable.numberOf}). */
  private readonly ids = new KeyTable();
  /** Its technician, as a number of `technicians` (see {@link EntryTable.technicianOf}). */
  technician = new Int32Array(0);
  private readonly technicians = new ValueTable<TechnicianId>();
  /** Its current result while {@link CURRENT} is set; else the latest computed, or undefined. */
  readonly priced: (PricedEntry | undefined)[] = [];
  /**
   * Its period (the month of its start in its contract's zone) as a number of `periods`, 0 until
   * dependencies.ts's `listPeriod` sets it with its values (see {@link EntryTable.setPeriod}).
   */
  period = new Int32Array(0);
  private readonly periods = new ValueTable<string>();
  startedAt = new Float64Array(0);
  minutes = new Uint16Array(0);
  /** 0: none (the ticket's service counts), else 1 + its index in SERVICE_KINDS. */
  service = new Uint8Array(0);
  /** {@link VOIDED}, {@link DIRTY}, {@link CURRENT}. */
  flags = new Uint8Array(0);
  /** The contract fact groups (bits, dependencies.ts) whose reader lists of its book it is on. */
  listedGroups = new Uint8Array(0);
  /** Its ticket (a number in the TicketTable). */
  ticket = new Int32Array(0);
  /** The entry logged on the same ticket before it, or -1. */
  next = new Int32Array(0);
  /** How many `WorkLogCorrected` were applied to it (shown by `explain`). */
  corrections = new Uint32Array(0);
  /**
   * The generation of its result: moves whenever its values or its priced result change, so an
   * equal generation means the same values billed at the same price (see {@link BasisTable.gen}).
   */
  gen = new Uint32Array(0);
  /** The billed result the issued invoices last billed it from, or -1 (see {@link BasisTable}). */
  invoiced = new Int32Array(0);

  constructor(tickets: TicketTable) {
    this.tickets = tickets;
  }

  /** Add an entry with the values `e` (not voided) on ticket `t`; returns its number. */
  add(e: WorkEntry, t: number): number {
    const i = this.size;
    const n = i + 1;
    if (n > this.flags.length) this.grow(n);
    if (this.ids.findOrAdd(e.workId) !== ~i) throw new Error(`work entry ${e.workId} added twice`);
    this.technician[i] = this.technicians.numberOf(e.technician);
    this.priced.push(undefined);
    this.ticket[i] = t;
    this.next[i] = this.tickets.first[t] as number;
    this.tickets.first[t] = i;
    this.invoiced[i] = -1;
    this.write(i, e);
    this.size = n;
    return i;
  }

  /** Room for `n` entries in every typed column (they all have one length). */
  private grow(n: number): void {
    this.startedAt = grown(this.startedAt, n);
    this.minutes = grown(this.minutes, n);
    this.service = grown(this.service, n);
    this.flags = grown(this.flags, n);
    this.listedGroups = grown(this.listedGroups, n);
    this.ticket = grown(this.ticket, n);
    this.next = grown(this.next, n);
    this.corrections = grown(this.corrections, n);
    this.gen = grown(this.gen, n);
    this.invoiced = grown(this.invoiced, n);
    this.technician = grown(this.technician, n);
    this.period = grown(this.period, n);
  }

  /** Replace the values of entry `i` (its id, ticket and technician never change). */
  write(i: number, e: WorkEntry): void {
    this.startedAt[i] = e.startedAt;
    this.minutes[i] = e.minutes;
    this.service[i] = serviceCode(e.service);
    if (e.voided) this.flags[i] = (this.flags[i] as number) | VOIDED;
  }

  /** The values of entry `i`, as `loggedEntry` and its corrections made them (less the description). */
  values(i: number): WorkEntry {
    const service = this.serviceOf(i);
    return {
      workId: this.workIdOf(i),
      ticketId: this.ticketIdOf(i),
      technician: this.technicianOf(i),
      startedAt: this.startedAt[i] as number,
      minutes: this.minutes[i] as number,
      ...(service === undefined ? {} : { service }),
      voided: this.isVoided(i),
    };
  }

  technicianOf(i: number): TechnicianId {
    return this.technicians.valueOf(this.technician[i] as number) as TechnicianId;
  }

  /** Entry `i`'s period, or '' before {@link EntryTable.setPeriod} set one. */
  periodOf(i: number): string {
    return this.periods.valueOf(this.period[i] as number) ?? '';
  }

  /** Set entry `i`'s period; false if it was that already. */
  setPeriod(i: number, period: string): boolean {
    const n = this.periods.numberOf(period);
    if (this.period[i] === n) return false;
    this.period[i] = n;
    return true;
  }

  workIdOf(i: number): string {
    return this.ids.keyOf(i);
  }

  /** The number of the entry with id `workId`, or undefined. */
  numberOf(workId: string): number | undefined {
    return this.ids.find(workId);
  }

  ticketIdOf(i: number): string {
    return this.tickets.ticketIdOf(this.ticket[i] as number);
  }

  bookOf(i: number): ContractBook {
    return this.tickets.bookOf(this.ticket[i] as number);
  }

  serviceOf(i: number): ServiceKind | undefined {
    const code = this.service[i] as number;
    return code === 0 ? undefined : SERVICE_KINDS[code - 1];
  }

  isVoided(i: number): boolean {
    return ((this.flags[i] as number) & VOIDED) !== 0;
  }

  /** Its tables of ids, technicians and periods, for a snapshot (snapshot.ts). */
  tables(): {
    readonly ids: KeyTable;
    readonly technicians: ValueTable<TechnicianId>;
    readonly periods: ValueTable<string>;
  } {
    return { ids: this.ids, technicians: this.technicians, periods: this.periods };
  }
}

/**
 * What issued invoices billed, one row per billed result: its entry, the generation of the entry's
 * result it was, and the values a line shows (its start, minutes and priced result), which never
 * change. An issued invoice's lines are numbers of rows here.
 */
export class BasisTable {
  size = 0;
  readonly priced: PricedEntry[] = [];
  entry = new Int32Array(0);
  gen = new Uint32Array(0);
  startedAt = new Float64Array(0);
  minutes = new Uint16Array(0);
  /**
   * The rows the lines of issued invoices bill, invoice after invoice: an issued invoice's lines are
   * `lineCount` entries from its `firstLine` (state.ts). One column for all, not an array per invoice.
   */
  lines = new Int32Array(0);
  lineCount = 0;
  /**
   * The entries issued invoices listed as held or flagged, invoice after invoice, and the
   * classification that put each there when the invoice was issued: an issued invoice's are
   * `heldCount` then `flaggedCount` rows from its `firstNote` (state.ts). Their ids are the entries'
   * (which never change), their reasons the classifications'; no object or string per item.
   */
  noteEntry = new Int32Array(0);
  readonly noteClassification: Classification[] = [];
  noteCount = 0;

  /** Record that an issued invoice lists entry `i` as `c` says (held or flagged). */
  addNote(i: number, c: Classification): void {
    this.noteEntry = grown(this.noteEntry, this.noteCount + 1);
    this.noteEntry[this.noteCount] = i;
    this.noteClassification.push(c);
    this.noteCount += 1;
  }

  /** Record that the next line of an issued invoice bills row `b`. */
  addLine(b: number): void {
    this.lines = grown(this.lines, this.lineCount + 1);
    this.lines[this.lineCount] = b;
    this.lineCount += 1;
  }

  /** Record entry `i`'s current values and result of `entries` as billed; returns the row. */
  add(entries: EntryTable, i: number): number {
    const b = this.size;
    const n = b + 1;
    if (n > this.entry.length) {
      this.entry = grown(this.entry, n);
      this.gen = grown(this.gen, n);
      this.startedAt = grown(this.startedAt, n);
      this.minutes = grown(this.minutes, n);
    }
    this.priced.push(entries.priced[i] as PricedEntry);
    this.entry[b] = i;
    this.gen[b] = entries.gen[i] as number;
    this.startedAt[b] = entries.startedAt[i] as number;
    this.minutes[b] = entries.minutes[i] as number;
    this.size = n;
    return b;
  }
}
