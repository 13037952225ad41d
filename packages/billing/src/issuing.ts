/**
 * Issuing (spec §5, §8): an `InvoiceIssued` is the only event that freezes anything. It computes the
 * invoice (C, P) over the facts recorded before it, keeps it with the invoicing profiles in force at
 * its instant, and moves the per-entry "already invoiced" state forward. Whether it may be issued
 * at all is integrity's question (integrity.ts, by the invoicing rules of @msp-billing/contracts);
 * here it is valid.
 */
import {
  emptyTimeline,
  evolveCustomerProfile,
  evolveProviderProfile,
  profileInForce,
  type CustomerProfile,
  type InvoiceNumberUse,
  type ProfileState,
  type ProviderProfile,
} from '@msp-billing/contracts/internal';
import type { DomainEvent } from '@msp-billing/events';
import type { Dependencies } from './dependencies.js';
import { recordIssued, settle, type LedgerRows } from './invoice.js';
import type { IssuedWith } from './queries.js';
import type { ContractBook, IssuedInvoice } from './state.js';

/** The Ledger's issued invoices and what issuing reads: invoice numbers and invoicing profiles. */
export interface Issuing {
  /** Invoice numbers of the valid `InvoiceIssued` so far (spec §2: each is used once). */
  readonly invoiceNumbers: ReadonlyMap<string, InvoiceNumberUse>;
  /** Every issued invoice with its contract's book, in recording order. */
  readonly issuedOrder: readonly { readonly book: ContractBook; readonly issued: IssuedInvoice }[];
  /** What an issued invoice was issued with, kept beside it. */
  issuedWith(issued: IssuedInvoice): IssuedWith | undefined;
  /**
   * The invoices of `issuedOrder` so far were restored from a snapshot: what each was issued with is
   * `read()`, in that order, when first asked for.
   */
  restoreIssuedWith(read: () => readonly IssuedWith[]): void;
  /** Fold a profile (spec §8). No classification or amount reads one: nothing else changes. */
  profileSet(ev: Extract<DomainEvent, { type: 'ProviderProfileSet' | 'CustomerProfileSet' }>): void;
  /** Freeze the invoice (C, P) of a valid `InvoiceIssued` over the facts recorded so far. */
  issue(book: ContractBook, ev: Extract<DomainEvent, { type: 'InvoiceIssued' }>): void;
  /** The invoicing profiles, for a snapshot (snapshot.ts); `customers` is the table itself. */
  profiles(): Profiles;
  /** Restore the provider's profiles from a snapshot (the customers' go into `profiles().customers`). */
  restoreProvider(provider: ProfileState<ProviderProfile>): void;
}

/** The invoicing profiles issuing keeps (spec §8). */
export interface Profiles {
  readonly provider: ProfileState<ProviderProfile>;
  readonly customers: Map<string, ProfileState<CustomerProfile>>;
}

/** Issuing over the Ledger's rows, settling the entries the dependency index says to walk. */
export const createIssuing = (rows: LedgerRows, deps: Dependencies): Issuing => {
  const invoiceNumbers = new Map<string, InvoiceNumberUse>();
  const issuedOrder: { readonly book: ContractBook; readonly issued: IssuedInvoice }[] = [];
  /** The invoicing profiles (spec §8): the provider's, and each customer's by customer id. */
  let providerProfiles: ProfileState<ProviderProfile> = emptyTimeline();
  const customerProfiles = new Map<string, ProfileState<CustomerProfile>>();
  const issuedWithOf = new WeakMap<IssuedInvoice, IssuedWith>();
  /** The restored invoices (the first `restored.count`) whose `IssuedWith` is not read yet. */
  let restored: { readonly count: number; readonly read: () => readonly IssuedWith[] } | undefined;
  const issuedWith: Issuing['issuedWith'] = (issued) => {
    if (restored !== undefined) {
      const list = restored.read();
      for (let k = 0; k < restored.count; k++)
        issuedWithOf.set((issuedOrder[k] as { issued: IssuedInvoice }).issued, list[k] as IssuedWith);
      restored = undefined;
    }
    return issuedWithOf.get(issued);
  };
  const restoreIssuedWith: Issuing['restoreIssuedWith'] = (read) => {
    restored = { count: issuedOrder.length, read };
  };

  const profileSet: Issuing['profileSet'] = (ev) => {
    if (ev.type === 'ProviderProfileSet') {
      providerProfiles = evolveProviderProfile(providerProfiles, ev);
      return;
    }
    const id = ev.data.customerId;
    customerProfiles.set(id, evolveCustomerProfile(customerProfiles.get(id) ?? emptyTimeline(), ev));
  };

  const issue: Issuing['issue'] = (book, ev) => {
    const card = book.card;
    const { period, invoiceNumber } = ev.data;
    const issuedAt = ev.occurredAt;
    invoiceNumbers.set(invoiceNumber, { contractId: ev.data.contractId, period });
    const previous = book.lastIssuedPeriod === undefined ? undefined : book.issued.get(book.lastIssuedPeriod);
    const s = settle(rows, deps.toWalk(book, period, false), period);
    const issued: IssuedInvoice = {
      period,
      invoiceNumber,
      issuedAt,
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

  const profiles = (): Profiles => ({ provider: providerProfiles, customers: customerProfiles });
  const restoreProvider = (provider: ProfileState<ProviderProfile>): void => {
    providerProfiles = provider;
  };

  return {
    invoiceNumbers,
    issuedOrder,
    issuedWith,
    restoreIssuedWith,
    profileSet,
    issue,
    profiles,
    restoreProvider,
  };
};
