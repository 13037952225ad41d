/**
 * The Decider shape (Emmett, fmodel): three plain functions over plain values. `decide` turns a
 * command and the state folded from the aggregate's own stream into events or a typed refusal;
 * `evolve` folds one event into that state; `initialState` is the state before any event.
 *
 * Some rules read another aggregate (a ticket's order confirmation reads its contract's authorised
 * requesters; booking reads which VM already has an MSP). Those facts come in as `inputs`, loaded by
 * the caller next to the state, so the decision stays pure and each state stays a fold of one
 * stream: no decider reads another's store, and no state becomes a god object.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '@msp-billing/events';
import type { Refusal } from './refusal.js';

/**
 * A decider over commands `C`, state `S` and read-only inputs `I` from other aggregates, refusing
 * with `R` and recording events `E`. The one Decider shape of the project: the store's command
 * handler runs any of them.
 */
export interface Decider<C, S, I = void, R = Refusal, E extends DomainEvent = DomainEvent> {
  readonly decide: (command: C, state: S, inputs: I) => Either<R, readonly E[]>;
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}
