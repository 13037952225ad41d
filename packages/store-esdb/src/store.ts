/**
 * The EventStoreDB EventStore on `@eventstore/db-client`. Expected revisions go to the server
 * (mapped one to one, so the server enforces them); the shared append rule of `@msp-billing/store`
 * runs first on the stream as read, so idempotent re-appends and same-id-other-content refusals
 * behave exactly as in the other adapters (ESDB itself only compares ids, not content). That costs
 * one read of the stream per append: fine for per-contract and per-ticket streams.
 *
 * Global position = the event's commit position in `$all`. Reads of `$all` keep only our events
 * (metadata `mspEventId`), which drops system events and checkpoint records.
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  START,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { DomainEvent } from '@msp-billing/events';
import { canonicalEvent } from '@msp-billing/events';
import {
  InvoiceNumberConflictError,
  planAppend,
  UniqueIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type CheckpointStore,
  type EventStoreWithCheckpoints,
  type ExistingEvent,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
} from '@msp-billing/store';
import {
  fromEsdbCurrentRevision,
  esdbEventId,
  fromEventData,
  isMspMetadata,
  toEsdbExpectedRevision,
  toEventData,
} from './mapping.js';

const DEFAULT_PAGE = 1000;

/** The stream that holds the checkpoints of consumer `name`. */
export const checkpointStream = (name: string): string => `msp-checkpoint-${name}`;

const CHECKPOINT_TYPE = 'MspCheckpointStored';

/** The stream whose first event reserves invoice number `n` (spec §2). */
export const invoiceNumberStream = (n: string): string => `msp-invoice-number-${n}`;

const RESERVATION_TYPE = 'MspInvoiceNumberReserved';

/** The stream whose first event reserves work id `id` (spec §2). */
export const workIdStream = (id: string): string => `msp-work-id-${id}`;

/** The stream whose first event reserves alert id `id` (spec §2). */
export const alertIdStream = (id: string): string => `msp-alert-id-${id}`;

/**
 * The stream of VM `vmId`'s MSP bookings (spec §6 (1)): its last event says which contract's MSP is
 * active on the VM, if any. Written with the exact revision read, so two bookings cannot both
 * follow the same state.
 */
export const vmMspStream = (vmId: string): string => `msp-vm-${vmId}`;

const ID_RESERVATION_TYPE = 'MspIdReserved';
const VM_TYPE = 'MspVmHolder';

interface VmState {
  readonly stream: string;
  readonly contractId: string;
  readonly active: boolean;
}

type AnyResolved = ResolvedEvent | AllStreamResolvedEvent;

/** Our record of a resolved ESDB event, or undefined when it is not one of our domain events. */
const toRecord = (resolved: AnyResolved): RecordedEvent | undefined => {
  const e = resolved.event;
  if (e === undefined || !e.isJson || !isMspMetadata(e.metadata)) return undefined;
  const position = e.position?.commit ?? resolved.commitPosition ?? 0n;
  return {
    event: fromEventData(e.data, `${e.streamId}@${e.revision}`),
    stream: e.streamId,
    revision: e.revision,
    position,
  };
};

/** Checkpoints as events in `msp-checkpoint-<name>`; the last one wins. */
export class EsdbCheckpointStore implements CheckpointStore {
  constructor(private readonly client: EventStoreDBClient) {}

  /** The last stored position of `name`, if any. */
  async load(name: string): Promise<bigint | undefined> {
    try {
      for await (const r of this.client.readStream(checkpointStream(name), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const data = r.event?.data as { position?: unknown } | undefined;
        if (typeof data?.position === 'string') return BigInt(data.position);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
    return undefined;
  }

  /** Append the new position (bigint as a decimal string: JSON has no 64-bit integers). */
  async store(name: string, position: bigint): Promise<void> {
    await this.client.appendToStream(checkpointStream(name), {
      id: randomUUID(),
      contentType: 'application/json',
      type: CHECKPOINT_TYPE,
      data: { position: position.toString() },
      metadata: undefined,
    });
  }
}

/** The EventStore on EventStoreDB. Create with `EsdbEventStore.connect`. */
export class EsdbEventStore implements EventStoreWithCheckpoints {
  readonly checkpoints: EsdbCheckpointStore;

  private constructor(
    /** The client (share it for anything the port does not cover). */
    readonly client: EventStoreDBClient,
  ) {
    this.checkpoints = new EsdbCheckpointStore(client);
  }

  /** Connect with an `esdb://` connection string (e.g. `esdb://localhost:2113?tls=false`). */
  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  /** Append with the shared rule, then let the server check `expected` (mapped one to one). */
  async appendToStream(
    stream: string,
    events: readonly DomainEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const existing = new Map<string, ExistingEvent>();
    let current: StreamRevision = 'no_stream';
    let bookedVm: string | undefined;
    for (const r of await this.readStream(stream)) {
      current = r.revision;
      const stored = r.event;
      if (stored.type === 'MSPBooked') bookedVm = stored.data.vmId;
      existing.set(stored.id, {
        revision: r.revision,
        position: r.position,
        canonical: () => canonicalEvent(stored),
      });
    }
    const plan = planAppend(stream, events, expected, current, (id) => existing.get(id));
    if (plan._tag === 'Idempotent') return plan.result;
    for (const e of plan.events) {
      if (e.type === 'InvoiceIssued') await this.#reserveInvoiceNumber(stream, e.id, e.data.invoiceNumber);
      else if (e.type === 'WorkLogged') await this.#reserveId(stream, e.id, 'workId', e.data.workId);
      else if (e.type === 'AlertRaised') await this.#reserveId(stream, e.id, 'alertId', e.data.alertId);
      else if (e.type === 'MSPBooked') await this.#bookVm(stream, e.id, e.data.vmId, e.data.contractId);
    }
    try {
      const result = await this.client.appendToStream(stream, plan.events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
      // A cancellation frees the VM once it is recorded (a failed cancel keeps it booked).
      const cancelled = plan.events.find((e) => e.type === 'MSPCancelled');
      const booking = plan.events.find((e) => e.type === 'MSPBooked');
      const vmId = bookedVm ?? (booking?.type === 'MSPBooked' ? booking.data.vmId : undefined);
      if (cancelled?.type === 'MSPCancelled' && vmId !== undefined)
        await this.#releaseVm(stream, vmId, cancelled.data.contractId);
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position?.commit ?? 0n,
        written: plan.events.length,
      };
    } catch (err) {
      if (err instanceof WrongExpectedVersionError)
        throw new WrongExpectedRevisionError(stream, expected, fromEsdbCurrentRevision(err.actualVersion));
      throw err;
    }
  }

  /** Reserve invoice number `n` for event `eventId` of `stream`, or refuse: another event holds it. */
  #reserveInvoiceNumber(stream: string, eventId: string, n: string): Promise<void> {
    return this.#reserve(
      invoiceNumberStream(n),
      RESERVATION_TYPE,
      stream,
      eventId,
      (holder) => new InvoiceNumberConflictError(stream, eventId, n, holder),
    );
  }

  /** Reserve work or alert id `id` for event `eventId` of `stream`, or refuse: another event holds it. */
  #reserveId(stream: string, eventId: string, kind: 'workId' | 'alertId', id: string): Promise<void> {
    return this.#reserve(
      kind === 'workId' ? workIdStream(id) : alertIdStream(id),
      ID_RESERVATION_TYPE,
      stream,
      eventId,
      (holder) => new UniqueIdConflictError(stream, eventId, kind, id, holder),
    );
  }

  /**
   * Reserve something unique for event `eventId` of `stream`: the first event of stream
   * `reservations`, written with `no_stream`. The same event again (a retried append) holds it
   * already; another event's reservation is refused with `conflict(the holder's stream)`.
   */
  async #reserve(
    reservations: string,
    type: string,
    stream: string,
    eventId: string,
    conflict: (holderStream: string) => Error,
  ): Promise<void> {
    try {
      await this.client.appendToStream(
        reservations,
        {
          id: esdbEventId(`${stream}\u0000${eventId}`),
          contentType: 'application/json',
          type,
          data: { stream, eventId },
          metadata: undefined,
        },
        { expectedRevision: NO_STREAM },
      );
    } catch (err) {
      if (!(err instanceof WrongExpectedVersionError)) throw err;
      for await (const r of this.client.readStream(reservations, { fromRevision: START, maxCount: 1 })) {
        const holder = r.event?.data as { stream?: unknown; eventId?: unknown } | undefined;
        if (holder?.stream === stream && holder.eventId === eventId) return;
        throw conflict(typeof holder?.stream === 'string' ? holder.stream : reservations);
      }
      throw err;
    }
  }

  /** The VM's MSP state as its stream's last event says, with that event's revision. */
  async #vmState(vmId: string): Promise<{ revision: bigint; state: VmState } | undefined> {
    try {
      for await (const r of this.client.readStream(vmMspStream(vmId), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (r.event === undefined) continue;
        return { revision: r.event.revision, state: r.event.data as unknown as VmState };
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
    return undefined;
  }

  /** Append `state` to VM `vmId`'s stream right after `revision`; false when another writer was first. */
  async #writeVm(vmId: string, revision: bigint | undefined, state: VmState): Promise<boolean> {
    try {
      await this.client.appendToStream(
        vmMspStream(vmId),
        {
          id: randomUUID(),
          contentType: 'application/json',
          type: VM_TYPE,
          data: { ...state },
          metadata: undefined,
        },
        { expectedRevision: revision ?? NO_STREAM },
      );
      return true;
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) return false;
      throw err;
    }
  }

  /** Make `contractId`'s MSP the active one of VM `vmId`, or refuse: another contract's is active. */
  async #bookVm(stream: string, eventId: string, vmId: string, contractId: string): Promise<void> {
    for (;;) {
      const now = await this.#vmState(vmId);
      if (now?.state.active === true) {
        if (now.state.contractId === contractId) return;
        throw new UniqueIdConflictError(stream, eventId, 'vm', vmId, now.state.stream, now.state.contractId);
      }
      if (await this.#writeVm(vmId, now?.revision, { stream, contractId, active: true })) return;
    }
  }

  /** Free VM `vmId` if `contractId`'s MSP is the active one on it. */
  async #releaseVm(stream: string, vmId: string, contractId: string): Promise<void> {
    for (;;) {
      const now = await this.#vmState(vmId);
      if (now?.state.active !== true || now.state.contractId !== contractId) return;
      if (await this.#writeVm(vmId, now.revision, { stream, contractId, active: false })) return;
    }
  }

  /** Events of `stream` from `options.from` (inclusive); a missing stream reads as empty. */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: FORWARDS,
        fromRevision: options.from ?? START,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      })) {
        const r = toRecord(resolved);
        if (r !== undefined) out.push(r);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
    return out;
  }

  /**
   * One page of our events in `$all` strictly after `fromPosition` (ESDB reads from a position
   * inclusively, so the event at it is dropped here). Keeps reading past non-domain events, so an
   * empty page really means caught up.
   */
  async readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    const batchSize = options.batchSize ?? DEFAULT_PAGE;
    const out: RecordedEvent[] = [];
    let from = options.fromPosition;
    for (;;) {
      let seen = 0;
      let lastCommit: bigint | undefined;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: from === undefined ? START : { commit: from, prepare: from },
        maxCount: batchSize + 1,
      })) {
        seen += 1;
        const commit = resolved.event?.position.commit ?? resolved.commitPosition;
        if (commit === undefined || (from !== undefined && commit <= from)) continue;
        lastCommit = commit;
        const r = toRecord(resolved);
        if (r !== undefined) out.push(r);
        if (out.length >= batchSize) return out;
      }
      if (seen < batchSize + 1 || lastCommit === undefined || out.length > 0) return out;
      from = lastCommit;
    }
  }

  /** ESDB's own catch-up subscription to `$all` (system events filtered by the server). */
  async *subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    const from = options.fromPosition;
    const subscription = this.client.subscribeToAll({
      fromPosition: from === undefined ? START : { commit: from, prepare: from },
      filter: excludeSystemEvents(),
    });
    const stop = (): void => {
      void subscription.unsubscribe();
    };
    // A function, not `signal.aborted` inline: TypeScript would keep the narrowing across awaits.
    const stopped = (): boolean => options.signal?.aborted === true;
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      if (stopped()) return;
      for await (const resolved of subscription) {
        if (stopped()) return;
        const r = toRecord(resolved);
        if (r === undefined || (from !== undefined && r.position <= from)) continue;
        yield r;
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await subscription.unsubscribe();
    }
  }

  /** Close the client's channel. */
  async close(): Promise<void> {
    await this.client.dispose();
  }
}
