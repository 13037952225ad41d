/**
 * The Ledger's own bookkeeping beside the business-time facts that @msp-billing/contracts keeps:
 * per contract, its work entries in recording order, its issued invoices and what they billed per
 * entry; per entry, its values and the cached classification and price. A cached result is confirmed
 * by identities and change counters (the entry's values, its ticket's facts, the rate card, the
 * contract's fact groups), each replaced or bumped in ledger.ts where its facts change; law (h) of
 * @msp-billing/testing and the worked examples fail when a bump or a dirty mark is missing.
 */
import type { RateCardFacts, TicketFacts, WorkEntry, ContractFacts } from '@msp-billing/contracts';
import type { Classification } from '@msp-billing/entitlements';
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
 * A cached result and what it was computed from, checked by identity and counters rather than by
 * comparing facts: the entry's values (a new object at every correction), its ticket's facts (a new
 * object at every ticket event that changes them), the rate card, and the stamp of the contract fact
 * groups its service reads. Once computed, `entry` and `priced` never change: an issued invoice keeps
 * the object as the basis of what it billed. When a recomputation gives the same entry and an equal
 * priced result, the object is kept and only its ticket, card and stamp move, so an invoiced entry
 * that did not change stays settled.
 */
export interface CachedResult {
  /** The values it was classified from: current while they are the entry's `entry`. */
  readonly entry: WorkEntry;
  readonly priced: PricedEntry;
  /** The ticket facts it was classified from: current while they are its slot's `facts`. */
  ticket: TicketFacts;
  /** The rate card it was priced with: current while it is the book's `card`. */
  card: RateCardFacts;
  /**
   * The stamp of the versions of the contract fact groups that its service reads (`groupsRead` of
   * `priced.classification.service` in ledger.ts) when last confirmed.
   */
  stamp: number;
}

/**
 * A ticket's current facts and its work entries. The Ledger keeps the entries itself (on their
 * {@link EntryRef}s, folded by the same functions as `evolveTicketFacts`), so `facts.entries` stays
 * empty here: a ticket's facts are not copied for every entry logged on it, no keyed log per ticket is
 * kept beside the entries, and every change of the facts is one that classification reads.
 */
export interface TicketSlot {
  facts: TicketFacts;
  /** Its latest logged entry; the others follow through {@link EntryRef.next}. */
  first: EntryRef | undefined;
}

/** A work entry as the Ledger tracks it: its values and its bookkeeping. */
export interface EntryRef {
  /** The contract's book, so a lookup per query is saved. */
  readonly book: ContractBook;
  /** Its ticket, so a lookup per query is saved (its ticket id is `slot.facts.ticketId`). */
  readonly slot: TicketSlot;
  /**
   * Its values with every correction applied (`loggedEntry`, `correctedEntry`, `voidedEntry` of
   * @msp-billing/contracts): a new object at each correction and at the void, which is final.
   */
  entry: WorkEntry;
  /** The entry logged on the same ticket before it. */
  readonly next: EntryRef | undefined;
  /** Recording position of its `WorkLogged`: invoice lines are ordered by it. */
  readonly seq: number;
  /** How many `WorkLogCorrected` were applied to it (shown by `explain`). */
  corrections: number;
  cache: CachedResult | undefined;
  /**
   * The result the issued invoices last billed it from, if they billed it: its values are what was
   * billed. While it is still the entry's current result, nothing it was billed for has changed.
   */
  invoiced: CurrentEntry | undefined;
  /** Whether it is on its book's `dirty` list. */
  dirty: boolean;
  /** The period list of its book it was last put on (its period as of its latest values). */
  listedPeriod: string;
  /** The fact groups (bits) whose reader lists of its book it is on. */
  listedGroups: number;
}

/** An entry's values and priced classification; the same object while neither changed. */
export interface CurrentEntry {
  readonly entry: WorkEntry;
  readonly priced: PricedEntry;
}

/** What one line of an issued invoice states: its kind and the result whose values it bills. */
export interface IssuedLine {
  readonly kind: 'work' | 'late-work' | 'reversal' | 'correction';
  readonly basis: CurrentEntry;
}

/** The kinds of invoice lines, in the order of their codes in {@link IssuedInvoice.kinds}. */
export const LINE_KINDS: readonly IssuedLine['kind'][] = ['work', 'late-work', 'reversal', 'correction'];

/**
 * An issued invoice as the Ledger keeps it: its lines as results (not as text), rendered when asked
 * for. A line's values are those of its basis, which never changes, so the rendering is the same at
 * every query. The lines are kept as two columns rather than an object per line (a month of invoices
 * holds about one line per billed entry): `bases[i]` is the result line i bills, and character i of
 * `kinds` the index of its kind in {@link LINE_KINDS}.
 */
export interface IssuedInvoice {
  readonly period: string;
  readonly invoiceNumber: string;
  readonly currency: string;
  readonly kinds: string;
  readonly bases: readonly CurrentEntry[];
  readonly summary: Pick<Invoice, 'included' | 'held' | 'flagged'>;
}

/** A contract in the Ledger: its facts and the Ledger's bookkeeping. */
export interface ContractBook {
  facts: ContractFacts;
  /** The current facts of its rate card (a contract's card never changes; the card's rates do). */
  card: RateCardFacts;
  readonly versions: FactVersions;
  /** Work entries in recording order of their `WorkLogged`. */
  readonly entries: EntryRef[];
  /** Issued invoices by period, and the latest issued period. */
  readonly issued: Map<string, IssuedInvoice>;
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
