/**
 * Deciders and the command handler (Emmett's `CommandHandler`, fmodel's Decider): load a stream's
 * state by folding its events, decide, append with the exact expected revision, and on a
 * concurrency conflict start over from the fresh state a bounded number of times.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '@msp-billing/events';
import { isWrongExpectedRevision, type EventStore, type StreamRevision } from './port.js';
import { sleep } from './subscription.js';

/** A decider: what a command means given the state, and how events change the state. Pure. */
export interface Decider<Command, State, Event, Refusal> {
  readonly decide: (command: Command, state: State) => E.Either<Refusal, readonly Event[]>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

/** The stream kept changing under the handler: every attempt lost the race. */
export interface ConflictRetriesExhausted {
  readonly _tag: 'ConflictRetriesExhausted';
  readonly stream: string;
  readonly attempts: number;
  readonly message: string;
}

/** A handled command: the events it appended, the state after them, and the stream's revision. */
export interface Handled<State, Event> {
  readonly events: readonly Event[];
  readonly state: State;
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

const defaultBackoff = (retry: number): number => Math.random() * Math.min(100, 2 ** retry);

/** Handles one command against one stream. */
export type CommandHandler<Command, State, Event, Refusal> = (
  stream: string,
  command: Command,
) => Promise<E.Either<Refusal | ConflictRetriesExhausted, Handled<State, Event>>>;

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
 * WrongExpectedRevision is retried (re-read, re-decide); other store errors reject.
 */
export const commandHandler =
  <Command, State, Event extends DomainEvent, Refusal>(
    store: EventStore,
    decider: Decider<Command, State, Event, Refusal>,
    options: CommandHandlerOptions = {},
  ): CommandHandler<Command, State, Event, Refusal> =>
  async (stream, command) => {
    const maxRetries = Math.max(0, options.maxRetries ?? 5);
    const backoff = options.backoffMs ?? defaultBackoff;
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt - 1));
      const { state, revision } = await aggregateStream(store, stream, decider.evolve, decider.initialState);
      const decided = decider.decide(command, state);
      if (E.isLeft(decided)) return decided;
      const events = decided.right;
      if (events.length === 0) return E.right({ events, state, nextExpectedRevision: revision });
      try {
        const result = await store.appendToStream(
          stream,
          events,
          revision === 'no_stream' ? 'no_stream' : revision,
        );
        return E.right({
          events,
          state: events.reduce(decider.evolve, state),
          nextExpectedRevision: result.nextExpectedRevision,
        });
      } catch (err) {
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
