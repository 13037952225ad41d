/**
 * The Ledger projection (ARCHITECTURE.md): applies one event at a time in amortised constant time and
 * classifies and prices on demand. The business-time facts of contracts, tickets and rate cards are
 * those of @msp-billing/contracts (the same values the deciders decide on, folded by the same
 * `evolve` functions); the Ledger adds what only a projection needs: integrity checks (spec §2),
 * warnings (spec §6), entry order, caches, and issued invoices. `InvoiceIssued` is the only event that
 * freezes anything (issuing.ts).
 */
import type { ContractFacts, TicketFacts } from '@msp-billing/contracts';
import type { DomainEvent } from '@msp-billing/events';
import { IdTable, canonicalFingerprint } from '@msp-billing/events/internal';
import { DEFAULT_SLA_CATALOG, type SlaCatalog } from '@msp-billing/sla';
import type { LedgerRows } from './invoice.js';
import { DraftedLines } from './lines.js';
import { BasisTable, EntryTable } from './entryTable.js';
import { createDependencies, type Dependencies } from './dependencies.js';
import { evolveFacts, type FactState, type FoldReports } from './facts.js';
import {
  integrityRefusal,
  invalidClause,
  invalidMessage,
  type IntegrityView,
  type InvalidEventRefusal,
} from './integrity.js';
import { createIssuing, type Issuing } from './issuing.js';
import { createPricing } from './pricing.js';
import { createQueries, type LedgerQueries } from './queries.js';
import { TicketTable } from './ticketTable.js';
import { warningClause, warningMessage, warningsOf, type WarningRefusal } from './warnings.js';

export type { InvalidEventRefusal } from './integrity.js';
export type {
  BillingRecord,
  ContractSummary,
  Explanation,
  IssuedWith,
  LedgerEntry,
  LedgerQueries,
  LedgerQueryError,
} from './queries.js';

/** Where an event stood in its source, for messages (`line N: …`). */
export interface EventSource {
  /** 1-based line number in an NDJSON file. */
  readonly line?: number;
}

/**
 * An event the Ledger refused (spec §2): the refusal (`code` is its tag), the clause it cites, and
 * the one-line reason derived from them (integrity.ts), as every command prints it.
 */
export interface InvalidEvent {
  readonly line?: number;
  /** Recording position (0-based) among the events given to the Ledger. */
  readonly position: number;
  readonly eventId?: string;
  readonly type?: string;
  readonly code: InvalidEventRefusal['_tag'];
  readonly clause: string;
  readonly reason: string;
  readonly refusal: InvalidEventRefusal;
}

/**
 * A fact that a command would have refused (spec §6); applied, and reported by `check`: the
 * refusal the decider would have given (`code` is its tag), the clause it cites, and the message
 * derived from them (warnings.ts).
 */
export interface Warning {
  readonly line?: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly code: WarningRefusal['_tag'];
  readonly clause: string;
  readonly message: string;
  readonly refusal: WarningRefusal;
}

/** What `apply` did with an event. */
export type ApplyResult =
  | { readonly _tag: 'Applied' }
  | { readonly _tag: 'Duplicate' }
  | {
      readonly _tag: 'Invalid';
      readonly code: InvalidEventRefusal['_tag'];
      readonly reason: string;
    };

/** Options of a Ledger. */
export interface LedgerOptions {
  /** The SLA catalog (default: spec §6). */
  readonly slaCatalog?: SlaCatalog;
  /** Apply the id rule of spec §2 here (default true); off when the reader already did. */
  readonly dedupe?: boolean;
  /**
   * Which entries an invoice walks: `changed` (default) only those that can change it (see
   * ContractBook.dirty in state.ts); `all` every entry of the contract, as the difference model is
   * defined. Both give the same invoices — a law in @msp-billing/testing checks it — `all` is the
   * slower reference.
   */
  readonly walk?: 'changed' | 'all';
}

/** The Ledger: apply events, then ask for entries, invoices, explanations and problems. */
export interface Ledger extends LedgerQueries {
  apply(event: DomainEvent, source?: EventSource): ApplyResult;
  /**
   * Record an input that could not even be decoded (keeps `invalidEvents` complete): the reader's
   * message, and its tag as `readerCode` when it has one.
   */
  recordUndecodable(reason: string, source?: EventSource & { eventId?: string; readerCode?: string }): void;
  invalidEvents(): readonly InvalidEvent[];
  warnings(): readonly Warning[];
  /** Number of events given to `apply` (valid, invalid and duplicate). */
  readonly eventCount: number;
}

/**
 * A list a Ledger only adds to and hands out whole (its invalid events, its warnings). A Ledger
 * restored from a snapshot starts it with what the snapshot holds, read only when the list is first
 * asked for (snapshotRestore.ts); what is added after the restore comes after those.
 */
export class ReportList<T> {
  private items: T[] = [];
  private before: (() => readonly T[]) | undefined;

  push(x: T): void {
    this.items.push(x);
  }

  /** Start the (still empty) list with what `read` gives, when it is first asked for. */
  startWith(read: () => readonly T[]): void {
    this.before = read;
  }

  /** Every item, in the order they were added. */
  all(): readonly T[] {
    const before = this.before;
    if (before !== undefined) {
      const items = [...before()];
      for (const x of this.items) items.push(x);
      this.items = items;
      this.before = undefined;
    }
    return this.items;
  }
}

/**
 * A Ledger's state, by reference, as a snapshot (snapshot.ts) writes and restores it: nothing else
 * reads it. Its caches (priced results and their `CURRENT` flags, views, rate lookups) are not here.
 */
export interface LedgerState {
  readonly catalog: SlaCatalog;
  readonly dedupe: boolean;
  readonly facts: FactState;
  readonly bases: BasisTable;
  readonly deps: Dependencies;
  readonly issuing: Issuing;
  /** The id rule's table: every id claimed so far, by `ids`. */
  readonly seen: IdTable;
  /**
   * Who claimed the ids in `seen`: this Ledger (`dedupe`), the NDJSON reader of `foldNdjson` given the
   * table from the first event on (`reader`: lines instead of positions, another fingerprint), or
   * nobody (`none`: the table says nothing of the events so far).
   */
  ids: 'ledger' | 'reader' | 'none';
  readonly invalid: ReportList<InvalidEvent>;
  readonly warnings: ReportList<Warning>;
  position: number;
}

const states = new WeakMap<Ledger, LedgerState>();

/** The state of a Ledger made by {@link createLedger}. */
export const ledgerState = (ledger: Ledger): LedgerState | undefined => states.get(ledger);

/** Create an empty Ledger. */
export const createLedger = (options: LedgerOptions = {}): Ledger => {
  const catalog = options.slaCatalog ?? DEFAULT_SLA_CATALOG;
  const dedupe = options.dedupe ?? true;
  const walkAll = options.walk === 'all';
  const tickets = new TicketTable();
  const entries = new EntryTable(tickets);
  const bases = new BasisTable();
  const facts: FactState = {
    books: new Map(),
    rateCards: new Map(),
    bookingsByVm: new Map(),
    alertContract: new Map(),
    tickets,
    entries,
  };
  /**
   * The id rule of `apply` (spec §2): every id's canonical fingerprint, off the heap. The table's
   * "line" of an id is the position of the event that claimed it here (never asked for).
   */
  const seen = new IdTable();
  const invalid = new ReportList<InvalidEvent>();
  const warnings = new ReportList<Warning>();
  let position = 0;

  const deps = createDependencies(entries, tickets, walkAll);
  const classifyEntry = createPricing(entries, tickets, deps, catalog);
  const rows: LedgerRows = {
    entries,
    bases,
    current: (i) => classifyEntry(i, false),
    drafted: new DraftedLines(),
  };
  const issuing = createIssuing(rows, deps);
  const state: IntegrityView = { ...facts, invoiceNumbers: issuing.invoiceNumbers };

  // ----------------------------------------------------------------------------------------------
  // Integrity (spec §2) and warnings (spec §6)

  let source: EventSource | undefined;
  /** Report what the command recording `ev` would have been refused for (spec §6; warnings.ts). */
  const warn = (ev: DomainEvent, c: ContractFacts, t: TicketFacts | undefined): void => {
    for (const refusal of warningsOf(ev, c, t, catalog))
      warnings.push({
        ...(source?.line === undefined ? {} : { line: source.line }),
        position,
        eventId: ev.id,
        type: ev.type,
        code: refusal._tag,
        clause: warningClause(refusal),
        message: warningMessage(refusal, ev),
        refusal,
      });
  };
  const reports: FoldReports = { deps, issuing, warn };

  const record = (
    list: ReportList<InvalidEvent>,
    ev: DomainEvent,
    refusal: InvalidEventRefusal,
  ): ApplyResult => {
    const reason = invalidMessage(refusal);
    list.push({
      ...(source?.line === undefined ? {} : { line: source.line }),
      position,
      eventId: ev.id,
      type: ev.type,
      code: refusal._tag,
      clause: invalidClause(refusal),
      reason,
      refusal,
    });
    position += 1;
    return { _tag: 'Invalid', code: refusal._tag, reason };
  };

  const queries = createQueries({
    books: facts.books,
    entries,
    rows,
    deps,
    classifyEntry,
    issuedOrder: issuing.issuedOrder,
    issuedWith: issuing.issuedWith,
  });

  const ledger: Ledger = {
    get eventCount() {
      return position;
    },
    apply(event, src) {
      source = src;
      if (dedupe) {
        // Ids are unique in the log (spec §2), valid or not: a new id is claimed here, before the
        // integrity check, exactly as the NDJSON reader claims it, so both report a reuse the same way.
        const fingerprint = canonicalFingerprint(event);
        const prior = seen.findOrAdd(event.id, position, fingerprint);
        if (prior >= 0 && seen.fingerprintOf(prior) === fingerprint) {
          position += 1;
          return { _tag: 'Duplicate' };
        }
        if (prior >= 0) {
          return record(invalid, event, { _tag: 'IdReusedWithOtherContent', eventId: event.id });
        }
      }
      const refusal = integrityRefusal(state, event);
      if (refusal !== undefined) return record(invalid, event, refusal);
      evolveFacts(facts, event, reports);
      position += 1;
      return { _tag: 'Applied' };
    },
    recordUndecodable(reason, src) {
      const refusal: InvalidEventRefusal = {
        _tag: 'UndecodableEvent',
        ...(src?.readerCode === undefined ? {} : { readerCode: src.readerCode }),
        message: reason,
      };
      invalid.push({
        ...(src?.line === undefined ? {} : { line: src.line }),
        ...(src?.eventId === undefined ? {} : { eventId: src.eventId }),
        position,
        code: refusal._tag,
        clause: invalidClause(refusal),
        reason: invalidMessage(refusal),
        refusal,
      });
      position += 1;
    },
    ...queries,
    invalidEvents: () => invalid.all(),
    warnings: () => warnings.all(),
  };
  states.set(ledger, {
    catalog,
    dedupe,
    facts,
    bases,
    deps,
    issuing,
    seen,
    ids: dedupe ? 'ledger' : 'none',
    invalid,
    warnings,
    get position() {
      return position;
    },
    set position(p: number) {
      position = p;
    },
  });
  return ledger;
};
