/**
 * The PostgreSQL EventStore. One table, `msp_events`: per-stream revisions (unique (stream,
 * revision)), per-stream event ids (unique (stream, event_id)), and a global `position`.
 *
 * Gap-free global order (see README "Global order"): every append takes one transaction-level
 * advisory lock before it reads the stream and assigns positions (max + 1), and holds it until
 * commit. Appends are therefore serialised, positions are handed out in commit order, and a reader
 * that has seen position p can never later find a committed event below p — `WHERE position > p`
 * is a complete catch-up query, with no visibility window to wait for.
 */
import { Pool, type PoolClient } from 'pg';
import { decodeEvent, canonicalEvent, type DomainEvent } from '@msp-billing/events';
import {
  catchUp,
  planAppend,
  sleep,
  type AppendResult,
  type CheckpointStore,
  type EventStoreWithCheckpoints,
  type ExistingEvent,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
} from '@msp-billing/store';
import { inTransaction } from './connection.js';
import { migrate } from './migrations.js';

/** Advisory-lock key that serialises appends ("msp-apnd" as eight ASCII bytes). */
export const APPEND_LOCK_KEY = 0x6d73702d61706e64n;

const DEFAULT_PAGE = 1000;

/** Something that runs a query: a pool or a client inside a transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

interface EventRow {
  readonly pos: string;
  readonly stream: string;
  readonly rev: string;
  readonly body: string;
}

// bigint columns come back as text (exact) under aliases that differ from the column names: an
// `ORDER BY position` must sort the bigint column, not a same-named text output column.
const COLUMNS = 'position::text AS pos, stream, revision::text AS rev, payload::text AS body';

const toRecord = (row: EventRow): RecordedEvent => {
  const decoded = decodeEvent(JSON.parse(row.body) as unknown);
  if (decoded._tag === 'Left')
    throw new Error(`stored event at position ${row.pos} no longer decodes: ${decoded.left.message}`);
  return {
    event: decoded.right,
    stream: row.stream,
    revision: BigInt(row.rev),
    position: BigInt(row.pos),
  };
};

const LOCK_SQL = `SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`;

/**
 * Append inside the caller's open READ COMMITTED transaction on `client` (BEGIN before, COMMIT after:
 * the caller's). Takes the append lock, which the caller then holds until its transaction ends, so
 * keep that short.
 */
export const appendWithClient = async (
  client: Queryable,
  stream: string,
  events: readonly DomainEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> => {
  const locked = await client.query<{ isolation: string }>(
    `${LOCK_SQL}, current_setting('transaction_isolation') AS isolation`,
  );
  // Under REPEATABLE READ or SERIALIZABLE the transaction's snapshot predates the lock, so the head
  // it reads could be stale: positions would collide and the expected-revision check would lie.
  const isolation = locked.rows[0]?.isolation;
  if (isolation !== 'read committed')
    throw new Error(
      `appendWithClient needs a READ COMMITTED transaction (this one is ${isolation ?? 'unknown'})`,
    );
  return appendLocked(client, stream, events, expected);
};

/** The append proper; the caller holds the append lock in an open transaction. */
const appendLocked = async (
  client: Queryable,
  stream: string,
  events: readonly DomainEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> => {
  // One round trip for the stream's head, the global head and the ids already in the stream. It
  // runs after the lock statement, so under READ COMMITTED it sees every append committed before.
  const found = await client.query<{
    event_id: string | null;
    rev: string | null;
    pos: string | null;
    body: string | null;
  }>(
    `SELECT NULL::text AS event_id,
            (SELECT max(revision) FROM msp_events WHERE stream = $1)::text AS rev,
            (SELECT max(position) FROM msp_events)::text AS pos,
            NULL::text AS body
     UNION ALL
     SELECT event_id, revision::text, position::text, payload::text
       FROM msp_events WHERE stream = $1 AND event_id = ANY($2::text[])`,
    [stream, events.map((e) => e.id)],
  );
  const [head, ...rows] = found.rows;
  const current: StreamRevision = head?.rev == null ? 'no_stream' : BigInt(head.rev);
  const existing = new Map<string, ExistingEvent>();
  for (const r of rows) {
    const body = r.body ?? '';
    existing.set(r.event_id ?? '', {
      revision: BigInt(r.rev ?? '0'),
      position: BigInt(r.pos ?? '0'),
      canonical: () => body,
    });
  }
  const plan = planAppend(stream, events, expected, current, (id) => existing.get(id));
  if (plan._tag === 'Idempotent') return plan.result;
  const first = BigInt(head?.pos ?? '0') + 1n;
  const n = plan.events.length;
  await client.query(
    `INSERT INTO msp_events (position, stream, revision, event_id, event_type, payload)
     SELECT p, $1, r, i, t, d::json FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS x(p, r, i, t, d)`,
    [
      stream,
      plan.events.map((_, k) => (first + BigInt(k)).toString()),
      plan.events.map((_, k) => (plan.firstRevision + BigInt(k)).toString()),
      plan.events.map((e) => e.id),
      plan.events.map((e) => e.type),
      plan.events.map((e) => canonicalEvent(e)),
    ],
  );
  return {
    nextExpectedRevision: plan.firstRevision + BigInt(n - 1),
    position: first + BigInt(n - 1),
    written: n,
  };
};

/** Read one page of the global order after `fromPosition` (exclusive) with `client`. */
export const readAllWith = async (
  client: Queryable,
  fromPosition: bigint | undefined,
  batchSize: number,
): Promise<RecordedEvent[]> => {
  const rows = await client.query<EventRow>(
    `SELECT ${COLUMNS} FROM msp_events WHERE position > $1 ORDER BY position LIMIT $2`,
    [(fromPosition ?? 0n).toString(), batchSize],
  );
  return rows.rows.map(toRecord);
};

/** Checkpoints in `msp_checkpoints`. */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly db: Queryable) {}

  /** The stored position of `name`, if any. */
  async load(name: string): Promise<bigint | undefined> {
    const r = await this.db.query<{ position: string }>(
      'SELECT position::text AS position FROM msp_checkpoints WHERE name = $1',
      [name],
    );
    const row = r.rows[0];
    return row === undefined ? undefined : BigInt(row.position);
  }

  /** Upsert the position of `name`. */
  async store(name: string, position: bigint): Promise<void> {
    await this.db.query(
      `INSERT INTO msp_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
      [name, position.toString()],
    );
  }
}

/** How to reach the database. */
export interface PostgresEventStoreOptions {
  /** A connection string; the store then owns (and closes) its pool. */
  readonly connectionString?: string;
  /** An existing pool; the store does not end it on close. */
  readonly pool?: Pool;
  /** Run `migrate` on creation; default true. */
  readonly migrate?: boolean;
  /** How often a caught-up subscription polls for new events; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Pool size when the store creates the pool; default 10. */
  readonly maxConnections?: number;
}

/** The EventStore on PostgreSQL. Create with `PostgresEventStore.create`. */
export class PostgresEventStore implements EventStoreWithCheckpoints {
  readonly checkpoints: PostgresCheckpointStore;
  #closed = false;

  private constructor(
    /** The pool the store queries through (share it with projections). */
    readonly pool: Pool,
    private readonly ownsPool: boolean,
    private readonly pollIntervalMs: number,
  ) {
    this.checkpoints = new PostgresCheckpointStore(pool);
  }

  /** Connect (and by default migrate). */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const owns = options.pool === undefined;
    const pool =
      options.pool ??
      new Pool({
        ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
        max: options.maxConnections ?? 10,
      });
    // An idle client whose server went away emits 'error' on the pool; unhandled, that would crash
    // the process. The next query on a fresh client reports the outage instead.
    if (owns) pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool, owns, options.pollIntervalMs ?? 100);
    if (options.migrate !== false) await migrate(pool);
    return store;
  }

  /** Append in its own transaction (see `appendWithClient` for the rule and the lock). */
  async appendToStream(
    stream: string,
    events: readonly DomainEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.#assertOpen();
    // BEGIN and the lock in one round trip: appends are serialised, so round trips are throughput.
    return this.#transaction(
      (client) => appendLocked(client, stream, events, expected),
      `BEGIN; ${LOCK_SQL}`,
    );
  }

  /** Events of `stream` from `options.from` (inclusive). */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    this.#assertOpen();
    const rows = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM msp_events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [stream, (options.from ?? 0n).toString(), options.maxCount ?? null],
    );
    return rows.rows.map(toRecord);
  }

  /** One page of the global order after `options.fromPosition` (exclusive). */
  async readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    this.#assertOpen();
    return readAllWith(this.pool, options.fromPosition, options.batchSize ?? DEFAULT_PAGE);
  }

  /** Catch-up subscription: pages through history, then polls every `pollIntervalMs`. */
  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    return catchUp(
      {
        readAll: (o) => (this.#closed ? Promise.resolve([]) : this.readAll(o)),
        waitForAppend: async (_after, signal) => {
          if (this.#closed) return false;
          await sleep(this.pollIntervalMs, signal);
          return !this.#closed;
        },
      },
      options,
    );
  }

  /** Run `work` in one transaction on one client (committed on success, rolled back on error). */
  transaction<A>(work: (client: PoolClient) => Promise<A>): Promise<A> {
    return this.#transaction(work, 'BEGIN');
  }

  #transaction<A>(work: (client: PoolClient) => Promise<A>, begin: string): Promise<A> {
    return inTransaction(this.pool, work, begin);
  }

  /** End the pool if the store created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the PostgreSQL event store is closed');
  }
}
