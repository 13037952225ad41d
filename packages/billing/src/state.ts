/**
 * The Ledger's own bookkeeping beside the business-time facts that @msp-billing/contracts keeps:
 * per contract, its work entries in recording order, its issued invoices and what they billed per
 * entry; per entry, the cached classification and price. Facts are immutable values, so a cache is
 * valid exactly while the contract, ticket and rate-card facts it was computed from are the same
 * objects: no version counters to forget.
 */
import type { RateCardFacts, TicketFacts, WorkEntry, ContractFacts } from '@msp-billing/contracts';
import type { Classification } from '@msp-billing/entitlements';
import type { ServiceKind } from '@msp-billing/events';
import type { Dec } from './money.js';
import type { Invoice } from './invoice.js';

/** A classified and priced entry. */
export interface PricedEntry {
  readonly classification: Classification;
  readonly period: string;
  readonly billedMinutes: number | null;
  readonly hourlyRate: string | null;
  readonly amount: Dec | null;
}

/**
 * Versions of the groups of contract facts that classification reads, each bumped when a fact of
 * its group is recorded. An entry's result depends only on the groups its service reads (see
 * `groupsRead` in ledger.ts), so an alert does not reclassify a change request, and an HA restart,
 * which no rule reads, reclassifies nothing.
 */
export interface FactVersions {
  /** Booking and cancellation (rule 1). */
  msp: number;
  /** Backup-NAS-Shares (rules 5, 7). */
  nas: number;
  /** Alerting, alerts and acknowledgements (rule 10). */
  alerting: number;
  /** Authorised requesters (rule 16). */
  requesters: number;
  /** Provisioning completed (rule 11). */
  provisioning: number;
  /** SLA and agreed maintenance windows (rule 9). */
  windows: number;
}

/**
 * The inputs a cached result was computed from: the entry, the parts of its ticket that
 * classification reads, the rate card, and the stamp of the contract fact groups it depends on.
 * Facts are immutable values, so identity means "unchanged".
 */
export interface CachedResult {
  /**
   * The ticket's and the rate cards' change counters when the result was last confirmed: while both
   * are unchanged (and the stamp), the result is current without looking at any fact.
   */
  ticketVersion: number;
  rateVersion: number;
  readonly entry: WorkEntry;
  readonly service: TicketFacts['service'];
  readonly update: TicketFacts['update'];
  readonly decisions: TicketFacts['decisions'];
  readonly measure: TicketFacts['safetyMeasure'];
  readonly card: RateCardFacts;
  /** The contract fact groups the result was read from (bits), and the stamp of their versions. */
  readonly groups: number;
  readonly stamp: number;
  readonly priced: PricedEntry;
}

/** A ticket's current facts, a counter bumped whenever they change, and its work entries. */
export interface TicketSlot {
  facts: TicketFacts;
  version: number;
  refs: EntryRef[];
}

/** A work entry as the Ledger tracks it; its values live in the ticket's facts. */
export interface EntryRef {
  /** The contract's book, so a lookup per query is saved. */
  readonly book: ContractBook;
  /** Its ticket, so a lookup per query is saved. */
  readonly slot: TicketSlot;
  readonly workId: string;
  readonly ticketId: string;
  readonly contractId: string;
  /** Recording position of its `WorkLogged`: invoice lines are ordered by it. */
  readonly seq: number;
  /** How many `WorkLogCorrected` were applied to it (shown by `explain`). */
  corrections: number;
  /** Voided entries are neither billed nor listed; a void is final (spec §2). */
  voided: boolean;
  cache: CachedResult | undefined;
  /** What the issued invoices billed for it, if anything. */
  invoiced: InvoicedLine | undefined;
  /** Whether it is on its book's `dirty` list. */
  dirty: boolean;
  /** The period list of its book it was last put on (its period as of its latest values). */
  listedPeriod: string;
  /** The fact groups (bits) whose reader lists of its book it is on. */
  listedGroups: number;
  /** The last walk that took it (so a walk takes each entry once). */
  walk: number;
}

/** What an issued invoice billed for one entry: the values its last line stated. */
export interface InvoicedLine {
  readonly workId: string;
  readonly ticketId: string;
  readonly service: ServiceKind;
  readonly startedAt: number;
  readonly minutes: number;
  readonly billedMinutes: number;
  readonly hourlyRate: string;
  readonly amount: Dec;
  readonly clause: string;
  /**
   * The cached result these values were taken from: while an entry's current result is this very
   * object, nothing it was billed for has changed and the comparison of values can be skipped.
   */
  readonly basis: object;
}

/** A contract in the Ledger: its facts and the Ledger's bookkeeping. */
export interface ContractBook {
  facts: ContractFacts;
  readonly versions: FactVersions;
  /** Work entries in recording order of their `WorkLogged`. */
  readonly entries: EntryRef[];
  /** Issued invoices by period, and the latest issued period. */
  readonly issued: Map<string, Invoice>;
  lastIssuedPeriod?: string;
  /**
   * Entries whose result may have changed since the last issued invoice: new, corrected, voided, on a
   * ticket that changed, or reading a fact group that changed. Every other entry of a period up to
   * the last issued one is settled: what the issued invoices billed for it is what it should be.
   * So an invoice need only walk these and the entries of the periods after the last issued one.
   */
  dirty: EntryRef[];
  /** Every entry is to be treated as dirty (a booking, cancellation or rate change). */
  allDirty: boolean;
  /** Entries by period (an entry moved by a correction is on both lists; walks check). */
  readonly byPeriod: Map<string, EntryRef[]>;
  /** Entries by the contract fact group they read (index: bit position of the group). */
  readonly readers: EntryRef[][];
}
