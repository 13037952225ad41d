/**
 * Stream names of the catalog (spec §2): contract events go to `contract-<contractId>`, ticket
 * events to `ticket-<ticketId>`, rate-card events to `ratecard-<rateCardId>`; the provider's profile goes to `provider`, a customer's to
 * `customer-<customerId>` (spec §8). A few events name
 * neither directly (a work-log correction names only its work entry, an acknowledgement only its
 * alert): their stream is that of the ticket or contract they belong to, which the caller resolves.
 */
import type { DomainEvent } from './catalog.js';

/** Looks up what an event names only indirectly. */
export interface StreamResolver {
  /** The ticket a work entry was logged on. */
  readonly ticketOfWork: (workId: string) => string | undefined;
  /** The contract an alert was raised for. */
  readonly contractOfAlert: (alertId: string) => string | undefined;
}

/** The stream of a contract's events, `contract-<contractId>`. */
export const contractStream = (contractId: string): string => `contract-${contractId}`;
/** The stream of a ticket's events, `ticket-<ticketId>`. */
export const ticketStream = (ticketId: string): string => `ticket-${ticketId}`;
/** The stream of a rate card's events, `ratecard-<rateCardId>`. */
export const rateCardStream = (rateCardId: string): string => `ratecard-${rateCardId}`;
/** The one stream of the provider's own invoicing profile (spec §8). */
export const PROVIDER_STREAM = 'provider';
/** The stream of a customer's invoicing profile, `customer-<customerId>` (spec §8). */
export const customerStream = (customerId: string): string => `customer-${customerId}`;

/** The stream an event belongs to, or undefined when what it names indirectly is unknown. */
export const streamOf = (e: DomainEvent, resolve: StreamResolver): string | undefined => {
  switch (e.type) {
    case 'RateCardPublished':
    case 'HourlyRateSet':
      return rateCardStream(e.data.rateCardId);
    case 'ProviderProfileSet':
      return PROVIDER_STREAM;
    case 'CustomerProfileSet':
      return customerStream(e.data.customerId);
    case 'TicketOpened':
    case 'TicketReclassified':
    case 'OrderConfirmed':
    case 'OrderDeclined':
    case 'UpdateRequested':
    case 'UpdateScheduled':
    case 'UpdateApplied':
    case 'UpdateFailed':
    case 'SafetyMeasureTaken':
    case 'WorkLogged':
      return ticketStream(e.data.ticketId);
    case 'WorkLogCorrected':
    case 'WorkLogVoided': {
      const ticket = resolve.ticketOfWork(e.data.workId);
      return ticket === undefined ? undefined : ticketStream(ticket);
    }
    case 'AlertAcknowledged': {
      const contract = resolve.contractOfAlert(e.data.alertId);
      return contract === undefined ? undefined : contractStream(contract);
    }
    default:
      return contractStream(e.data.contractId);
  }
};
