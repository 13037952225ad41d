/**
 * The Ledger's own bookkeeping beside the business-time facts that @msp-billing/contracts keeps:
 * per contract, its work entries in recording order, its issued invoices and which entries they
 * must look at again. Tickets, work entries, their cached results and what was billed for them are
 * columns (ticketTable.ts, entryTable.ts). A cached result stays current until the dependency
 * index (dependencies.ts) clears it, told by the fact projection what changed (the entry's values,
 * its ticket's facts, a rate of the card, a contract fact group its service reads); law (h) of
 * @msp-billing/testing and the worked examples check that it clears what it must.
 */
import type { RateCardFacts, ContractFacts } from '@msp-billing/contracts';
import type { Classification } from '@msp-billing/entitlements';
import type { Dec } from './money.js';

/** A classified and priced entry. */
export interface PricedEntry {
  readonly classification: Classification;
  readonly period: string;
  readonly billedMinutes: number | null;
  readonly hourlyRate: string | null;
  readonly amount: Dec | null;
}

/**
 * The groups of contract facts that classification reads, each cleared from the results of the
 * entries that read it when a fact of the group is recorded. An entry's result depends only on the
 * groups its service reads (see `groupsRead` in dependencies.ts), so an alert does not reclassify a change
 * request, and an HA restart, which no rule reads, reclassifies nothing.
 *
 * - `msp`: booking and cancellation (rule 1), read by every service;
 * - `nas`: Backup-NAS-Shares (rules 5, 7);
 * - `alerting`: alerting, alerts and acknowledgements (rule 10);
 * - `requesters`: authorised requesters (rule 16);
 * - `provisioning`: provisioning completed (rule 11);
 * - `windows`: SLA and agreed maintenance windows (rule 9).
 */
export type FactGroup = 'msp' | 'nas' | 'alerting' | 'requesters' | 'provisioning' | 'windows';

/** The kinds of invoice lines, in the order of their codes in {@link IssuedInvoice.kinds}. */
export const LINE_KINDS = ['work', 'late-work', 'reversal', 'correction'] as const;

/** The kind of an invoice line. */
export type LineKind = (typeof LINE_KINDS)[number];

/**
 * An issued invoice as the Ledger keeps it: its lines as billed results (rows of the Ledger's
 * BasisTable, whose values never change), rendered when asked for, so the rendering is the same at
 * every query. No object per line (a month of invoices holds about one line per billed entry): line
 * k bills the row at `firstLine + k` of the BasisTable's `lines` column, and character k of `kinds`
 * is the index of its kind in {@link LINE_KINDS}; it has `kinds.length` lines.
 */
export interface IssuedInvoice {
  readonly period: string;
  readonly invoiceNumber: string;
  /** The `occurredAt` of its `InvoiceIssued`. */
  readonly issuedAt: number;
  readonly currency: string;
  readonly kinds: string;
  readonly firstLine: number;
  /**
   * Its summary: the included entries and their minutes, and its held and flagged entries, which are
   * `heldCount` then `flaggedCount` rows from `firstNote` of the BasisTable's notes.
   */
  readonly includedEntries: number;
  readonly includedMinutes: number;
  readonly firstNote: number;
  readonly heldCount: number;
  readonly flaggedCount: number;
}

/** A contract in the Ledger: its facts and the Ledger's bookkeeping. */
export interface ContractBook {
  facts: ContractFacts;
  /** The current facts of its rate card (a contract's card never changes; the card's rates do). */
  readonly card: RateCardFacts;
  /** Its work entries (numbers in the EntryTable), in recording order of their `WorkLogged`. */
  readonly entries: number[];
  /** Issued invoices by period, and the latest issued period. */
  readonly issued: Map<string, IssuedInvoice>;
  lastIssuedPeriod?: string;
  /**
   * Entries whose result may have changed since the last issued invoice: new, corrected, voided, on a
   * ticket that changed, or reading a fact group that changed. Every other entry of a period up to
   * the last issued one is settled: what the issued invoices billed for it is what it should be.
   * So an invoice need only walk these and the entries of the periods after the last issued one.
   */
  dirty: number[];
  /** Every entry is to be treated as dirty (a booking, cancellation or rate change). */
  allDirty: boolean;
  /** Entries by period (an entry moved by a correction is on both lists; walks check). */
  readonly byPeriod: Map<string, number[]>;
  /**
   * Entries by the contract fact group they read (index: bit position of the group); the readers of
   * the authorised requesters in the order of their tickets' opening (dependencies.ts).
   */
  readonly readers: number[][];
}
