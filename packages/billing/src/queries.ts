/**
 * The Ledger's queries: entries as `ledger` prints them, `explain`, draft and issued invoices,
 * contracts. They read the facts, the cached results (classifying what is not current) and the
 * issued invoices; they change nothing a later query or invoice could see.
 */
import * as E from 'fp-ts/lib/Either.js';
import { slaAt, type CustomerProfile, type ProviderProfile } from '@msp-billing/contracts/internal';
import { formatInstant, type Instant } from '@msp-billing/events';
import type { Classification } from '@msp-billing/entitlements';
import type { Dependencies } from './dependencies.js';
import type { EntryTable } from './entryTable.js';
import {
  assembleInvoice,
  renderIssued,
  settle,
  summaryOf,
  type Invoice,
  type LedgerRows,
  type LineKind,
} from './invoice.js';
import { formatMoney, formatRate, type Dec } from './money.js';
import type { ContractBook, IssuedInvoice, PricedEntry } from './state.js';

/** A work entry with its classification and price, as `ledger` prints it. */
export interface LedgerEntry {
  readonly workId: string;
  readonly ticketId: string;
  readonly contractId: string;
  readonly period: string;
  readonly service: string;
  readonly status: Classification['status'];
  readonly clause: string;
  readonly reason: string;
  readonly minutes: number;
  readonly billedMinutes: number | null;
  readonly hourlyRate: string | null;
  readonly amount: string | null;
  readonly startedAt: string;
  readonly technician: string;
}

/** An issued invoice's line for a work entry: what it billed, reversed or corrected, and on which invoice. */
export interface BillingRecord {
  readonly invoiceNumber: string;
  readonly period: string;
  /** RFC 3339: the `occurredAt` of the `InvoiceIssued`. */
  readonly issuedAt: string;
  readonly kind: LineKind;
  readonly amount: string;
}

/** How an entry was classified and priced, rule by rule (`explain`). */
export interface Explanation {
  /** The lines of issued invoices for this entry, in the order the invoices were issued. */
  readonly billing: readonly BillingRecord[];
  readonly entry: LedgerEntry;
  readonly timeZone: string;
  /** The classification, its `rateEffectiveFrom` as RFC 3339 (UTC) like every instant printed. */
  readonly classification: Omit<Classification, 'rateEffectiveFrom'> & {
    readonly rateEffectiveFrom?: string;
  };
  readonly corrections: number;
  readonly pricing?: {
    readonly hourlyRate: string;
    readonly rateEffectiveFrom: string;
    readonly billingIncrementMinutes: number;
    readonly billedMinutes: number;
    readonly amount: string;
    readonly currency: string;
  };
}

/** A contract as `contracts` lists it: who, which SLA now, active or not, what was issued. */
export interface ContractSummary {
  readonly contractId: string;
  readonly customerId: string;
  readonly vmId: string;
  /** The SLA in force at the latest business time the log knows of for the contract. */
  readonly sla: string;
  readonly timeZone: string;
  readonly currency: string;
  /** RFC 3339: the `MSPBooked`'s `occurredAt`. */
  readonly bookedAt: string;
  /** RFC 3339: the earliest `MSPCancelled`'s `occurredAt`, or null. */
  readonly cancelledAt: string | null;
  /** The contract's issued invoices in the order they were issued; `issuedAt` is RFC 3339. */
  readonly issued: readonly {
    readonly period: string;
    readonly invoiceNumber: string;
    readonly issuedAt: string;
  }[];
}

/**
 * What an issued invoice was issued with (spec §8): the instant of its `InvoiceIssued`, its
 * contract's customer and time zone, and the provider's and the customer's profile it uses — each the
 * latest by `occurredAt` at or before that instant among those recorded before it (ties: the later
 * recorded); undefined when there was none.
 */
export interface IssuedWith {
  readonly issuedAt: number;
  readonly customerId: string;
  readonly timeZone: string;
  readonly provider: ProviderProfile | undefined;
  readonly customer: CustomerProfile | undefined;
  /** The number of the contract's issued invoice before it (BT-25 of a credit note), if any. */
  readonly previousInvoiceNumber: string | undefined;
}

/** Why a query could not be answered. */
export type LedgerQueryError =
  | { readonly _tag: 'UnknownContract'; readonly contractId: string; readonly message: string }
  | { readonly _tag: 'UnknownWorkEntry'; readonly workId: string; readonly message: string }
  | { readonly _tag: 'BadPeriod'; readonly period: string; readonly message: string };

/** What the Ledger answers about its entries, invoices and contracts. */
export interface LedgerQueries {
  entries(filter?: { contractId?: string; period?: string }): LedgerEntry[];
  /**
   * The same entries as {@link LedgerQueries.entries}, one at a time: a caller that writes them out
   * as it goes (the CLI) never holds them all. Do not apply events while iterating.
   */
  eachEntry(filter?: { contractId?: string; period?: string }): IterableIterator<LedgerEntry>;
  /**
   * Work entry `workId` as {@link LedgerQueries.entries} lists it, or undefined when it is voided or
   * unknown: the entry of `explain` without the rule-by-rule account and the invoices that billed it.
   */
  entry(workId: string): LedgerEntry | undefined;
  explain(workId: string): E.Either<LedgerQueryError, Explanation>;
  invoice(contractId: string, period: string): E.Either<LedgerQueryError, Invoice>;
  /** Every issued invoice, in the order they were issued. */
  issuedInvoices(): Invoice[];
  /** What the invoice (C, P) was issued with (spec §8), or undefined when it is not issued. */
  issuedWith(contractId: string, period: string): IssuedWith | undefined;
  contractIds(): string[];
  /** Every contract, in the order they were booked. */
  contracts(): ContractSummary[];
}

/** What the queries read of the Ledger's state. */
export interface QueryContext {
  readonly books: ReadonlyMap<string, ContractBook>;
  readonly entries: EntryTable;
  readonly rows: LedgerRows;
  readonly deps: Dependencies;
  /** Entry `i` classified and priced (pricing.ts). */
  readonly classifyEntry: (i: number, trace: boolean) => PricedEntry | undefined;
  readonly issuedOrder: readonly { readonly book: ContractBook; readonly issued: IssuedInvoice }[];
  readonly issuedWith: (issued: IssuedInvoice) => IssuedWith | undefined;
}

const iso = (t: number): string => formatInstant(t as Instant);

/** A classification as `explain` presents it: the rate's start in RFC 3339, as every printed instant. */
const explained = (c: Classification): Explanation['classification'] => {
  const { rateEffectiveFrom, ...rest } = c;
  return rateEffectiveFrom === undefined ? rest : { ...rest, rateEffectiveFrom: iso(rateEffectiveFrom) };
};

/**
 * Entry amounts are shared per rate and billed minutes (money.ts), so their text is formatted once:
 * a pure memo keyed by an immutable decimal.
 */
const amountTexts = new WeakMap<Dec, string>();
const amountText = (d: Dec): string => {
  let text = amountTexts.get(d);
  if (text === undefined) amountTexts.set(d, (text = formatMoney(d)));
  return text;
};

const ledgerEntry = (entries: EntryTable, i: number, p: PricedEntry): LedgerEntry => {
  return {
    workId: entries.workIdOf(i),
    ticketId: entries.ticketIdOf(i),
    contractId: entries.bookOf(i).facts.contractId,
    period: p.period,
    service: p.classification.service,
    status: p.classification.status,
    clause: p.classification.clause,
    reason: p.classification.reason,
    minutes: entries.minutes[i] as number,
    billedMinutes: p.billedMinutes,
    hourlyRate: p.hourlyRate === null ? null : formatRate(p.hourlyRate),
    amount: p.amount === null ? null : amountText(p.amount),
    startedAt: iso(entries.startedAt[i] as number),
    technician: entries.technicianOf(i),
  };
};

/** The queries over the Ledger's state `ctx`. */
export const createQueries = (ctx: QueryContext): LedgerQueries => {
  const { books, entries, rows, deps, classifyEntry, issuedOrder, issuedWith } = ctx;
  /** Every entry's number, in recording order. */
  function* allEntries(): Generator<number> {
    for (let i = 0; i < entries.size; i++) yield i;
  }

  const draftOrFrozen = (book: ContractBook, period: string): Invoice => {
    const frozen = book.issued.get(period);
    if (frozen !== undefined) return renderIssued(rows, book, frozen);
    const currency = book.card.currency;
    // A period before the last issued one that was never issued itself is skipped: no lines.
    const skipped = book.lastIssuedPeriod !== undefined && period < book.lastIssuedPeriod;
    const s = settle(rows, deps.toWalk(book, period, skipped), period, skipped);
    return assembleInvoice(rows, {
      book,
      period,
      status: skipped ? 'skipped' : 'draft',
      invoiceNumber: null,
      currency,
      lines: s.lines,
      summary: summaryOf(rows, s.summary),
    });
  };

  /** What the issued invoices of entry `i`'s contract billed for it, invoice by invoice. */
  const billingOf = (i: number): BillingRecord[] => {
    const book = entries.bookOf(i);
    const workId = entries.workIdOf(i);
    const out: BillingRecord[] = [];
    for (const issued of book.issued.values())
      for (const l of renderIssued(rows, book, issued).lines)
        if (l.workId === workId)
          out.push({
            invoiceNumber: issued.invoiceNumber,
            period: issued.period,
            issuedAt: iso(issued.issuedAt),
            kind: l.kind,
            amount: l.amount,
          });
    return out;
  };

  const queries: LedgerQueries = {
    entries(filter = {}) {
      return [...queries.eachEntry(filter)];
    },
    *eachEntry(filter = {}) {
      const list: Iterable<number> =
        filter.contractId !== undefined ? (books.get(filter.contractId)?.entries ?? []) : allEntries();
      for (const i of list) {
        const p = classifyEntry(i, false);
        if (p === undefined || (filter.period !== undefined && p.period !== filter.period)) continue;
        yield ledgerEntry(entries, i, p);
      }
    },
    entry(workId) {
      const i = entries.numberOf(workId);
      const p = i === undefined ? undefined : classifyEntry(i, false);
      return i === undefined || p === undefined ? undefined : ledgerEntry(entries, i, p);
    },
    explain(workId) {
      const i = entries.numberOf(workId);
      const p = i === undefined ? undefined : classifyEntry(i, true);
      if (i === undefined || p === undefined) {
        // A voided entry has no classification; what invoices billed and reversed for it still matters.
        const billed = i === undefined ? [] : billingOf(i);
        return E.left({
          _tag: 'UnknownWorkEntry',
          workId,
          message:
            i === undefined
              ? `no work entry ${JSON.stringify(workId)} in the log`
              : `work entry ${JSON.stringify(workId)} is voided${
                  billed.length === 0
                    ? ''
                    : `; ${billed.map((b) => `${b.kind} ${b.amount} on ${b.invoiceNumber} (${b.period})`).join(', ')}`
                }`,
        });
      }
      const book = entries.bookOf(i);
      const card = book.card;
      const c = p.classification;
      return E.right({
        entry: ledgerEntry(entries, i, p),
        timeZone: book.facts.timeZone,
        classification: explained(c),
        corrections: entries.corrections[i] as number,
        billing: billingOf(i),
        ...(p.amount !== null &&
        p.hourlyRate !== null &&
        p.billedMinutes !== null &&
        c.rateEffectiveFrom !== undefined
          ? {
              pricing: {
                hourlyRate: formatRate(p.hourlyRate),
                rateEffectiveFrom: iso(c.rateEffectiveFrom),
                billingIncrementMinutes: card.billingIncrementMinutes,
                billedMinutes: p.billedMinutes,
                amount: formatMoney(p.amount),
                currency: card.currency,
              },
            }
          : {}),
      });
    },
    invoice(contractId, period) {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
        return E.left({
          _tag: 'BadPeriod',
          period,
          message: `period ${JSON.stringify(period)} is not of the form YYYY-MM`,
        });
      }
      const book = books.get(contractId);
      if (book === undefined) {
        return E.left({
          _tag: 'UnknownContract',
          contractId,
          message: `no contract ${JSON.stringify(contractId)} in the log`,
        });
      }
      return E.right(draftOrFrozen(book, period));
    },
    issuedInvoices: () => issuedOrder.map(({ book, issued }) => renderIssued(rows, book, issued)),
    issuedWith(contractId, period) {
      const issued = books.get(contractId)?.issued.get(period);
      return issued === undefined ? undefined : issuedWith(issued);
    },
    contractIds: () => [...books.keys()],
    contracts: () =>
      [...books.values()].map((book) => {
        const f = book.facts;
        return {
          contractId: f.contractId,
          customerId: f.customerId,
          vmId: f.vmId,
          sla: slaAt(f, Number.POSITIVE_INFINITY),
          timeZone: f.timeZone,
          currency: book.card.currency,
          bookedAt: iso(f.bookedAt),
          cancelledAt: f.cancelledAt === undefined ? null : iso(f.cancelledAt),
          issued: [...book.issued.values()].map((i) => ({
            period: i.period,
            invoiceNumber: i.invoiceNumber,
            issuedAt: iso(i.issuedAt),
          })),
        };
      }),
  };
  return queries;
};
