/**
 * The command handler (Emmett's `CommandHandler`, fmodel's Decider): load a stream's state by
 * folding its events, load the decider's inputs from other aggregates, decide, append with the exact
 * expected revision, and on a concurrency conflict start over — state AND inputs reloaded — a bounded
 * number of times. A resent command (same event id, same content: a retry after a timeout) is
 * answered as already applied instead of being refused by its own earlier success. An invoice number
 * that the store finds taken (by a writer the inputs had not seen yet) is refused, not retried; so is
 * a work id, an alert id or a VM's active MSP, with the decider's own refusal for it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { refusalMessage, type Decider, type Refusal as ContractsRefusal } from '@msp-billing/contracts';
import { canonicalEvent, type DomainEvent } from '@msp-billing/events';
import {
  isInvoiceNumberConflict,
  isUniqueIdConflict,
  isWrongExpectedRevision,
  type EventStore,
  type StreamRevision,
  type UniqueIdConflictError,
} from './port.js';
import { sleep } from './subscription.js';

export type { Decider } from '@msp-billing/contracts';

/** A resent command whose event id is already in the stream, with other content. */
export interface CommandIdConflict {
  readonly _tag: 'CommandIdConflict';
  readonly stream: string;
  readonly eventId: string;
  readonly message: string;
}

/** The stream kept changing under the handler: every attempt lost the race. */
export interface ConflictRetriesExhausted {
  readonly _tag: 'ConflictRetriesExhausted';
  readonly stream: string;
  readonly attempts: number;
  readonly message: string;
}

/**
 * The store refused the command's invoice number: an invoice another writer recorded meanwhile holds
 * it (spec §2). The decider saw the number free; the store's check, atomic with the append, did not.
 */
export interface InvoiceNumberTaken {
  readonly _tag: 'InvoiceNumberTaken';
  readonly stream: string;
  readonly invoiceNumber: string;
  readonly message: string;
}

/**
 * The store refused the command's work id, alert id or MSP booking: another writer recorded the id,
 * or an active MSP of the VM, after the decider's inputs were loaded (spec §2, §6 (1)). The refusal is
 * the one the decider gives when its inputs already show the holder.
 */
export type UniqueIdTaken = Extract<
  ContractsRefusal,
  { readonly _tag: 'MspAlreadyBookedForVm' | 'WorkIdAlreadyUsed' | 'AlertIdAlreadyUsed' }
>;

/** The decider's refusal for an id the store found taken. */
const uniqueIdTaken = (err: UniqueIdConflictError, events: readonly DomainEvent[]): UniqueIdTaken => {
  if (err.kind === 'workId') {
    const data = { _tag: 'WorkIdAlreadyUsed', workId: err.id } as const;
    return { ...data, message: refusalMessage(data) };
  }
  if (err.kind === 'alertId') {
    const data = { _tag: 'AlertIdAlreadyUsed', alertId: err.id } as const;
    return { ...data, message: refusalMessage(data) };
  }
  const booking = events.find((e) => e.id === err.eventId);
  const data = {
    _tag: 'MspAlreadyBookedForVm',
    vmId: err.id,
    contractId: booking?.type === 'MSPBooked' ? booking.data.contractId : '',
    activeContractId: err.holderContractId ?? '',
  } as const;
  return { ...data, message: refusalMessage(data) };
};

/** A handled command: the events it appended, the state after them, and the stream's revision. */
export interface Handled<State, Event> {
  readonly events: readonly Event[];
  readonly state: State;
  /** True when the command had already been applied (a resend): nothing new was appended. */
  readonly alreadyApplied: boolean;
  /** The stream's last revision after the command (`'no_stream'`: still empty, nothing decided). */
  readonly nextExpectedRevision: StreamRevision;
}

/** Options of `commandHandler`. */
export interface CommandHandlerOptions {
  /** Retries after a WrongExpectedRevision before giving up; default 5 (so 6 attempts). */
  readonly maxRetries?: number;
  /**
   * Milliseconds to wait before retry number `retry` (1-based). Default: random in
   * [0, min(100, 2^retry)) — jitter, so writers that collided do not collide again in lockstep.
   */
  readonly backoffMs?: (retry: number) => number;
}

/** Options of `commandHandler` for deciders whose commands record one known event each. */
export interface IdempotencyOptions<Command> {
  /**
   * The event a command records when accepted (e.g. the contracts' `eventOfCommand`). When the
   * stream already holds an event with its id, the command is a resend: identical content → success
   * with `alreadyApplied`, other content → `CommandIdConflict`.
   */
  readonly recordedEvent?: (command: Command) => DomainEvent;
}

const defaultBackoff = (retry: number): number => Math.random() * Math.min(100, 2 ** retry);

/** The loader of a decider's inputs, required unless the decider takes none. */
export type InputsArg<Inputs> = [Inputs] extends [void] ? [] : [inputs: () => Inputs | Promise<Inputs>];

/** Handles one command against one stream; the inputs loader is called afresh on every attempt. */
export type CommandHandler<Command, State, Inputs, Event, Refusal> = (
  stream: string,
  command: Command,
  ...inputs: InputsArg<Inputs>
) => Promise<
  E.Either<
    Refusal | ConflictRetriesExhausted | CommandIdConflict | InvoiceNumberTaken | UniqueIdTaken,
    Handled<State, Event>
  >
>;

/** Fold a stream into the decider's state, with the revision the fold saw. */
export const aggregateStream = async <State, Event extends DomainEvent>(
  store: EventStore,
  stream: string,
  evolve: (state: State, event: Event) => State,
  initialState: State,
): Promise<{ readonly state: State; readonly revision: StreamRevision }> => {
  let state = initialState;
  let revision: StreamRevision = 'no_stream';
  // The stream's events are this decider's events by construction (one stream per aggregate).
  for (const r of await store.readStream(stream)) {
    state = evolve(state, r.event as Event);
    revision = r.revision;
  }
  return { state, revision };
};

/**
 * Build a command handler over `store`. Refusals of `decide` come back as Left values;
 * WrongExpectedRevision is retried (re-read, inputs reloaded, re-decided); other store errors reject.
 */
export const commandHandler =
  <Command, State, Inputs, Refusal, Event extends DomainEvent>(
    store: EventStore,
    decider: Decider<Command, State, Inputs, Refusal, Event>,
    options: CommandHandlerOptions & IdempotencyOptions<Command> = {},
  ): CommandHandler<Command, State, Inputs, Event, Refusal> =>
  async (stream, command, ...loader) => {
    const load = (loader as unknown as [(() => Inputs | Promise<Inputs>)?])[0];
    const maxRetries = Math.max(0, options.maxRetries ?? 5);
    const backoff = options.backoffMs ?? defaultBackoff;
    const recorded = options.recordedEvent?.(command);
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt - 1));
      const { state, revision, events: history } = await loadStream(store, stream, decider, recorded?.id);
      if (recorded !== undefined && history !== undefined) {
        if (canonicalEvent(history) !== canonicalEvent(recorded)) {
          return E.left({
            _tag: 'CommandIdConflict',
            stream,
            eventId: recorded.id,
            message: `event id ${JSON.stringify(recorded.id)} is already recorded in ${stream} with other content`,
          });
        }
        return E.right({
          events: [history as Event],
          state,
          alreadyApplied: true,
          nextExpectedRevision: revision,
        });
      }
      const decided = decider.decide(
        command,
        state,
        (load === undefined ? undefined : await load()) as Inputs,
      );
      if (E.isLeft(decided)) return decided;
      const events = decided.right;
      if (events.length === 0) {
        return E.right({ events, state, alreadyApplied: false, nextExpectedRevision: revision });
      }
      try {
        const result = await store.appendToStream(
          stream,
          events,
          revision === 'no_stream' ? 'no_stream' : revision,
        );
        return E.right({
          events,
          state: events.reduce(decider.evolve, state),
          alreadyApplied: false,
          nextExpectedRevision: result.nextExpectedRevision,
        });
      } catch (err) {
        if (isInvoiceNumberConflict(err))
          return E.left({
            _tag: 'InvoiceNumberTaken',
            stream,
            invoiceNumber: err.invoiceNumber,
            message: `invoice number ${err.invoiceNumber} is already used by an invoice in ${err.holderStream}; an invoice number is used once (§ 14 UStG)`,
          });
        if (isUniqueIdConflict(err)) return E.left(uniqueIdTaken(err, events));
        if (!isWrongExpectedRevision(err)) throw err;
      }
    }
    return E.left({
      _tag: 'ConflictRetriesExhausted',
      stream,
      attempts: maxRetries + 1,
      message: `stream ${JSON.stringify(stream)} changed concurrently on each of ${maxRetries + 1} attempts`,
    });
  };

/** Fold a stream for a command, noting the event with id `lookFor` if the stream holds one. */
const loadStream = async <State, Event extends DomainEvent>(
  store: EventStore,
  stream: string,
  decider: { readonly evolve: (s: State, e: Event) => State; readonly initialState: State },
  lookFor: string | undefined,
): Promise<{ state: State; revision: StreamRevision; events: DomainEvent | undefined }> => {
  let state = decider.initialState;
  let revision: StreamRevision = 'no_stream';
  let found: DomainEvent | undefined;
  for (const r of await store.readStream(stream)) {
    state = decider.evolve(state, r.event as Event);
    revision = r.revision;
    if (lookFor !== undefined && r.event.id === lookFor) found = r.event;
  }
  return { state, revision, events: found };
};
