/**
 * Snapshots beside the events: `msp_snapshots` (migration 4) keeps, per partition, the bytes of a
 * Ledger snapshot and the global position of the last event that Ledger applied. The bytes are
 * opaque here (their format number is stored beside them, so a reader can tell an old format without
 * decoding); the store keeps the newest {@link SNAPSHOTS_KEPT} of each partition.
 *
 * Why a position is enough: appends take the append lock and hand out positions in commit order
 * (store.ts), so a reader that has read every event up to position p has seen every event that will
 * ever have a position ≤ p. A Ledger built from such a read, saved with p, plus the events after p,
 * is the Ledger of the whole log; no event can slip in below p later.
 */
import type { Pool } from 'pg';
import { inTransaction } from './connection.js';
import type { Queryable } from './store.js';

/** How many snapshots of each partition are kept: the newest, and the one before it. */
export const SNAPSHOTS_KEPT = 2;

/** The partition key of a snapshot of the whole log. */
export const WHOLE_LOG = '0/1';

/** A snapshot to store. */
export interface SnapshotToSave {
  /** `i/n` (worker i of n, as `--partition`), or {@link WHOLE_LOG}. */
  readonly partition: string;
  /** The format version of `bytes` (the snapshot writer's). */
  readonly format: number;
  /** Global position of the last event the snapshotted state applied (0n: none). */
  readonly position: bigint;
  readonly bytes: Uint8Array;
}

/** A stored snapshot. */
export interface StoredSnapshot extends SnapshotToSave {
  readonly id: bigint;
  /** When it was stored, RFC 3339 (UTC). */
  readonly createdAt: string;
}

/** The position of a snapshot is beyond the newest event: it cannot reflect this store. */
export class SnapshotPositionError extends Error {
  readonly _tag = 'SnapshotPosition' as const;
  constructor(
    readonly position: bigint,
    readonly head: bigint,
  ) {
    super(`snapshot position ${position} is beyond the store's last event (position ${head})`);
    this.name = 'SnapshotPositionError';
  }
}

/**
 * Store a snapshot, in one transaction: the row, then the older rows of its partition beyond the
 * newest {@link SNAPSHOTS_KEPT} deleted. Refuses a position beyond the last stored event.
 */
export const saveSnapshot = (pool: Pool, snapshot: SnapshotToSave): Promise<StoredSnapshot> =>
  inTransaction(pool, async (client) => {
    const head = BigInt(
      (
        await client.query<{ head: string }>(
          'SELECT coalesce(max(position), 0)::text AS head FROM msp_events',
        )
      ).rows[0]?.head ?? '0',
    );
    if (snapshot.position > head || snapshot.position < 0n)
      throw new SnapshotPositionError(snapshot.position, head);
    const inserted = await client.query<{ id: string; created: string }>(
      `INSERT INTO msp_snapshots (partition, format, position, bytes) VALUES ($1, $2, $3, $4)
       RETURNING id::text AS id, ${CREATED}`,
      [snapshot.partition, snapshot.format, snapshot.position.toString(), Buffer.from(snapshot.bytes)],
    );
    await client.query(
      `DELETE FROM msp_snapshots WHERE partition = $1 AND id NOT IN
         (SELECT id FROM msp_snapshots WHERE partition = $1 ORDER BY id DESC LIMIT ${SNAPSHOTS_KEPT})`,
      [snapshot.partition],
    );
    const row = inserted.rows[0] as { id: string; created: string };
    return { ...snapshot, id: BigInt(row.id), createdAt: row.created };
  });

const CREATED = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created`;

/**
 * The newest snapshot of `partition` (whatever its format), or undefined when there is none — also
 * when the database predates snapshots (no table yet: nothing was ever saved).
 */
export const loadLatestSnapshot = async (
  db: Queryable,
  partition: string,
): Promise<StoredSnapshot | undefined> => {
  let rows: Array<{ id: string; format: number; position: string; created: string; bytes: Buffer }>;
  try {
    rows = (
      await db.query<{ id: string; format: number; position: string; created: string; bytes: Buffer }>(
        `SELECT id::text AS id, format, position::text AS position, ${CREATED}, bytes
           FROM msp_snapshots WHERE partition = $1 ORDER BY id DESC LIMIT 1`,
        [partition],
      )
    ).rows;
  } catch (err) {
    // undefined_table: a database migrated before snapshots existed (readers do not migrate).
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '42P01')
      return undefined;
    throw err;
  }
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    id: BigInt(row.id),
    partition,
    format: row.format,
    position: BigInt(row.position),
    createdAt: row.created,
    bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
  };
};
