/**
 * The batch books exactly the month's issued gross amounts: on random valid logs, every month with
 * an issued invoice is written, read back by the tests' own reader, and the bookings (H negative)
 * are summed per customer and in total against the gross of the invoices issued in that month —
 * the month found independently, with the platform's Intl calendar in the contract's time zone.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { Dec, ZERO } from '@msp-billing/billing';
import type { WireEvent } from '@msp-billing/events';
import { arbitraryLog, decodeAll, foldEvents } from '@msp-billing/testing';
import { datevBatch, datevSettings, type DatevInvoice } from '../src/index.js';
import { bookingsOf, readBatch } from './readBatch.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 150);

/** `YYYY-MM-DD` of an instant in a zone, by Intl (not the writer's date library). */
const localDate = (instant: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );

/** A log's issued invoices as the batch takes them; `customerOf` merges some customers into one. */
const issuedOf = (
  log: readonly WireEvent[],
  customerOf: (c: string) => string,
  account: (c: string) => number,
) => {
  const ledger = foldEvents(decodeAll(log));
  const booked = new Map<string, { zone: string; customer: string }>();
  const out: DatevInvoice[] = [];
  for (const w of log) {
    const d = w.data as Record<string, string>;
    if (w.type === 'MSPBooked')
      booked.set(d['contractId'] as string, {
        zone: d['timeZone'] ?? 'Europe/Berlin',
        customer: customerOf(d['customerId'] as string),
      });
    if (w.type !== 'InvoiceIssued') continue;
    const c = booked.get(d['contractId'] as string);
    const inv = ledger.invoice(d['contractId'] as string, d['period'] as string);
    if (c === undefined || E.isLeft(inv) || inv.right.status !== 'issued') throw new Error('generated log');
    out.push({
      contractId: inv.right.contractId,
      period: inv.right.period,
      invoiceNumber: inv.right.invoiceNumber as string,
      currency: inv.right.currency,
      gross: inv.right.gross,
      issuedOn: localDate(w.occurredAt, c.zone),
      customerId: c.customer,
      debtorAccount: account(c.customer),
      reverseCharge: false,
    });
  }
  return out;
};

const sumBy = <T>(xs: readonly T[], key: (x: T) => string, amount: (x: T) => Dec): Map<string, string> => {
  const m = new Map<string, Dec>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? ZERO).plus(amount(x)));
  return new Map([...m].map(([k, v]) => [k, v.toFixed(2)]));
};

describe('the batch of a month books its issued gross amounts (property)', () => {
  it('per customer and in total, for every month of random valid logs', () => {
    fc.assert(
      fc.property(
        arbitraryLog({ maxContracts: 4 }),
        fc.nat({ max: 3 }),
        fc.integer({ min: 10_000, max: 99_000 }),
        (log, merge, base) => {
          // k0-cust … k3-cust; with merge > 0 some contracts share a customer.
          const customerOf = (c: string): string =>
            `cust-${Number(c.slice(1, c.indexOf('-'))) % (merge + 1 === 1 ? 99 : merge + 1)}`;
          const accounts = new Map<string, number>();
          const account = (c: string): number => {
            if (!accounts.has(c)) accounts.set(c, base + accounts.size);
            return accounts.get(c) as number;
          };
          const issued = issuedOf(log, customerOf, account);
          const months = new Set(issued.map((i) => i.issuedOn.slice(0, 7)));
          for (const month of months) {
            const s = datevSettings({ month, consultant: '1001', client: '1' });
            if (E.isLeft(s)) throw new Error(s.left.reason);
            const r = datevBatch(s.right, issued, Date.UTC(2027, 0, 1));
            if (E.isLeft(r)) throw new Error(r.left.map((x) => x.message).join('; '));
            const bookings = bookingsOf(readBatch(r.right.bytes));
            const inMonth = issued.filter((i) => i.issuedOn.startsWith(`${month}-`));
            const byAccount = new Map(inMonth.map((i) => [String(i.debtorAccount), i.customerId]));
            // Per customer: the bookings on its account against its invoices' gross.
            expect(
              sumBy(
                bookings,
                (b) => byAccount.get(b.konto) ?? `unknown ${b.konto}`,
                (b) => b.amount,
              ),
            ).toEqual(
              sumBy(
                inMonth.filter((i) => !new Dec(i.gross).isZero()),
                (i) => i.customerId,
                (i) => new Dec(i.gross),
              ),
            );
            const total = bookings.reduce((t, b) => t.plus(b.amount), ZERO);
            expect(total.toFixed(2)).toBe(inMonth.reduce((t, i) => t.plus(i.gross), ZERO).toFixed(2));
            // Each booking is one invoice of the month, dated on its issue day.
            expect(bookings.map((b) => `${b.belegfeld1} ${b.belegdatum} ${b.gegenkonto}`)).toEqual(
              r.right.booked.map(
                (i) => `${i.invoiceNumber} ${i.issuedOn.slice(8, 10)}${i.issuedOn.slice(5, 7)} 8400`,
              ),
            );
            expect(r.right.booked.length + r.right.leftOut.length).toBe(inMonth.length);
            expect(bookings.every((b) => b.others.length === 0)).toBe(true);
          }
        },
      ),
      { numRuns },
    );
  });
});
