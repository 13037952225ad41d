/**
 * The invoice difference model (spec §5). An invoice (C, P) is what *should* be billed for C's
 * entries with period ≤ P minus what C's earlier issued invoices already billed, entry by entry:
 * `work` (new, this period), `late-work` (new, earlier period), `reversal` (billed, no longer
 * billable), `reversal` + `correction` (billed, changed). Nothing is billed twice, nothing is lost:
 * the sum of issued nets plus a draft's net equals the current billable amounts up to its period.
 */
import type { Classification } from '@msp-billing/entitlements';
import { Dec, ZERO, formatMoney, vatOf } from './money.js';
import type { EntryTable } from './entryTable.js';
import { AmountTexts, lineOf, netOf, type DraftLine, type InvoiceLine, type LedgerRows } from './lines.js';
import {
  LINE_KINDS,
  type ContractBook,
  type IssuedInvoice,
  type LineKind,
  type PricedEntry,
} from './state.js';

export type { LineKind } from './state.js';
export type { DraftLine, InvoiceLine, LedgerRows } from './lines.js';

/** `draft` (open period), `issued` (frozen by InvoiceIssued) or `skipped` (never issued, passed over). */
export type InvoiceStatus = 'draft' | 'issued' | 'skipped';

/** An entry held for an order confirmation. */
export interface HeldEntry {
  readonly workId: string;
  readonly ticketId: string;
  readonly reason: string;
}

/** An entry the engine refuses to bill or include, with the clause that says why. */
export interface FlaggedEntry {
  readonly workId: string;
  readonly ticketId: string;
  readonly clause: string;
  readonly reason: string;
}

/** The invoice (C, P) as printed by `invoice --format json` (without `invalidEvents`, which the CLI adds). */
export interface Invoice {
  readonly contractId: string;
  readonly period: string;
  readonly status: InvoiceStatus;
  readonly invoiceNumber: string | null;
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly net: string;
  readonly vatRatePercent: string;
  readonly vat: string;
  readonly gross: string;
  readonly included: { readonly entries: number; readonly minutes: number };
  readonly held: readonly HeldEntry[];
  readonly flagged: readonly FlaggedEntry[];
}

/**
 * Whether what billed result `b` billed differs from what entry `i`'s current result `q` would
 * bill (spec §5: minutes, start, service, rate, amount).
 */
const changed = (rows: LedgerRows, b: number, i: number, q: PricedEntry): boolean => {
  const p = rows.bases.priced[b] as PricedEntry;
  const ra = p.hourlyRate ?? '0';
  const rb = q.hourlyRate ?? '0';
  return (
    rows.bases.minutes[b] !== rows.entries.minutes[i] ||
    rows.bases.startedAt[b] !== rows.entries.startedAt[i] ||
    p.classification.service !== q.classification.service ||
    (p.billedMinutes ?? 0) !== (q.billedMinutes ?? 0) ||
    (ra !== rb && !new Dec(ra).equals(rb)) ||
    !(p.amount ?? ZERO).equals(q.amount ?? ZERO) ||
    p.classification.clause !== q.classification.clause
  );
};

/** The result of one walk over a contract's entries for period P. */
export interface Settlement {
  /** The difference lines (empty when only the summary was asked for). */
  readonly lines: readonly DraftLine[];
  /** Entries no longer invoiced if it is issued (reversal without correction). */
  readonly reversed: readonly number[];
  /**
   * Entries with a new result that bills exactly what their billed result billed: no line, but if
   * it is issued, their billed result stands for the new one, so the next walk skips them.
   */
  readonly rebased: readonly number[];
  readonly summary: SettledSummary;
}

/**
 * The summary of period P as a walk finds it: the included entries and their minutes, and the
 * entries held and flagged (numbers in the EntryTable, in walk order), whose current results say why.
 */
export interface SettledSummary {
  readonly includedEntries: number;
  readonly includedMinutes: number;
  readonly held: readonly number[];
  readonly flagged: readonly number[];
}

/**
 * One walk over C's entries for period P: the difference between what should be billed for entries
 * with period ≤ P and what issued invoices billed (unless `summaryOnly`), and the included / held /
 * flagged summary of the entries of period P. `walk` are the entries to look at, in recording order:
 * all of C's, or (the Ledger's choice) only those that can add a line or count in the summary.
 */
export const settle = (
  rows: LedgerRows,
  walk: Iterable<number>,
  period: string,
  summaryOnly = false,
): Settlement => {
  const { entries, bases } = rows;
  const lines: DraftLine[] = [];
  const reversed: number[] = [];
  const rebased: number[] = [];
  let includedEntries = 0;
  let includedMinutes = 0;
  const held: number[] = [];
  const flagged: number[] = [];
  for (const i of walk) {
    const cur = rows.current(i);
    if (cur !== undefined && cur.period === period) {
      const c = cur.classification;
      if (c.status === 'included') {
        includedEntries += 1;
        includedMinutes += entries.minutes[i] as number;
      } else if (c.status === 'held') held.push(i);
      else if (c.status === 'flagged') flagged.push(i);
    }
    if (summaryOnly) continue;
    const prev = entries.invoiced[i] as number;
    const should =
      cur !== undefined && cur.classification.status === 'billable' && cur.period <= period ? cur : undefined;
    if (should === undefined && prev < 0) continue;
    // Billed from this very result (same generation): nothing it was billed for can have changed.
    if (should !== undefined && prev >= 0 && bases.gen[prev] === entries.gen[i]) continue;
    if (should !== undefined && prev < 0) {
      lines.push({ kind: should.period === period ? 'work' : 'late-work', entry: i, basis: -1 });
    } else if (should === undefined) {
      lines.push({ kind: 'reversal', entry: i, basis: prev });
      reversed.push(i);
    } else if (changed(rows, prev, i, should)) {
      lines.push({ kind: 'reversal', entry: i, basis: prev });
      lines.push({ kind: 'correction', entry: i, basis: -1 });
    } else {
      // Unchanged values from a new result: issuing moves the basis forward, so the next walk skips it.
      rebased.push(i);
    }
  }
  return {
    lines,
    reversed,
    rebased,
    summary: { includedEntries, includedMinutes, held, flagged },
  };
};

/** Entry `i` as a held entry of an invoice, for the reason classification `c` gives. */
const heldEntry = (entries: EntryTable, i: number, c: Classification): HeldEntry => ({
  workId: entries.workIdOf(i),
  ticketId: entries.ticketIdOf(i),
  reason: c.reason,
});

/** Entry `i` as a flagged entry of an invoice, for the clause and reason classification `c` gives. */
const flaggedEntry = (entries: EntryTable, i: number, c: Classification): FlaggedEntry => ({
  workId: entries.workIdOf(i),
  ticketId: entries.ticketIdOf(i),
  clause: c.clause,
  reason: c.reason,
});

/** The current classification of entry `i`, one a walk found held or flagged (so not voided). */
const classificationOf = (rows: LedgerRows, i: number): Classification =>
  (rows.current(i) as PricedEntry).classification;

/** A settlement's summary as a draft invoice shows it: from the entries' current results. */
export const summaryOf = (
  rows: LedgerRows,
  s: SettledSummary,
): Pick<Invoice, 'included' | 'held' | 'flagged'> => ({
  included: { entries: s.includedEntries, minutes: s.includedMinutes },
  held: s.held.map((i) => heldEntry(rows.entries, i, classificationOf(rows, i))),
  flagged: s.flagged.map((i) => flaggedEntry(rows.entries, i, classificationOf(rows, i))),
});

/** Assemble an invoice from its lines: totals with VAT (spec §5). */
export const assembleInvoice = (
  rows: LedgerRows,
  args: {
    book: ContractBook;
    period: string;
    status: InvoiceStatus;
    invoiceNumber: string | null;
    currency: string;
    lines: readonly DraftLine[];
    summary: Pick<Invoice, 'included' | 'held' | 'flagged'>;
  },
): Invoice => {
  const net = netOf(rows, args.lines);
  const vat = vatOf(net, args.book.facts.vatRatePercent);
  const amounts = new AmountTexts();
  return {
    contractId: args.book.facts.contractId,
    period: args.period,
    status: args.status,
    invoiceNumber: args.invoiceNumber,
    currency: args.currency,
    lines: args.lines.map((l) => lineOf(rows, l, amounts)),
    net: formatMoney(net),
    vatRatePercent: args.book.facts.vatRatePercent,
    vat: formatMoney(vat),
    gross: formatMoney(net.plus(vat)),
    ...args.summary,
  };
};

/**
 * Issue the settlement `s`: record its new lines' results as billed (rows of the BasisTable) and its
 * lines, and move the entries' billed results forward. Returns what the issued invoice keeps of its
 * lines and summary.
 */
export const recordIssued = (
  rows: LedgerRows,
  s: Settlement,
): Omit<IssuedInvoice, 'period' | 'invoiceNumber' | 'issuedAt' | 'currency'> => {
  const { entries, bases } = rows;
  const firstLine = bases.lineCount;
  for (const l of s.lines) {
    let b = l.basis;
    if (b < 0) {
      b = bases.add(entries, l.entry);
      entries.invoiced[l.entry] = b;
      rows.drafted.drop(l.entry);
    }
    bases.addLine(b);
  }
  // Joined, not concatenated one by one: one flat string rather than a chain of pieces.
  const kinds = s.lines.map((l) => LINE_KINDS.indexOf(l.kind)).join('');
  const { includedEntries, includedMinutes, held, flagged } = s.summary;
  // What the held and flagged entries are listed for is kept as it is now: their classifications.
  const firstNote = bases.noteCount;
  for (const i of held) bases.addNote(i, classificationOf(rows, i));
  for (const i of flagged) bases.addNote(i, classificationOf(rows, i));
  for (const i of s.reversed) entries.invoiced[i] = -1;
  // Billed results are kept as they were billed; only which generation of the entry's result one
  // stands for moves, and only when the new result bills the same (see `changed`).
  for (const i of s.rebased) bases.gen[entries.invoiced[i] as number] = entries.gen[i] as number;
  return {
    kinds,
    firstLine,
    includedEntries,
    includedMinutes,
    firstNote,
    heldCount: held.length,
    flaggedCount: flagged.length,
  };
};

/** An issued invoice as printed: rendered from the billed results of its lines, which never change. */
export const renderIssued = (rows: LedgerRows, book: ContractBook, issued: IssuedInvoice): Invoice =>
  assembleInvoice(rows, {
    book,
    period: issued.period,
    status: 'issued',
    invoiceNumber: issued.invoiceNumber,
    currency: issued.currency,
    lines: Array.from(issued.kinds, (kind, k) => {
      const b = rows.bases.lines[issued.firstLine + k] as number;
      return { kind: LINE_KINDS[Number(kind)] as LineKind, entry: rows.bases.entry[b] as number, basis: b };
    }),
    // Made anew at each query: what a caller does with the invoice it gets cannot change the one kept.
    summary: {
      included: { entries: issued.includedEntries, minutes: issued.includedMinutes },
      held: Array.from({ length: issued.heldCount }, (_, k) => noted(rows, issued.firstNote + k, heldEntry)),
      flagged: Array.from({ length: issued.flaggedCount }, (_, k) =>
        noted(rows, issued.firstNote + issued.heldCount + k, flaggedEntry),
      ),
    },
  });

/** Note `n` of the BasisTable rendered by `as` (heldEntry or flaggedEntry). */
const noted = <T>(
  rows: LedgerRows,
  n: number,
  as: (entries: EntryTable, i: number, c: Classification) => T,
): T =>
  as(rows.entries, rows.bases.noteEntry[n] as number, rows.bases.noteClassification[n] as Classification);
