/**
 * How an invoice's lines are shown (spec §5: minutes, start, service, rate, amount, clause): each
 * line's text, the net of the lines, and the lines of drafts kept while they stay the same, so that
 * reading a draft again after an event makes only the lines that changed.
 */
import { formatInstant, type Instant, type ServiceKind } from '@msp-billing/events';
import { Dec, ZERO, formatMoney, formatRate } from './money.js';
import type { BasisTable, EntryTable } from './entryTable.js';
import type { LineKind, PricedEntry } from './state.js';

/**
 * The Ledger's entries and what was billed for them, as an invoice walk and its rendering read them
 * (entryTable.ts).
 */
export interface LedgerRows {
  readonly entries: EntryTable;
  readonly bases: BasisTable;
  /** The current result of entry `i`, classified and priced if it is not cached; undefined when voided. */
  current(i: number): PricedEntry | undefined;
  /** The lines drafts showed for entries' current results, kept while unchanged (lines.ts). */
  readonly drafted: DraftedLines;
}

/** One line of an invoice, as printed (`invoice --format json`). */
export interface InvoiceLine {
  readonly kind: LineKind;
  readonly workId: string;
  readonly ticketId: string;
  readonly service: ServiceKind;
  readonly startedAt: string;
  readonly minutes: number;
  readonly billedMinutes: number;
  readonly hourlyRate: string;
  readonly amount: string;
  readonly clause: string;
}

/**
 * A line before formatting: its kind, its entry, and the billed result whose values it shows (a row
 * of the BasisTable), or -1 when it shows the entry's current values and result: a new line of a
 * draft, or of an invoice being issued until issuing records it as billed.
 */
export interface DraftLine {
  readonly kind: LineKind;
  readonly entry: number;
  readonly basis: number;
}

/** The priced result a line shows. */
const pricedOfLine = (rows: LedgerRows, l: DraftLine): PricedEntry =>
  (l.basis < 0 ? rows.entries.priced[l.entry] : rows.bases.priced[l.basis]) as PricedEntry;

/**
 * The text of each amount an invoice shows, made once per distinct amount and sign: amounts are
 * shared per rate and billed minutes (money.ts), so an invoice of hundreds of lines has a few dozen.
 * Local to one rendering.
 */
export class AmountTexts {
  private readonly billed = new Map<Dec | null, string>();
  private readonly reversed = new Map<Dec | null, string>();

  /** What line `l` states as its amount (spec §5: a reversal the negated amount it reverses). */
  of(rows: LedgerRows, l: DraftLine): string {
    const amount = pricedOfLine(rows, l).amount;
    const texts = l.kind === 'reversal' ? this.reversed : this.billed;
    let text = texts.get(amount);
    if (text === undefined) {
      const d = amount ?? ZERO;
      texts.set(amount, (text = formatMoney(l.kind === 'reversal' ? d.negated() : d)));
    }
    return text;
  }
}

/**
 * The net of `lines`: the sum of their amounts, a reversal's negated. Each distinct amount (they are
 * shared, see {@link AmountTexts}) is added once, times how often it is billed less how often it is
 * reversed: exact decimals, so the same sum as line by line, in a few operations per invoice.
 */
export const netOf = (rows: LedgerRows, lines: readonly DraftLine[]): Dec => {
  const times = new Map<Dec, number>();
  for (const l of lines) {
    const amount = pricedOfLine(rows, l).amount;
    if (amount !== null) times.set(amount, (times.get(amount) ?? 0) + (l.kind === 'reversal' ? -1 : 1));
  }
  let net = ZERO;
  for (const [amount, k] of times) if (k !== 0) net = net.plus(k === 1 ? amount : amount.times(k));
  return net;
};

/** Line `l` made anew. */
const newLine = (rows: LedgerRows, l: DraftLine, amounts: AmountTexts): InvoiceLine => {
  const { entries, bases } = rows;
  const p = pricedOfLine(rows, l);
  const current = l.basis < 0;
  return {
    kind: l.kind,
    workId: entries.workIdOf(l.entry),
    ticketId: entries.ticketIdOf(l.entry),
    service: p.classification.service,
    startedAt: formatInstant((current ? entries.startedAt[l.entry] : bases.startedAt[l.basis]) as Instant),
    minutes: (current ? entries.minutes[l.entry] : bases.minutes[l.basis]) as number,
    billedMinutes: p.billedMinutes ?? 0,
    hourlyRate: formatRate(p.hourlyRate ?? '0'),
    amount: amounts.of(rows, l),
    clause: p.classification.clause,
  };
};

/** A drafted line and what it was made from. */
interface Drafted {
  readonly priced: PricedEntry;
  readonly startedAt: number;
  readonly minutes: number;
  readonly line: InvoiceLine;
}

/**
 * The lines drafts showed for entries' current results (new work, late work, a correction), by
 * entry. A line shows only its kind, the entry's ids, its start and minutes and its priced result,
 * so it stands while those are the same; it is frozen, since every draft that shows it hands it
 * out. A cache, not state: without it every answer is the same. Issuing drops the lines it bills
 * (their entries show billed results from then on).
 */
export class DraftedLines {
  private readonly byEntry = new Map<number, Drafted>();

  /** Line `l` of a draft, which shows entry `l.entry`'s current values and result. */
  line(rows: LedgerRows, l: DraftLine, amounts: AmountTexts): InvoiceLine {
    const { entries } = rows;
    const i = l.entry;
    const priced = entries.priced[i] as PricedEntry;
    const startedAt = entries.startedAt[i] as number;
    const minutes = entries.minutes[i] as number;
    const d = this.byEntry.get(i);
    if (
      d !== undefined &&
      d.priced === priced &&
      d.line.kind === l.kind &&
      d.startedAt === startedAt &&
      d.minutes === minutes
    )
      return d.line;
    const line = Object.freeze(newLine(rows, l, amounts));
    this.byEntry.set(i, { priced, startedAt, minutes, line });
    return line;
  }

  /** Entry `i` is billed: no draft shows its current result until it changes. */
  drop(i: number): void {
    this.byEntry.delete(i);
  }
}

/** Line `l` as an invoice shows it. */
export const lineOf = (rows: LedgerRows, l: DraftLine, amounts: AmountTexts): InvoiceLine =>
  l.basis < 0 ? rows.drafted.line(rows, l, amounts) : newLine(rows, l, amounts);
