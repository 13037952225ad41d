/**
 * The in-memory checkpoint store: positions by consumer name in a Map. Adapters keep theirs beside
 * their events (a table in PostgreSQL, a stream in EventStoreDB) so a checkpoint survives restarts.
 */
import type { CheckpointStore } from './port.js';

/** Checkpoints held in process memory (tests, the embedded engine). */
export class InMemoryCheckpointStore implements CheckpointStore {
  readonly #positions = new Map<string, bigint>();

  /** The stored position of `name`, if any. */
  load(name: string): Promise<bigint | undefined> {
    return Promise.resolve(this.#positions.get(name));
  }

  /** Remember `position` for `name`. */
  store(name: string, position: bigint): Promise<void> {
    this.#positions.set(name, position);
    return Promise.resolve();
  }
}
