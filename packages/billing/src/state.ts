/**
 * The Ledger's own bookkeeping beside the business-time facts that @msp-billing/contracts keeps:
 * per contract, its work entries in recording order, its issued invoices and what they billed per
 * entry; per entry, the cached classification and price. Facts are immutable values, so a cache is
 * valid exactly while the contract, ticket and rate-card facts it was computed from are the same
 * objects: no version counters to forget.
 */
import type { ContractFacts, RateCardFacts, TicketFacts } from '@msp-billing/contracts';
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

/** The facts a cached result was computed from. */
export interface CachedResult {
  readonly contract: ContractFacts;
  readonly ticket: TicketFacts;
  readonly card: RateCardFacts;
  readonly value: PricedEntry;
}

/** A work entry as the Ledger tracks it; its values live in the ticket's facts. */
export interface EntryRef {
  readonly workId: string;
  readonly ticketId: string;
  readonly contractId: string;
  /** Recording position of its `WorkLogged`: invoice lines are ordered by it. */
  readonly seq: number;
  /** How many `WorkLogCorrected` were applied to it (shown by `explain`). */
  corrections: number;
  cache?: CachedResult;
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
}

/** A contract in the Ledger: its facts and the Ledger's bookkeeping. */
export interface ContractBook {
  facts: ContractFacts;
  /** Work entries in recording order of their `WorkLogged`. */
  readonly entries: EntryRef[];
  /** Issued invoices by period, and the latest issued period. */
  readonly issued: Map<string, Invoice>;
  lastIssuedPeriod?: string;
  /** What the issued invoices billed, per work entry. */
  readonly invoiced: Map<string, InvoicedLine>;
}
