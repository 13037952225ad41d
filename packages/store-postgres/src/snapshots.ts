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
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { inTransaction, withClient } from './connection.js';

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
  inTransaction(pool, (client) => saveSnapshotIn(client, snapshot));

/**
 * {@link saveSnapshot} inside the caller's transaction on `client`, so that the snapshot commits
 * with whatever else the transaction writes (a projection's checkpoint).
 */
export const saveSnapshotIn = async (
  client: PoolClient,
  snapshot: SnapshotToSave,
): Promise<StoredSnapshot> => {
  const head = BigInt(
    (await client.query<{ head: string }>('SELECT coalesce(max(position), 0)::text AS head FROM msp_events'))
      .rows[0]?.head ?? '0',
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
};

const CREATED = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created`;

/** How many pieces a snapshot's bytes are read in, each on a connection of its own. */
const PIECES = 2;

/**
 * Copy the bytes `from` … `from + length - 1` (0-based) of snapshot `id` into `out` at `from`,
 * through `COPY … TO STDOUT (FORMAT binary)`: as stored, where a plain SELECT sends a bytea as hex
 * text of twice its size to be decoded again (3–4× slower measured). The binary copy format: an
 * 11-byte signature, a 32-bit flags field, a 32-bit header extension length and the extension; then
 * each row: a 16-bit field count and per field a 32-bit length and the bytes; then a 16-bit -1.
 * False when the row is gone or holds fewer bytes (deleted, or replaced, in between).
 */
const copyPiece = (pool: Pool, id: bigint, out: Uint8Array, from: number, length: number): Promise<boolean> =>
  withClient(pool, async (client) => {
    const copy = client.query(
      copyTo(
        `COPY (SELECT substring(bytes FROM ${from + 1} FOR ${length}) FROM msp_snapshots WHERE id = ${id.toString()}) TO STDOUT (FORMAT binary)`,
      ),
    );
    let head: Buffer | undefined = Buffer.alloc(0);
    let at = from;
    const end = from + length;
    // Read to its end even when it holds the wrong row: the connection goes back to the pool.
    let wrong = false;
    for await (const chunk of copy) {
      if (wrong) continue;
      let piece = chunk as Buffer;
      if (head !== undefined) {
        // Until the field's length is in: the header, its extension, the field count and length.
        head = Buffer.concat([head, piece]);
        if (head.length < 19) continue;
        const start = 19 + head.readUInt32BE(15);
        if (head.length < start + 6) continue;
        if (head.readInt16BE(start) !== 1 || head.readInt32BE(start + 2) !== length) {
          wrong = true;
          continue;
        }
        piece = head.subarray(start + 6);
        head = undefined;
      }
      const take = Math.min(piece.length, end - at);
      out.set(piece.subarray(0, take), at);
      at += take;
    }
    return !wrong && head === undefined && at === end;
  });

/**
 * The `size` bytes of snapshot `id`, read in {@link PIECES} pieces side by side (the server reads
 * each piece of the value on its own, as a substring of a value stored uncompressed), straight into
 * one array of their length that starts at offset 0 of its own memory. Undefined when the row is gone.
 */
const snapshotBytes = async (pool: Pool, id: bigint, size: number): Promise<Uint8Array | undefined> => {
  const out = new Uint8Array(size);
  const step = Math.max(1, Math.ceil(size / PIECES));
  const pieces: Promise<boolean>[] = [];
  for (let from = 0; from === 0 || from < size; from += step)
    pieces.push(copyPiece(pool, id, out, from, Math.min(step, size - from)));
  return (await Promise.all(pieces)).every((ok) => ok) ? out : undefined;
};

/**
 * The newest snapshot of `partition` (whatever its format), or undefined when there is none — also
 * when the database predates snapshots (no table yet: nothing was ever saved). `found` is told its
 * position before its bytes are read, so that a caller can start reading the events after it
 * meanwhile.
 */
export const loadLatestSnapshot = async (
  pool: Pool,
  partition: string,
  found?: (position: bigint) => void,
): Promise<StoredSnapshot | undefined> => {
  let rows: Array<{ id: string; format: number; position: string; created: string; size: number }>;
  try {
    rows = (
      await pool.query<{ id: string; format: number; position: string; created: string; size: number }>(
        `SELECT id::text AS id, format, position::text AS position, length(bytes) AS size, ${CREATED}
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
  const id = BigInt(row.id);
  found?.(BigInt(row.position));
  // Deleted in between (two newer ones were saved meanwhile): as if there were none.
  const bytes = await snapshotBytes(pool, id, row.size);
  if (bytes === undefined) return undefined;
  return {
    id,
    partition,
    format: row.format,
    position: BigInt(row.position),
    createdAt: row.created,
    bytes,
  };
};
