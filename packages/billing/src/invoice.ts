/**
 * The invoice difference model (spec §5). An invoice (C, P) is what *should* be billed for C's
 * entries with period ≤ P minus what C's earlier issued invoices already billed, entry by entry:
 * `work` (new, this period), `late-work` (new, earlier period), `reversal` (billed, no longer
 * billable), `reversal` + `correction` (billed, changed). Nothing is billed twice, nothing is lost:
 * the sum of issued nets plus a draft's net equals the current billable amounts up to its period.
 */
import { formatInstant, type Instant, type ServiceKind } from '@msp-billing/events';
import { Dec, ZERO, formatMoney, formatRate, vatOf } from './money.js';
import type { WorkEntry } from '@msp-billing/contracts';
import type { ContractBook, EntryRef, InvoicedLine, PricedEntry } from './state.js';

/** An entry as it stands now: its values and its priced classification; undefined when voided. */
export type Current = (ref: EntryRef) => CurrentEntry | undefined;

/** An entry's values and priced classification; the same object while neither changed. */
export interface CurrentEntry {
  readonly entry: WorkEntry;
  readonly priced: PricedEntry;
}

/** The kind of an invoice line. */
export type LineKind = 'work' | 'late-work' | 'reversal' | 'correction';

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

/** A line with its amount as a decimal, before formatting. */
interface DraftLine {
  readonly kind: LineKind;
  readonly values: InvoicedLine;
  readonly amount: Dec;
}

const lineOf = ({ kind, values, amount }: DraftLine): InvoiceLine => ({
  kind,
  workId: values.workId,
  ticketId: values.ticketId,
  service: values.service,
  startedAt: formatInstant(values.startedAt as Instant),
  minutes: values.minutes,
  billedMinutes: values.billedMinutes,
  hourlyRate: formatRate(values.hourlyRate),
  amount: formatMoney(amount),
  clause: values.clause,
});

const billedValues = (basis: CurrentEntry): InvoicedLine => billedValuesOf(basis.entry, basis.priced, basis);

const billedValuesOf = (e: WorkEntry, p: PricedEntry, basis: object): InvoicedLine => ({
  workId: e.workId,
  ticketId: e.ticketId,
  service: p.classification.service,
  startedAt: e.startedAt,
  minutes: e.minutes,
  billedMinutes: p.billedMinutes ?? 0,
  hourlyRate: p.hourlyRate ?? '0',
  amount: p.amount ?? ZERO,
  clause: p.classification.clause,
  basis,
});

/** Whether what was billed differs from what should be billed now (spec §5: minutes, start, service, rate, amount). */
const changed = (a: InvoicedLine, b: InvoicedLine): boolean =>
  a.minutes !== b.minutes ||
  a.startedAt !== b.startedAt ||
  a.service !== b.service ||
  a.billedMinutes !== b.billedMinutes ||
  (a.hourlyRate !== b.hourlyRate && !new Dec(a.hourlyRate).equals(b.hourlyRate)) ||
  !a.amount.equals(b.amount) ||
  a.clause !== b.clause;

/** The result of one walk over a contract's entries for period P. */
export interface Settlement {
  /** The difference lines (empty when only the summary was asked for). */
  readonly lines: readonly DraftLine[];
  /** Entries whose invoiced values become these if the invoice is issued (work, late-work, correction). */
  readonly billed: readonly { readonly ref: EntryRef; readonly line: InvoicedLine }[];
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
  const billed: { ref: EntryRef; line: InvoicedLine }[] = [];
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
        held.push({ workId: ref.workId, ticketId: ref.ticketId, reason: c.reason });
      else if (c.status === 'flagged') {
        flagged.push({ workId: ref.workId, ticketId: ref.ticketId, clause: c.clause, reason: c.reason });
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
    if (should !== undefined && prev !== undefined && prev.basis === should) continue;
    const now = should === undefined ? undefined : billedValues(should);
    if (now !== undefined && prev === undefined) {
      lines.push({
        kind: should?.priced.period === period ? 'work' : 'late-work',
        values: now,
        amount: now.amount,
      });
      billed.push({ ref, line: now });
    } else if (now === undefined && prev !== undefined) {
      lines.push({ kind: 'reversal', values: prev, amount: prev.amount.negated() });
      reversed.push(ref);
    } else if (now !== undefined && prev !== undefined) {
      if (changed(prev, now)) {
        lines.push({ kind: 'reversal', values: prev, amount: prev.amount.negated() });
        lines.push({ kind: 'correction', values: now, amount: now.amount });
      }
      // Unchanged values from a new result: issuing moves the basis forward, so the next walk skips it.
      billed.push({ ref, line: now });
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
  const net = args.lines.reduce((sum, l) => sum.plus(l.amount), ZERO);
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
