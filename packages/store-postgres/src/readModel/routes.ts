/**
 * The worker's state beside its Ledger: its contracts' facts, whom an event concerns, and what a batch
 * touched.
 */

/** What the read model needs of a contract beside the Ledger: its zone, booking and issued periods. */
export interface ContractInfo {
  readonly timeZone: string;
  readonly bookedPeriod: string;
  /** Issued periods with the `occurredAt` of their InvoiceIssued. */
  readonly issued: Map<string, number>;
  lastIssued: string | undefined;
}

/** The month after `period` (`YYYY-MM`). */
const monthAfter = (period: string): string => {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`;
};

/** The period whose draft the read model shows: after the last issued one, else the booking month. */
export const nextPeriodOf = (c: ContractInfo): string =>
  c.lastIssued === undefined ? c.bookedPeriod : monthAfter(c.lastIssued);

/** Whom an event concerns: one contract, the contracts on a rate card, every contract, or nobody known. */
export type Route =
  | { readonly kind: 'contract'; readonly contractId: string }
  | { readonly kind: 'card'; readonly rateCardId: string }
  | { readonly kind: 'all' }
  | { readonly kind: 'unknown' };

export const ALL: Route = { kind: 'all' };
const UNKNOWN: Route = { kind: 'unknown' };

/** The contract `map` routes `id` to, if any. */
export const viaMap = (map: ReadonlyMap<string, string>, id: string): Route => {
  const contractId = map.get(id);
  return contractId === undefined ? UNKNOWN : { kind: 'contract', contractId };
};

/** A contract all of whose entries may have changed. */
export const EVERY = 'every';

/**
 * What a batch may have changed, per contract: every entry, or the entries named (a work entry's own
 * events, its ticket's events); and, for every contract named at all, its invoices.
 */
export class Touched {
  readonly byContract = new Map<string, Set<string> | typeof EVERY>();
  every(contractId: string): void {
    this.byContract.set(contractId, EVERY);
  }
  entries(contractId: string, workIds: Iterable<string>): void {
    let set = this.byContract.get(contractId);
    if (set === EVERY) return;
    if (set === undefined) this.byContract.set(contractId, (set = new Set()));
    for (const w of workIds) set.add(w);
  }
}

/** Marker of a written issued invoice: frozen, never rendered again. */
export const ISSUED = 'issued';
