/**
 * Catch-up subscriptions built on `readAll`: read the history after a position page by page, then
 * wait for new appends and keep following, until the signal aborts or the consumer breaks out. The
 * in-memory and PostgreSQL stores share this loop; they differ only in how they wait for news.
 * `consumeFromCheckpoint` adds the checkpointing a projection needs to resume without loss.
 */
import type { CheckpointStore, EventStore, ReadAllOptions, RecordedEvent, SubscribeOptions } from './port.js';

/** What a catch-up loop needs from a store. */
export interface CatchUpSource {
  readonly readAll: (options: ReadAllOptions) => Promise<readonly RecordedEvent[]>;
  /**
   * Resolve `true` once events after `afterPosition` may exist or `signal` aborts (spurious wake-ups
   * are fine: the loop reads again), `false` when the store is closed and the loop must end.
   */
  readonly waitForAppend: (
    afterPosition: bigint | undefined,
    signal: AbortSignal | undefined,
  ) => Promise<boolean>;
}

/** The catch-up loop: history first, then live appends, in global order, each event once. */
export async function* catchUp(
  source: CatchUpSource,
  options: SubscribeOptions = {},
): AsyncGenerator<RecordedEvent> {
  const { signal } = options;
  const batchSize = options.batchSize ?? 500;
  let position = options.fromPosition;
  // A function, not `signal.aborted` inline: TypeScript would keep the narrowing across the awaits.
  const stopped = (): boolean => signal?.aborted === true;
  while (!stopped()) {
    const page = await source.readAll({
      ...(position === undefined ? {} : { fromPosition: position }),
      batchSize,
    });
    for (const record of page) {
      if (stopped()) return;
      position = record.position;
      yield record;
    }
    if (page.length < batchSize && !(await source.waitForAppend(position, signal))) return;
  }
}

/**
 * Every event after `fromPosition` as it is now, page by page, ending when caught up (no follow):
 * for batch jobs such as rebuilding a ledger from the store.
 */
export async function* readAllEvents(
  store: Pick<EventStore, 'readAll'>,
  options: { readonly fromPosition?: bigint; readonly batchSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  let position = options.fromPosition;
  for (;;) {
    const page = await store.readAll({
      ...(position === undefined ? {} : { fromPosition: position }),
      batchSize: options.batchSize ?? 1000,
    });
    if (page.length === 0) return;
    for (const record of page) yield record;
    position = (page[page.length - 1] as RecordedEvent).position;
  }
}

/** Resolve after `ms`, or at once when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Options of `consumeFromCheckpoint`. */
export interface ConsumeOptions {
  /** The consumer's name: its checkpoint key. */
  readonly name: string;
  readonly checkpoints: CheckpointStore;
  /** Handle one event; the checkpoint moves past it only after this resolves. */
  readonly onEvent: (record: RecordedEvent) => Promise<void> | void;
  readonly signal?: AbortSignal;
  /** Store the checkpoint after this many events (and when caught up or stopped); default 1. */
  readonly checkpointEvery?: number;
  readonly batchSize?: number;
}

/**
 * Follow the store from the consumer's checkpoint, handling each event and storing the checkpoint
 * after it, until `signal` aborts. At-least-once: a crash between `onEvent` and the checkpoint
 * replays that event, so `onEvent` must be idempotent or share a transaction with the checkpoint
 * (see `runPostgresProjection`).
 */
export const consumeFromCheckpoint = async (store: EventStore, options: ConsumeOptions): Promise<void> => {
  const every = Math.max(1, options.checkpointEvery ?? 1);
  const from = await options.checkpoints.load(options.name);
  let pending = 0;
  let last: bigint | undefined;
  const subscribeOptions: SubscribeOptions = {
    ...(from === undefined ? {} : { fromPosition: from }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  };
  try {
    for await (const record of store.subscribeToAll(subscribeOptions)) {
      await options.onEvent(record);
      last = record.position;
      pending += 1;
      if (pending >= every) {
        await options.checkpoints.store(options.name, last);
        pending = 0;
      }
    }
  } finally {
    if (pending > 0 && last !== undefined) await options.checkpoints.store(options.name, last);
  }
};
