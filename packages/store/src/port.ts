/**
 * The EventStore port (Emmett's shape, our names): one interface that the in-memory store, the
 * PostgreSQL adapter and the EventStoreDB adapter implement, proven alike by one contract suite
 * (`contractSuite.ts`).
 *
 * Errors are REJECTED PROMISES whose value is an `Error` subclass carrying a `_tag`
 * (`WrongExpectedRevision`, `EventIdConflict`): appends are I/O at the edge, and a thrown error keeps
 * the happy path of every adapter a plain `await`. Match on `_tag` (or `isStoreError`), never on
 * the message. The domain-facing `CommandHandler` turns conflicts into `Either` values.
 *
 * Revisions are 0-based per stream (the first event of a stream has revision 0n). Positions are
 * global, strictly increasing in `readAll` order, and opaque otherwise (not necessarily contiguous).
 */
import type { DomainEvent } from '@msp-billing/events';

/**
 * What the caller believes about the stream before appending: anything, that it does not exist,
 * that it exists, or the exact revision of its last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The revision of a stream's last event, or `'no_stream'` when it has none. */
export type StreamRevision = bigint | 'no_stream';

/** The outcome of a successful append. */
export interface AppendResult {
  /** Revision of the stream's last event after the append: pass it as the next exact expectation. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event of this append (of the original write, when idempotent). */
  readonly position: bigint;
  /** How many events were newly written (0 for a fully idempotent re-append). */
  readonly written: number;
}

/** An event as stored: where it lives in its stream and in the global order. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly event: E;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0n. */
  readonly from?: bigint;
  /** At most this many events; default all. */
  readonly maxCount?: number;
}

/** Options of `readAll`. */
export interface ReadAllOptions {
  /** Return events strictly AFTER this position (exclusive); omitted: from the very start. */
  readonly fromPosition?: bigint;
  /** At most this many records (a page); default 1000. */
  readonly batchSize?: number;
}

/** Options of a catch-up subscription. */
export interface SubscribeOptions {
  /** Deliver events strictly after this position (a checkpoint); omitted: from the start. */
  readonly fromPosition?: bigint;
  /** Aborting ends the iteration normally (no error). */
  readonly signal?: AbortSignal;
  /** Page size while catching up; default 500. */
  readonly batchSize?: number;
}

/** One item of `appendBatch`: events for one stream, appended with expected revision `'any'`. */
export interface BatchAppendItem {
  readonly stream: string;
  readonly events: readonly DomainEvent[];
}

/** An event store: streams with optimistic concurrency, a global order, and catch-up reads. */
export interface EventStore {
  /**
   * Append events to a stream if `expected` holds. Idempotent by event id (spec §2, at-least-once
   * delivery); see `docs/stores.md` "Idempotent appends" for the exact rule. Rejects with
   * `WrongExpectedRevisionError` or `EventIdConflictError`; an empty `events` is a `RangeError`.
   */
  appendToStream(
    stream: string,
    events: readonly DomainEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;
  /**
   * Optional bulk append (imports): every item as `appendToStream(stream, events, 'any')` would do
   * it, applied in the given order so that global positions follow the input, all or nothing (a
   * conflict in any item writes none). Resolves to one result per item, in order. Adapters that
   * lack it are used through `appendToStream`.
   */
  appendBatch?(items: readonly BatchAppendItem[]): Promise<readonly AppendResult[]>;
  /** Events of one stream in revision order; a missing stream reads as empty. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /** One page of the global order after `fromPosition`; an empty page means caught up. */
  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  /** Catch-up subscription: history after `fromPosition`, then new appends, until aborted or broken. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Release connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Where a named consumer (projection, subscription) has got to in the global order. */
export interface CheckpointStore {
  /** The stored position, or undefined when the consumer never stored one. */
  load(name: string): Promise<bigint | undefined>;
  /** Remember `position` as the last processed global position of `name`. */
  store(name: string, position: bigint): Promise<void>;
}

/** An event store that also keeps checkpoints (what every adapter provides). */
export interface EventStoreWithCheckpoints extends EventStore {
  readonly checkpoints: CheckpointStore;
}

const showExpected = (e: ExpectedRevision): string => (typeof e === 'bigint' ? `revision ${e}` : e);
const showActual = (a: StreamRevision): string => (a === 'no_stream' ? 'no stream' : `revision ${a}`);

/** The stream was not where the caller expected it (optimistic concurrency conflict). */
export class WrongExpectedRevisionError extends Error {
  readonly _tag = 'WrongExpectedRevision' as const;
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision,
  ) {
    super(
      `stream ${JSON.stringify(stream)}: expected ${showExpected(expected)}, found ${showActual(actual)}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id already in the stream (or repeated in the append) with other content (spec §2). */
export class EventIdConflictError extends Error {
  readonly _tag = 'EventIdConflict' as const;
  constructor(
    readonly stream: string,
    readonly eventId: string,
    /** Revision of the stored event with that id, or undefined when the clash is inside the append. */
    readonly existingRevision: bigint | undefined,
  ) {
    super(
      `stream ${JSON.stringify(stream)}: event id ${JSON.stringify(eventId)} is already used by an event with other content`,
    );
    this.name = 'EventIdConflictError';
  }
}

/**
 * An `InvoiceIssued` whose invoice number another stored `InvoiceIssued` (of any stream) already
 * holds, or that another event of the same append or batch uses too (spec §2: invoice numbers are
 * unique in the log, § 14 UStG).
 */
export class InvoiceNumberConflictError extends Error {
  readonly _tag = 'InvoiceNumberConflict' as const;
  constructor(
    readonly stream: string,
    readonly eventId: string,
    readonly invoiceNumber: string,
    /** Stream of the event that holds the number. */
    readonly holderStream: string,
  ) {
    super(
      `stream ${JSON.stringify(stream)}: event ${JSON.stringify(eventId)} issues invoice number ${JSON.stringify(invoiceNumber)}, which an InvoiceIssued in ${JSON.stringify(holderStream)} already holds`,
    );
    this.name = 'InvoiceNumberConflictError';
  }
}

/** The ids of the whole log a store keeps unique besides invoice numbers (spec §2, §6 (1)). */
export type UniqueIdKind = 'workId' | 'alertId' | 'vm';

const UNIQUE_ID_WHAT: Record<UniqueIdKind, string> = {
  workId: 'work id',
  alertId: 'alert id',
  vm: 'VM',
};

/**
 * An event that claims an id another stored event (of any stream) or another event of the same
 * append or batch holds: a `WorkLogged` whose work id, an `AlertRaised` whose alert id is taken, or
 * an `MSPBooked` for a VM that already has an active MSP (`kind: 'vm'`, `id` the VM, `holderContractId`
 * the contract of the active MSP). Per-stream expected revisions cannot catch these: the writers
 * append to different streams.
 */
export class UniqueIdConflictError extends Error {
  readonly _tag = 'UniqueIdConflict' as const;
  constructor(
    readonly stream: string,
    readonly eventId: string,
    readonly kind: UniqueIdKind,
    readonly id: string,
    /** Stream of the event that holds the id. */
    readonly holderStream: string,
    /** For `kind: 'vm'`: the contract whose MSP is active on the VM. */
    readonly holderContractId?: string,
  ) {
    super(
      kind === 'vm'
        ? `stream ${JSON.stringify(stream)}: event ${JSON.stringify(eventId)} books an MSP for VM ${JSON.stringify(id)}, which already has an active MSP in ${JSON.stringify(holderStream)}`
        : `stream ${JSON.stringify(stream)}: event ${JSON.stringify(eventId)} uses ${UNIQUE_ID_WHAT[kind]} ${JSON.stringify(id)}, which an event in ${JSON.stringify(holderStream)} already holds`,
    );
    this.name = 'UniqueIdConflictError';
  }
}

// Guards read `_tag` rather than `instanceof`, so an error that crossed a module-duplication
// boundary (two copies of this package in one process) is still recognised.
const tagOf = (u: unknown): unknown =>
  typeof u === 'object' && u !== null && '_tag' in u ? (u as { readonly _tag: unknown })._tag : undefined;

/** Every typed error the port rejects with. */
export type StoreError =
  WrongExpectedRevisionError | EventIdConflictError | InvoiceNumberConflictError | UniqueIdConflictError;

/** True for the port's typed errors (narrow further on `_tag`). */
export const isStoreError = (u: unknown): u is StoreError =>
  isWrongExpectedRevision(u) || isEventIdConflict(u) || isInvoiceNumberConflict(u) || isUniqueIdConflict(u);

/** True when `u` is an optimistic-concurrency conflict. */
export const isWrongExpectedRevision = (u: unknown): u is WrongExpectedRevisionError =>
  tagOf(u) === 'WrongExpectedRevision';

/** True when `u` is a same-id-other-content refusal. */
export const isEventIdConflict = (u: unknown): u is EventIdConflictError => tagOf(u) === 'EventIdConflict';

/** True when `u` is an invoice number that another stored invoice already holds. */
export const isInvoiceNumberConflict = (u: unknown): u is InvoiceNumberConflictError =>
  tagOf(u) === 'InvoiceNumberConflict';

/** True when `u` is a work id, alert id or VM that another stored event already holds. */
export const isUniqueIdConflict = (u: unknown): u is UniqueIdConflictError => tagOf(u) === 'UniqueIdConflict';
