/**
 * A worker's snapshots: the JSON form of its state beside the Ledger, and where and how often it
 * stores them.
 */
import type { Pool } from 'pg';

/** The meta key of a worker snapshot's state beside the Ledger, and the version of its form. */
export const STATE_KEY = 'readModel';
export const STATE_VERSION = 1;

/** A ticket: its id, its contract, and the work entries logged on it (when any). */
export type EncodedTicket = [ticketId: string, contractId: string, works?: string[]];

/** The JSON form of a worker's state beside its Ledger. */
export interface EncodedState {
  readonly v: number;
  readonly contracts: [
    id: string,
    timeZone: string,
    bookedPeriod: string,
    issued: [period: string, at: number][],
    lastIssued: string | null,
  ][];
  readonly tickets: EncodedTicket[];
  /** Work entries of tickets with no contract (none in practice; kept for exactness). */
  readonly loose: [ticketId: string, works: string[]][];
  /** Work entries whose contract is not their ticket's (none in practice). */
  readonly works: [workId: string, contractId: string][];
  readonly alerts: [alertId: string, contractId: string][];
  readonly cards: [rateCardId: string, contracts: string[]][];
  readonly foreign: string[];
}

/** Each listed work entry's contract as its ticket's. */
export const workContracts = (
  contractOfTicket: ReadonlyMap<string, string>,
  worksOfTicket: ReadonlyMap<string, readonly string[]>,
): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [t, works] of worksOfTicket) {
    const c = contractOfTicket.get(t);
    if (c !== undefined) for (const w of works) out.set(w, c);
  }
  return out;
};

/** Where and how often a worker stores and restores its snapshots. */
export interface WorkerSnapshots {
  readonly pool: Pool;
  /** Store one when the checkpoint is this many positions past the last (0: never). */
  readonly every: number;
  /** Start from the latest one (default true). */
  readonly useSnapshot?: boolean;
  readonly onNotice?: (line: string) => void;
}
