/**
 * A Ledger of a PostgreSQL store that starts from the store's latest snapshot: the snapshot is read
 * back (`readSnapshot` of @msp-billing/billing, in place) and only the events after its position are applied,
 * which gives the Ledger of a full replay (billing's snapshot law, and positions that commit in
 * order: snapshots.ts). A snapshot that cannot be used — another format, unreadable bytes, a
 * position this store does not have — is passed over with a one-line notice, and the whole log is
 * replayed: the answers are the same either way, only slower.
 *
 * The meta written with each snapshot (opaque to the Ledger) is the store's: the position, and how
 * many events, duplicates and invalid events the log held up to it, so that a reader started from
 * the snapshot reports the same counts as a full replay.
 */
import {
  createLedger,
  SNAPSHOT_FORMAT,
  writeSnapshot,
  type Ledger,
  type LedgerOptions,
  type SnapshotMeta,
} from '@msp-billing/billing';
import { readSnapshotInPlace } from '@msp-billing/billing/internal';
import { readAllEvents, type RecordedEvent } from '@msp-billing/store';
import { loadLatestSnapshot, saveSnapshot, WHOLE_LOG, type StoredSnapshot } from './snapshots.js';
import type { PostgresEventStore } from './store.js';

/** What the log held up to a Ledger's position, as a full replay counts it. */
export interface ReplayCounts {
  /** Events read (duplicates and invalid events included). */
  readonly events: number;
  /** Events whose id and content the Ledger had already applied (spec §2). */
  readonly duplicates: number;
  readonly invalid: number;
}

/** A Ledger of the whole store and where it stands. */
export interface StoreLedger {
  readonly ledger: Ledger;
  /** Global position of the last event applied (0n: the store held none). */
  readonly position: bigint;
  readonly counts: ReplayCounts;
  /**
   * The snapshot it started from, without its bytes (the restored Ledger keeps its tables in them);
   * undefined when it replayed the log from the start.
   */
  readonly snapshot: Omit<StoredSnapshot, 'bytes'> | undefined;
  /** Events read from the store (after the snapshot's position, or all of them). */
  readonly tail: number;
  /** Why a stored snapshot was passed over (one line); undefined when none was or none existed. */
  readonly notice: string | undefined;
}

/** Options of {@link loadStoreLedger}. */
export interface LoadStoreLedgerOptions {
  /** Start from the latest snapshot when there is a usable one; default true. */
  readonly useSnapshot?: boolean;
  /** Options of the Ledger (a snapshot is only read with the SLA catalog it was written with). */
  readonly ledger?: LedgerOptions;
  /** Told about each event read from the store, after the Ledger applied it. */
  readonly onEvent?: (record: RecordedEvent) => void;
  /**
   * Told the meta of the snapshot about to be used (what the caller kept beside the Ledger with
   * {@link saveLedgerSnapshot}'s `extra`), before any later event: a one-line reason refuses the
   * snapshot (the log is then replayed from the start); undefined accepts it.
   */
  readonly restored?: (meta: SnapshotMeta) => string | undefined;
  /**
   * Whose snapshots to start from: {@link WHOLE_LOG} (default, what `msp-billing snapshot --store`
   * writes), or the key a program saves its own under (with more meta, say) so others' do not
   * shadow them.
   */
  readonly partition?: string;
}

type Counter = { events: number; duplicates: number; invalid: number };

const countsOf = (meta: Readonly<Record<string, string>>): Counter | undefined => {
  const n = (k: string): number | undefined => {
    const v = meta[k];
    return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
  };
  const events = n('events');
  const duplicates = n('duplicates');
  const invalid = n('invalid');
  return events === undefined || duplicates === undefined || invalid === undefined
    ? undefined
    : { events, duplicates, invalid };
};

/** The restored Ledger of `snapshot`, or the one-line reason it cannot be used. */
const restore = (
  snapshot: StoredSnapshot,
  head: bigint,
  options: LedgerOptions,
  accept: (meta: SnapshotMeta) => string | undefined,
): { ledger: Ledger; counts: Counter } | string => {
  const what = `snapshot ${snapshot.id} (position ${snapshot.position}, ${snapshot.createdAt})`;
  if (snapshot.format !== SNAPSHOT_FORMAT)
    return `${what} has format ${snapshot.format}, this version reads format ${SNAPSHOT_FORMAT}: replaying the whole log`;
  if (snapshot.position > head)
    return `${what} is beyond the store's last event (position ${head}): replaying the whole log`;
  // The bytes were read for this restore only (the result does not give them): read in place.
  const read = readSnapshotInPlace(snapshot.bytes, options);
  if (read._tag !== 'Restored') return `${what}: ${read.message}: replaying the whole log`;
  const counts = countsOf(read.meta);
  if (read.meta['position'] !== snapshot.position.toString() || counts === undefined)
    return `${what} does not say which events it reflects: replaying the whole log`;
  const refused = accept(read.meta);
  if (refused !== undefined) return `${what} ${refused}: replaying the whole log`;
  return { ledger: read.ledger, counts };
};

/**
 * The Ledger of everything in `store`: from the latest snapshot of the whole log and the events after
 * it, or (no snapshot, an unusable one, or `useSnapshot: false`) from a full replay.
 */
export const loadStoreLedger = async (
  store: PostgresEventStore,
  options: LoadStoreLedgerOptions = {},
): Promise<StoreLedger> => {
  const ledgerOptions = options.ledger ?? {};
  let ledger: Ledger | undefined;
  let counts: Counter = { events: 0, duplicates: 0, invalid: 0 };
  let snapshot: Omit<StoredSnapshot, 'bytes'> | undefined;
  let notice: string | undefined;
  let early: Promise<RecordedEvent[]> | undefined;
  if (options.useSnapshot !== false) {
    const latest = await loadLatestSnapshot(store.pool, options.partition ?? WHOLE_LOG, (at) => {
      early = readAhead(store, at);
      // Awaited below; until then a failure must not count as unhandled.
      early.catch(() => undefined);
    });
    if (latest !== undefined) {
      const head = BigInt(
        (
          await store.pool.query<{ head: string }>(
            'SELECT coalesce(max(position), 0)::text AS head FROM msp_events',
          )
        ).rows[0]?.head ?? '0',
      );
      const restored = restore(latest, head, ledgerOptions, options.restored ?? (() => undefined));
      if (typeof restored === 'string') notice = restored;
      else {
        ({ ledger, counts } = restored);
        const { bytes: _given, ...rest } = latest;
        snapshot = rest;
      }
    }
  }
  const into = ledger ?? createLedger(ledgerOptions);
  let position = snapshot?.position ?? 0n;
  let tail = 0;
  const apply = (r: RecordedEvent): void => {
    const applied = into.apply(r.event);
    counts.events += 1;
    if (applied._tag === 'Duplicate') counts.duplicates += 1;
    else if (applied._tag === 'Invalid') counts.invalid += 1;
    position = r.position;
    tail += 1;
    options.onEvent?.(r);
  };
  // The events read while the snapshot was loaded (not used when it was passed over).
  const ahead = early === undefined ? [] : await early;
  if (snapshot !== undefined) for (const r of ahead) apply(r);
  for await (const r of readAllEvents(store, { fromPosition: position, batchSize: BATCH })) apply(r);
  return { ledger: into, position, counts, snapshot, tail, notice };
};

/** Events read from the store a page at a time. */
const BATCH = 2000;

/** How many events after a snapshot are read while its bytes are loaded. */
const READ_AHEAD = 20_000;

/**
 * The first {@link READ_AHEAD} events after `position`, read while the snapshot's bytes come in on
 * another connection (the server works on both at once; a start spends its time waiting for bytes).
 */
const readAhead = async (store: PostgresEventStore, position: bigint): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const r of readAllEvents(store, { fromPosition: position, batchSize: BATCH }))
    if (events.push(r) >= READ_AHEAD) break;
  return events;
};

/**
 * Store a snapshot of `ledger`, which reflects the store's events up to `position` (as
 * {@link loadStoreLedger} or a tailing reader left it) with `counts`, as the latest of the whole log
 * (or of `partition`: see {@link LoadStoreLedgerOptions.partition}). `extra`: more meta, for what
 * the caller keeps beside the Ledger (read back through `restored`).
 */
export const saveLedgerSnapshot = (
  store: PostgresEventStore,
  ledger: Ledger,
  position: bigint,
  counts: ReplayCounts,
  extra: SnapshotMeta = {},
  partition: string = WHOLE_LOG,
): Promise<StoredSnapshot> =>
  saveSnapshot(store.pool, {
    partition,
    format: SNAPSHOT_FORMAT,
    position,
    bytes: writeSnapshot(ledger, {
      ...extra,
      position: position.toString(),
      events: String(counts.events),
      duplicates: String(counts.duplicates),
      invalid: String(counts.invalid),
    }),
  });
