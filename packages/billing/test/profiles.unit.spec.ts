/**
 * Which profiles an issued invoice uses (spec §8): the latest by occurredAt at or before its
 * InvoiceIssued's occurredAt, among those recorded before it (ties: later recorded). A profile
 * recorded later, even backdated, never changes it; no profile changes a classification or amount.
 */
import { describe, expect, it } from 'vitest';
import { exampleCustomerProfile, exampleProviderProfile } from '../../testing/src/profiles.js';
import { C, base, invoiceOf, ticket, work, type TestLog } from './support/log.js';

const provider = (l: TestLog, at: string, name: string): TestLog =>
  l.add('ProviderProfileSet', at, { ...exampleProviderProfile(), name });
const customer = (l: TestLog, at: string, name: string, customerId = 'cust-1'): TestLog =>
  l.add('CustomerProfileSet', at, { ...exampleCustomerProfile(), customerId, name });

/** c-1 with one billable hour in September 2026 (100.00). */
const september = (): TestLog => {
  const l = base();
  ticket(l, 't-1', 'support-request');
  return work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 60);
};
const ISSUED_AT = '2026-10-02T09:00:00+02:00';
const issue = (l: TestLog, at = ISSUED_AT): TestLog =>
  l.add('InvoiceIssued', at, { contractId: C, period: '2026-09', invoiceNumber: 'RE-1' });

describe('the profiles of an issued invoice', () => {
  it('are the latest at or before its instant, with its instant, customer and time zone', () => {
    const l = september();
    provider(l, '2026-09-01T00:00:00Z', 'P-old');
    provider(l, '2026-10-01T00:00:00Z', 'P-new');
    provider(l, '2026-10-03T00:00:00Z', 'P-future'); // after the invoice's instant
    customer(l, '2026-09-05T00:00:00Z', 'K-1');
    customer(l, '2026-09-06T00:00:00Z', 'K-other', 'cust-2');
    issue(l);
    const w = l.ledger().issuedWith(C, '2026-09');
    expect(w).toMatchObject({
      issuedAt: Date.parse('2026-10-02T07:00:00Z'),
      customerId: 'cust-1',
      timeZone: 'Europe/Berlin',
      provider: { name: 'P-new', iban: 'DE89370400440532013000' },
      customer: { name: 'K-1', customerId: 'cust-1', reverseCharge: false },
      previousInvoiceNumber: undefined,
    });
  });

  it("name the contract's issued invoice before it", () => {
    const l = issue(september());
    ticket(l, 't-2', 'support-request', '2026-10-05T09:00:00+02:00');
    work(l, 'w-2', 't-2', '2026-10-05T10:00:00+02:00', 60);
    l.add('InvoiceIssued', '2026-11-02T09:00:00+01:00', {
      contractId: C,
      period: '2026-10',
      invoiceNumber: 'RE-2',
    });
    const ledger = l.ledger();
    expect(ledger.issuedWith(C, '2026-10')?.previousInvoiceNumber).toBe('RE-1');
    expect(ledger.issuedWith(C, '2026-09')?.previousInvoiceNumber).toBeUndefined();
  });

  it('take a profile at exactly the instant, and of two at one instant the later recorded', () => {
    const l = september();
    provider(l, ISSUED_AT, 'P-first');
    provider(l, '2026-10-02T07:00:00Z', 'P-second'); // the same instant
    issue(l);
    expect(l.ledger().issuedWith(C, '2026-09')?.provider?.name).toBe('P-second');
  });

  it('never change with a profile recorded after the invoice, even one backdated before it', () => {
    const l = september();
    provider(l, '2026-09-01T00:00:00Z', 'P-1');
    issue(l);
    provider(l, '2026-09-15T00:00:00Z', 'P-backdated');
    customer(l, '2026-09-15T00:00:00Z', 'K-late');
    const w = l.ledger().issuedWith(C, '2026-09');
    expect(w?.provider?.name).toBe('P-1');
    expect(w?.customer).toBeUndefined();
  });

  it('are absent when none was set, and nothing for an invoice that is not issued', () => {
    const l = issue(september());
    const ledger = l.ledger();
    expect(ledger.issuedWith(C, '2026-09')).toMatchObject({ provider: undefined, customer: undefined });
    expect(ledger.issuedWith(C, '2026-10')).toBeUndefined();
    expect(ledger.issuedWith('c-nope', '2026-09')).toBeUndefined();
  });

  it('change no classification or amount, and are valid before any contract exists', () => {
    const plain = issue(september()).ledger();
    const l = customer(provider(base(), '2020-01-01T00:00:00Z', 'P'), '2020-01-01T00:00:00Z', 'K');
    ticket(l, 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 60);
    const withProfiles = issue(l).ledger();
    expect(withProfiles.invalidEvents()).toEqual([]);
    expect(invoiceOf(withProfiles, '2026-09')).toEqual(invoiceOf(plain, '2026-09'));
    expect(invoiceOf(withProfiles, '2026-09')).toMatchObject({
      net: '100.00',
      vat: '19.00',
      gross: '119.00',
    });
    expect(withProfiles.entries()).toEqual(plain.entries());
  });
});
