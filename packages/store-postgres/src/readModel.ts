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
import type { Pool, PoolClient } from 'pg';
import * as E from 'fp-ts/lib/Either.js';
import {
  createLedger,
  periodOf,
  readSnapshot,
  SNAPSHOT_FORMAT,
  writeSnapshot,
  type Invoice,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
} from '@msp-billing/billing';
import { formatInstant, type DomainEvent, type Instant } from '@msp-billing/events';
import type { RecordedEvent } from '@msp-billing/store';
import { inTransaction, withClient } from './connection.js';
import { migrate } from './migrations.js';
import {
  runPostgresProjection,
  type PostgresProjectionOptions,
  type ProjectionRunResult,
} from './projection.js';
import { loadLatestSnapshot, saveSnapshotIn } from './snapshots.js';
import { readPageWith } from './store.js';

// ---------------------------------------------------------------------------------------------------
// Partitions

/** Worker `index` of `count` (0 ≤ index < count). */
export interface Partition {
  readonly index: number;
  readonly count: number;
}

/**
 * The partition (0 … count − 1) a contract belongs to: the 32-bit FNV-1a hash of the contract id's
 * UTF-8 bytes (offset basis 2166136261, prime 16777619), as an unsigned integer, modulo `count`.
 * Stable across processes, machines and versions: it depends on nothing but the id.
 */
export const partitionOfContract = (contractId: string, count: number): number => {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(contractId, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
};

/** `i/n` as a partition, or why it is none. */
export const parsePartition = (text: string): E.Either<string, Partition> => {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  if (m === null) return E.left('expected i/n, e.g. 0/2 (worker 0 of 2)');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return E.left('n must be at least 1');
  if (index >= count) return E.left(`i must be below n (0 … ${count - 1})`);
  return E.right({ index, count });
};

/** The checkpoint name of a read-model worker: `billing-read-model`, or `billing-read-model:i/n`. */
export const readModelName = (partition: Partition = WHOLE): string =>
  partition.count === 1 ? 'billing-read-model' : `billing-read-model:${partition.index}/${partition.count}`;

const WHOLE: Partition = { index: 0, count: 1 };

// ---------------------------------------------------------------------------------------------------
// Schema

/** Advisory-lock key of `prepareReadModel` ("msp-rdmd" as eight ASCII bytes). */
const READ_MODEL_LOCK_KEY = 0x6d73702d72646d64n;

/**
 * The read model's tables and views. Derived data, rebuilt from the log at any time, so they live
 * beside the store's migrations rather than among them: `CREATE … IF NOT EXISTS` and
 * `CREATE OR REPLACE VIEW`.
 */
const READ_MODEL_SQL = `
  CREATE TABLE IF NOT EXISTS billing_entries (
    work_id        text          PRIMARY KEY,
    contract_id    text          NOT NULL,
    ticket_id      text          NOT NULL,
    period         text          NOT NULL,
    service        text          NOT NULL,
    status         text          NOT NULL,
    clause         text          NOT NULL,
    minutes        integer       NOT NULL,
    billed_minutes integer,
    hourly_rate    numeric(14,4),
    amount         numeric(14,2)
  );
  CREATE INDEX IF NOT EXISTS billing_entries_contract_period ON billing_entries (contract_id, period);
  CREATE INDEX IF NOT EXISTS billing_entries_period ON billing_entries (period);
  CREATE TABLE IF NOT EXISTS billing_invoices (
    contract_id    text          NOT NULL,
    period         text          NOT NULL,
    status         text          NOT NULL,
    invoice_number text,
    issued_at      timestamptz,
    currency       text          NOT NULL,
    net            numeric(14,2) NOT NULL,
    vat            numeric(14,2) NOT NULL,
    gross          numeric(14,2) NOT NULL,
    PRIMARY KEY (contract_id, period)
  );
  CREATE INDEX IF NOT EXISTS billing_invoices_period ON billing_invoices (period);
  CREATE TABLE IF NOT EXISTS billing_invoice_lines (
    contract_id    text          NOT NULL,
    period         text          NOT NULL,
    line_no        integer       NOT NULL,
    kind           text          NOT NULL,
    work_id        text          NOT NULL,
    minutes        integer       NOT NULL,
    billed_minutes integer       NOT NULL,
    hourly_rate    numeric(14,4) NOT NULL,
    amount         numeric(14,2) NOT NULL,
    clause         text          NOT NULL,
    PRIMARY KEY (contract_id, period, line_no)
  );
  CREATE OR REPLACE VIEW billing_month_summary AS
    SELECT period, status, currency, count(*) AS invoices,
           sum(net) AS net, sum(vat) AS vat, sum(gross) AS gross
      FROM billing_invoices
     GROUP BY period, status, currency;
  CREATE OR REPLACE VIEW billing_work_summary AS
    SELECT period, status, count(*) AS entries, sum(minutes) AS minutes,
           sum(billed_minutes) AS billed_minutes, sum(amount) AS amount
      FROM billing_entries
     GROUP BY period, status;
`;

/** Create the store's schema and the read model's tables and views where missing (idempotent). */
export const prepareReadModel = async (pool: Pool): Promise<void> => {
  await migrate(pool);
  await withClient(pool, async (client) => {
    // Serialised: two workers starting together would race on CREATE … IF NOT EXISTS.
    await client.query('SELECT pg_advisory_lock($1)', [READ_MODEL_LOCK_KEY.toString()]);
    try {
      await client.query(READ_MODEL_SQL);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [READ_MODEL_LOCK_KEY.toString()]);
    }
  });
};

// ---------------------------------------------------------------------------------------------------
// Rows

type EntryRow = readonly [
  workId: string,
  contractId: string,
  ticketId: string,
  period: string,
  service: string,
  status: string,
  clause: string,
  minutes: number,
  billedMinutes: number | null,
  hourlyRate: string | null,
  amount: string | null,
];

type InvoiceRow = readonly [
  contractId: string,
  period: string,
  status: string,
  invoiceNumber: string | null,
  issuedAt: string | null,
  currency: string,
  net: string,
  vat: string,
  gross: string,
];

type LineRow = readonly [
  contractId: string,
  period: string,
  lineNo: number,
  kind: string,
  workId: string,
  minutes: number,
  billedMinutes: number,
  hourlyRate: string,
  amount: string,
  clause: string,
];

const entryRow = (e: LedgerEntry): EntryRow => [
  e.workId,
  e.contractId,
  e.ticketId,
  e.period,
  e.service,
  e.status,
  e.clause,
  e.minutes,
  e.billedMinutes,
  e.hourlyRate,
  e.amount,
];

/** An invoice's row and its lines' rows. */
interface InvoiceRows {
  readonly head: InvoiceRow;
  readonly lines: readonly LineRow[];
}

/** Whether two rows hold the same values (each value a string, a number or null). */
const sameRow = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const sameInvoice = (a: InvoiceRows, b: InvoiceRows): boolean =>
  sameRow(a.head, b.head) &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => sameRow(l, b.lines[i] as LineRow));

const invoiceRows = (v: Invoice, issuedAt: number | undefined): InvoiceRows => ({
  head: [
    v.contractId,
    v.period,
    v.status,
    v.invoiceNumber,
    issuedAt === undefined ? null : formatInstant(issuedAt as Instant),
    v.currency,
    v.net,
    v.vat,
    v.gross,
  ],
  lines: v.lines.map((l, i) => [
    v.contractId,
    v.period,
    i + 1,
    l.kind,
    l.workId,
    l.minutes,
    l.billedMinutes,
    l.hourlyRate,
    l.amount,
    l.clause,
  ]),
});

/** The columns of a table in row order, with the array type `unnest` reads each one as. */
const ENTRY_COLUMNS = [
  ['work_id', 'text'],
  ['contract_id', 'text'],
  ['ticket_id', 'text'],
  ['period', 'text'],
  ['service', 'text'],
  ['status', 'text'],
  ['clause', 'text'],
  ['minutes', 'int4'],
  ['billed_minutes', 'int4'],
  ['hourly_rate', 'numeric'],
  ['amount', 'numeric'],
] as const;
const INVOICE_COLUMNS = [
  ['contract_id', 'text'],
  ['period', 'text'],
  ['status', 'text'],
  ['invoice_number', 'text'],
  ['issued_at', 'timestamptz'],
  ['currency', 'text'],
  ['net', 'numeric'],
  ['vat', 'numeric'],
  ['gross', 'numeric'],
] as const;
const LINE_COLUMNS = [
  ['contract_id', 'text'],
  ['period', 'text'],
  ['line_no', 'int4'],
  ['kind', 'text'],
  ['work_id', 'text'],
  ['minutes', 'int4'],
  ['billed_minutes', 'int4'],
  ['hourly_rate', 'numeric'],
  ['amount', 'numeric'],
  ['clause', 'text'],
] as const;

/** Insert many rows in one statement: one array parameter per column, zipped by `unnest`. */
const insertRows = async (
  client: PoolClient,
  table: string,
  columns: readonly (readonly [string, string])[],
  rows: readonly (readonly unknown[])[],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await client.query(
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`,
    columns.map((_, i) => rows.map((r) => r[i])),
  );
};

const deleteInvoices = async (client: PoolClient, keys: readonly (readonly [string, string])[]) => {
  if (keys.length === 0) return;
  const params = [keys.map((k) => k[0]), keys.map((k) => k[1])];
  for (const table of ['billing_invoice_lines', 'billing_invoices'])
    await client.query(
      `DELETE FROM ${table} t USING unnest($1::text[], $2::text[]) AS k(contract_id, period)
        WHERE t.contract_id = k.contract_id AND t.period = k.period`,
      params,
    );
};

// ---------------------------------------------------------------------------------------------------
// The worker's state

/** What the read model needs of a contract beside the Ledger: its zone, booking and issued periods. */
interface ContractInfo {
  readonly timeZone: string;
  readonly bookedPeriod: string;
  /** Issued periods with the `occurredAt` of their InvoiceIssued. */
  readonly issued: Map<string, number>;
  lastIssued: string | undefined;
}

/** The month after `period` (`YYYY-MM`). */
const monthAfter = (period: string): string => {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`;
};

/** The period whose draft the read model shows: after the last issued one, else the booking month. */
const nextPeriodOf = (c: ContractInfo): string =>
  c.lastIssued === undefined ? c.bookedPeriod : monthAfter(c.lastIssued);

/** Whom an event concerns: one contract, the contracts on a rate card, every contract, or nobody known. */
type Route =
  | { readonly kind: 'contract'; readonly contractId: string }
  | { readonly kind: 'card'; readonly rateCardId: string }
  | { readonly kind: 'all' }
  | { readonly kind: 'unknown' };

const ALL: Route = { kind: 'all' };
const UNKNOWN: Route = { kind: 'unknown' };

/** The contract `map` routes `id` to, if any. */
const viaMap = (map: ReadonlyMap<string, string>, id: string): Route => {
  const contractId = map.get(id);
  return contractId === undefined ? UNKNOWN : { kind: 'contract', contractId };
};

/** A contract all of whose entries may have changed. */
const EVERY = 'every';

/**
 * What a batch may have changed, per contract: every entry, or the entries named (a work entry's own
 * events, its ticket's events); and, for every contract named at all, its invoices.
 */
class Touched {
  readonly byContract = new Map<string, Set<string> | typeof EVERY>();
  every(contractId: string): void {
    this.byContract.set(contractId, EVERY);
  }
  entries(contractId: string, workIds: Iterable<string>): void {
    let set = this.byContract.get(contractId);
    if (set === EVERY) return;
    if (set === undefined) this.byContract.set(contractId, (set = new Set()));
    for (const w of workIds) set.add(w);
  }
}

/** Marker of a written issued invoice: frozen, never rendered again. */
const ISSUED = 'issued';

/** One worker: its Ledger, the routes of its ids, and what it has written. */
class ReadModelWorker {
  ledger!: Ledger;
  /** The position the Ledger and `written` reflect; undefined when unknown (rebuild before use). */
  position: bigint | undefined;
  private contracts = new Map<string, ContractInfo>();
  private contractOfTicket = new Map<string, string>();
  private contractOfWork = new Map<string, string>();
  private worksOfTicket = new Map<string, string[]>();
  /** Tickets other workers' contracts created: their streams are skipped unread. */
  private foreignTickets = new Set<string>();
  private contractOfAlert = new Map<string, string>();
  private contractsOfCard = new Map<string, Set<string>>();
  /** Per contract, the row of each entry as written. */
  private writtenEntries = new Map<string, Map<string, EntryRow>>();
  /** Per contract, per period, the draft written ({@link ISSUED} for an issued invoice). */
  private writtenInvoices = new Map<string, Map<string, InvoiceRows | typeof ISSUED>>();
  /** The position of the latest snapshot stored or restored (0n: none). */
  snapshotAt = 0n;
  /** Contracts whose rows written are not in `writtenEntries`/`writtenInvoices` yet (see recall). */
  private unrecalled = new Set<string>();

  constructor(
    private readonly partition: Partition,
    private readonly ledgerOptions: LedgerOptions,
    private readonly snapshots: WorkerSnapshots | undefined,
  ) {
    this.reset();
  }

  private reset(): void {
    this.ledger = createLedger(this.ledgerOptions);
    this.position = undefined;
    this.contracts = new Map();
    this.contractOfTicket = new Map();
    this.contractOfWork = new Map();
    this.worksOfTicket = new Map();
    this.foreignTickets = new Set();
    this.contractOfAlert = new Map();
    this.contractsOfCard = new Map();
    this.writtenEntries = new Map();
    this.writtenInvoices = new Map();
    this.snapshotAt = 0n;
    this.unrecalled = new Set();
  }

  /** The key of this worker's snapshots: its checkpoint name (never the whole log's `0/1`). */
  private get key(): string {
    return readModelName(this.partition);
  }

  /**
   * What the worker keeps beside the Ledger, as JSON (version {@link STATE_VERSION}): contracts with
   * their zone, booking month and issued periods; tickets with their contract and work entries (a
   * work entry's contract is its ticket's, listed apart only where it is not); alerts; rate cards
   * with their contracts; other workers' tickets. The rows written are not kept: they are the
   * Ledger's answers at the snapshot's position, derived again on restore.
   */
  private encodeState(): string {
    const tickets: EncodedTicket[] = [...this.contractOfTicket].map(([t, c]) => {
      const works = this.worksOfTicket.get(t);
      return works === undefined ? [t, c] : [t, c, works];
    });
    const loose: [string, string[]][] = [...this.worksOfTicket].filter(
      ([t]) => !this.contractOfTicket.has(t),
    );
    const derived = workContracts(this.contractOfTicket, this.worksOfTicket);
    const state: EncodedState = {
      v: STATE_VERSION,
      contracts: [...this.contracts].map(([id, c]) => [
        id,
        c.timeZone,
        c.bookedPeriod,
        [...c.issued],
        c.lastIssued ?? null,
      ]),
      tickets,
      loose,
      works: [...this.contractOfWork].filter(([w, c]) => derived.get(w) !== c),
      alerts: [...this.contractOfAlert],
      cards: [...this.contractsOfCard].map(([card, set]) => [card, [...set]]),
      foreign: [...this.foreignTickets],
    };
    return JSON.stringify(state);
  }

  /** Take back the state {@link encodeState} wrote, or say in one line why it cannot be. */
  private decodeState(text: string | undefined): string | undefined {
    if (text === undefined) return 'holds no read-model state';
    let state: EncodedState;
    try {
      state = JSON.parse(text) as EncodedState;
    } catch {
      return 'holds read-model state that is not JSON';
    }
    if (typeof state !== 'object' || state === null || state.v !== STATE_VERSION)
      return `holds read-model state of another version (this one reads ${STATE_VERSION})`;
    try {
      this.contracts = new Map(
        state.contracts.map(([id, timeZone, bookedPeriod, issued, lastIssued]) => [
          id,
          { timeZone, bookedPeriod, issued: new Map(issued), lastIssued: lastIssued ?? undefined },
        ]),
      );
      this.contractOfTicket = new Map(state.tickets.map(([t, c]) => [t, c]));
      this.worksOfTicket = new Map(state.loose);
      for (const [t, , works] of state.tickets) if (works !== undefined) this.worksOfTicket.set(t, works);
      this.contractOfWork = workContracts(this.contractOfTicket, this.worksOfTicket);
      for (const [w, c] of state.works) this.contractOfWork.set(w, c);
      this.contractOfAlert = new Map(state.alerts);
      this.contractsOfCard = new Map(state.cards.map(([card, cs]) => [card, new Set(cs)]));
      this.foreignTickets = new Set(state.foreign);
    } catch {
      this.reset();
      return 'holds read-model state of an unexpected shape';
    }
    return undefined;
  }

  /**
   * Restore the worker's latest snapshot if it is usable for `checkpoint` (at or before it); returns
   * the position it reflects, or 0n (nothing restored: after a notice when one was passed over).
   */
  private async restore(checkpoint: bigint): Promise<bigint> {
    const options = this.snapshots;
    if (options === undefined || options.useSnapshot === false || checkpoint === 0n) return 0n;
    const latest = await loadLatestSnapshot(options.pool, this.key);
    if (latest === undefined) return 0n;
    const passOver = (why: string): bigint => {
      this.reset();
      options.onNotice?.(
        `read model ${this.key}: snapshot ${latest.id} (position ${latest.position}, ${latest.createdAt}) ${why}: replaying the log`,
      );
      return 0n;
    };
    if (latest.format !== SNAPSHOT_FORMAT)
      return passOver(`has format ${latest.format}, this version reads format ${SNAPSHOT_FORMAT}`);
    if (latest.position > checkpoint) return passOver(`is beyond the checkpoint (position ${checkpoint})`);
    const read = readSnapshot(latest.bytes, this.ledgerOptions);
    if (read._tag !== 'Restored') return passOver(`cannot be read (${read.message})`);
    if (read.meta['position'] !== latest.position.toString())
      return passOver('does not say which events it reflects');
    const refused = this.decodeState(read.meta[STATE_KEY]);
    if (refused !== undefined) return passOver(refused);
    this.ledger = read.ledger;
    this.snapshotAt = latest.position;
    return latest.position;
  }

  /** Store a snapshot of the worker's state at `position` (its checkpoint), on `client`'s transaction. */
  async saveSnapshot(client: PoolClient, position: bigint): Promise<void> {
    await saveSnapshotIn(client, {
      partition: this.key,
      format: SNAPSHOT_FORMAT,
      position,
      bytes: writeSnapshot(this.ledger, { position: position.toString(), [STATE_KEY]: this.encodeState() }),
    });
    this.snapshotAt = position;
  }

  private owns(contractId: string): boolean {
    return (
      this.partition.count === 1 ||
      partitionOfContract(contractId, this.partition.count) === this.partition.index
    );
  }

  /**
   * Whether to read the events of `stream` at all. Stream names follow spec §2 (`contract-<id>`,
   * `ticket-<id>`, `ratecard-<id>`): a contract stream holds only that contract's events, a ticket
   * stream only that ticket's. Another worker's contract or ticket is skipped; any other stream is read.
   */
  keeps(stream: string): boolean {
    if (this.partition.count === 1) return true;
    if (stream.startsWith('contract-')) return this.owns(stream.slice('contract-'.length));
    if (stream.startsWith('ticket-')) return !this.foreignTickets.has(stream.slice('ticket-'.length));
    return true;
  }

  /** Whom `ev` concerns, from its own data and the ids this worker's contracts created. */
  private route(ev: DomainEvent): Route {
    switch (ev.type) {
      case 'RateCardPublished':
      case 'HourlyRateSet':
        return { kind: 'card', rateCardId: ev.data.rateCardId };
      case 'TicketReclassified':
      case 'OrderConfirmed':
      case 'OrderDeclined':
      case 'UpdateScheduled':
      case 'UpdateApplied':
      case 'UpdateFailed':
      case 'WorkLogged':
        return viaMap(this.contractOfTicket, ev.data.ticketId);
      case 'WorkLogCorrected':
      case 'WorkLogVoided':
        return viaMap(this.contractOfWork, ev.data.workId);
      case 'AlertAcknowledged':
        return viaMap(this.contractOfAlert, ev.data.alertId);
      default: {
        // Every other event names its contract. One that names none (an event type added later
        // without a route here) reaches every worker and touches every contract: never too little.
        const { contractId } = ev.data as { readonly contractId?: unknown };
        return typeof contractId === 'string' ? { kind: 'contract', contractId } : ALL;
      }
    }
  }

  /**
   * Apply `ev` if this worker needs it; the contracts whose rows it may change go into `touched`
   * (undefined: a rebuild, which writes nothing and leaves the rows written unknown).
   */
  apply(ev: DomainEvent, touched: Touched | undefined): void {
    const route = this.route(ev);
    // A partitioned worker skips other contracts' events and events whose ticket, work entry or
    // alert no contract of its own created (another worker's, or unknown: invalid, no effect).
    if (route.kind === 'contract' && !this.owns(route.contractId)) {
      if (ev.type === 'TicketOpened' || ev.type === 'UpdateRequested' || ev.type === 'SafetyMeasureTaken')
        this.foreignTickets.add(ev.data.ticketId);
      return;
    }
    if (route.kind === 'unknown' && this.partition.count > 1) return;
    if (touched !== undefined) this.recall(route);
    const applied = this.ledger.apply(ev)._tag === 'Applied';
    if (applied) this.remember(ev);
    if (touched === undefined) return;
    switch (route.kind) {
      case 'contract':
        if (this.contracts.has(route.contractId)) this.touch(ev, route.contractId, touched);
        return;
      case 'card':
        for (const c of this.contractsOfCard.get(route.rateCardId) ?? []) touched.every(c);
        return;
      case 'all':
        for (const c of this.contracts.keys()) touched.every(c);
        return;
      case 'unknown':
        return;
    }
  }

  /**
   * Before an event that may change the rows of the contracts `route` names: the rows written of
   * those whose rows are not known yet (after a rebuild), as the Ledger answers them before it —
   * what the tables hold, since no event after the checkpoint has touched them.
   */
  private recall(route: Route): void {
    if (this.unrecalled.size === 0) return;
    const recall = (contractId: string): void => {
      if (this.unrecalled.delete(contractId)) this.diff(contractId, EVERY, undefined);
    };
    switch (route.kind) {
      case 'contract':
        return recall(route.contractId);
      case 'card':
        for (const c of this.contractsOfCard.get(route.rateCardId) ?? []) recall(c);
        return;
      case 'all':
        // Deleting the element being visited from a Set is safe in for…of.
        for (const c of this.unrecalled) recall(c);
        return;
      case 'unknown':
        return;
    }
  }

  /**
   * Which rows of contract `contractId` event `ev` may change. An entry is classified and priced
   * from its own values, its ticket's facts, its contract's facts and its rate card (spec §4, §5):
   * a work entry's events change that entry, a ticket's events the entries logged on it, an
   * InvoiceIssued none (only invoices), and any other event of the contract all of them.
   */
  private touch(ev: DomainEvent, contractId: string, touched: Touched): void {
    switch (ev.type) {
      case 'WorkLogged':
      case 'WorkLogCorrected':
      case 'WorkLogVoided':
        return touched.entries(contractId, [ev.data.workId]);
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken':
      case 'TicketReclassified':
      case 'OrderConfirmed':
      case 'OrderDeclined':
      case 'UpdateScheduled':
      case 'UpdateApplied':
      case 'UpdateFailed':
        return touched.entries(contractId, this.worksOfTicket.get(ev.data.ticketId) ?? []);
      case 'InvoiceIssued':
        return touched.entries(contractId, []);
      default:
        return touched.every(contractId);
    }
  }

  /** Record the routes and contract facts an applied event creates. */
  private remember(ev: DomainEvent): void {
    switch (ev.type) {
      case 'MSPBooked': {
        const { contractId, rateCardId, timeZone } = ev.data;
        this.contracts.set(contractId, {
          timeZone,
          bookedPeriod: periodOf(ev.occurredAt, timeZone),
          issued: new Map(),
          lastIssued: undefined,
        });
        let set = this.contractsOfCard.get(rateCardId);
        if (set === undefined) this.contractsOfCard.set(rateCardId, (set = new Set()));
        set.add(contractId);
        return;
      }
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken':
        this.contractOfTicket.set(ev.data.ticketId, ev.data.contractId);
        return;
      case 'WorkLogged': {
        const contractId = this.contractOfTicket.get(ev.data.ticketId);
        if (contractId === undefined) return;
        this.contractOfWork.set(ev.data.workId, contractId);
        const works = this.worksOfTicket.get(ev.data.ticketId);
        if (works === undefined) this.worksOfTicket.set(ev.data.ticketId, [ev.data.workId]);
        else works.push(ev.data.workId);
        return;
      }
      case 'AlertRaised':
        this.contractOfAlert.set(ev.data.alertId, ev.data.contractId);
        return;
      case 'InvoiceIssued': {
        const c = this.contracts.get(ev.data.contractId);
        if (c === undefined) return;
        c.issued.set(ev.data.period, ev.occurredAt);
        c.lastIssued = ev.data.period;
        return;
      }
      default:
        return;
    }
  }

  /**
   * Replay the log up to `checkpoint`, from the worker's latest snapshot when it has a usable one
   * (nothing written: the tables reflect the checkpoint already).
   */
  async rebuild(client: PoolClient, checkpoint: bigint): Promise<void> {
    this.reset();
    for (let from = await this.restore(checkpoint); from < checkpoint;) {
      const page = await readPageWith(client, from, 2000, (stream) => this.keeps(stream));
      if (page.last === undefined) break;
      for (const r of page.records) if (r.position <= checkpoint) this.apply(r.event, undefined);
      from = page.last;
    }
    if (checkpoint === 0n) {
      // Nothing committed by this worker: whatever rows of its contracts the tables hold are not its
      // own (left by a run with another partitioning); they go, and so do its snapshots.
      await this.clearOwnRows(client);
      await client.query('DELETE FROM msp_snapshots WHERE partition = $1', [this.key]);
    }
    // The rows written of each contract are recalled when an event first touches it (recall).
    this.unrecalled = new Set(this.contracts.keys());
    this.position = checkpoint;
  }

  private async clearOwnRows(client: PoolClient): Promise<void> {
    const found = await client.query<{ contract_id: string }>(
      `SELECT contract_id FROM billing_invoices UNION SELECT DISTINCT contract_id FROM billing_entries`,
    );
    const own = found.rows.map((r) => r.contract_id).filter((c) => this.owns(c));
    if (own.length === 0) return;
    for (const table of ['billing_entries', 'billing_invoice_lines', 'billing_invoices'])
      await client.query(`DELETE FROM ${table} WHERE contract_id = ANY($1::text[])`, [own]);
  }

  /**
   * Compare contract `contractId`'s rows as the Ledger answers them now with those written, record
   * the new ones as written, and collect what to write into `out` (nothing collected when undefined:
   * a rebuild, whose rows are in the tables already).
   */
  private diff(contractId: string, which: Set<string> | typeof EVERY, out: Changes | undefined): void {
    const info = this.contracts.get(contractId) as ContractInfo;
    let entries = this.writtenEntries.get(contractId);
    if (entries === undefined) this.writtenEntries.set(contractId, (entries = new Map()));
    const keys = entries;
    const put = (e: LedgerEntry): void => {
      const row = entryRow(e);
      const before = keys.get(e.workId);
      if (before !== undefined && sameRow(before, row)) return;
      keys.set(e.workId, row);
      out?.deleteEntries.push(e.workId);
      out?.entries.push(row);
    };
    const drop = (workId: string): void => {
      if (!keys.delete(workId)) return;
      out?.deleteEntries.push(workId);
    };
    if (which === EVERY) {
      // Every current entry; those no longer current (voided) are deleted.
      const seen = new Set<string>();
      for (const e of this.ledger.eachEntry({ contractId })) {
        seen.add(e.workId);
        put(e);
      }
      if (seen.size !== keys.size) for (const workId of keys.keys()) if (!seen.has(workId)) drop(workId);
    } else {
      for (const workId of which) {
        // The entry as the Ledger lists it; none when voided.
        const e = this.ledger.entry(workId);
        if (e !== undefined) put(e);
        else drop(workId);
      }
    }
    // Invoices: the issued ones (frozen: written once) and the draft of the next period.
    let invoices = this.writtenInvoices.get(contractId);
    if (invoices === undefined) this.writtenInvoices.set(contractId, (invoices = new Map()));
    const next = nextPeriodOf(info);
    for (const [period, issuedAt] of info.issued) {
      if (invoices.get(period) === ISSUED) continue;
      invoices.set(period, ISSUED);
      this.collectInvoice(contractId, period, issuedAt, out);
    }
    const draft = this.invoiceOf(contractId, next);
    const rows = invoiceRows(draft, undefined);
    const before = invoices.get(next);
    if (before === undefined || before === ISSUED || !sameInvoice(before, rows)) {
      invoices.set(next, rows);
      out?.deleteInvoices.push([contractId, next]);
      out?.invoices.push(rows.head);
      out?.lines.push(...rows.lines);
    }
    // An earlier draft whose period was passed over (a later period was issued): not shown any more.
    for (const [period, written] of invoices)
      if (written !== ISSUED && period !== next) {
        invoices.delete(period);
        out?.deleteInvoices.push([contractId, period]);
      }
  }

  private collectInvoice(
    contractId: string,
    period: string,
    issuedAt: number,
    out: Changes | undefined,
  ): void {
    if (out === undefined) return;
    const rows = invoiceRows(this.invoiceOf(contractId, period), issuedAt);
    out.deleteInvoices.push([contractId, period]);
    out.invoices.push(rows.head);
    out.lines.push(...rows.lines);
  }

  private invoiceOf(contractId: string, period: string): Invoice {
    const v = this.ledger.invoice(contractId, period);
    // Both arguments come from the log's valid events: a known contract, a well-formed period.
    if (E.isLeft(v)) throw new Error(`read model: ${v.left.message}`);
    return v.right;
  }

  /** Apply one batch and write the rows it changed, on `client` inside the batch's transaction. */
  async handle(client: PoolClient, records: readonly RecordedEvent[]): Promise<void> {
    const touched = new Touched();
    for (const r of records) this.apply(r.event, touched);
    const out: Changes = { deleteEntries: [], entries: [], deleteInvoices: [], invoices: [], lines: [] };
    for (const [contractId, which] of touched.byContract) this.diff(contractId, which, out);
    if (out.deleteEntries.length > 0)
      await client.query('DELETE FROM billing_entries WHERE work_id = ANY($1::text[])', [out.deleteEntries]);
    await insertRows(client, 'billing_entries', ENTRY_COLUMNS, out.entries);
    await deleteInvoices(client, out.deleteInvoices);
    await insertRows(client, 'billing_invoices', INVOICE_COLUMNS, out.invoices);
    await insertRows(client, 'billing_invoice_lines', LINE_COLUMNS, out.lines);
  }
}

/** The rows one batch changes. */
interface Changes {
  readonly deleteEntries: string[];
  readonly entries: EntryRow[];
  readonly deleteInvoices: (readonly [string, string])[];
  readonly invoices: InvoiceRow[];
  readonly lines: LineRow[];
}

/** The meta key of a worker snapshot's state beside the Ledger, and the version of its form. */
const STATE_KEY = 'readModel';
const STATE_VERSION = 1;

/** A ticket: its id, its contract, and the work entries logged on it (when any). */
type EncodedTicket = [ticketId: string, contractId: string, works?: string[]];

/** The JSON form of a worker's state beside its Ledger. */
interface EncodedState {
  readonly v: number;
  readonly contracts: [
    id: string,
    timeZone: string,
    bookedPeriod: string,
    issued: [period: string, at: number][],
    lastIssued: string | null,
  ][];
  readonly tickets: EncodedTicket[];
  /** Work entries of tickets with no contract (none in practice; kept for exactness). */
  readonly loose: [ticketId: string, works: string[]][];
  /** Work entries whose contract is not their ticket's (none in practice). */
  readonly works: [workId: string, contractId: string][];
  readonly alerts: [alertId: string, contractId: string][];
  readonly cards: [rateCardId: string, contracts: string[]][];
  readonly foreign: string[];
}

/** Each listed work entry's contract as its ticket's. */
const workContracts = (
  contractOfTicket: ReadonlyMap<string, string>,
  worksOfTicket: ReadonlyMap<string, readonly string[]>,
): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [t, works] of worksOfTicket) {
    const c = contractOfTicket.get(t);
    if (c !== undefined) for (const w of works) out.set(w, c);
  }
  return out;
};

/** Where and how often a worker stores and restores its snapshots. */
interface WorkerSnapshots {
  readonly pool: Pool;
  /** Store one when the checkpoint is this many positions past the last (0: never). */
  readonly every: number;
  /** Start from the latest one (default true). */
  readonly useSnapshot?: boolean;
  readonly onNotice?: (line: string) => void;
}

/** Positions between two snapshots of a worker, by default. */
export const SNAPSHOT_EVERY = 50_000;

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
