/**
 * The dependency index: which cached results read which facts, and which entries an invoice must
 * walk. Every entry's priced result (entryTable.ts) is cached until something it was computed from
 * changes; the Ledger's fact projection reports each change here as what happened (an entry logged,
 * corrected or voided; a ticket's facts, a contract fact group or a rate changed; an entry
 * classified; an invoice issued), and this module alone decides which results that clears and which
 * entries it puts on their contract's dirty list (state.ts, ContractBook.dirty). A change costs the
 * entries that read what changed:
 *
 * - a rate effective from E: the entries on the card that started from E up to the card's next
 *   change (rule 17), found by instant (dayIndex.ts);
 * - the authorised requesters named or removed at T: the entries whose tickets opened since T
 *   (rule 16), found by a binary search of the contract's readers kept in that order;
 * - another contract fact group: the entries whose service reads it (spec §4), from its reader list;
 * - a ticket's facts: the ticket's entries; an entry's values: that entry.
 */
import type { DomainEvent, ServiceKind } from '@msp-billing/events';
import { DayIndex } from './dayIndex.js';
import { CURRENT, DIRTY, type EntryTable } from './entryTable.js';
import { periodOf } from './period.js';
import type { ContractBook, FactGroup } from './state.js';
import type { TicketTable } from './ticketTable.js';

/**
 * Which group of contract facts each contract-level event changes for the entries already classified
 * (HA events: none). AlertRaised: none either. The alert is new (a second AlertRaised of an id is
 * refused, spec §2) and a safety measure can name only an alert raised before it (likewise), so no
 * classification has read it yet.
 */
const GROUP_OF: Partial<Record<DomainEvent['type'], FactGroup>> = {
  MSPCancelled: 'msp',
  BackupNasShareAttached: 'nas',
  BackupNasShareDetached: 'nas',
  AlertingActivated: 'alerting',
  AlertingDeactivated: 'alerting',
  AlertAcknowledged: 'alerting',
  AuthorizedRequesterNamed: 'requesters',
  AuthorizedRequesterRemoved: 'requesters',
  ProvisioningCompleted: 'provisioning',
  SlaChanged: 'windows',
  MaintenanceWindowsAgreed: 'windows',
};

/**
 * The groups of {@link FactGroup} beside `msp`, which every service reads (rule 1). Group i is
 * bit 1 << i in {@link groupsRead}, and index i of a book's reader lists.
 */
const GROUPS = ['nas', 'alerting', 'requesters', 'provisioning', 'windows'] as const;
const bitOf = (g: (typeof GROUPS)[number]): number => 1 << GROUPS.indexOf(g);
const NAS = bitOf('nas');
const ALERTING = bitOf('alerting');
const REQUESTERS = bitOf('requesters');
const PROVISIONING = bitOf('provisioning');
const WINDOWS = bitOf('windows');

/** A new book's reader lists, one per group of {@link GROUPS}. */
export const emptyReaders = (): number[][] => GROUPS.map(() => []);

/**
 * The contract fact groups that classifying service `s` reads (spec §4): rule 1 for all; rules
 * 5/7, 9, 10, 11 by service; rule 16 for services that can come out billable.
 */
const groupsRead = (s: ServiceKind): number => {
  switch (s) {
    case 'backup-setup':
    case 'backup-run':
      return NAS;
    case 'update-installation':
      return WINDOWS | REQUESTERS;
    case 'safety-measure':
      return ALERTING;
    case 'change-request':
      return PROVISIONING | REQUESTERS;
    case 'support-request':
    case 'customer-caused-fault':
    case 'ddos-mitigation':
    case 'security-review':
    case 'malware-cleanup':
    case 'software-installation':
      return REQUESTERS;
    default:
      return 0;
  }
};

/** What the fact projection reports, and what issuing and queries ask. */
export interface Dependencies {
  /** Entry `i` was logged (and put on its book's entries). */
  entryLogged(i: number): void;
  /** Entry `i`'s values were corrected. */
  entryCorrected(i: number): void;
  /** Entry `i` was voided. */
  entryVoided(i: number): void;
  /** The facts of ticket `t` changed. */
  ticketChanged(t: number): void;
  /** Contract-level event `ev` changed the facts of `book`. */
  contractChanged(book: ContractBook, ev: DomainEvent): void;
  /** The rate of card `cardId` in force in [from, to) changed. */
  rateChanged(cardId: string, from: number, to: number): void;
  /** Whether entry `i`'s cached result is current. */
  isCurrent(i: number): boolean;
  /** Entry `i` was classified as service `service` now: its result is current. */
  classified(i: number, service: ServiceKind): void;
  /** The entries the invoice (C, P) must look at, in recording order. */
  toWalk(book: ContractBook, period: string, summaryOnly: boolean): Iterable<number>;
  /** An invoice of `book` was issued: every entry of it is settled. */
  issued(book: ContractBook): void;
  /**
   * Entries 0 … n-1 were restored from a snapshot (snapshot.ts) with their values, periods, flags and
   * listed groups: put each on its book's lists and index it as logging, correcting and classifying
   * it did (the lists are rebuilt, not written), in recording order. Its book's reader lists when
   * one of them is first needed, the rate readers at the first rate change: the same lists as at
   * once, at no cost to a start. `books`: every book (of the entries' tickets, at least).
   */
  restored(n: number, books: Iterable<ContractBook>): void;
}

/** The dependency index over `entries` (and their `tickets`); `walkAll`: invoices walk every entry. */
export const createDependencies = (
  entries: EntryTable,
  tickets: TicketTable,
  walkAll: boolean,
): Dependencies => {
  /** The entries on each rate card by the instant they read its rates at (their start). */
  const rateReaders = new DayIndex();
  /**
   * The requester reader lists (ContractBook.readers) that are not in the order of the instant their
   * entries read the requesters at: sorted when next asked for, so a change finds its readers by a
   * binary search. Entries are mostly logged in that order, so a list is rarely sorted again.
   */
  const unsorted = new WeakSet<number[]>();

  const markDirty = (i: number): void => {
    const flags = entries.flags[i] as number;
    if ((flags & DIRTY) !== 0) return;
    entries.flags[i] = flags | DIRTY;
    entries.bookOf(i).dirty.push(i);
  };

  /** Something entry `i`'s result was computed from changed: it may bill differently. */
  const touch = (i: number): void => {
    entries.flags[i] = (entries.flags[i] as number) & ~CURRENT;
    markDirty(i);
  };

  /** Entry `i`'s values changed: whatever it is classified as now is a new result. */
  const changeValues = (i: number): void => {
    entries.priced[i] = undefined;
    entries.gen[i] = (entries.gen[i] as number) + 1;
    touch(i);
  };

  /** Something every entry of `book` reads changed (booking, cancellation). */
  const touchAll = (book: ContractBook): void => {
    for (const i of book.entries) entries.flags[i] = (entries.flags[i] as number) & ~CURRENT;
    book.allDirty = true;
  };

  /** The instant at which entry `i` reads the authorised requesters (rule 16): its ticket's opening. */
  const requestersReadAt = (i: number): number => tickets.openedAt[entries.ticket[i] as number] as number;

  /**
   * Record that a fact group of `book` changed at `at`: the results of the entries that read it may
   * have (all of them for the booking itself). The authorised requesters hold from the instant they
   * are named or removed on, and an entry reads them at one instant (its ticket's opening, which
   * never changes): only the entries reading them at or after `at` are touched, found by instant.
   * The other groups are not read at one such instant only, so a change touches all their readers.
   */
  const bump = (book: ContractBook, group: FactGroup, at: number): void => {
    if (group === 'msp') return touchAll(book);
    listRestoredReaders(book);
    const readers = book.readers[GROUPS.indexOf(group)] as number[];
    if (group !== 'requesters') {
      for (const i of readers) touch(i);
      return;
    }
    if (unsorted.has(readers)) {
      readers.sort((a, b) => requestersReadAt(a) - requestersReadAt(b) || a - b);
      unsorted.delete(readers);
    }
    // The first reader reading at or after `at`; every one after it does too.
    let lo = 0;
    let hi = readers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (requestersReadAt(readers[mid] as number) < at) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < readers.length; k++) touch(readers[k] as number);
  };

  /**
   * The books whose restored entries (0 … restoredCount-1) are not yet on their reader lists: a
   * restore leaves that to the book's first change of a fact group or first reader listed.
   */
  const unlisted = new Set<ContractBook>();
  let restoredCount = 0;
  /** Put the restored entries of `book` on its reader lists, in recording order, if not yet done. */
  const listRestoredReaders = (book: ContractBook): void => {
    if (!unlisted.delete(book)) return;
    for (const i of book.entries) {
      if (i >= restoredCount) break;
      const groups = entries.listedGroups[i] as number;
      if (groups === 0) continue;
      entries.listedGroups[i] = 0;
      listReader(i, groups, book);
    }
  };

  /** Put entry `i` on the reader lists of the groups it reads and is not yet on. */
  const listReader = (i: number, groups: number, book: ContractBook = entries.bookOf(i)): void => {
    if (unlisted.size > 0) listRestoredReaders(book);
    const listed = entries.listedGroups[i] as number;
    const missing = groups & ~listed;
    if (missing === 0) return;
    for (let g = 0; g < GROUPS.length; g++)
      if ((missing & (1 << g)) !== 0) (book.readers[g] as number[]).push(i);
    // The readers of the requesters are kept in the order of the instant they read them at (see bump).
    if ((missing & REQUESTERS) !== 0) {
      const readers = book.readers[GROUPS.indexOf('requesters')] as number[];
      const before = readers.at(-2);
      if (before !== undefined && requestersReadAt(before) > requestersReadAt(i)) unsorted.add(readers);
    }
    entries.listedGroups[i] = listed | missing;
  };

  /**
   * Set entry `i`'s period from its current values (after they are logged or corrected), and put it
   * on that period's list of its book unless it is on it already.
   */
  const listPeriod = (i: number): void => {
    const book = entries.bookOf(i);
    const period = periodOf(entries.startedAt[i] as number, book.facts.timeZone);
    if (!entries.setPeriod(i, period)) return;
    const list = book.byPeriod.get(period);
    if (list === undefined) book.byPeriod.set(period, [i]);
    else list.push(i);
  };

  /**
   * How many restored entries (0 … n-1) are not yet in `rateReaders`: a restore leaves that to the
   * first rate change, which puts them before the entries indexed since (rates change rarely).
   */
  let unindexed = 0;
  const indexRestoredRateReaders = (): void => {
    if (unindexed === 0) return;
    const restored = new DayIndex();
    for (let i = 0; i < unindexed; i++)
      restored.add(entries.bookOf(i).facts.rateCardId, i, entries.startedAt[i] as number);
    unindexed = 0;
    rateReaders.putBefore(restored);
  };

  /** Index entry `i` under the instant it reads its card's rates at: its start. */
  const listRateReader = (i: number): void =>
    rateReaders.add(entries.bookOf(i).facts.rateCardId, i, entries.startedAt[i] as number);

  return {
    entryLogged(i) {
      listRateReader(i);
      markDirty(i);
      listPeriod(i);
    },
    entryCorrected(i) {
      listRateReader(i);
      changeValues(i);
      listPeriod(i);
    },
    entryVoided: changeValues,
    ticketChanged(t) {
      for (let i = tickets.first[t] as number; i >= 0; i = entries.next[i] as number) touch(i);
    },
    contractChanged(book, ev) {
      const group = GROUP_OF[ev.type];
      if (group !== undefined) bump(book, group, ev.occurredAt);
    },
    rateChanged(cardId, from, to) {
      indexRestoredRateReaders();
      rateReaders.forEachBetween(cardId, from, to, (i) => {
        const startedAt = entries.startedAt[i] as number;
        if (startedAt >= from && startedAt < to) touch(i);
      });
    },
    isCurrent: (i) => ((entries.flags[i] as number) & CURRENT) !== 0,
    classified(i, service) {
      listReader(i, groupsRead(service));
      entries.flags[i] = (entries.flags[i] as number) | CURRENT;
    },
    /**
     * For a summary only, the entries of P; else the dirty ones and those of the periods after the
     * last issued invoice up to P. Every other entry is settled and would add no line. A dirty entry
     * is taken from the dirty list only (its flag says it is there), so the period lists add the
     * others; an entry can still be on two period lists (a correction moved it). Sorted by number
     * (recording order) as a typed array, without a comparator, so copies are neighbours and only
     * the first is taken; a list found in order already (the usual case) is not sorted at all.
     */
    toWalk(book, period, summaryOnly) {
      if (walkAll || (!summaryOnly && book.allDirty)) return book.entries;
      const after = book.lastIssuedPeriod;
      let size = summaryOnly ? 0 : book.dirty.length;
      const lists: number[][] = [];
      if (summaryOnly) {
        const list = book.byPeriod.get(period);
        if (list !== undefined) lists.push(list);
      } else
        for (const [p, list] of book.byPeriod)
          if ((after === undefined || p > after) && p <= period) lists.push(list);
      for (const list of lists) size += list.length;
      const found = new Int32Array(size);
      let n = 0;
      if (!summaryOnly) for (const i of book.dirty) found[n++] = i;
      for (const list of lists)
        for (const i of list) if (summaryOnly || ((entries.flags[i] as number) & DIRTY) === 0) found[n++] = i;
      const walk = found.subarray(0, n);
      let sorted = true;
      for (let k = 1; k < n && sorted; k++) sorted = (walk[k - 1] as number) < (walk[k] as number);
      if (sorted) return walk;
      walk.sort();
      let m = 0;
      for (let k = 0; k < n; k++) if (m === 0 || walk[m - 1] !== walk[k]) walk[m++] = walk[k] as number;
      return walk.subarray(0, m);
    },
    issued(book) {
      for (const i of book.dirty) entries.flags[i] = (entries.flags[i] as number) & ~DIRTY;
      book.dirty = [];
      book.allDirty = false;
    },
    restored(n, books) {
      // Per book (by its number in the tickets' table), the period list the last entry went on:
      // most entries are on their book's previous entry's period, found without a lookup.
      const lastPeriod: number[] = [];
      const lastList: number[][] = [];
      for (let i = 0; i < n; i++) {
        const t = entries.ticket[i] as number;
        const b = tickets.book[t] as number;
        const book = tickets.bookOf(t);
        book.entries.push(i);
        if (((entries.flags[i] as number) & DIRTY) !== 0) book.dirty.push(i);
        const p = entries.period[i] as number;
        let list = lastList[b];
        if (lastPeriod[b] !== p || list === undefined) {
          const period = entries.periodOf(i);
          list = book.byPeriod.get(period);
          if (list === undefined) book.byPeriod.set(period, (list = []));
          lastPeriod[b] = p;
          lastList[b] = list;
        }
        list.push(i);
      }
      // The reader lists and the rate readers when first needed (above).
      restoredCount = n;
      for (const book of books) unlisted.add(book);
      unindexed = n;
    },
  };
};
