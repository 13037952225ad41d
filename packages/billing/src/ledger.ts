/**
 * The Ledger projection (ARCHITECTURE.md): applies one event at a time in amortised constant time and
 * classifies and prices on demand. The business-time facts of contracts, tickets and rate cards are
 * those of @msp-billing/contracts (the same values the deciders decide on, folded by the same
 * `evolve` functions); the Ledger adds what only a projection needs: integrity checks (spec §2),
 * warnings (spec §6), entry order, caches, and issued invoices. `InvoiceIssued` is the only event that
 * freezes anything: it computes the invoice over the facts recorded before it and moves the per-entry
 * "already invoiced" state forward.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type ContractFacts, type RateCardFacts, type TicketFacts } from '@msp-billing/contracts';
import {
  MAX_HA_RESTARTS_IN_ROW,
  alertOf,
  emptyTimeline,
  evolveContractFacts,
  evolveCustomerProfile,
  evolveProviderProfile,
  evolveRateCard,
  evolveTicketFacts,
  haRestartsInRowAt,
  isAlertingActiveAt,
  judgeSafetyMeasure,
  profileInForce,
  maintenanceWindowsAt,
  slaAt,
  timelineNextChangeAfter,
  loggedEntry,
  correctedEntry,
  voidedEntry,
  type InvoiceNumberUse,
  type CustomerProfile,
  type ProfileState,
  type ProviderProfile,
} from '@msp-billing/contracts/internal';
import { formatInstant, type DomainEvent, type Instant } from '@msp-billing/events';
import { IdTable, canonicalFingerprint } from '@msp-billing/events/internal';
import { type Classification } from '@msp-billing/entitlements';
import { DEFAULT_SLA_CATALOG, isInMaintenanceWindow, type SlaCatalog } from '@msp-billing/sla';
import { formatMoney, formatRate, type Dec } from './money.js';
import {
  assembleInvoice,
  recordIssued,
  renderIssued,
  summaryOf,
  settle,
  type Invoice,
  type LedgerRows,
  type LineKind,
} from './invoice.js';
import { BasisTable, EntryTable } from './entryTable.js';
import type { ContractBook, IssuedInvoice, PricedEntry } from './state.js';
import { createDependencies, emptyReaders } from './dependencies.js';
import { integrityRefusal, type IntegrityView } from './integrity.js';
import { createPricing } from './pricing.js';
import { TicketTable } from './ticketTable.js';

/** Where an event stood in its source, for messages (`line N: …`). */
export interface EventSource {
  /** 1-based line number in an NDJSON file. */
  readonly line?: number;
}

/** An event the Ledger refused, with the reason. */
export interface InvalidEvent {
  readonly line?: number;
  /** Recording position (0-based) among the events given to the Ledger. */
  readonly position: number;
  readonly eventId?: string;
  readonly type?: string;
  readonly reason: string;
}

/** A fact that a command would have refused (spec §6); applied, and reported by `check`. */
export interface Warning {
  readonly line?: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly clause: string;
  readonly message: string;
}

/** What `apply` did with an event. */
export type ApplyResult =
  | { readonly _tag: 'Applied' }
  | { readonly _tag: 'Duplicate' }
  | { readonly _tag: 'Invalid'; readonly reason: string };

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
export interface Ledger {
  apply(event: DomainEvent, source?: EventSource): ApplyResult;
  /** Record an input that could not even be decoded (keeps `invalidEvents` complete). */
  recordUndecodable(reason: string, source?: EventSource & { eventId?: string }): void;
  entries(filter?: { contractId?: string; period?: string }): LedgerEntry[];
  /**
   * The same entries as {@link Ledger.entries}, one at a time: a caller that writes them out as it
   * goes (the CLI) never holds them all. Do not apply events while iterating.
   */
  eachEntry(filter?: { contractId?: string; period?: string }): IterableIterator<LedgerEntry>;
  explain(workId: string): E.Either<LedgerQueryError, Explanation>;
  invoice(contractId: string, period: string): E.Either<LedgerQueryError, Invoice>;
  /** Every issued invoice, in the order they were issued. */
  issuedInvoices(): Invoice[];
  /** What the invoice (C, P) was issued with (spec §8), or undefined when it is not issued. */
  issuedWith(contractId: string, period: string): IssuedWith | undefined;
  contractIds(): string[];
  /** Every contract, in the order they were booked. */
  contracts(): ContractSummary[];
  invalidEvents(): readonly InvalidEvent[];
  warnings(): readonly Warning[];
  /** Number of events given to `apply` (valid, invalid and duplicate). */
  readonly eventCount: number;
}

const iso = (t: number): string => formatInstant(t as Instant);

/** A classification as `explain` presents it: the rate's start in RFC 3339, as every printed instant. */
const explained = (c: Classification): Explanation['classification'] => {
  const { rateEffectiveFrom, ...rest } = c;
  return rateEffectiveFrom === undefined ? rest : { ...rest, rateEffectiveFrom: iso(rateEffectiveFrom) };
};

/** Entry amounts are shared per rate and billed minutes (money.ts), so their text is formatted once. */
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

/** Create an empty Ledger. */
export const createLedger = (options: LedgerOptions = {}): Ledger => {
  const catalog = options.slaCatalog ?? DEFAULT_SLA_CATALOG;
  const dedupe = options.dedupe ?? true;
  const walkAll = options.walk === 'all';
  const books = new Map<string, ContractBook>();
  /** Each rate card's current facts, in one holder shared by the books of the contracts on it. */
  const rateCards = new Map<string, { facts: RateCardFacts }>();
  const tickets = new TicketTable();
  const entries = new EntryTable(tickets);
  /** Every entry's number, in recording order. */
  function* allEntries(): Generator<number> {
    for (let i = 0; i < entries.size; i++) yield i;
  }
  const bases = new BasisTable();
  const alertContract = new Map<string, string>();
  const bookingsByVm = new Map<string, ContractBook[]>();
  /** Invoice numbers of the valid `InvoiceIssued` so far (spec §2: each is used once). */
  const invoiceNumbers = new Map<string, InvoiceNumberUse>();
  /**
   * The id rule of `apply` (spec §2): every id's canonical fingerprint, off the heap. The table's
   * "line" of an id is the position of the event that claimed it here (never asked for).
   */
  const seen = new IdTable();
  const invalid: InvalidEvent[] = [];
  const warnings: Warning[] = [];
  const issuedOrder: { readonly book: ContractBook; readonly issued: IssuedInvoice }[] = [];
  /** The invoicing profiles (spec §8): the provider's, and each customer's by customer id. */
  let providerProfiles: ProfileState<ProviderProfile> = emptyTimeline();
  const customerProfiles = new Map<string, ProfileState<CustomerProfile>>();
  /** What each issued invoice was issued with, kept beside it. */
  const issuedWithOf = new WeakMap<IssuedInvoice, IssuedWith>();
  let position = 0;

  const deps = createDependencies(entries, tickets, walkAll);
  const classifyEntry = createPricing(entries, tickets, deps, catalog);
  const state: IntegrityView = {
    books,
    rateCards,
    bookingsByVm,
    invoiceNumbers,
    alertContract,
    tickets,
    entries,
  };

  /**
   * Fold a contract-level event into its book's facts and report the change to the dependency index
   * — unless the facts stayed the same object (a later acknowledgement, a second cancellation after
   * the first): then no result can have changed, and such events keep no state.
   */
  const evolveBook = (book: ContractBook, ev: DomainEvent): void => {
    const facts = evolveContractFacts(book.facts, ev) as ContractFacts;
    if (facts === book.facts) return;
    book.facts = facts;
    deps.contractChanged(book, ev);
  };

  const rows: LedgerRows = { entries, bases, current: (i) => classifyEntry(i, false) };

  // ----------------------------------------------------------------------------------------------
  // Integrity (spec §2) and warnings (spec §6)

  let source: EventSource | undefined;
  const warn = (ev: DomainEvent, clause: string, message: string): void => {
    warnings.push({
      ...(source?.line === undefined ? {} : { line: source.line }),
      position,
      eventId: ev.id,
      type: ev.type,
      clause,
      message,
    });
  };

  /**
   * Fold `ev` into its ticket's facts (opening it if it is new). When they changed, every entry of
   * the ticket may classify differently: touch them. Work entries are not in the ticket's facts here
   * (entryTable.ts), so every change of the facts is one that classification reads: its service,
   * update, schedule, measure or decision.
   */
  const evolveTicket = (ticketId: string, ev: DomainEvent): TicketFacts => {
    const t = tickets.numberOf(ticketId);
    if (t === undefined) {
      const opened = evolveTicketFacts(undefined, ev) as TicketFacts;
      tickets.add(opened, books.get(opened.contractId) as ContractBook);
      return opened;
    }
    const before = tickets.factsOf(t);
    const facts = evolveTicketFacts(before, ev) as TicketFacts;
    if (facts === before) return facts;
    tickets.set(t, facts);
    deps.ticketChanged(t);
    return facts;
  };

  /** Fold a valid event into the facts and the bookkeeping, warning about what a command would refuse (§6). */
  const fold = (ev: DomainEvent): void => {
    switch (ev.type) {
      case 'RateCardPublished':
        // A new card (publishing one that exists is refused): no contract is booked on it yet.
        rateCards.set(ev.data.rateCardId, { facts: evolveRateCard(undefined, ev) as RateCardFacts });
        return;
      case 'HourlyRateSet': {
        const slot = rateCards.get(ev.data.rateCardId) as { facts: RateCardFacts };
        slot.facts = evolveRateCard(slot.facts, ev) as RateCardFacts;
        // The rate in force at an instant is the last one effective at or before it: this one
        // changed it from its start up to the next change, and only the entries started then read it.
        const from = ev.data.effectiveFrom;
        deps.rateChanged(ev.data.rateCardId, from, timelineNextChangeAfter(slot.facts.rates, from));
        return;
      }
      case 'MSPBooked': {
        const slot = rateCards.get(ev.data.rateCardId) as { facts: RateCardFacts };
        const book: ContractBook = {
          facts: evolveContractFacts(undefined, ev) as ContractFacts,
          get card() {
            return slot.facts;
          },
          entries: [],
          issued: new Map(),
          dirty: [],
          allDirty: false,
          byPeriod: new Map(),
          readers: emptyReaders(),
        };
        books.set(ev.data.contractId, book);
        bookingsByVm.set(ev.data.vmId, [...(bookingsByVm.get(ev.data.vmId) ?? []), book]);
        return;
      }
      case 'InvoiceIssued':
        invoiceNumbers.set(ev.data.invoiceNumber, { contractId: ev.data.contractId, period: ev.data.period });
        issue(books.get(ev.data.contractId) as ContractBook, ev);
        return;
      case 'ProviderProfileSet':
        // No classification or amount reads a profile (spec §8): nothing to touch.
        providerProfiles = evolveProviderProfile(providerProfiles, ev);
        return;
      case 'CustomerProfileSet': {
        const id = ev.data.customerId;
        customerProfiles.set(id, evolveCustomerProfile(customerProfiles.get(id) ?? emptyTimeline(), ev));
        return;
      }
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken': {
        const t = evolveTicket(ev.data.ticketId, ev);
        const c = (books.get(ev.data.contractId) as ContractBook).facts;
        if (t.vmId !== undefined && t.vmId !== c.vmId) {
          warn(ev, '1', `ticket is for VM ${t.vmId}, but contract ${c.contractId} covers ${c.vmId}`);
        }
        if (ev.type === 'UpdateRequested' && !ev.data.vendorSupported) {
          warn(ev, '4.1', `update of ${ev.data.software} requested, but it has no vendor support`);
        }
        if (ev.type === 'SafetyMeasureTaken') {
          const alert = ev.data.alertId === undefined ? undefined : alertOf(c, ev.data.alertId);
          const verdict = judgeSafetyMeasure({
            justification: ev.data.justification,
            takenAt: ev.occurredAt,
            alertingActive: isAlertingActiveAt(c, ev.occurredAt),
            ...(alert === undefined ? {} : { alert }),
          });
          if (!verdict.holds)
            warn(ev, '4.2', `safety measure not covered (${ev.data.justification}): ${verdict.reason}`);
        }
        return;
      }
      case 'UpdateScheduled': {
        const t = evolveTicket(ev.data.ticketId, ev);
        // A schedule on a ticket that is no update request has no effect, so nothing to warn about.
        if (t.update === undefined) return;
        const c = (books.get(t.contractId) as ContractBook).facts;
        const inForce = maintenanceWindowsAt(c, ev.data.scheduledFor, catalog);
        if (
          !ev.data.agreedWithCustomer &&
          !isInMaintenanceWindow(ev.data.scheduledFor, inForce.windows, c.timeZone)
        ) {
          warn(
            ev,
            '4.1',
            `update scheduled for ${iso(ev.data.scheduledFor)}, outside every maintenance window, without agreement`,
          );
        }
        return;
      }
      case 'TicketReclassified':
      case 'OrderConfirmed':
      case 'OrderDeclined':
      case 'UpdateApplied':
      case 'UpdateFailed':
        evolveTicket(ev.data.ticketId, ev);
        return;
      case 'WorkLogged': {
        // The entry is kept here, not in the ticket's facts: same values, by the same function.
        const t = tickets.numberOf(ev.data.ticketId) as number;
        const i = entries.add(loggedEntry(ev.data.ticketId, ev.data), t);
        const book = tickets.bookOf(t);
        book.entries.push(i);
        deps.entryLogged(i);
        return;
      }
      case 'WorkLogCorrected': {
        const i = entries.numberOf(ev.data.workId) as number;
        entries.corrections[i] = (entries.corrections[i] as number) + 1;
        entries.write(i, correctedEntry(entries.values(i), ev.data));
        deps.entryCorrected(i);
        return;
      }
      case 'WorkLogVoided': {
        const i = entries.numberOf(ev.data.workId) as number;
        entries.write(i, voidedEntry(entries.values(i)));
        deps.entryVoided(i);
        return;
      }
      case 'AlertAcknowledged':
        evolveBook(books.get(alertContract.get(ev.data.alertId) as string) as ContractBook, ev);
        return;
      default: {
        const book = books.get(ev.data.contractId) as ContractBook;
        if (ev.type === 'MSPCancelled') {
          const sla = slaAt(book.facts, ev.occurredAt);
          if (catalog[sla].mspMandatory && !ev.data.vmDecommissioned) {
            warn(ev, '1', `MSP of a ${sla} VM cancelled while the VM is not decommissioned`);
          }
        }
        if (ev.type === 'AlertRaised') alertContract.set(ev.data.alertId, ev.data.contractId);
        if (
          (ev.type === 'VmRestartedByHa' || ev.type === 'VmHeartbeatRestored') &&
          ev.data.vmId !== book.facts.vmId
        ) {
          warn(
            ev,
            '1',
            `VM ${ev.data.vmId} is not the VM of contract ${book.facts.contractId} (${book.facts.vmId})`,
          );
        }
        evolveBook(book, ev);
        if (ev.type === 'VmRestartedByHa') {
          const run = haRestartsInRowAt(book.facts, ev.occurredAt);
          if (run > MAX_HA_RESTARTS_IN_ROW) {
            warn(
              ev,
              '4.2',
              `HA restart number ${run} in a row; vSphere HA restarts at most ${MAX_HA_RESTARTS_IN_ROW} times`,
            );
          }
        }
      }
    }
  };

  /** Freeze the invoice (C, P) over the facts recorded so far and move the invoiced state forward. */
  const issue = (book: ContractBook, ev: Extract<DomainEvent, { type: 'InvoiceIssued' }>): void => {
    const card = book.card;
    const { period, invoiceNumber } = ev.data;
    const issuedAt = ev.occurredAt;
    const previous = book.lastIssuedPeriod === undefined ? undefined : book.issued.get(book.lastIssuedPeriod);
    const s = settle(rows, deps.toWalk(book, period, false), period);
    const issued: IssuedInvoice = {
      period,
      invoiceNumber,
      issuedAt: ev.occurredAt,
      currency: card.currency,
      ...recordIssued(rows, s),
    };
    book.issued.set(period, issued);
    // The profiles recorded so far are exactly those recorded before this InvoiceIssued (spec §8).
    const customerId = book.facts.customerId;
    const customer = customerProfiles.get(customerId);
    issuedWithOf.set(issued, {
      issuedAt,
      customerId,
      timeZone: book.facts.timeZone,
      provider: profileInForce(providerProfiles, issuedAt),
      customer: customer === undefined ? undefined : profileInForce(customer, issuedAt),
      previousInvoiceNumber: previous?.invoiceNumber,
    });
    book.lastIssuedPeriod = period;
    deps.issued(book);
    issuedOrder.push({ book, issued });
  };

  // ----------------------------------------------------------------------------------------------
  // Queries

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

  const record = (list: InvalidEvent[], ev: DomainEvent, reason: string): ApplyResult => {
    list.push({
      ...(source?.line === undefined ? {} : { line: source.line }),
      position,
      eventId: ev.id,
      type: ev.type,
      reason,
    });
    position += 1;
    return { _tag: 'Invalid', reason };
  };

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
          return record(
            invalid,
            event,
            `event id ${JSON.stringify(event.id)} was already used for a different event`,
          );
        }
      }
      const reason = integrityRefusal(state, event);
      if (reason !== undefined) return record(invalid, event, reason);
      fold(event);
      position += 1;
      return { _tag: 'Applied' };
    },
    recordUndecodable(reason, src) {
      invalid.push({
        ...(src?.line === undefined ? {} : { line: src.line }),
        ...(src?.eventId === undefined ? {} : { eventId: src.eventId }),
        position,
        reason,
      });
      position += 1;
    },
    entries(filter = {}) {
      return [...ledger.eachEntry(filter)];
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
      return issued === undefined ? undefined : issuedWithOf.get(issued);
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
    invalidEvents: () => invalid,
    warnings: () => warnings,
  };
  return ledger;
};
