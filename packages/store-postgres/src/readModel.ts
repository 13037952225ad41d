/**
 * The SQL read model of billing: the tables `billing_entries`, `billing_invoices` and
 * `billing_invoice_lines` kept in step with the log by {@link runPostgresProjection}, so that every
 * committed batch moves the tables and the checkpoint together (exactly once).
 *
 * The projection keeps a Ledger in memory and, after each batch, re-derives the rows of the contracts
 * the batch touched, as the Ledger answers them: their current work entries (those the batch can
 * have changed: see `touch`), every issued invoice, and the draft of the contract's next period (the
 * month after its last issued invoice; with none issued yet, the month it was booked in). Only rows
 * that differ from what the tables hold are written; the projection remembers what it wrote, and when it cannot be sure of that
 * (a fresh start, a batch that did not commit) it replays the log up to the committed checkpoint.
 *
 * Partitioned workers (`partition: { index, count }`): a worker owns the contracts whose id hashes
 * to its index ({@link partitionOfContract}) and applies only the events its contracts' answers
 * depend on: its contracts' own events, their tickets' and work entries' events (routed through the
 * ticket, work entry and alert ids its contracts created), and every rate card event. It writes only
 * its contracts' rows and keeps its own checkpoint, so n workers together hold the same rows as one.
 *
 * Worker snapshots: every `snapshotEvery` positions, and when it stops cleanly, a worker stores its
 * whole state in `msp_snapshots` under its checkpoint name, in the transaction that moves its
 * checkpoint: the Ledger (`writeSnapshot`) and, in the snapshot's meta, what it keeps beside it
 * ({@link encodeState}). A restarted worker restores its latest snapshot, applies the events between
 * the snapshot's position and its checkpoint without writing anything (the tables hold their rows
 * already), and reads on from the checkpoint; what it wrote of a contract is recalled from the
 * Ledger when an event first touches the contract again, as after a full replay. A snapshot it cannot use is passed over with a one-line notice and
 * the log is replayed from the start.
 */
import type { LedgerOptions } from '@msp-billing/billing';
import { inTransaction } from './connection.js';
import {
  runPostgresProjection,
  type PostgresProjectionOptions,
  type ProjectionRunResult,
} from './projection.js';
import { readModelName, WHOLE, type Partition } from './readModel/partitions.js';
import type { WorkerSnapshots } from './readModel/snapshotState.js';
import { ReadModelWorker } from './readModel/worker.js';

export {
  parsePartition,
  partitionOfContract,
  readModelName,
  type Partition,
} from './readModel/partitions.js';
export { prepareReadModel } from './readModel/schema.js';

/** Positions between two snapshots of a worker, by default. */
export const SNAPSHOT_EVERY = 200_000;

// ---------------------------------------------------------------------------------------------------
// Running it

/** Options of {@link runReadModel}: those of `runPostgresProjection` but its name and handler. */
export interface ReadModelOptions extends Omit<PostgresProjectionOptions, 'name' | 'handle'> {
  /** Which worker this is; default the only one (0/1). */
  readonly partition?: Partition;
  /** Options of the Ledger (an SLA catalog of your own). */
  readonly ledger?: LedgerOptions;
  /**
   * Store a snapshot of the worker's state when its checkpoint is this many positions past the last
   * one, and when the run ends without error (default {@link SNAPSHOT_EVERY}; 0: store none).
   */
  readonly snapshotEvery?: number;
  /**
   * Start from the worker's latest snapshot when usable (default true); false replays the log. The
   * snapshot is read on a second connection of `pool` while the batch's transaction holds the first:
   * a pool of one connection needs false.
   */
  readonly useSnapshot?: boolean;
  /** Told, in one line, why a snapshot was passed over. */
  readonly onNotice?: (line: string) => void;
}

/**
 * A read-model worker as a projection: its checkpoint name and its batch handler, which keeps its
 * state across batches. Used by {@link runReadModel}; tests drive it one batch at a time.
 */
export const readModelWorker = (
  partition: Partition = WHOLE,
  ledger: LedgerOptions = {},
  snapshots?: WorkerSnapshots,
): Pick<PostgresProjectionOptions, 'name' | 'handle' | 'streams'> & {
  /** Store a snapshot of the state at the committed checkpoint, if newer than the last one. */
  readonly finish: () => Promise<void>;
} => {
  if (!Number.isInteger(partition.count) || partition.count < 1)
    throw new RangeError(`partition count ${partition.count} is not a positive integer`);
  if (!Number.isInteger(partition.index) || partition.index < 0 || partition.index >= partition.count)
    throw new RangeError(
      `partition ${partition.index}/${partition.count}: the index is not in 0 … count − 1`,
    );
  const name = readModelName(partition);
  const worker = new ReadModelWorker(partition, ledger, snapshots);
  const every = snapshots?.every ?? 0;
  return {
    name,
    streams: (stream) => worker.keeps(stream),
    handle: async (client, records, batch) => {
      // The worker's state must be that of the checkpoint the batch starts from: after a start, or
      // after a batch whose commit failed, it is rebuilt first.
      if (worker.position !== batch.from) await worker.rebuild(client, batch.from);
      // Unknown until the batch is written: if anything below throws, the next batch rebuilds.
      worker.position = undefined;
      await worker.handle(client, records);
      worker.position = batch.to;
      if (every > 0 && batch.to - worker.snapshotAt >= BigInt(every))
        await worker.saveSnapshot(client, batch.to);
    },
    finish: async () => {
      if (snapshots === undefined || every === 0) return;
      await inTransaction(snapshots.pool, async (client) => {
        // Under the checkpoint's lock: the state is that of the committed checkpoint, or none is stored.
        const row = await client.query<{ position: string }>(
          'SELECT position::text AS position FROM msp_checkpoints WHERE name = $1 FOR UPDATE',
          [name],
        );
        const checkpoint = row.rows[0] === undefined ? undefined : BigInt(row.rows[0].position);
        if (checkpoint === undefined || worker.position !== checkpoint || checkpoint <= worker.snapshotAt)
          return;
        await worker.saveSnapshot(client, checkpoint);
      });
    },
  };
};

/**
 * Keep the read model in step with the log (see the module comment), until aborted, caught up
 * (`stopWhenCaughtUp`) or past `stopAtPosition`. Call {@link prepareReadModel} once before.
 */
export const runReadModel = async (options: ReadModelOptions): Promise<ProjectionRunResult> => {
  const { partition, ledger, snapshotEvery, useSnapshot, onNotice, ...rest } = options;
  const every = snapshotEvery ?? SNAPSHOT_EVERY;
  if (!Number.isSafeInteger(every) || every < 0)
    throw new RangeError(`snapshotEvery ${every} is not a whole number ≥ 0`);
  const { finish, ...worker } = readModelWorker(partition, ledger, {
    pool: options.pool,
    every,
    ...(useSnapshot === undefined ? {} : { useSnapshot }),
    ...(onNotice === undefined ? {} : { onNotice }),
  });
  const result = await runPostgresProjection({ ...rest, ...worker });
  await finish();
  return result;
};
