/**
 * The append rule every adapter shares, as a pure function: expected-revision check, idempotent
 * re-append by event id, same-id-other-content refusal. Adapters supply what they know about the
 * stream (its last revision and a lookup of existing ids) and write what the plan says.
 *
 * The rule (also in docs/stores.md):
 * 1. An event whose id is already in the stream with other content (compared by `canonicalEvent`),
 *    or repeated inside the append with other content, refuses the whole append: EventIdConflict.
 * 2. If EVERY event is already in the stream with identical content, the append is a retry of an
 *    earlier one. It succeeds without writing iff `expected` held when that earlier append ran
 *    ('any' always; an exact revision iff it is the revision just before the first of those events;
 *    'no_stream' iff they start the stream; 'stream_exists' iff they do not) — EventStoreDB's
 *    semantics. It returns the original result. Otherwise: WrongExpectedRevision.
 * 3. Otherwise `expected` is checked against the stream as it is now, identical events already
 *    present are dropped (an import resumed after a crash), and the rest is written in order.
 */
import { canonicalEvent, type DomainEvent } from '@msp-billing/events';
import {
  EventIdConflictError,
  InvoiceNumberConflictError,
  UniqueIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type StreamRevision,
} from './port.js';

/** An event already in the stream, as an adapter can describe it. */
export interface ExistingEvent {
  readonly revision: bigint;
  readonly position: bigint;
  /** Canonical text of the stored event (lazy: only computed for ids that repeat). */
  readonly canonical: () => string;
}

/** What to do with an append. */
export type AppendPlan =
  | { readonly _tag: 'Idempotent'; readonly result: AppendResult }
  | {
      readonly _tag: 'Write';
      /** The events to write, in order, the first at `firstRevision`. */
      readonly events: readonly DomainEvent[];
      readonly firstRevision: bigint;
    };

/** True when `expected` holds for a stream whose last revision is `actual`. */
export const expectationHolds = (expected: ExpectedRevision, actual: StreamRevision): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual !== 'no_stream' && actual === expected;
};

/** Throws a RangeError for appends that are programming errors rather than conflicts. */
export const validateAppend = (
  stream: string,
  events: readonly DomainEvent[],
  expected: ExpectedRevision,
): void => {
  if (stream.length === 0) throw new RangeError('stream name must not be empty');
  if (events.length === 0) throw new RangeError(`append to ${JSON.stringify(stream)}: no events`);
  if (typeof expected === 'bigint' && expected < 0n)
    throw new RangeError(`expected revision must be ≥ 0n (got ${expected}); use 'no_stream'`);
};

/** Decide how to append `events` (see the module comment); throws the port's typed errors. */
export const planAppend = (
  stream: string,
  events: readonly DomainEvent[],
  expected: ExpectedRevision,
  current: StreamRevision,
  lookup: (eventId: string) => ExistingEvent | undefined,
): AppendPlan => {
  validateAppend(stream, events, expected);
  const fresh: DomainEvent[] = [];
  // Only a multi-event append can repeat an id inside itself; the common single event skips the Map.
  const seenInAppend = events.length > 1 ? new Map<string, DomainEvent>() : undefined;
  let firstExisting: ExistingEvent | undefined;
  let lastExisting: ExistingEvent | undefined;
  for (const e of events) {
    const twin = seenInAppend?.get(e.id);
    if (twin !== undefined) {
      if (canonicalEvent(twin) !== canonicalEvent(e)) throw new EventIdConflictError(stream, e.id, undefined);
      continue;
    }
    seenInAppend?.set(e.id, e);
    const existing = lookup(e.id);
    if (existing === undefined) {
      fresh.push(e);
      continue;
    }
    if (existing.canonical() !== canonicalEvent(e))
      throw new EventIdConflictError(stream, e.id, existing.revision);
    if (firstExisting === undefined || existing.revision < firstExisting.revision) firstExisting = existing;
    if (lastExisting === undefined || existing.revision > lastExisting.revision) lastExisting = existing;
  }
  if (fresh.length === 0 && firstExisting !== undefined && lastExisting !== undefined) {
    const before: StreamRevision = firstExisting.revision === 0n ? 'no_stream' : firstExisting.revision - 1n;
    if (!expectationHolds(expected, before)) throw new WrongExpectedRevisionError(stream, expected, current);
    return {
      _tag: 'Idempotent',
      result: { nextExpectedRevision: lastExisting.revision, position: lastExisting.position, written: 0 },
    };
  }
  if (!expectationHolds(expected, current)) throw new WrongExpectedRevisionError(stream, expected, current);
  return { _tag: 'Write', events: fresh, firstRevision: current === 'no_stream' ? 0n : current + 1n };
};

/** The event that holds an invoice number in a store. */
export interface InvoiceNumberHolder {
  readonly stream: string;
  readonly eventId: string;
}

/**
 * The store's side of "invoice numbers are unique" (spec §2): before `events` (what a plan writes to
 * `stream`) are written, refuse an `InvoiceIssued` whose number `holders` gives to another event, and
 * record the new ones in `holders` (so a later item of a batch sees them). Adapters call it while
 * they hold what makes the append atomic (the memory store's synchronous section, PostgreSQL's
 * append lock), with `holders` loaded for the numbers of `events`.
 */
export const claimInvoiceNumbers = (
  stream: string,
  events: readonly DomainEvent[],
  holders: Map<string, InvoiceNumberHolder>,
): void => {
  // Claims of this append first, so that a refused append leaves `holders` as it was. Made only
  // for an append that issues an invoice: appends of other events (nearly all) allocate nothing.
  let claimed: Map<string, InvoiceNumberHolder> | undefined;
  for (const e of events) {
    if (e.type !== 'InvoiceIssued') continue;
    const n = e.data.invoiceNumber;
    const holder = claimed?.get(n) ?? holders.get(n);
    if (holder !== undefined && !(holder.stream === stream && holder.eventId === e.id))
      throw new InvoiceNumberConflictError(stream, e.id, n, holder.stream);
    (claimed ??= new Map()).set(n, { stream, eventId: e.id });
  }
  if (claimed !== undefined) for (const [n, holder] of claimed) holders.set(n, holder);
};

/** The invoice numbers `events` issue. */
export const invoiceNumbersOf = (events: readonly DomainEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'InvoiceIssued' ? [e.data.invoiceNumber] : []));

/** The event that holds a unique id in a store. */
export interface UniqueIdHolder {
  readonly stream: string;
  readonly eventId: string;
}

/** The booking that holds a VM: its MSP is active (spec §6 (1): one MSP per VM). */
export interface VmHolder extends UniqueIdHolder {
  readonly contractId: string;
}

/**
 * What a store knows about the ids an append may claim besides invoice numbers: work ids, alert ids
 * and the VMs with an active MSP (spec §2, §6 (1)). An adapter passes all it holds (memory) or what
 * it looked up for the ids of the append (PostgreSQL, under the append lock).
 */
export interface UniqueIdHolders {
  readonly workIds: Map<string, UniqueIdHolder>;
  readonly alertIds: Map<string, UniqueIdHolder>;
  /** VM id → the booking of its active MSP. */
  readonly activeMspOfVm: Map<string, VmHolder>;
  /** Contract id → its VM, for the bookings in `activeMspOfVm` (a cancellation frees the VM). */
  readonly vmOfContract: Map<string, string>;
}

/** Holders of a store that holds nothing yet. */
export const emptyUniqueIdHolders = (): UniqueIdHolders => ({
  workIds: new Map(),
  alertIds: new Map(),
  activeMspOfVm: new Map(),
  vmOfContract: new Map(),
});

type UndoEntry = readonly [Map<string, unknown>, string, boolean, unknown];

/**
 * The store's side of the rules no stream can guard alone (spec §2: a work id and an alert id are
 * used once in the log; §6 (1): a VM has at most one active MSP): before `events` (what a plan writes
 * to `stream`) are written, refuse a `WorkLogged`, `AlertRaised` or `MSPBooked` whose id or VM
 * `holders` gives to another event, and record what `events` claim and free (an `MSPCancelled` frees
 * its contract's VM). The rules themselves are the deciders' (the registry's view); this makes them
 * hold against writers that decided at the same time. Adapters call it where they call
 * {@link claimInvoiceNumbers}. A refusal leaves `holders` as it was; the returned function takes
 * the claims back (a batch that fails later).
 */
export const claimUniqueIds = (
  stream: string,
  events: readonly DomainEvent[],
  holders: UniqueIdHolders,
): (() => void) => {
  let undo: UndoEntry[] | undefined;
  const set = <V>(m: Map<string, V>, key: string, value: V | undefined): void => {
    (undo ??= []).push([m as Map<string, unknown>, key, m.has(key), m.get(key)]);
    if (value === undefined) m.delete(key);
    else m.set(key, value);
  };
  const rollback = (): void => {
    if (undo === undefined) return;
    for (let k = undo.length - 1; k >= 0; k--) {
      const [m, key, had, previous] = undo[k] as UndoEntry;
      if (had) m.set(key, previous);
      else m.delete(key);
    }
    undo = undefined;
  };
  const claim = (kind: 'workId' | 'alertId', m: Map<string, UniqueIdHolder>, id: string, eventId: string) => {
    const holder = m.get(id);
    if (holder === undefined) set(m, id, { stream, eventId });
    else if (!(holder.stream === stream && holder.eventId === eventId)) {
      rollback();
      throw new UniqueIdConflictError(stream, eventId, kind, id, holder.stream);
    }
  };
  for (const e of events) {
    switch (e.type) {
      case 'WorkLogged':
        claim('workId', holders.workIds, e.data.workId, e.id);
        break;
      case 'AlertRaised':
        claim('alertId', holders.alertIds, e.data.alertId, e.id);
        break;
      case 'MSPBooked': {
        const { vmId, contractId } = e.data;
        const holder = holders.activeMspOfVm.get(vmId);
        if (holder === undefined) {
          set(holders.activeMspOfVm, vmId, { stream, eventId: e.id, contractId });
          set(holders.vmOfContract, contractId, vmId);
        } else if (holder.contractId !== contractId) {
          rollback();
          throw new UniqueIdConflictError(stream, e.id, 'vm', vmId, holder.stream, holder.contractId);
        }
        break;
      }
      case 'MSPCancelled': {
        const vmId = holders.vmOfContract.get(e.data.contractId);
        if (vmId !== undefined && holders.activeMspOfVm.get(vmId)?.contractId === e.data.contractId) {
          set(holders.activeMspOfVm, vmId, undefined);
          set(holders.vmOfContract, e.data.contractId, undefined);
        }
        break;
      }
      default:
        break;
    }
  }
  return rollback;
};

/** The work ids, alert ids and booked VMs `events` may claim, for an adapter's lookup of holders. */
export const uniqueIdsOf = (
  events: readonly DomainEvent[],
): { workIds: string[]; alertIds: string[]; vmIds: string[] } => {
  const ids = { workIds: [] as string[], alertIds: [] as string[], vmIds: [] as string[] };
  for (const e of events) {
    if (e.type === 'WorkLogged') ids.workIds.push(e.data.workId);
    else if (e.type === 'AlertRaised') ids.alertIds.push(e.data.alertId);
    else if (e.type === 'MSPBooked') ids.vmIds.push(e.data.vmId);
  }
  return ids;
};
