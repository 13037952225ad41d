/** The read-model worker: its Ledger, the routes of its ids, what it has written, and its snapshots. */
import type { PoolClient } from 'pg';
import * as E from 'fp-ts/lib/Either.js';
import {
  createLedger,
  periodOf,
  SNAPSHOT_FORMAT,
  writeSnapshot,
  type Invoice,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
} from '@msp-billing/billing';
import { readSnapshotInPlace } from '@msp-billing/billing/internal';
import type { DomainEvent } from '@msp-billing/events';
import type { RecordedEvent } from '@msp-billing/store';
import { loadLatestSnapshot, saveSnapshotIn } from '../snapshots.js';
import { readPageWith } from '../store.js';
import { partitionOfContract, readModelName, type Partition } from './partitions.js';
import {
  deleteInvoices,
  entryRow,
  ENTRY_COLUMNS,
  insertRows,
  INVOICE_COLUMNS,
  invoiceRows,
  LINE_COLUMNS,
  sameInvoice,
  sameRow,
  type EntryRow,
  type InvoiceRow,
  type InvoiceRows,
  type LineRow,
} from './schema.js';
import {
  ALL,
  EVERY,
  ISSUED,
  nextPeriodOf,
  Touched,
  viaMap,
  type ContractInfo,
  type Route,
} from './routes.js';
import {
  STATE_KEY,
  STATE_VERSION,
  workContracts,
  type EncodedState,
  type EncodedTicket,
  type WorkerSnapshots,
} from './snapshotState.js';

/** One worker: its Ledger, the routes of its ids, and what it has written. */
export class ReadModelWorker {
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
    // The bytes are this worker's alone: read in place.
    const read = readSnapshotInPlace(latest.bytes, this.ledgerOptions);
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
