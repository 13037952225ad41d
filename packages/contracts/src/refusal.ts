/**
 * Why a command is refused: one tagged union for every decider of this package, so a service, the
 * CLI's `check` and the tests all match on `_tag`. The readable `message` is built in one place,
 * {@link refusalMessage}, and cites the clause of the service description that forbids the command.
 */
import type { SlaLevel } from '@msp-billing/events';
import type { Justification } from '@msp-billing/events/internal';

/** How a safety measure's justification fails (4.2). */
export type UnjustifiedReason =
  | 'alert-required'
  | 'alert-not-older-than-72h'
  | 'alert-acknowledged-before'
  | 'alert-not-acknowledged-before';

/** A refusal without its message. */
export type RefusalData =
  // Domain rules of spec §6.
  | {
      readonly _tag: 'MspAlreadyBookedForVm';
      readonly vmId: string;
      readonly contractId: string;
      readonly activeContractId: string;
    }
  | { readonly _tag: 'MspMandatoryForSla'; readonly contractId: string; readonly sla: SlaLevel }
  | { readonly _tag: 'UpdateWithoutVendorSupport'; readonly ticketId: string; readonly software: string }
  | {
      readonly _tag: 'UpdateOutsideMaintenanceWindow';
      readonly ticketId: string;
      /** RFC 3339, UTC (`2026-10-08T08:00:00.000Z`): a refusal is a report, printed as is. */
      readonly scheduledFor: string;
      readonly timeZone: string;
    }
  | { readonly _tag: 'AlertingNotActive'; readonly contractId: string; readonly at: string }
  | {
      readonly _tag: 'SafetyMeasureNotJustified';
      readonly ticketId: string;
      readonly justification: Justification;
      readonly reason: UnjustifiedReason;
      readonly alertId?: string;
    }
  | {
      readonly _tag: 'HaRestartLimitReached';
      readonly contractId: string;
      readonly vmId: string;
      readonly restartsInRow: number;
    }
  | {
      readonly _tag: 'WorkOnOtherVm';
      readonly contractId: string;
      readonly vmId: string;
      readonly contractVmId: string;
    }
  | { readonly _tag: 'NotAuthorizedToOrder'; readonly ticketId: string; readonly by: string }
  // Integrity of the log (spec §2, invalid events).
  | { readonly _tag: 'UnknownContract'; readonly contractId: string }
  | { readonly _tag: 'ContractAlreadyBooked'; readonly contractId: string }
  | { readonly _tag: 'MspAlreadyCancelled'; readonly contractId: string }
  | { readonly _tag: 'UnknownRateCard'; readonly rateCardId: string }
  | { readonly _tag: 'RateCardAlreadyPublished'; readonly rateCardId: string }
  | { readonly _tag: 'UnknownTicket'; readonly ticketId: string }
  | { readonly _tag: 'TicketIdAlreadyUsed'; readonly ticketId: string }
  | { readonly _tag: 'NotAnUpdateTicket'; readonly ticketId: string }
  | { readonly _tag: 'UnknownAlert'; readonly alertId: string; readonly contractId?: string }
  | { readonly _tag: 'AlertIdAlreadyUsed'; readonly alertId: string }
  | {
      readonly _tag: 'VmNotOfContract';
      readonly contractId: string;
      readonly vmId: string;
      readonly contractVmId: string;
    }
  | { readonly _tag: 'UnknownWorkEntry'; readonly workId: string; readonly ticketId?: string }
  | { readonly _tag: 'WorkEntryVoided'; readonly workId: string }
  | { readonly _tag: 'WorkIdAlreadyUsed'; readonly workId: string }
  | { readonly _tag: 'EmptyCorrection'; readonly workId: string }
  // Invoicing profiles (spec §8).
  | {
      readonly _tag: 'InvalidProfile';
      readonly profile: string;
      readonly field: string;
      readonly reason: string;
    }
  | { readonly _tag: 'ReverseChargeWithoutVatId'; readonly customerId: string }
  | {
      readonly _tag: 'InvoicePeriodNotAfterLast';
      readonly contractId: string;
      readonly period: string;
      readonly lastIssuedPeriod: string;
    }
  | {
      readonly _tag: 'InvoicePeriodNotOver';
      readonly contractId: string;
      readonly period: string;
      /** RFC 3339: the `InvoiceIssued`'s `occurredAt`. */
      readonly at: string;
      /** RFC 3339: the first instant of the next month in the contract's time zone. */
      readonly periodEndsAt: string;
      readonly timeZone: string;
    }
  | {
      readonly _tag: 'InvoiceNumberAlreadyUsed';
      readonly contractId: string;
      readonly period: string;
      readonly invoiceNumber: string;
      readonly usedByContractId: string;
      readonly usedForPeriod: string;
    };

/** A refused command: what was refused and a readable one-line `message`. */
export type Refusal = RefusalData & { readonly message: string };

/** The tag of every refusal. */
export type RefusalTag = RefusalData['_tag'];

const UNJUSTIFIED: Record<UnjustifiedReason, string> = {
  'alert-required': 'it names no alert',
  'alert-not-older-than-72h': 'its alert was raised not more than 72 hours (3 days) before it',
  'alert-acknowledged-before': 'the customer acknowledged its alert before it',
  'alert-not-acknowledged-before': 'the customer had not acknowledged its alert before it',
};

/** The one-line message of a refusal, citing its clause. */
export const refusalMessage = (r: RefusalData): string => {
  switch (r._tag) {
    case 'MspAlreadyBookedForVm':
      return `VM ${r.vmId} already has an active MSP (contract ${r.activeContractId}); one MSP per VM (1)`;
    case 'MspMandatoryForSla':
      return `contract ${r.contractId}: the MSP of a VM with ${r.sla} SLA is mandatory and can only be cancelled with the VM decommissioned (1)`;
    case 'UpdateWithoutVendorSupport':
      return `ticket ${r.ticketId}: ${r.software} is no longer under active vendor support and cannot be updated (4.1)`;
    case 'UpdateOutsideMaintenanceWindow':
      return `ticket ${r.ticketId}: ${r.scheduledFor} is outside every maintenance window in ${r.timeZone}; an update outside a window needs an appointment agreed with the customer (4.1)`;
    case 'AlertingNotActive':
      return `contract ${r.contractId}: alerting is not active at ${r.at}; proactive safety measures need active alerting (4.2)`;
    case 'SafetyMeasureNotJustified':
      return `ticket ${r.ticketId}: justification ${r.justification} does not hold: ${UNJUSTIFIED[r.reason]}${r.alertId === undefined ? '' : ` (alert ${r.alertId})`} (4.2)`;
    case 'HaRestartLimitReached':
      return `contract ${r.contractId}: VM ${r.vmId} was already restarted by HA ${r.restartsInRow} times in a row; vSphere HA restarts at most 3 times (4.2)`;
    case 'WorkOnOtherVm':
      return `contract ${r.contractId} covers VM ${r.contractVmId}, not VM ${r.vmId}; MSP services are only for the VM they were booked for (1)`;
    case 'NotAuthorizedToOrder':
      return `ticket ${r.ticketId}: ${r.by} is not an authorised requester of the contract at that time (3)`;
    case 'UnknownContract':
      return `no contract ${r.contractId} has been booked`;
    case 'ContractAlreadyBooked':
      return `contract ${r.contractId} is already booked`;
    case 'MspAlreadyCancelled':
      return `the MSP of contract ${r.contractId} is already cancelled`;
    case 'UnknownRateCard':
      return `no rate card ${r.rateCardId} has been published`;
    case 'RateCardAlreadyPublished':
      return `rate card ${r.rateCardId} is already published`;
    case 'UnknownTicket':
      return `no ticket ${r.ticketId} has been opened`;
    case 'TicketIdAlreadyUsed':
      return `ticket id ${r.ticketId} is already used`;
    case 'NotAnUpdateTicket':
      return `ticket ${r.ticketId} was not opened by an update request (4.1)`;
    case 'UnknownAlert':
      return r.contractId === undefined
        ? `no alert ${r.alertId} has been raised`
        : `no alert ${r.alertId} has been raised for contract ${r.contractId}`;
    case 'AlertIdAlreadyUsed':
      return `alert id ${r.alertId} is already used`;
    case 'VmNotOfContract':
      return `contract ${r.contractId} covers VM ${r.contractVmId}, not VM ${r.vmId}`;
    case 'UnknownWorkEntry':
      return r.ticketId === undefined
        ? `no work entry ${r.workId} has been logged`
        : `ticket ${r.ticketId} has no work entry ${r.workId}`;
    case 'WorkEntryVoided':
      return `work entry ${r.workId} is voided`;
    case 'WorkIdAlreadyUsed':
      return `work id ${r.workId} is already used`;
    case 'EmptyCorrection':
      return `the correction of work entry ${r.workId} changes none of startedAt, minutes, service`;
    case 'InvalidProfile':
      return `${r.profile} profile: ${r.field === '' ? 'data' : r.field}: ${r.reason} (spec §8)`;
    case 'ReverseChargeWithoutVatId':
      return `customer ${r.customerId}: reverse charge needs the customer's VAT id, which its profile does not name (spec §8)`;
    case 'InvoicePeriodNotAfterLast':
      return `contract ${r.contractId}: period ${r.period} is not after the last issued period ${r.lastIssuedPeriod}; invoices are issued in increasing period order (5)`;
    case 'InvoicePeriodNotOver':
      return `contract ${r.contractId}: period ${r.period} is not over at ${r.at}; it ends at ${r.periodEndsAt} (the first instant of the next month in ${r.timeZone}), and an invoice is issued after its period (5)`;
    case 'InvoiceNumberAlreadyUsed':
      return `contract ${r.contractId}: invoice number ${r.invoiceNumber} is already used by the invoice of contract ${r.usedByContractId} for ${r.usedForPeriod}; an invoice number is used once (§ 14 UStG)`;
  }
};

/** A refusal with its message. */
export const refusal = (r: RefusalData): Refusal => ({ ...r, message: refusalMessage(r) });
