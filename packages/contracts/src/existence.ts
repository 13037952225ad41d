/**
 * Integrity of ids (spec §2, "Invalid events"): an event that references a contract, ticket, work
 * entry, rate card or alert that no earlier event created, re-creates one that exists, or corrects or
 * voids a work entry already voided. One home for the rule: {@link existenceRefusal} asks an
 * {@link IdIndex} which ids exist, and the Registry (registry.ts) and the Ledger's tables (billing)
 * each answer it from what they keep. The deciders ask it of the registry about the event a command
 * would record (contract.ts, ticket.ts); the Ledger asks it of its tables about each event applied. Which VM has an active MSP, the invoicing rules and who may
 * order are the other integrity rules, checked after this one by whoever keeps what they read.
 */
import type { DomainEvent } from '@msp-billing/events';
import type { RefusalData } from './refusal.js';

/**
 * Which ids a state `S` knows (the log so far): the questions {@link existenceRefusal} asks. An
 * index is a constant object of functions over the state, so asking costs no allocation per event.
 */
export interface IdIndex<S> {
  readonly contractBooked: (s: S, contractId: string) => boolean;
  readonly rateCardPublished: (s: S, rateCardId: string) => boolean;
  readonly ticketOpened: (s: S, ticketId: string) => boolean;
  /** `live` or `voided` for a work entry logged, undefined for one never logged. */
  readonly workEntry: (s: S, workId: string) => 'live' | 'voided' | undefined;
  /** The contract an alert was raised for, undefined for an alert never raised. */
  readonly contractOfAlert: (s: S, alertId: string) => string | undefined;
}

/** The refusals of {@link existenceRefusal}. */
export type ExistenceRefusal = Extract<
  RefusalData,
  {
    readonly _tag:
      | 'RateCardAlreadyPublished'
      | 'UnknownRateCard'
      | 'ContractAlreadyBooked'
      | 'UnknownContract'
      | 'TicketIdAlreadyUsed'
      | 'UnknownTicket'
      | 'UnknownAlert'
      | 'AlertIdAlreadyUsed'
      | 'WorkIdAlreadyUsed'
      | 'UnknownWorkEntry'
      | 'WorkEntryVoided';
  }
>;

const unknownContract = <S>(ids: IdIndex<S>, s: S, contractId: string): ExistenceRefusal | undefined =>
  ids.contractBooked(s, contractId) ? undefined : { _tag: 'UnknownContract', contractId };

const unknownTicket = <S>(ids: IdIndex<S>, s: S, ticketId: string): ExistenceRefusal | undefined =>
  ids.ticketOpened(s, ticketId) ? undefined : { _tag: 'UnknownTicket', ticketId };

/**
 * Why `ev` references an id that does not exist in `s`, or re-creates one that does (spec §2); undefined
 * when its ids are in order. Where an event names several, they are checked in the order a command
 * meets them: first the stream the command is routed to (the contract a ticket opens on, the ticket
 * work is logged on), then the id it would create, so the Ledger and the deciders give one refusal.
 */
export const existenceRefusal = <S>(ids: IdIndex<S>, s: S, ev: DomainEvent): ExistenceRefusal | undefined => {
  switch (ev.type) {
    case 'RateCardPublished':
      return ids.rateCardPublished(s, ev.data.rateCardId)
        ? { _tag: 'RateCardAlreadyPublished', rateCardId: ev.data.rateCardId }
        : undefined;
    case 'HourlyRateSet':
      return ids.rateCardPublished(s, ev.data.rateCardId)
        ? undefined
        : { _tag: 'UnknownRateCard', rateCardId: ev.data.rateCardId };
    case 'MSPBooked':
      if (ids.contractBooked(s, ev.data.contractId))
        return { _tag: 'ContractAlreadyBooked', contractId: ev.data.contractId };
      return ids.rateCardPublished(s, ev.data.rateCardId)
        ? undefined
        : { _tag: 'UnknownRateCard', rateCardId: ev.data.rateCardId };
    case 'TicketOpened':
    case 'UpdateRequested':
    case 'SafetyMeasureTaken': {
      const refused = unknownContract(ids, s, ev.data.contractId);
      if (refused !== undefined) return refused;
      if (ids.ticketOpened(s, ev.data.ticketId))
        return { _tag: 'TicketIdAlreadyUsed', ticketId: ev.data.ticketId };
      const alertId = ev.type === 'SafetyMeasureTaken' ? ev.data.alertId : undefined;
      return alertId === undefined || ids.contractOfAlert(s, alertId) !== undefined
        ? undefined
        : { _tag: 'UnknownAlert', alertId };
    }
    case 'TicketReclassified':
    case 'UpdateScheduled':
    case 'UpdateApplied':
    case 'UpdateFailed':
    case 'OrderConfirmed':
    case 'OrderDeclined':
      return unknownTicket(ids, s, ev.data.ticketId);
    case 'AlertRaised':
      return (
        unknownContract(ids, s, ev.data.contractId) ??
        (ids.contractOfAlert(s, ev.data.alertId) === undefined
          ? undefined
          : { _tag: 'AlertIdAlreadyUsed', alertId: ev.data.alertId })
      );
    case 'AlertAcknowledged':
      return ids.contractOfAlert(s, ev.data.alertId) === undefined
        ? { _tag: 'UnknownAlert', alertId: ev.data.alertId }
        : undefined;
    case 'WorkLogged':
      return (
        unknownTicket(ids, s, ev.data.ticketId) ??
        (ids.workEntry(s, ev.data.workId) === undefined
          ? undefined
          : { _tag: 'WorkIdAlreadyUsed', workId: ev.data.workId })
      );
    case 'WorkLogCorrected':
    case 'WorkLogVoided': {
      const entry = ids.workEntry(s, ev.data.workId);
      if (entry === undefined) return { _tag: 'UnknownWorkEntry', workId: ev.data.workId };
      return entry === 'voided' ? { _tag: 'WorkEntryVoided', workId: ev.data.workId } : undefined;
    }
    case 'ProviderProfileSet':
    case 'CustomerProfileSet':
      // A profile needs nothing earlier: it may be set before any contract of its customer.
      return undefined;
    default:
      return unknownContract(ids, s, ev.data.contractId);
  }
};
