/**
 * Logs for the e-invoice tests: the worked sample (wherever the repository keeps it), wire events
 * decoded into a Ledger, and the invoicing profiles the sample does not have.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { createLedger, type Invoice, type IssuedWith, type Ledger } from '@msp-billing/billing';
import { decodeEvent } from '@msp-billing/events';
import { exampleCustomerProfile, exampleProviderProfile } from '@msp-billing/testing';
import SaxonJS from 'saxon-js';

/** A wire event as a test writes it. */
export interface Raw {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The worked sample's events (examples/data/, or where it was kept before). */
export const sampleEvents = (): Raw[] => {
  const path = ['examples/data/example-month.ndjson', 'examples/data/example-month.ndjson']
    .map((p) => REPO_ROOT + p)
    .find((p) => existsSync(p));
  if (path === undefined) throw new Error('the worked sample example-month.ndjson is missing');
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Raw);
};

/** A Ledger over wire events (each must decode and apply). */
export const ledgerOf = (events: readonly Raw[]): Ledger => {
  const ledger = createLedger();
  for (const raw of events) {
    const d = decodeEvent(raw);
    if (E.isLeft(d)) throw new Error(`test event ${raw.id} does not decode: ${d.left.message}`);
    const r = ledger.apply(d.right);
    if (r._tag === 'Invalid') throw new Error(`test event ${raw.id} is invalid: ${r.reason}`);
  }
  return ledger;
};

export const PROVIDER = exampleProviderProfile();

export const customer = (
  customerId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  ...exampleCustomerProfile(),
  customerId,
  vatId: 'DE987654321',
  buyerReference: '04011000-12345-34',
  ...extra,
});

/** A provider profile and one customer profile, set on 2026-01-01. */
export const profiles = (
  customerId: string,
  extra: Record<string, unknown> = {},
  provider = PROVIDER,
): Raw[] => [
  { id: 'profile-provider', type: 'ProviderProfileSet', occurredAt: '2026-01-01T00:00:00Z', data: provider },
  {
    id: `profile-${customerId}`,
    type: 'CustomerProfileSet',
    occurredAt: '2026-01-01T00:00:00Z',
    data: customer(customerId, extra),
  },
];

/** The invoice (C, P) and what it was issued with. */
export const issuedOf = (
  ledger: Ledger,
  contractId: string,
  period: string,
): [Invoice, IssuedWith | undefined] => {
  const inv = ledger.invoice(contractId, period);
  if (E.isLeft(inv)) throw new Error(inv.left.message);
  return [inv.right, ledger.issuedWith(contractId, period)];
};

const NAMESPACES = {
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/**
 * The string values of an XPath over a document, read by an XML parser (SaxonJS): what a receiver
 * of the e-invoice reads, entities and references resolved.
 */
export const xpath = (xml: string, path: string): string[] => {
  const r = SaxonJS.XPath.evaluate(`parse-xml($xml)${path} ! string()`, null, {
    params: { xml },
    namespaceContext: NAMESPACES,
    resultForm: 'array',
  });
  return r as string[];
};

/**
 * A small world for hand-worked cases: rate card rc-1 (EUR, 15-minute increments) at `rate` per hour,
 * contract c-1 of customer cust-1 (Standard SLA, Europe/Berlin, VAT `vat` %) booked 2026-09-01,
 * provisioning completed, a support request t-1, and the two profiles.
 */
export const world = (
  options: { rate?: string; vat?: string; customer?: Record<string, unknown> } = {},
): Raw[] => [
  ...profiles('cust-1', options.customer ?? {}),
  {
    id: 'e-rc',
    type: 'RateCardPublished',
    occurredAt: '2026-01-01T00:00:00Z',
    data: { rateCardId: 'rc-1', currency: 'EUR', billingIncrementMinutes: 15 },
  },
  {
    id: 'e-rate',
    type: 'HourlyRateSet',
    occurredAt: '2026-01-01T00:00:00Z',
    data: {
      rateCardId: 'rc-1',
      effectiveFrom: '2026-01-01T00:00:00+01:00',
      hourlyRate: options.rate ?? '100.00',
    },
  },
  {
    id: 'e-book',
    type: 'MSPBooked',
    occurredAt: '2026-09-01T08:00:00+02:00',
    data: {
      contractId: 'c-1',
      customerId: 'cust-1',
      vmId: 'vm-1',
      sla: 'Standard',
      rateCardId: 'rc-1',
      vatRatePercent: options.vat ?? '19',
    },
  },
  {
    id: 'e-prov',
    type: 'ProvisioningCompleted',
    occurredAt: '2026-09-02T12:00:00+02:00',
    data: { contractId: 'c-1' },
  },
  {
    id: 'e-t1',
    type: 'TicketOpened',
    occurredAt: '2026-09-03T09:00:00+02:00',
    data: {
      ticketId: 't-1',
      contractId: 'c-1',
      channel: 'helpdesk',
      requester: 'boss@acme.example',
      subject: 'help',
      service: 'support-request',
    },
  },
];

/** Work on t-1. */
export const work = (workId: string, startedAt: string, minutes: number): Raw => ({
  id: `e-${workId}`,
  type: 'WorkLogged',
  occurredAt: startedAt,
  data: { workId, ticketId: 't-1', technician: 'tech-1', startedAt, minutes },
});

/** Issue c-1's invoice for `period` at `at`. */
export const issue = (period: string, invoiceNumber: string, at: string): Raw => ({
  id: `e-issue-${period}`,
  type: 'InvoiceIssued',
  occurredAt: at,
  data: { contractId: 'c-1', period, invoiceNumber },
});

/*
 * The hand-worked cases: logs whose e-invoice einvoice.unit.spec.ts checks amount by amount and
 * official.int.spec.ts gives to the official validation.
 */

/**
 * Late work, a reversal and a correction: w-1 (60 min) issued in September as RE-1, then corrected to
 * 90 min; w-2 logged late for September (30 min), w-3 in October (15 min); October issued as RE-2.
 */
export const lateWorkReversalCorrection = (): Raw[] => [
  ...world(),
  work('w-1', '2026-09-10T10:00:00+02:00', 60),
  issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
  {
    id: 'e-fix',
    type: 'WorkLogCorrected',
    occurredAt: '2026-10-05T09:00:00+02:00',
    data: { workId: 'w-1', reason: 'was 90 minutes', minutes: 90 },
  },
  work('w-2', '2026-09-30T16:00:00+02:00', 30),
  work('w-3', '2026-10-06T10:00:00+02:00', 15),
  issue('2026-10', 'RE-2', '2026-11-02T09:00:00+01:00'),
];

/** A negative net: w-1 (45 min) issued in September as RE-1, voided in October, issued as RE-2. */
export const creditNote = (): Raw[] => [
  ...world(),
  work('w-1', '2026-09-10T10:00:00+02:00', 45),
  issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
  {
    id: 'e-void',
    type: 'WorkLogVoided',
    occurredAt: '2026-10-05T09:00:00+02:00',
    data: { workId: 'w-1', reason: 'logged on the wrong contract' },
  },
  issue('2026-10', 'RE-2', '2026-11-02T09:00:00+01:00'),
];

/** A reverse-charge customer in Austria at 0 % VAT: w-1 (50 min) issued in September as RE-1. */
export const reverseCharge = (): Raw[] => [
  ...world({ vat: '0', customer: { reverseCharge: true, vatId: 'ATU12345678', countryCode: 'AT' } }),
  work('w-1', '2026-09-10T10:00:00+02:00', 50),
  issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
];

/** An hourly rate of 97.1234: w-1 (50 min) and w-2 (20 min) issued in September as RE-1. */
export const fourDecimalRate = (): Raw[] => [
  ...world({ rate: '97.1234' }),
  work('w-1', '2026-09-10T10:00:00+02:00', 50),
  work('w-2', '2026-09-11T10:00:00+02:00', 20),
  issue('2026-09', 'RE-1', '2026-10-02T09:00:00+02:00'),
];
