/**
 * Exactly-once projections on PostgreSQL: each batch of events is handed to `handle` on a client
 * inside a transaction that also moves the projection's checkpoint, and commits both or neither.
 * A projection killed mid-batch therefore resumes from the last committed batch and never counts an
 * event twice. The checkpoint row is locked (`FOR UPDATE`) for the batch, so two runners of the same
 * projection take turns instead of applying a batch twice.
 */
import type { Pool, PoolClient } from 'pg';
import { sleep, type RecordedEvent } from '@msp-billing/store';
import { inTransaction } from './connection.js';
import { readPageWith } from './store.js';

/** Options of `runPostgresProjection`. */
export interface PostgresProjectionOptions {
  readonly pool: Pool;
  /** The projection's name: its checkpoint key in `msp_checkpoints`. */
  readonly name: string;
  /** Events per transaction; default 500. */
  readonly batchSize?: number;
  /**
   * Apply a batch using `client` (inside the transaction); throw to roll the batch back. `batch` is
   * the checkpoint before it (`from`) and the position it moves to (`to`). With `streams`, `records`
   * may be empty (every event of the batch was skipped); the checkpoint still moves.
   */
  readonly handle: (
    client: PoolClient,
    records: readonly RecordedEvent[],
    batch: { readonly from: bigint; readonly to: bigint },
  ) => Promise<void>;
  /**
   * Decode and hand to `handle` only the events of the streams this accepts (default: all). Asked
   * once per event, when its batch is read.
   */
  readonly streams?: (stream: string) => boolean;
  /** Stop when aborted (after the batch in flight commits or rolls back). */
  readonly signal?: AbortSignal;
  /** Return once caught up instead of polling for new events (batch jobs, tests). */
  readonly stopWhenCaughtUp?: boolean;
  /** Return once the checkpoint reaches this position. */
  readonly stopAtPosition?: bigint;
  /** Poll interval when caught up; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Told about each committed batch. */
  readonly onBatch?: (info: { readonly events: number; readonly checkpoint: bigint }) => void;
}

/** What a projection run did. */
export interface ProjectionRunResult {
  readonly batches: number;
  readonly events: number;
  /** The committed checkpoint at the end (0n: nothing processed yet). */
  readonly checkpoint: bigint;
}

const everyStream = (): boolean => true;

/** Run a projection until aborted, caught up (`stopWhenCaughtUp`) or past `stopAtPosition`. */
export const runPostgresProjection = async (
  options: PostgresProjectionOptions,
): Promise<ProjectionRunResult> => {
  const { pool, name } = options;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  // 0 is below every position, so a new projection starts from the first event.
  await pool.query(
    'INSERT INTO msp_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING',
    [name],
  );
  let batches = 0;
  let events = 0;
  let checkpoint = 0n;
  let batch: { events: number; checkpoint: bigint } | undefined;
  while (options.signal?.aborted !== true) {
    let caughtUp = false;
    await inTransaction(pool, async (client) => {
      const row = await client.query<{ position: string }>(
        'SELECT position::text AS position FROM msp_checkpoints WHERE name = $1 FOR UPDATE',
        [name],
      );
      checkpoint = BigInt(row.rows[0]?.position ?? '0');
      const page = await readPageWith(client, checkpoint, batchSize, options.streams ?? everyStream);
      caughtUp = page.rows < batchSize;
      if (page.last === undefined) return;
      const last = page.last;
      await options.handle(client, page.records, { from: checkpoint, to: last });
      await client.query('UPDATE msp_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
        name,
        last.toString(),
      ]);
      batch = { events: page.rows, checkpoint: last };
    });
    // Counted only once the transaction has committed.
    if (batch !== undefined) {
      checkpoint = batch.checkpoint;
      batches += 1;
      events += batch.events;
      options.onBatch?.(batch);
      batch = undefined;
    }
    if (options.stopAtPosition !== undefined && checkpoint >= options.stopAtPosition) break;
    if (caughtUp) {
      if (options.stopWhenCaughtUp === true) break;
      await sleep(options.pollIntervalMs ?? 100, options.signal);
    }
  }
  return { batches, events, checkpoint };
};
