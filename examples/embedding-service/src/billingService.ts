/**
 * The service's core, free of HTTP: routes each command to its decider (Contract, Ticket or RateCard)
 * through the store's retrying `commandHandler`, and answers queries from a Ledger kept up to date
 * from the store.
 *
 * Keeping the Ledger current — catch-up ON DEMAND, not a background subscription. Before every
 * command and every query the service reads the store's global order from the last position it saw
 * (`readAll`, page by page) and applies what is new to the Ledger and the Registry. Why:
 * - read-your-writes: a client that POSTs a work entry and then GETs the draft sees its entry; a
 *   background subscription is eventually consistent (the PostgreSQL one polls every 100 ms), so a
 *   client would have to poll or retry;
 * - the deciders need the Registry (which VM has an MSP, which ids are taken) to be current at the
 *   moment of deciding, or "one MSP per VM" (1) could be decided on stale facts;
 * - it still only reads what is new, so each request costs O(events since the last request), and
 *   events appended by another process sharing the PostgreSQL store are picked up too.
 *
 * Snapshots (a PostgreSQL store, `snapshots` option): at start the service restores the Ledger from
 * the store's latest snapshot and reads only the events after it; it writes a new one every
 * {@link SNAPSHOT_EVERY} events it applies (by default) and on `close`. The Registry rides in the
 * snapshot's meta (`registryToJson`), so both stand at the same position. Only commands read the
 * Registry, so it is read from that text when the first command (or the next snapshot) needs it, and
 * the events applied until then are folded into it: queries are answered as soon as the Ledger is
 * restored. A Registry text that does not read is rebuilt from the log instead. Its snapshots are
 * kept under a key of their own ({@link SERVICE_SNAPSHOTS}); one of another format is passed over.
 *
 * Commands and queries run one at a time (a promise queue). Cross-aggregate rules such as "one MSP
 * per VM" span two streams, which the store's per-stream expected revisions do not protect; serial
 * handling keeps the registry current within this process. Across processes the store keeps them:
 * it refuses, atomically with the append, an `MSPBooked` for a VM with an active MSP, a work or
 * alert id already held, and an `InvoiceIssued` whose number another invoice holds; the command
 * handler answers those with the decider's refusal or `InvoiceNumberTaken`.
 */
import {
  PROVIDER_STREAM,
  contractStream,
  customerStream,
  encodeEvent,
  rateCardStream,
  ticketStream,
  type DomainEvent,
  type WireEvent,
} from '@msp-billing/events';
import {
  contractDecider,
  customerProfileDecider,
  isContractCommand,
  isProfileCommand,
  isRateCardCommand,
  providerProfileDecider,
  eventOfCommand,
  contractOfAlert,
  contractOfTicket,
  emptyRegistry,
  evolveRegistry,
  rateCardDecider,
  registryFromJson,
  registryToJson,
  ticketDecider,
  ticketOfWork,
  type Command,
  type Refusal,
  type Registry,
  type TicketCommand,
} from '@msp-billing/contracts';
import {
  aggregateStream,
  commandHandler,
  isEventIdConflict,
  readAllEvents,
  type CommandIdConflict,
  type ConflictRetriesExhausted,
  type EventStore,
  type InvoiceNumberTaken,
} from '@msp-billing/store';
import {
  createLedger,
  type Explanation,
  type Invoice,
  type Ledger,
  type LedgerQueryError,
} from '@msp-billing/billing';
import type { PostgresEventStore, ReplayCounts } from '@msp-billing/store-postgres';
import { DEFAULT_SLA_CATALOG, type SlaCatalog } from '@msp-billing/sla';

/** The store refused an event id that is already used with other content (spec §2). */
export interface EventIdConflict {
  readonly _tag: 'EventIdConflict';
  readonly eventId: string;
  readonly message: string;
}

/** Why a command was not recorded. */
export type CommandRefusal =
  Refusal | ConflictRetriesExhausted | CommandIdConflict | EventIdConflict | InvoiceNumberTaken;

/**
 * The outcome of a command: the events recorded (wire form), or the refusal. `replayed` is true when
 * the command had been applied before (a resend with the same event id and content): the events are
 * the ones recorded then, and nothing new was appended.
 */
export type CommandOutcome =
  | { readonly _tag: 'Accepted'; readonly events: readonly WireEvent[]; readonly replayed: boolean }
  | { readonly _tag: 'Refused'; readonly refusal: CommandRefusal };

/** A query answer, or the Ledger's reason for not answering. */
export type QueryOutcome<A> =
  | { readonly _tag: 'Answer'; readonly value: A }
  | { readonly _tag: 'QueryError'; readonly error: LedgerQueryError };

/** The billing service over one event store. */
export interface BillingService {
  /** Decide a command and append its events. */
  execute(command: Command): Promise<CommandOutcome>;
  /** The invoice (contract, period) over everything recorded so far. */
  invoice(contractId: string, period: string): Promise<QueryOutcome<Invoice>>;
  /** How work entry `workId` was classified and priced, rule by rule. */
  explain(workId: string): Promise<QueryOutcome<Explanation>>;
  /** Read what the store holds (from the latest snapshot, with `snapshots`); later calls read what is new. */
  start(): Promise<void>;
  /** Write a last snapshot (with `snapshots`) after the commands in flight; the store stays open. */
  close(): Promise<void>;
}

/** Events applied between two snapshots by default: a restart reads at most this many after one. */
export const SNAPSHOT_EVERY = 50_000;

/**
 * The key the service's snapshots are kept under (`msp_snapshots.partition`): its own, so that the
 * snapshots `msp-billing snapshot --store` writes (which hold no Registry) never shadow them.
 */
export const SERVICE_SNAPSHOTS = 'embedding-service';

/** What the command handler or an unrouted decision says. */
type Decided =
  | { readonly _tag: 'Left'; readonly left: CommandRefusal }
  | {
      readonly _tag: 'Right';
      readonly right: { readonly events: readonly DomainEvent[]; readonly alreadyApplied: boolean };
    };

/**
 * A command that names an unknown alert or work entry routes to no stream; its decider refuses it
 * on the empty state. Should a decider ever accept such a command, there would be nowhere to
 * append its events: fail loudly rather than report a success that recorded nothing.
 */
const refuseUnrouted = (
  decided: { readonly _tag: 'Left'; readonly left: Refusal } | { readonly _tag: 'Right' },
  command: Command,
): Decided => {
  if (decided._tag === 'Left') return decided;
  throw new Error(`${command.type} ${command.eventId} was accepted but names no stream to record it in`);
};

/** Options of {@link createBillingService}. */
export interface BillingServiceOptions {
  /** The SLA catalog used by deciders and the Ledger alike (default: spec §6). */
  readonly slaCatalog?: SlaCatalog;
  /**
   * Keep snapshots in this PostgreSQL store (the one the service runs on): start from its latest,
   * write one every `every` applied events (default {@link SNAPSHOT_EVERY}) and on `close`.
   * `onNotice` hears why a stored snapshot was passed over (one line).
   */
  readonly snapshots?: {
    readonly store: PostgresEventStore;
    readonly every?: number;
    readonly onNotice?: (line: string) => void;
  };
}

/** Build the service over `store` (which it does not close). */
export const createBillingService = (
  store: EventStore,
  options: BillingServiceOptions = {},
): BillingService => {
  const catalog = options.slaCatalog ?? DEFAULT_SLA_CATALOG;
  const snapshots = options.snapshots;
  const every = Math.max(1, snapshots?.every ?? SNAPSHOT_EVERY);
  let ledger: Ledger = createLedger({ slaCatalog: catalog });
  let registry: Registry = emptyRegistry();
  /**
   * The Registry as a snapshot's meta wrote it, not read yet, and the events applied since (in
   * order); undefined once `registry` is current.
   */
  let unread: { readonly text: string; readonly since: DomainEvent[] } | undefined;
  let position: bigint | undefined;
  let started = false;
  /** What the log held up to `position` (kept for the snapshots' meta), and events since the last one. */
  const counts = { events: 0, duplicates: 0, invalid: 0 };
  let sinceSnapshot = 0;
  let queue: Promise<unknown> = Promise.resolve();

  /** Run `task` after every earlier one; a failed task does not block the next. */
  const serial = <A>(task: () => Promise<A>): Promise<A> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Fold `event` into the Registry, or keep it for when the Registry is read. */
  const registryApply = (event: DomainEvent): void => {
    if (unread === undefined) registry = evolveRegistry(registry, event);
    else unread.since.push(event);
  };

  /**
   * The Registry of every event applied: read from the snapshot's text on first use (with the events
   * since folded in); when that text does not read, folded from the log up to `position`.
   */
  const currentRegistry = async (): Promise<Registry> => {
    if (unread === undefined) return registry;
    const { text, since } = unread;
    unread = undefined;
    const restored = registryFromJson(text);
    if (restored !== undefined) registry = since.reduce(evolveRegistry, restored);
    else {
      snapshots?.onNotice?.("the snapshot's registry does not read: rebuilding it from the log");
      registry = emptyRegistry();
      const upTo = position ?? 0n;
      for await (const r of readAllEvents(store, { batchSize: 1000 })) {
        if (r.position > upTo) break;
        registry = evolveRegistry(registry, r.event);
      }
    }
    return registry;
  };

  const applyEvent = (event: DomainEvent): void => {
    registryApply(event);
    const applied = ledger.apply(event);
    counts.events += 1;
    if (applied._tag === 'Duplicate') counts.duplicates += 1;
    else if (applied._tag === 'Invalid') counts.invalid += 1;
    sinceSnapshot += 1;
  };

  const writeSnapshot = async (): Promise<void> => {
    if (snapshots === undefined) return;
    const at = position ?? 0n;
    const { saveLedgerSnapshot } = await import('@msp-billing/store-postgres');
    await saveLedgerSnapshot(
      snapshots.store,
      ledger,
      at,
      { ...counts } satisfies ReplayCounts,
      { registry: registryToJson(await currentRegistry()) },
      SERVICE_SNAPSHOTS,
    );
    sinceSnapshot = 0;
  };

  /** The first read: from the latest snapshot when there is one to use. */
  const startFromSnapshot = async (pg: PostgresEventStore): Promise<void> => {
    const { loadStoreLedger } = await import('@msp-billing/store-postgres');
    const loaded = await loadStoreLedger(pg, {
      partition: SERVICE_SNAPSHOTS,
      ledger: { slaCatalog: catalog },
      restored: (meta) => {
        const text = meta['registry'];
        if (text === undefined) return 'keeps no registry';
        unread = { text, since: [] };
        return undefined;
      },
      onEvent: (r) => registryApply(r.event),
    });
    if (loaded.notice !== undefined) snapshots?.onNotice?.(loaded.notice);
    ledger = loaded.ledger;
    position = loaded.position;
    Object.assign(counts, loaded.counts);
    sinceSnapshot = loaded.tail;
  };

  const catchUp = async (): Promise<void> => {
    if (!started) {
      started = true;
      if (snapshots !== undefined) await startFromSnapshot(snapshots.store);
    }
    for (;;) {
      const page = await store.readAll({
        ...(position === undefined ? {} : { fromPosition: position }),
        batchSize: 1000,
      });
      if (page.length === 0) break;
      for (const r of page) {
        applyEvent(r.event);
        position = r.position;
      }
    }
    if (snapshots !== undefined && sinceSnapshot >= every) await writeSnapshot();
  };

  const contractState = async (contractId: string | undefined) =>
    contractId === undefined
      ? contractDecider.initialState
      : (
          await aggregateStream(
            store,
            contractStream(contractId),
            contractDecider.evolve,
            contractDecider.initialState,
          )
        ).state;

  /**
   * Decide with the store's command handler: load the stream, load the inputs from other aggregates
   * (again on every retry), decide, append with the exact revision. A resent command (same event id
   * and content, e.g. a client retry after a timeout) is answered as already applied.
   */
  const rateCards = commandHandler(store, rateCardDecider, { recordedEvent: eventOfCommand });
  const contracts = commandHandler(store, contractDecider, { recordedEvent: eventOfCommand });
  const tickets = commandHandler(store, ticketDecider, { recordedEvent: eventOfCommand });
  const providerProfiles = commandHandler(store, providerProfileDecider, { recordedEvent: eventOfCommand });
  const customerProfiles = commandHandler(store, customerProfileDecider, { recordedEvent: eventOfCommand });

  const handle = async (command: Command): Promise<Decided> => {
    if (isRateCardCommand(command)) {
      return rateCards(rateCardStream(command.data.rateCardId), command, () => undefined);
    }
    if (isContractCommand(command)) {
      const contractId =
        command.type === 'AcknowledgeAlert'
          ? contractOfAlert(registry, command.data.alertId)
          : command.data.contractId;
      const inputs = () => ({ registry, catalog });
      // An unknown alert routes nowhere: let the decider refuse it on the empty state.
      if (contractId === undefined)
        return refuseUnrouted(
          contractDecider.decide(command, contractDecider.initialState, inputs()),
          command,
        );
      return contracts(contractStream(contractId), command, inputs);
    }
    if (isProfileCommand(command)) {
      return command.type === 'SetProviderProfile'
        ? providerProfiles(PROVIDER_STREAM, command, () => undefined)
        : customerProfiles(customerStream(command.data.customerId), command, () => undefined);
    }
    const tc: TicketCommand = command;
    const ticketId =
      tc.type === 'CorrectWorkLog' || tc.type === 'VoidWorkLog'
        ? ticketOfWork(registry, tc.data.workId)
        : tc.data.ticketId;
    const contractId =
      tc.type === 'OpenTicket' || tc.type === 'RequestUpdate' || tc.type === 'TakeSafetyMeasure'
        ? tc.data.contractId
        : ticketId === undefined
          ? undefined
          : contractOfTicket(registry, ticketId);
    const inputs = async () => ({ contract: await contractState(contractId), registry, catalog });
    if (ticketId === undefined)
      return refuseUnrouted(ticketDecider.decide(tc, ticketDecider.initialState, await inputs()), tc);
    return tickets(ticketStream(ticketId), tc, inputs);
  };

  const execute = (command: Command): Promise<CommandOutcome> =>
    serial(async () => {
      await catchUp();
      // The deciders read the Registry: read it now if a restart left it unread.
      await currentRegistry();
      let decided: Decided;
      try {
        decided = await handle(command);
      } catch (err) {
        if (!isEventIdConflict(err)) throw err;
        const refusal: EventIdConflict = {
          _tag: 'EventIdConflict',
          eventId: err.eventId,
          message: `event id ${JSON.stringify(err.eventId)} is already used by an event with other content`,
        };
        return { _tag: 'Refused', refusal };
      }
      if (decided._tag === 'Left') return { _tag: 'Refused', refusal: decided.left };
      return {
        _tag: 'Accepted',
        events: decided.right.events.map(encodeEvent),
        replayed: decided.right.alreadyApplied,
      };
    });

  const query = <A>(
    ask: () =>
      | { readonly _tag: 'Left'; readonly left: LedgerQueryError }
      | { readonly _tag: 'Right'; readonly right: A },
  ) =>
    serial(async (): Promise<QueryOutcome<A>> => {
      await catchUp();
      const r = ask();
      return r._tag === 'Left' ? { _tag: 'QueryError', error: r.left } : { _tag: 'Answer', value: r.right };
    });

  return {
    execute,
    invoice: (contractId, period) => query(() => ledger.invoice(contractId, period)),
    explain: (workId) => query(() => ledger.explain(workId)),
    start: () => serial(catchUp),
    close: () =>
      serial(async () => {
        // Nothing read yet: no state worth a snapshot (and none to read at start either).
        if (started && sinceSnapshot > 0) await writeSnapshot();
      }),
  };
};
