/**
 * A tiny builder of event logs for the billing tests: events are written in wire form (so every
 * test also exercises the codecs) and decoded before they reach the Ledger.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeEvent, type EventType } from '@msp-billing/events';
import { createLedger, type Invoice, type Ledger, type LedgerEntry } from '../../src/index.js';

/** A wire event as a test writes it. */
export interface RawEvent {
  id: string;
  type: EventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** A log under construction. */
export interface TestLog {
  readonly events: RawEvent[];
  add(type: EventType, occurredAt: string, data: Record<string, unknown>, id?: string): TestLog;
  /** A ledger over all events added so far. */
  ledger(): Ledger;
}

/** An empty log. */
export const log = (): TestLog => {
  const events: RawEvent[] = [];
  const self: TestLog = {
    events,
    add(type, occurredAt, data, id) {
      events.push({ id: id ?? `e-${events.length + 1}`, type, occurredAt, data });
      return self;
    },
    ledger() {
      const ledger = createLedger();
      for (const raw of events) {
        const decoded = decodeEvent(raw);
        if (E.isLeft(decoded))
          throw new Error(`test event ${raw.id} does not decode: ${decoded.left.message}`);
        ledger.apply(decoded.right);
      }
      return ledger;
    },
  };
  return self;
};

/** Defaults of the base contract. */
export const C = 'c-1';
export const VM = 'vm-1';
export const RATE_CARD = 'rc-1';
export const BOSS = 'boss@customer.example';

/**
 * The base scenario most tests start from: rate card rc-1 (EUR, 15-minute increments) with
 * 100.00/h from 2026-01-01, contract c-1 (Standard SLA, Europe/Berlin, 19 % VAT) on vm-1 booked
 * 2026-09-01 08:00 Berlin, provisioning completed 2026-09-02 12:00 Berlin, no authorised requesters.
 */
export const base = (overrides: { sla?: string; timeZone?: string; increment?: number } = {}): TestLog =>
  log()
    .add('RateCardPublished', '2026-01-01T00:00:00Z', {
      rateCardId: RATE_CARD,
      currency: 'EUR',
      billingIncrementMinutes: overrides.increment ?? 15,
    })
    .add('HourlyRateSet', '2026-01-01T00:00:00Z', {
      rateCardId: RATE_CARD,
      effectiveFrom: '2026-01-01T00:00:00+01:00',
      hourlyRate: '100.00',
    })
    .add('MSPBooked', '2026-09-01T08:00:00+02:00', {
      contractId: C,
      customerId: 'cust-1',
      vmId: VM,
      sla: overrides.sla ?? 'Standard',
      rateCardId: RATE_CARD,
      ...(overrides.timeZone === undefined ? {} : { timeZone: overrides.timeZone }),
    })
    .add('ProvisioningCompleted', '2026-09-02T12:00:00+02:00', { contractId: C });

/** Open a customer ticket on c-1. */
export const ticket = (
  l: TestLog,
  ticketId: string,
  service: string,
  at = '2026-09-10T09:00:00+02:00',
  extra: Record<string, unknown> = {},
): TestLog =>
  l.add('TicketOpened', at, {
    ticketId,
    contractId: C,
    channel: 'helpdesk',
    requester: BOSS,
    subject: `${service} please`,
    service,
    ...extra,
  });

/** Log work on a ticket. */
export const work = (
  l: TestLog,
  workId: string,
  ticketId: string,
  startedAt: string,
  minutes: number,
  extra: Record<string, unknown> = {},
): TestLog =>
  l.add('WorkLogged', startedAt, { workId, ticketId, technician: 'tech-1', startedAt, minutes, ...extra });

/** The ledger entry of a work id (fails the test when absent). */
export const entryOf = (ledger: Ledger, workId: string): LedgerEntry => {
  const e = ledger.entries().find((x) => x.workId === workId);
  if (e === undefined) throw new Error(`no ledger entry ${workId}`);
  return e;
};

/** The invoice (c-1, period) (fails the test on a query error). */
export const invoiceOf = (ledger: Ledger, period: string, contractId = C): Invoice => {
  const r = ledger.invoice(contractId, period);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
