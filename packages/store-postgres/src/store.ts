/**
 * The PostgreSQL EventStore. One table, `msp_events`: per-stream revisions (unique (stream,
 * revision)), per-stream event ids (unique (stream, event_id)), and a global `position`.
 *
 * Gap-free global order (see README "Global order"): every append takes one transaction-level
 * advisory lock before it reads the stream and assigns positions (max + 1), and holds it until
 * commit. Appends are therefore serialised, positions are handed out in commit order, and a reader
 * that has seen position p can never later find a committed event below p — `WHERE position > p`
 * is a complete catch-up query, with no visibility window to wait for.
 *
 * Bulk imports use `appendBatch`: many appends in ONE transaction under the same lock, with one
 * query for the stream heads, one for the ids already present and few multi-row INSERTs, instead
 * of a transaction (and its round trips under the lock) per run of same-stream events.
 */
import { Pool, type PoolClient } from 'pg';
import { decodeEvent, canonicalEvent, type DomainEvent } from '@msp-billing/events';
import {
  catchUp,
  claimInvoiceNumbers,
  claimUniqueIds,
  emptyUniqueIdHolders,
  invoiceNumbersOf,
  uniqueIdsOf,
  planAppend,
  sleep,
  validateAppend,
  type AppendResult,
  type BatchAppendItem,
  type CheckpointStore,
  type EventStoreWithCheckpoints,
  type ExistingEvent,
  type ExpectedRevision,
  type InvoiceNumberHolder,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
  type UniqueIdHolders,
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

/**
 * The stored `InvoiceIssued` events holding any of `numbers` (spec §2: numbers are unique in the
 * log). Read under the append lock, so no other append can claim one of them before this commits;
 * the unique index `msp_events_invoice_number` backs the rule and makes the lookup an index scan.
 */
const invoiceNumberHolders = async (
  client: Queryable,
  numbers: readonly string[],
): Promise<Map<string, InvoiceNumberHolder>> => {
  const holders = new Map<string, InvoiceNumberHolder>();
  if (numbers.length === 0) return holders;
  const found = await client.query<{ n: string; stream: string; event_id: string }>(
    `SELECT payload->'data'->>'invoiceNumber' AS n, stream, event_id FROM msp_events
      WHERE event_type = 'InvoiceIssued' AND payload->'data'->>'invoiceNumber' = ANY($1::text[])`,
    [[...new Set(numbers)]],
  );
  for (const r of found.rows) holders.set(r.n, { stream: r.stream, eventId: r.event_id });
  return holders;
};

/**
 * The stored holders of the work ids, alert ids and VMs (active MSPs) that `events` may claim (spec
 * §2, §6 (1)). Read under the append lock like {@link invoiceNumberHolders}; migration 3's partial
 * indexes make each part an index scan, and the unique ones are the database's own guarantee.
 */
const uniqueIdHolders = async (
  client: Queryable,
  events: readonly DomainEvent[],
): Promise<UniqueIdHolders> => {
  const holders = emptyUniqueIdHolders();
  const { workIds, alertIds, vmIds } = uniqueIdsOf(events);
  if (workIds.length + alertIds.length + vmIds.length === 0) return holders;
  const found = await client.query<{
    kind: 'w' | 'a' | 'v';
    id: string;
    stream: string;
    event_id: string;
    contract: string | null;
  }>(
    `SELECT 'w' AS kind, payload->'data'->>'workId' AS id, stream, event_id, NULL::text AS contract
       FROM msp_events WHERE event_type = 'WorkLogged' AND payload->'data'->>'workId' = ANY($1::text[])
     UNION ALL
     SELECT 'a', payload->'data'->>'alertId', stream, event_id, NULL
       FROM msp_events WHERE event_type = 'AlertRaised' AND payload->'data'->>'alertId' = ANY($2::text[])
     UNION ALL
     SELECT 'v', b.payload->'data'->>'vmId', b.stream, b.event_id, b.payload->'data'->>'contractId'
       FROM msp_events b
      WHERE b.event_type = 'MSPBooked' AND b.payload->'data'->>'vmId' = ANY($3::text[])
        AND NOT EXISTS (SELECT 1 FROM msp_events c
                         WHERE c.stream = b.stream AND c.event_type = 'MSPCancelled'
                           AND c.payload->'data'->>'contractId' = b.payload->'data'->>'contractId')`,
    [[...new Set(workIds)], [...new Set(alertIds)], [...new Set(vmIds)]],
  );
  for (const r of found.rows) {
    const holder = { stream: r.stream, eventId: r.event_id };
    if (r.kind === 'w') holders.workIds.set(r.id, holder);
    else if (r.kind === 'a') holders.alertIds.set(r.id, holder);
    else {
      const contractId = r.contract ?? '';
      holders.activeMspOfVm.set(r.id, { ...holder, contractId });
      holders.vmOfContract.set(contractId, r.id);
    }
  }
  return holders;
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
  const numbers = invoiceNumbersOf(plan.events);
  if (numbers.length > 0)
    claimInvoiceNumbers(stream, plan.events, await invoiceNumberHolders(client, numbers));
  claimUniqueIds(stream, plan.events, await uniqueIdHolders(client, plan.events));
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

/** Rows per INSERT of a batch: bounds the statement's size (its parameters are 6 arrays, whatever the rows). */
export const BATCH_INSERT_ROWS = 5000;

const INSERT_SQL = `INSERT INTO msp_events (position, stream, revision, event_id, event_type, payload)
  SELECT p, s, r, i, t, d::json
    FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS x(p, s, r, i, t, d)`;

/** What a batch knows about one stream while it plans: its head and its ids (stored or planned). */
interface StreamState {
  current: StreamRevision;
  readonly known: Map<string, ExistingEvent>;
}

/**
 * The batch proper (the caller holds the append lock in an open transaction): every item planned
 * with the shared rule and `'any'`, in order, against the stream as the earlier items left it;
 * positions handed out in item order; then the rows inserted in chunks. A refusal throws before
 * anything is inserted, and the caller's ROLLBACK would undo a partial insert anyway.
 */
const appendBatchLocked = async (
  client: Queryable,
  items: readonly BatchAppendItem[],
): Promise<AppendResult[]> => {
  for (const item of items) validateAppend(item.stream, item.events, 'any');
  const streams = [...new Set(items.map((i) => i.stream))];
  // Heads of every stream of the batch and the global head, in one round trip (after the lock, so
  // under READ COMMITTED they include every append committed before).
  const heads = await client.query<{ stream: string | null; rev: string | null }>(
    `SELECT s.stream, (SELECT max(e.revision) FROM msp_events e WHERE e.stream = s.stream)::text AS rev
       FROM unnest($1::text[]) AS s(stream)
     UNION ALL
     SELECT NULL, (SELECT max(position) FROM msp_events)::text`,
    [streams],
  );
  const state = new Map<string, StreamState>();
  let nextPosition = 1n;
  for (const h of heads.rows) {
    if (h.stream === null) nextPosition = BigInt(h.rev ?? '0') + 1n;
    else state.set(h.stream, { current: h.rev === null ? 'no_stream' : BigInt(h.rev), known: new Map() });
  }
  // Ids already stored, for every (stream, id) pair of the batch, in one round trip.
  const pairs = new Map<string, { stream: string; id: string }>();
  for (const item of items)
    for (const e of item.events)
      pairs.set(JSON.stringify([item.stream, e.id]), { stream: item.stream, id: e.id });
  const found = await client.query<{
    stream: string;
    event_id: string;
    rev: string;
    pos: string;
    body: string;
  }>(
    `SELECT e.stream, e.event_id, e.revision::text AS rev, e.position::text AS pos, e.payload::text AS body
       FROM unnest($1::text[], $2::text[]) AS k(stream, event_id)
       JOIN msp_events e ON e.stream = k.stream AND e.event_id = k.event_id`,
    [[...pairs.values()].map((p) => p.stream), [...pairs.values()].map((p) => p.id)],
  );
  for (const r of found.rows) {
    const body = r.body;
    state.get(r.stream)?.known.set(r.event_id, {
      revision: BigInt(r.rev),
      position: BigInt(r.pos),
      canonical: () => body,
    });
  }
  const rows: Record<'p' | 's' | 'r' | 'i' | 't' | 'd', string[]> = {
    p: [],
    s: [],
    r: [],
    i: [],
    t: [],
    d: [],
  };
  const results: AppendResult[] = [];
  // Numbers claimed so far: stored ones, then those of earlier items of the batch.
  const holders = await invoiceNumberHolders(
    client,
    items.flatMap((item) => invoiceNumbersOf(item.events)),
  );
  // Work ids, alert ids and VMs likewise: stored holders, then what earlier items claimed.
  const unique = await uniqueIdHolders(
    client,
    items.flatMap((item) => item.events),
  );
  for (const item of items) {
    const st = state.get(item.stream) as StreamState;
    const plan = planAppend(item.stream, item.events, 'any', st.current, (id) => st.known.get(id));
    if (plan._tag === 'Idempotent') {
      results.push(plan.result);
      continue;
    }
    claimInvoiceNumbers(item.stream, plan.events, holders);
    claimUniqueIds(item.stream, plan.events, unique);
    let revision = plan.firstRevision;
    for (const e of plan.events) {
      const position = nextPosition;
      const text = canonicalEvent(e);
      rows.p.push(position.toString());
      rows.s.push(item.stream);
      rows.r.push(revision.toString());
      rows.i.push(e.id);
      rows.t.push(e.type);
      rows.d.push(text);
      // A later item of the batch may repeat this id: it must see the event as stored.
      st.known.set(e.id, { revision, position, canonical: () => text });
      st.current = revision;
      revision += 1n;
      nextPosition += 1n;
    }
    results.push({
      nextExpectedRevision: st.current as bigint,
      position: nextPosition - 1n,
      written: plan.events.length,
    });
  }
  for (let k = 0; k < rows.p.length; k += BATCH_INSERT_ROWS) {
    const end = k + BATCH_INSERT_ROWS;
    await client.query(INSERT_SQL, [
      rows.p.slice(k, end),
      rows.s.slice(k, end),
      rows.r.slice(k, end),
      rows.i.slice(k, end),
      rows.t.slice(k, end),
      rows.d.slice(k, end),
    ]);
  }
  return results;
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

/**
 * One page of the global order after `fromPosition`, like {@link readAllWith}, but decoding only the
 * events of the streams `keep` accepts (the rest are skipped unread). `last` is the position of the
 * page's last row, kept or not (undefined for an empty page): a reader that filters still moves past
 * what it skipped.
 */
export const readPageWith = async (
  client: Queryable,
  fromPosition: bigint,
  batchSize: number,
  keep: (stream: string) => boolean,
): Promise<{ records: RecordedEvent[]; rows: number; last: bigint | undefined }> => {
  const rows = await client.query<EventRow>(
    `SELECT ${COLUMNS} FROM msp_events WHERE position > $1 ORDER BY position LIMIT $2`,
    [fromPosition.toString(), batchSize],
  );
  const lastRow = rows.rows.at(-1);
  return {
    records: rows.rows.filter((r) => keep(r.stream)).map(toRecord),
    rows: rows.rows.length,
    last: lastRow === undefined ? undefined : BigInt(lastRow.pos),
  };
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
  /** Give up connecting after this many ms (when the store creates the pool); default: wait (pg's default). */
  readonly connectionTimeoutMillis?: number;
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
        ...(options.connectionTimeoutMillis === undefined
          ? {}
          : { connectionTimeoutMillis: options.connectionTimeoutMillis }),
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

  /**
   * Many `'any'` appends in one transaction under the append lock (bulk import): positions follow
   * the items' order, and a refusal of any item writes nothing.
   */
  async appendBatch(items: readonly BatchAppendItem[]): Promise<readonly AppendResult[]> {
    this.#assertOpen();
    if (items.length === 0) return [];
    return this.#transaction((client) => appendBatchLocked(client, items), `BEGIN; ${LOCK_SQL}`);
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
