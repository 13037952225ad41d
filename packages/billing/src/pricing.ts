/**
 * Classification and pricing of work entries, cached per entry: an entry's result is computed by
 * `classify` of @msp-billing/entitlements over the facts it reads (its values, its ticket's facts as
 * a view, its contract's facts as a view, its card's rates), priced at the rate in force when it
 * started, and kept in the EntryTable until the dependency index (dependencies.ts) clears it.
 */
import { type ContractFacts, type RateCardFacts, type TicketFacts } from '@msp-billing/contracts';
import {
  contractView,
  currentService,
  latestSchedule,
  rateAt,
  timelineChangeAt,
  type ContractFactsView,
} from '@msp-billing/contracts/internal';
import { createClassifier, type Classification, type TicketView } from '@msp-billing/entitlements';
import type { SlaCatalog } from '@msp-billing/sla';
import type { Dependencies } from './dependencies.js';
import { VOIDED, type EntryTable } from './entryTable.js';
import { amountOf, billedMinutesOf } from './money.js';
import type { PricedEntry } from './state.js';
import type { TicketTable } from './ticketTable.js';

/**
 * The ticket as classification reads it (the current service, the latest schedule and decision).
 * Built per classification, not kept: results are cached per entry, so a view is asked for about
 * once per entry, and keeping one per ticket cost more memory than building it costs time.
 */
const ticketView = (t: TicketFacts): TicketView => {
  const service = currentService(t);
  const decision = timelineChangeAt(t.decisions, Number.POSITIVE_INFINITY);
  const u = t.update;
  // Absent values are undefined rather than missing keys: one object shape for every view.
  return {
    ticketId: t.ticketId,
    contractId: t.contractId,
    openedAt: t.openedAt,
    origin: t.origin,
    service,
    channel: t.channel,
    requester: t.requester,
    vmId: t.vmId,
    update:
      u === undefined
        ? undefined
        : {
            software: u.software,
            scope: u.scope,
            vendorSupported: u.vendorSupported,
            schedule: latestSchedule(t),
          },
    safetyMeasure: t.safetyMeasure,
    decision:
      decision === undefined
        ? undefined
        : { kind: decision.value.kind, by: decision.value.by, at: decision.at },
  };
};

/** Shared priced results, per shared classification, by period and billed minutes. */
type SharedPriced = WeakMap<Classification, Map<string, PricedEntry>>;

/**
 * A classification with its period and price. The Ledger's classifier shares its results of fixed
 * reasons across entries (`isShared`); their priced results are shared too, in `shared`, so the
 * Ledger keeps one object per distinct outcome rather than one per entry. `billedMinutes` is null
 * unless billable.
 */
const pricedOf = (
  shared: SharedPriced | undefined,
  classification: Classification,
  period: string,
  billedMinutes: number | null,
): PricedEntry => {
  if (shared === undefined) return newPriced(classification, period, billedMinutes);
  let byKey = shared.get(classification);
  if (byKey === undefined) shared.set(classification, (byKey = new Map()));
  const key = billedMinutes === null ? period : `${period}|${billedMinutes}`;
  let priced = byKey.get(key);
  if (priced === undefined)
    byKey.set(key, (priced = Object.freeze(newPriced(classification, period, billedMinutes))));
  return priced;
};

// A function of its own rather than a closure in pricedOf: that ran for every classification.
const newPriced = (
  classification: Classification,
  period: string,
  billedMinutes: number | null,
): PricedEntry => {
  const rate = billedMinutes === null ? undefined : classification.hourlyRate;
  return rate === undefined || billedMinutes === null
    ? { classification, period, billedMinutes: null, hourlyRate: null, amount: null }
    : { classification, period, billedMinutes, hourlyRate: rate, amount: amountOf(rate, billedMinutes) };
};

/** Whether two priced results say the same in everything a ledger line, an invoice or `explain` shows. */
const samePriced = (a: PricedEntry, b: PricedEntry): boolean => {
  if (a === b) return true;
  const x = a.classification;
  const y = b.classification;
  return (
    a.period === b.period &&
    a.billedMinutes === b.billedMinutes &&
    a.hourlyRate === b.hourlyRate &&
    (a.amount === b.amount || (a.amount !== null && b.amount !== null && a.amount.equals(b.amount))) &&
    x.status === y.status &&
    x.clause === y.clause &&
    x.reason === y.reason &&
    x.service === y.service &&
    x.hourlyRate === y.hourlyRate &&
    x.rateEffectiveFrom === y.rateEffectiveFrom
  );
};

/**
 * Entry `i` classified and priced (undefined when voided), as a function over `entries`: cached while
 * `deps` says the result is current. With `trace`, a fresh classification with its rule trace, not
 * cached.
 */
export const createPricing = (
  entries: EntryTable,
  tickets: TicketTable,
  deps: Dependencies,
  catalog: SlaCatalog,
): ((i: number, trace: boolean) => PricedEntry | undefined) => {
  // Owned by this Ledger: its shared results and their prices are no other Ledger's.
  const classifier = createClassifier();
  const sharedPriced: SharedPriced = new WeakMap();
  const views = new WeakMap<ContractFacts, ContractFactsView>();
  /** `rateAt` of a rate card as a function, made once per version of the card's facts. */
  const rateLookups = new WeakMap<RateCardFacts, (t: number) => ReturnType<typeof rateAt>>();
  const rateLookup = (card: RateCardFacts): ((t: number) => ReturnType<typeof rateAt>) => {
    let f = rateLookups.get(card);
    if (f === undefined) {
      f = (t) => rateAt(card, t);
      rateLookups.set(card, f);
    }
    return f;
  };

  const viewOf = (c: ContractFacts): ContractFactsView => {
    let v = views.get(c);
    if (v === undefined) {
      v = contractView(c, catalog);
      views.set(c, v);
    }
    return v;
  };

  /**
   * Entry `i` classified and priced; undefined when voided. Cached: the result stays current until
   * `touch` clears it. With `trace`, a fresh classification with its rule trace, not cached.
   */
  const classifyEntry = (i: number, trace: boolean): PricedEntry | undefined => {
    const flags = entries.flags[i] as number;
    if ((flags & VOIDED) !== 0) return undefined;
    if (!trace && deps.isCurrent(i)) return entries.priced[i];
    const book = entries.bookOf(i);
    const ticket = tickets.factsOf(entries.ticket[i] as number);
    const card = book.card;
    const startedAt = entries.startedAt[i] as number;
    const minutes = entries.minutes[i] as number;
    const classification = classifier.classify(
      {
        entry: {
          workId: entries.workIdOf(i),
          ticketId: ticket.ticketId,
          startedAt,
          minutes,
          service: entries.serviceOf(i),
        },
        ticket: ticketView(ticket),
        contract: viewOf(book.facts),
        rateAt: rateLookup(card),
      },
      { trace },
    );
    // Set by listPeriod whenever the values change: a contract's zone never does.
    const period = entries.periodOf(i);
    const billedMinutes =
      classification.status === 'billable' && classification.hourlyRate !== undefined
        ? billedMinutesOf(minutes, card.billingIncrementMinutes)
        : null;
    const value = pricedOf(
      classifier.isShared(classification) ? sharedPriced : undefined,
      classification,
      period,
      billedMinutes,
    );
    if (trace) return value;
    deps.classified(i, classification.service);
    const before = entries.priced[i];
    // Recomputed to the same answer: keep the result and its generation (what an issued invoice
    // billed from it stays settled).
    if (before !== undefined && samePriced(before, value)) return before;
    entries.priced[i] = value;
    entries.gen[i] = (entries.gen[i] as number) + 1;
    return value;
  };
  return classifyEntry;
};
