/**
 * The invoice difference model (spec §5). An invoice (C, P) is what *should* be billed for C's
 * entries with period ≤ P minus what C's earlier issued invoices already billed, entry by entry:
 * `work` (new, this period), `late-work` (new, earlier period), `reversal` (billed, no longer
 * billable), `reversal` + `correction` (billed, changed). Nothing is billed twice, nothing is lost:
 * the sum of issued nets plus a draft's net equals the current billable amounts up to its period.
 */
import { formatInstant, type Instant, type ServiceKind } from '@msp-billing/events';
import { Dec, ZERO, formatMoney, formatRate, vatOf } from './money.js';
import {
  LINE_KINDS,
  type ContractBook,
  type CurrentEntry,
  type EntryRef,
  type IssuedInvoice,
  type IssuedLine,
} from './state.js';

export type { CurrentEntry } from './state.js';

/** An entry as it stands now: its values and its priced classification; undefined when voided. */
export type Current = (ref: EntryRef) => CurrentEntry | undefined;

/** The kind of an invoice line. */
export type LineKind = IssuedLine['kind'];

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

/** A line before formatting: its kind and the result whose values it bills (state.ts). */
export type DraftLine = IssuedLine;

/** What a line states about its entry (spec §5: minutes, start, service, rate, amount, clause). */
const amountOfLine = (l: DraftLine): Dec => {
  const amount = l.basis.priced.amount ?? ZERO;
  return l.kind === 'reversal' ? amount.negated() : amount;
};

const lineOf = (l: DraftLine): InvoiceLine => {
  const { entry: e, priced: p } = l.basis;
  return {
    kind: l.kind,
    workId: e.workId,
    ticketId: e.ticketId,
    service: p.classification.service,
    startedAt: formatInstant(e.startedAt as Instant),
    minutes: e.minutes,
    billedMinutes: p.billedMinutes ?? 0,
    hourlyRate: formatRate(p.hourlyRate ?? '0'),
    amount: formatMoney(amountOfLine(l)),
    clause: p.classification.clause,
  };
};

/** Whether what was billed from `a` differs from what `b` would bill (spec §5: minutes, start, service, rate, amount). */
const changed = (a: CurrentEntry, b: CurrentEntry): boolean => {
  const ra = a.priced.hourlyRate ?? '0';
  const rb = b.priced.hourlyRate ?? '0';
  return (
    a.entry.minutes !== b.entry.minutes ||
    a.entry.startedAt !== b.entry.startedAt ||
    a.priced.classification.service !== b.priced.classification.service ||
    (a.priced.billedMinutes ?? 0) !== (b.priced.billedMinutes ?? 0) ||
    (ra !== rb && !new Dec(ra).equals(rb)) ||
    !(a.priced.amount ?? ZERO).equals(b.priced.amount ?? ZERO) ||
    a.priced.classification.clause !== b.priced.classification.clause
  );
};

/** The result of one walk over a contract's entries for period P. */
export interface Settlement {
  /** The difference lines (empty when only the summary was asked for). */
  readonly lines: readonly DraftLine[];
  /** Entries whose invoiced basis becomes this result if the invoice is issued (work, late-work, correction). */
  readonly billed: readonly { readonly ref: EntryRef; readonly basis: CurrentEntry }[];
  /** Entries no longer invoiced if it is issued (reversal without correction). */
  readonly reversed: readonly EntryRef[];
  readonly summary: Pick<Invoice, 'included' | 'held' | 'flagged'>;
}

/**
 * One walk over C's entries for period P: the difference between what should be billed for entries
 * with period ≤ P and what issued invoices billed (unless `summaryOnly`), and the included / held /
 * flagged summary of the entries of period P. `refs` are the entries to look at, in recording order:
 * all of C's, or (the Ledger's choice) only those that can add a line or count in the summary.
 */
export const settle = (
  refs: Iterable<EntryRef>,
  period: string,
  current: Current,
  summaryOnly = false,
): Settlement => {
  const lines: DraftLine[] = [];
  const billed: { ref: EntryRef; basis: CurrentEntry }[] = [];
  const reversed: EntryRef[] = [];
  let includedEntries = 0;
  let includedMinutes = 0;
  const held: HeldEntry[] = [];
  const flagged: FlaggedEntry[] = [];
  for (const ref of refs) {
    const cur = current(ref);
    if (cur !== undefined && cur.priced.period === period) {
      const c = cur.priced.classification;
      if (c.status === 'included') {
        includedEntries += 1;
        includedMinutes += cur.entry.minutes;
      } else if (c.status === 'held')
        held.push({ workId: ref.entry.workId, ticketId: ref.slot.facts.ticketId, reason: c.reason });
      else if (c.status === 'flagged') {
        flagged.push({
          workId: ref.entry.workId,
          ticketId: ref.slot.facts.ticketId,
          clause: c.clause,
          reason: c.reason,
        });
      }
    }
    if (summaryOnly) continue;
    const prev = ref.invoiced;
    const should =
      cur !== undefined && cur.priced.classification.status === 'billable' && cur.priced.period <= period
        ? cur
        : undefined;
    if (should === undefined && prev === undefined) continue;
    // Billed from this very result: nothing it was billed for can have changed.
    if (should === prev) continue;
    if (should !== undefined && prev === undefined) {
      lines.push({ kind: should.priced.period === period ? 'work' : 'late-work', basis: should });
      billed.push({ ref, basis: should });
    } else if (should === undefined && prev !== undefined) {
      lines.push({ kind: 'reversal', basis: prev });
      reversed.push(ref);
    } else if (should !== undefined && prev !== undefined) {
      if (changed(prev, should)) {
        lines.push({ kind: 'reversal', basis: prev });
        lines.push({ kind: 'correction', basis: should });
      }
      // Unchanged values from a new result: issuing moves the basis forward, so the next walk skips it.
      billed.push({ ref, basis: should });
    }
  }
  return {
    lines,
    billed,
    reversed,
    summary: { included: { entries: includedEntries, minutes: includedMinutes }, held, flagged },
  };
};

/** Assemble an invoice from its lines: totals with VAT (spec §5). */
export const assembleInvoice = (args: {
  book: ContractBook;
  period: string;
  status: InvoiceStatus;
  invoiceNumber: string | null;
  currency: string;
  lines: readonly DraftLine[];
  summary: Pick<Invoice, 'included' | 'held' | 'flagged'>;
}): Invoice => {
  const net = args.lines.reduce((sum, l) => sum.plus(amountOfLine(l)), ZERO);
  const vat = vatOf(net, args.book.facts.vatRatePercent);
  return {
    contractId: args.book.facts.contractId,
    period: args.period,
    status: args.status,
    invoiceNumber: args.invoiceNumber,
    currency: args.currency,
    lines: args.lines.map(lineOf),
    net: formatMoney(net),
    vatRatePercent: args.book.facts.vatRatePercent,
    vat: formatMoney(vat),
    gross: formatMoney(net.plus(vat)),
    ...args.summary,
  };
};

/** The columns an issued invoice keeps its lines in (state.ts), from the lines of a settlement. */
export const issuedColumns = (lines: readonly DraftLine[]): Pick<IssuedInvoice, 'kinds' | 'bases'> => ({
  kinds: lines.map((l) => String(LINE_KINDS.indexOf(l.kind))).join(''),
  bases: lines.map((l) => l.basis),
});

/** An issued invoice as printed: rendered from the results its lines bill, which never change. */
export const renderIssued = (book: ContractBook, issued: IssuedInvoice): Invoice =>
  assembleInvoice({
    book,
    period: issued.period,
    status: 'issued',
    invoiceNumber: issued.invoiceNumber,
    currency: issued.currency,
    lines: issued.bases.map((basis, i) => ({
      kind: LINE_KINDS[Number(issued.kinds[i])] as LineKind,
      basis,
    })),
    summary: issued.summary,
  });
