/**
 * The in-memory EventStore, the embedded default. Built to hold millions of events in benchmarks:
 * the global log is three parallel arrays (event, stream, revision) and each stream keeps the global
 * indexes of its events plus a Map from event id to revision, so an append is amortised O(1) and
 * never computes canonical text unless an event id repeats. Positions are 1-based array indexes.
 */
import { canonicalEvent, type DomainEvent } from '@msp-billing/events';
import {
  claimInvoiceNumbers,
  claimUniqueIds,
  emptyUniqueIdHolders,
  planAppend,
  type InvoiceNumberHolder,
} from './appendPlan.js';
import { InMemoryCheckpointStore } from './checkpoints.js';
import { catchUp } from './subscription.js';
import type {
  AppendResult,
  BatchAppendItem,
  EventStoreWithCheckpoints,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from './port.js';

interface StreamData {
  readonly name: string;
  /** Global index (0-based) of each event, by revision. */
  readonly indexes: number[];
  readonly revisionOfId: Map<string, number>;
}

const DEFAULT_PAGE = 1000;

/** An EventStore held in process memory; `close()` only stops subscriptions. */
export class InMemoryEventStore implements EventStoreWithCheckpoints {
  readonly checkpoints = new InMemoryCheckpointStore();
  readonly #events: DomainEvent[] = [];
  readonly #streamOf: StreamData[] = [];
  readonly #revisionOf: number[] = [];
  readonly #streams = new Map<string, StreamData>();
  /** Invoice number → the stored `InvoiceIssued` that holds it (spec §2). */
  readonly #invoiceNumbers = new Map<string, InvoiceNumberHolder>();
  /** Work ids, alert ids and VMs with an active MSP → the stored event that holds them. */
  readonly #uniqueIds = emptyUniqueIdHolders();
  /** While a batch runs: how to take back the unique ids its items claimed, in order. */
  #batchClaims: Array<() => void> | undefined;
  #waiters: Array<() => void> = [];
  #closed = false;

  /** Number of events in the store. */
  get size(): number {
    return this.#events.length;
  }

  /** Append with the shared rule of `appendPlan.ts`; synchronous inside, so atomic. */
  async appendToStream(
    stream: string,
    events: readonly DomainEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    return this.#append(stream, events, expected);
  }

  /**
   * Each item with the rule of `appendToStream(…, 'any')`, in order; all or nothing: when an item
   * is refused, what the earlier items wrote is taken back before the error propagates.
   */
  async appendBatch(items: readonly BatchAppendItem[]): Promise<readonly AppendResult[]> {
    this.#assertOpen();
    const mark = this.#events.length;
    const results: AppendResult[] = [];
    const claims: Array<() => void> = [];
    this.#batchClaims = claims;
    try {
      for (const item of items) results.push(this.#append(item.stream, item.events, 'any', false));
    } catch (err) {
      this.#truncate(mark);
      for (let k = claims.length - 1; k >= 0; k--) (claims[k] as () => void)();
      throw err;
    } finally {
      this.#batchClaims = undefined;
    }
    if (this.#events.length > mark) this.#notify();
    return results;
  }

  /** Remove every event at global index ≥ `mark` (only the newest, so stream tails). */
  #truncate(mark: number): void {
    while (this.#events.length > mark) {
      const event = this.#events.pop() as DomainEvent;
      const data = this.#streamOf.pop() as StreamData;
      this.#revisionOf.pop();
      data.indexes.pop();
      data.revisionOfId.delete(event.id);
      if (event.type === 'InvoiceIssued') this.#invoiceNumbers.delete(event.data.invoiceNumber);
      if (data.indexes.length === 0) this.#streams.delete(data.name);
    }
  }

  #append(
    stream: string,
    events: readonly DomainEvent[],
    expected: ExpectedRevision,
    notify = true,
  ): AppendResult {
    this.#assertOpen();
    let data = this.#streams.get(stream);
    const current =
      data === undefined || data.indexes.length === 0 ? 'no_stream' : BigInt(data.indexes.length - 1);
    const known = data;
    const plan = planAppend(stream, events, expected, current, (id) => {
      const revision = known?.revisionOfId.get(id);
      if (known === undefined || revision === undefined) return undefined;
      const index = known.indexes[revision] as number;
      return {
        revision: BigInt(revision),
        position: BigInt(index + 1),
        canonical: () => canonicalEvent(this.#events[index] as DomainEvent),
      };
    });
    if (plan._tag === 'Idempotent') return plan.result;
    const unclaim = claimUniqueIds(stream, plan.events, this.#uniqueIds);
    try {
      claimInvoiceNumbers(stream, plan.events, this.#invoiceNumbers);
    } catch (err) {
      unclaim();
      throw err;
    }
    this.#batchClaims?.push(unclaim);
    if (data === undefined) {
      data = { name: stream, indexes: [], revisionOfId: new Map() };
      this.#streams.set(stream, data);
    }
    for (const e of plan.events) {
      const index = this.#events.length;
      const revision = data.indexes.length;
      this.#events.push(e);
      this.#streamOf.push(data);
      this.#revisionOf.push(revision);
      data.indexes.push(index);
      data.revisionOfId.set(e.id, revision);
    }
    if (notify) this.#notify();
    return {
      nextExpectedRevision: BigInt(data.indexes.length - 1),
      position: BigInt(this.#events.length),
      written: plan.events.length,
    };
  }

  /** Events of `stream` from `options.from` (inclusive). */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    this.#assertOpen();
    const data = this.#streams.get(stream);
    if (data === undefined) return [];
    const from = Number(options.from ?? 0n);
    const end =
      options.maxCount === undefined
        ? data.indexes.length
        : Math.min(data.indexes.length, from + options.maxCount);
    const out: RecordedEvent[] = [];
    for (let r = Math.max(0, from); r < end; r++) out.push(this.#record(data.indexes[r] as number));
    return out;
  }

  /** One page of the global order after `options.fromPosition` (exclusive). */
  async readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    this.#assertOpen();
    // Position p is array index p - 1, so "after p" starts at index p.
    const start = options.fromPosition === undefined ? 0 : Math.max(0, Number(options.fromPosition));
    const end = Math.min(this.#events.length, start + (options.batchSize ?? DEFAULT_PAGE));
    const out: RecordedEvent[] = [];
    for (let i = start; i < end; i++) out.push(this.#record(i));
    return out;
  }

  /** Catch-up subscription woken by appends (no polling). */
  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    return catchUp(
      {
        readAll: (o) => (this.#closed ? Promise.resolve([]) : this.readAll(o)),
        waitForAppend: (after, signal) => this.#waitForAppend(after, signal),
      },
      options,
    );
  }

  /** Stop waking subscriptions; further calls reject. */
  close(): Promise<void> {
    this.#closed = true;
    this.#notify();
    return Promise.resolve();
  }

  #record(index: number): RecordedEvent {
    return {
      event: this.#events[index] as DomainEvent,
      stream: (this.#streamOf[index] as StreamData).name,
      revision: BigInt(this.#revisionOf[index] as number),
      position: BigInt(index + 1),
    };
  }

  #waitForAppend(after: bigint | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (signal?.aborted === true || BigInt(this.#events.length) > (after ?? 0n)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve(!this.#closed);
      };
      this.#waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  #notify(): void {
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the in-memory event store is closed');
  }
}
