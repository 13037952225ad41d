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
import { readAllWith } from './store.js';

/** Options of `runPostgresProjection`. */
export interface PostgresProjectionOptions {
  readonly pool: Pool;
  /** The projection's name: its checkpoint key in `msp_checkpoints`. */
  readonly name: string;
  /** Events per transaction; default 500. */
  readonly batchSize?: number;
  /** Apply a batch using `client` (inside the transaction); throw to roll the batch back. */
  readonly handle: (client: PoolClient, records: readonly RecordedEvent[]) => Promise<void>;
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
      const records = await readAllWith(client, checkpoint, batchSize);
      caughtUp = records.length < batchSize;
      if (records.length === 0) return;
      await options.handle(client, records);
      const last = (records[records.length - 1] as RecordedEvent).position;
      await client.query('UPDATE msp_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
        name,
        last.toString(),
      ]);
      batch = { events: records.length, checkpoint: last };
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
