/**
 * Bulk import of a log into a store (the CLI's `import`): route every event to its stream with
 * `streamOf`, remembering which ticket a work entry and which contract an alert belongs to, and
 * append with expected revision `any`. Appends are idempotent by event id, so re-running an import
 * after a crash writes only what is missing and never duplicates.
 *
 * The input's order IS the recording order (spec §3: an `InvoiceIssued` freezes what was recorded
 * before it), so only CONSECUTIVE events of one stream are grouped into one append; events are never
 * reordered across streams. A store with `appendBatch` takes up to `batchSize` events of such runs in
 * one call (one transaction in PostgreSQL), which is what makes an interleaved log fast to import.
 */
import { streamOf, type DomainEvent, type StreamResolver } from '@msp-billing/events';
import type { AppendResult, EventStore } from './port.js';

/** Running totals of an import. */
export interface ImportCounts {
  /** Events read from the input. */
  readonly read: number;
  /** Events newly written. */
  readonly appended: number;
  /** Events that were already in the store (a re-run, or at-least-once duplicates). */
  readonly alreadyPresent: number;
  /** Events whose stream could not be resolved (their work entry or alert is unknown); not written. */
  readonly unroutable: number;
}

/**
 * An import stopped because an append failed (the store went away, or refused an event). Everything
 * counted in `counts` is durably in the store; re-running the same import resumes safely.
 */
export class ImportInterruptedError extends Error {
  readonly _tag = 'ImportInterrupted' as const;
  constructor(
    /** Totals up to the failed append (its events are not counted). */
    readonly counts: ImportCounts,
    /** The stream of the failed append (of its first item, for a batch). */
    readonly stream: string,
    /** The id of the first event of the failed append (or batch). */
    readonly eventId: string,
    /** The store's error (match on its `_tag` for WrongExpectedRevision or EventIdConflict). */
    override readonly cause: unknown,
  ) {
    super(
      `import stopped after ${counts.appended} appended and ${counts.alreadyPresent} already present events: ` +
        `append to ${JSON.stringify(stream)} from event ${JSON.stringify(eventId)} failed: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ImportInterruptedError';
  }
}

/** Options of `importEvents`. */
export interface ImportOptions {
  /** Most events per append, or per `appendBatch` call when the store has it; default 1000. */
  readonly batchSize?: number;
  /** Called after every append with the totals so far. */
  readonly onProgress?: (counts: ImportCounts) => void;
  /** Called for each event that cannot be routed. */
  readonly onUnroutable?: (event: DomainEvent) => void;
  /** Asked for work entries and alerts created before this input (e.g. by an earlier import). */
  readonly resolver?: StreamResolver;
}

/** Import `events` into `store`; rejects with `ImportInterruptedError` when an append fails. */
export const importEvents = async (
  store: EventStore,
  events: AsyncIterable<DomainEvent> | Iterable<DomainEvent>,
  options: ImportOptions = {},
): Promise<ImportCounts> => {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const ticketOfWork = new Map<string, string>();
  const contractOfAlert = new Map<string, string>();
  const resolver: StreamResolver = {
    ticketOfWork: (w) => ticketOfWork.get(w) ?? options.resolver?.ticketOfWork(w),
    contractOfAlert: (a) => contractOfAlert.get(a) ?? options.resolver?.contractOfAlert(a),
  };
  let read = 0;
  let appended = 0;
  let alreadyPresent = 0;
  let unroutable = 0;
  const counts = (): ImportCounts => ({ read, appended, alreadyPresent, unroutable });
  // The pending batch: runs of consecutive same-stream events, in input order, `pending` events in all.
  let items: Array<{ stream: string; events: DomainEvent[] }> = [];
  let pending = 0;
  const appendBatch = store.appendBatch?.bind(store);

  const flush = async (): Promise<void> => {
    const batch = items;
    const first = batch[0];
    if (first === undefined) return;
    items = [];
    pending = 0;
    let results: readonly AppendResult[];
    try {
      // Without appendBatch the batch is a single run: today's one append per run.
      results =
        appendBatch === undefined
          ? [await store.appendToStream(first.stream, first.events, 'any')]
          : await appendBatch(batch);
    } catch (err) {
      throw new ImportInterruptedError(counts(), first.stream, (first.events[0] as DomainEvent).id, err);
    }
    batch.forEach((item, k) => {
      const written = (results[k] as AppendResult).written;
      appended += written;
      alreadyPresent += item.events.length - written;
    });
    options.onProgress?.(counts());
  };

  for await (const e of events) {
    read += 1;
    // Learn the indirect routes before routing, so a later correction or acknowledgement finds them.
    if (e.type === 'WorkLogged') ticketOfWork.set(e.data.workId, e.data.ticketId);
    if (e.type === 'AlertRaised') contractOfAlert.set(e.data.alertId, e.data.contractId);
    const stream = streamOf(e, resolver);
    if (stream === undefined) {
      unroutable += 1;
      options.onUnroutable?.(e);
      continue;
    }
    if (appendBatch === undefined) {
      // One append per run of consecutive same-stream events (at most batchSize), sent when the run
      // ends: the pending batch never holds more than that one run.
      const run = items[0];
      if (run !== undefined && (run.stream !== stream || run.events.length >= batchSize)) await flush();
    }
    const last = items[items.length - 1];
    if (last !== undefined && last.stream === stream) last.events.push(e);
    else items.push({ stream, events: [e] });
    pending += 1;
    if (appendBatch !== undefined && pending >= batchSize) await flush();
  }
  await flush();
  return counts();
};
