/**
 * The registry: a view over the whole log of which ids exist and where they belong. It answers the
 * questions no single stream can: which VM already has an active MSP (1), whether a ticket, work or
 * alert id is taken, which ticket a work entry and which contract an alert belongs to (to route
 * `CorrectWorkLog`, `VoidWorkLog` and `AcknowledgeAlert`), which rate cards exist, and which invoice
 * numbers are taken. Deciders take it as an input; `evolveRegistry` is O(1) amortised per event.
 * It answers the integrity of ids (spec §2) as {@link REGISTRY_IDS}, for `existenceRefusal`.
 */
import type { DomainEvent, StreamResolver } from '@msp-billing/events';
import type { IdIndex } from './existence.js';
import type { InvoiceNumberUse } from './invoiceRules.js';
import {
  emptyKeyedLog,
  keyedEntries,
  keyedFromEntries,
  keyedGet,
  keyedSet,
  type KeyedLog,
} from './keyedLog.js';

/** Which ids exist, and where they belong. */
export interface Registry {
  /** VM id → the contract whose MSP is active on it, or null once cancelled (in recording order). */
  readonly activeMspByVm: KeyedLog<string | null>;
  readonly vmOfContract: KeyedLog<string>;
  readonly contractOfTicket: KeyedLog<string>;
  readonly ticketOfWork: KeyedLog<string>;
  /** Work entries voided. */
  readonly voidedWork: KeyedLog<true>;
  readonly contractOfAlert: KeyedLog<string>;
  readonly rateCards: KeyedLog<true>;
  /** Invoice number → the issued invoice that used it first (spec §2: numbers are unique). */
  readonly invoiceNumbers: KeyedLog<InvoiceNumberUse>;
}

/**
 * The registry of an empty log. A function, not a constant: versions share buffers, and a shared
 * empty constant would keep the first log folded from it alive.
 */
export const emptyRegistry = (): Registry => ({
  activeMspByVm: emptyKeyedLog(),
  vmOfContract: emptyKeyedLog(),
  contractOfTicket: emptyKeyedLog(),
  ticketOfWork: emptyKeyedLog(),
  voidedWork: emptyKeyedLog(),
  contractOfAlert: emptyKeyedLog(),
  rateCards: emptyKeyedLog(),
  invoiceNumbers: emptyKeyedLog(),
});

type Patch = { -readonly [K in keyof Registry]?: Registry[K] };

// A literal of fixed shape: object spread is several times slower in V8, and this runs per event.
const update = (r: Registry, p: Patch): Registry => ({
  activeMspByVm: p.activeMspByVm ?? r.activeMspByVm,
  vmOfContract: p.vmOfContract ?? r.vmOfContract,
  contractOfTicket: p.contractOfTicket ?? r.contractOfTicket,
  ticketOfWork: p.ticketOfWork ?? r.ticketOfWork,
  voidedWork: p.voidedWork ?? r.voidedWork,
  contractOfAlert: p.contractOfAlert ?? r.contractOfAlert,
  rateCards: p.rateCards ?? r.rateCards,
  invoiceNumbers: p.invoiceNumbers ?? r.invoiceNumbers,
});

/** Fold one event into the registry; events that create nothing leave it unchanged. */
export const evolveRegistry = (r: Registry, e: DomainEvent): Registry => {
  switch (e.type) {
    case 'MSPBooked':
      if (keyedGet(r.vmOfContract, e.data.contractId) !== undefined) return r;
      return update(r, {
        vmOfContract: keyedSet(r.vmOfContract, e.data.contractId, e.data.vmId),
        activeMspByVm: keyedSet(r.activeMspByVm, e.data.vmId, e.data.contractId),
      });
    case 'MSPCancelled': {
      const vm = keyedGet(r.vmOfContract, e.data.contractId);
      if (vm === undefined || keyedGet(r.activeMspByVm, vm) !== e.data.contractId) return r;
      return update(r, { activeMspByVm: keyedSet(r.activeMspByVm, vm, null) });
    }
    case 'TicketOpened':
    case 'UpdateRequested':
    case 'SafetyMeasureTaken':
      if (keyedGet(r.contractOfTicket, e.data.ticketId) !== undefined) return r;
      return update(r, {
        contractOfTicket: keyedSet(r.contractOfTicket, e.data.ticketId, e.data.contractId),
      });
    case 'WorkLogged':
      if (keyedGet(r.ticketOfWork, e.data.workId) !== undefined) return r;
      return update(r, { ticketOfWork: keyedSet(r.ticketOfWork, e.data.workId, e.data.ticketId) });
    case 'WorkLogVoided':
      if (keyedGet(r.ticketOfWork, e.data.workId) === undefined) return r;
      return update(r, { voidedWork: keyedSet(r.voidedWork, e.data.workId, true) });
    case 'AlertRaised':
      if (keyedGet(r.contractOfAlert, e.data.alertId) !== undefined) return r;
      return update(r, { contractOfAlert: keyedSet(r.contractOfAlert, e.data.alertId, e.data.contractId) });
    case 'RateCardPublished':
      return update(r, { rateCards: keyedSet(r.rateCards, e.data.rateCardId, true) });
    case 'InvoiceIssued':
      if (keyedGet(r.invoiceNumbers, e.data.invoiceNumber) !== undefined) return r;
      return update(r, {
        invoiceNumbers: keyedSet(r.invoiceNumbers, e.data.invoiceNumber, {
          contractId: e.data.contractId,
          period: e.data.period,
        }),
      });
    default:
      return r;
  }
};

/** The contract whose MSP is active on `vmId`, or undefined (1). */
export const activeMspForVm = (r: Registry, vmId: string): string | undefined =>
  keyedGet(r.activeMspByVm, vmId) ?? undefined;

/** Whether contract `contractId` was booked. */
export const isContractBooked = (r: Registry, contractId: string): boolean =>
  keyedGet(r.vmOfContract, contractId) !== undefined;

/** The contract ticket `ticketId` belongs to, or undefined when no such ticket was opened. */
export const contractOfTicket = (r: Registry, ticketId: string): string | undefined =>
  keyedGet(r.contractOfTicket, ticketId);

/** The ticket work entry `workId` was logged on, or undefined. */
export const ticketOfWork = (r: Registry, workId: string): string | undefined =>
  keyedGet(r.ticketOfWork, workId);

/** The contract alert `alertId` was raised for, or undefined. */
export const contractOfAlert = (r: Registry, alertId: string): string | undefined =>
  keyedGet(r.contractOfAlert, alertId);

/** Whether rate card `rateCardId` was published. */
export const isRateCardPublished = (r: Registry, rateCardId: string): boolean =>
  keyedGet(r.rateCards, rateCardId) === true;

/** The issued invoice that used `invoiceNumber`, or undefined when it is free. */
export const invoiceNumberUse = (r: Registry, invoiceNumber: string): InvoiceNumberUse | undefined =>
  keyedGet(r.invoiceNumbers, invoiceNumber);

/** The registry as the stream resolver of `@msp-billing/events` (`streamOf`). */
export const registryResolver = (r: Registry): StreamResolver => ({
  ticketOfWork: (workId) => ticketOfWork(r, workId),
  contractOfAlert: (alertId) => contractOfAlert(r, alertId),
});

/** Which ids the registry knows (spec §2), for `existenceRefusal`. */
export const REGISTRY_IDS: IdIndex<Registry> = Object.freeze({
  contractBooked: isContractBooked,
  rateCardPublished: isRateCardPublished,
  ticketOpened: (r: Registry, ticketId: string) => contractOfTicket(r, ticketId) !== undefined,
  workEntry: (r: Registry, workId: string) =>
    ticketOfWork(r, workId) === undefined
      ? undefined
      : keyedGet(r.voidedWork, workId) === true
        ? ('voided' as const)
        : ('live' as const),
  contractOfAlert,
});

/** Every field of a Registry, once: a field added to the interface and not here fails to compile. */
const REGISTRY_FIELD_SET: { readonly [K in keyof Registry]: true } = {
  activeMspByVm: true,
  vmOfContract: true,
  contractOfTicket: true,
  ticketOfWork: true,
  voidedWork: true,
  contractOfAlert: true,
  rateCards: true,
  invoiceNumbers: true,
};
const REGISTRY_FIELDS = Object.keys(REGISTRY_FIELD_SET) as (keyof Registry)[];

/**
 * The registry as JSON text, to keep beside a snapshot of the log it was folded from: every id with
 * its latest value. {@link registryFromJson} gives a registry that answers every question alike.
 */
export const registryToJson = (r: Registry): string =>
  JSON.stringify(Object.fromEntries(REGISTRY_FIELDS.map((f) => [f, keyedEntries<unknown>(r[f])])));

/** The registry {@link registryToJson} wrote, or undefined when `text` is not one. */
export const registryFromJson = (text: string): Registry | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const out: Record<string, KeyedLog<unknown>> = {};
  for (const f of REGISTRY_FIELDS) {
    const pairs = fields[f];
    if (!Array.isArray(pairs)) return undefined;
    for (const pair of pairs as unknown[])
      if (!Array.isArray(pair) || typeof pair[0] !== 'string') return undefined;
    out[f] = keyedFromEntries(pairs as [string, unknown][]);
  }
  return out as unknown as Registry;
};
