/**
 * Rows for the PostgreSQL benchmark (pgRun.ts), derived from a decoded log with plain loops:
 *
 * - `eventRows`: the rows `PostgresEventStore` writes for an import of the log (stream, revision,
 *   position, id, type, canonical JSON), so `COPY` can insert the same rows without the store;
 * - `workEntryRows`: the work-entry table a PSA would export — contract, work id, start, minutes
 *   and the hourly rate in force when the entry was logged — with corrections and voids applied and
 *   no billing rule at all;
 * - `copyText`: a value escaped for `COPY … FROM STDIN` in text format.
 */
import { canonicalEvent, streamOf, type DomainEvent } from './pgDeps.js';

/** One row of `msp_events` as the store writes it (bigints as decimal text). */
export interface EventRow {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: string;
}

/**
 * The rows an import of `events` into an empty store writes: routed as `importEvents` routes them,
 * positions in input order from 1, revisions per stream from 0. Unroutable events are left out.
 */
export function* eventRows(events: Iterable<DomainEvent>): Generator<EventRow> {
  const ticketOfWork = new Map<string, string>();
  const contractOfAlert = new Map<string, string>();
  const resolver = {
    ticketOfWork: (w: string) => ticketOfWork.get(w),
    contractOfAlert: (a: string) => contractOfAlert.get(a),
  };
  const heads = new Map<string, number>();
  let position = 0;
  for (const e of events) {
    if (e.type === 'WorkLogged') ticketOfWork.set(e.data.workId, e.data.ticketId);
    if (e.type === 'AlertRaised') contractOfAlert.set(e.data.alertId, e.data.contractId);
    const stream = streamOf(e, resolver);
    if (stream === undefined) continue;
    const revision = (heads.get(stream) ?? -1) + 1;
    heads.set(stream, revision);
    position += 1;
    yield { position, stream, revision, eventId: e.id, eventType: e.type, payload: canonicalEvent(e) };
  }
}

/** One row of the PSA's `work_entries` table. */
export interface WorkEntryRow {
  readonly workId: string;
  readonly contractId: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly minutes: number;
  /** The hourly rate stamped on the entry: the card's rate for `startedAt` as known when logged. */
  readonly hourlyRate: string;
  /** The contract's time zone, so the month is the contract's calendar month. */
  readonly timeZone: string;
}

/**
 * What a PSA's time-tracking table would hold at the end of the log: every work entry not voided,
 * with its latest minutes and start, priced at the rate the card had for its start when the entry
 * was logged (or last corrected) — later retroactive rate changes do not re-price it. No rule:
 * included work, holds, flags and billing increments are the billing engine's business.
 */
export const workEntryRows = (events: Iterable<DomainEvent>): WorkEntryRow[] => {
  // Per card, the rates recorded so far: [effectiveFrom, rate], in recording order.
  const rates = new Map<string, Array<readonly [number, string]>>();
  const contracts = new Map<string, { readonly card: string; readonly timeZone: string }>();
  const contractOfTicket = new Map<string, string>();
  const entries = new Map<string, WorkEntryRow>();
  const rateFor = (contractId: string, t: number): string => {
    let best: readonly [number, string] | undefined;
    // The latest effectiveFrom at or before t; on a tie the later recorded (as the engine does).
    for (const r of rates.get(contracts.get(contractId)?.card ?? '') ?? [])
      if (r[0] <= t && (best === undefined || r[0] >= best[0])) best = r;
    return best?.[1] ?? '0';
  };
  for (const e of events) {
    switch (e.type) {
      case 'HourlyRateSet': {
        const list = rates.get(e.data.rateCardId) ?? [];
        list.push([e.data.effectiveFrom, e.data.hourlyRate]);
        rates.set(e.data.rateCardId, list);
        break;
      }
      case 'MSPBooked':
        contracts.set(e.data.contractId, { card: e.data.rateCardId, timeZone: e.data.timeZone });
        break;
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken':
        contractOfTicket.set(e.data.ticketId, e.data.contractId);
        break;
      case 'WorkLogged': {
        const contractId = contractOfTicket.get(e.data.ticketId);
        const contract = contractId === undefined ? undefined : contracts.get(contractId);
        if (contractId === undefined || contract === undefined) break;
        entries.set(e.data.workId, {
          workId: e.data.workId,
          contractId,
          startedAt: e.data.startedAt,
          minutes: e.data.minutes,
          hourlyRate: rateFor(contractId, e.data.startedAt),
          timeZone: contract.timeZone,
        });
        break;
      }
      case 'WorkLogCorrected': {
        const w = entries.get(e.data.workId);
        if (w === undefined) break;
        const startedAt = e.data.startedAt ?? w.startedAt;
        entries.set(w.workId, {
          ...w,
          startedAt,
          minutes: e.data.minutes ?? w.minutes,
          hourlyRate: startedAt === w.startedAt ? w.hourlyRate : rateFor(w.contractId, startedAt),
        });
        break;
      }
      case 'WorkLogVoided':
        entries.delete(e.data.workId);
        break;
      default:
        break;
    }
  }
  return [...entries.values()];
};

// Text format of COPY: backslash, newline, carriage return and tab are the characters to escape.
const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` as one field of `COPY … FROM STDIN` in text format. */
export const copyText = (s: string): string =>
  SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : s;
