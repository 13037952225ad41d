/**
 * Small valid events for the store's unit tests, built through `decodeEvent` so they are exactly
 * what a decoded log would hold.
 */
import { decodeEvent, type DomainEvent } from '@msp-billing/events';

/** Decode a wire event or throw (test input is meant to be valid). */
export const wire = (id: string, type: string, data: Record<string, unknown>, minute = 0): DomainEvent => {
  const r = decodeEvent({
    id,
    type,
    occurredAt: new Date(Date.UTC(2026, 9, 1, 8, minute)).toISOString(),
    data,
  });
  if (r._tag === 'Left') throw new Error(`${id}: ${r.left.message}`);
  return r.right;
};

/** A small log touching every routing case: direct, via work entry, via alert, and unroutable. */
export const sampleLog = (): DomainEvent[] => [
  wire('e1', 'RateCardPublished', { rateCardId: 'rc', currency: 'EUR', billingIncrementMinutes: 15 }),
  wire('e2', 'MSPBooked', { contractId: 'c1', customerId: 'k', vmId: 'vm1', sla: 'Basic', rateCardId: 'rc' }),
  wire('e3', 'TicketOpened', {
    ticketId: 't1',
    contractId: 'c1',
    channel: 'email',
    requester: 'a@example.com',
    subject: 'help',
    service: 'incident',
  }),
  wire('e4', 'WorkLogged', {
    workId: 'w1',
    ticketId: 't1',
    technician: 'x',
    startedAt: '2026-10-01T08:00:00Z',
    minutes: 30,
  }),
  wire('e5', 'AlertRaised', { alertId: 'a1', contractId: 'c1', metric: 'ram' }),
  wire('e6', 'WorkLogCorrected', { workId: 'w1', reason: 'typo', minutes: 45 }),
  wire('e7', 'AlertAcknowledged', { alertId: 'a1', by: 'a@example.com' }),
  wire('e8', 'WorkLogVoided', { workId: 'w-unknown', reason: 'never logged' }),
  wire('e9', 'InvoiceIssued', { contractId: 'c1', period: '2026-10', invoiceNumber: 'INV-1' }),
];
