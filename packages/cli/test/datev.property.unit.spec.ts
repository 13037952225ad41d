/**
 * `msp-billing datev` on random valid logs with customer profiles: for every month with an issued
 * invoice, the batch read back books, per customer and in total, exactly the gross amounts of the
 * invoices issued in that month. The month of an invoice is found here with Intl in the contract's
 * zone; the debtor account is the profile in force at issue, never one recorded after it.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { Dec, ZERO } from '@msp-billing/billing';
import type { WireEvent } from '@msp-billing/events';
import { arbitraryLog, decodeAll, foldEvents } from '@msp-billing/testing';
import { bookingsOf, readBatch } from '../../datev/test/readBatch.js';
import { runIn } from './helpers.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 40);

const localDate = (instant: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );

const profileSet = (
  id: string,
  customerId: string,
  occurredAt: string,
  debtorAccount: number,
): WireEvent => ({
  id,
  type: 'CustomerProfileSet',
  occurredAt,
  data: {
    customerId,
    name: `Kunde ${customerId}`,
    street: 'Straße 1',
    city: 'Köln',
    postalCode: '50667',
    countryCode: 'DE',
    electronicAddress: 'rechnung@kunde.example',
    debtorAccount,
  },
});

const stdinOf = (events: readonly WireEvent[]): AsyncIterable<string> =>
  (async function* () {
    yield `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  })();

const sums = (pairs: readonly (readonly [string, Dec])[]): Record<string, string> => {
  const m = new Map<string, Dec>();
  for (const [k, v] of pairs) m.set(k, (m.get(k) ?? ZERO).plus(v));
  return Object.fromEntries([...m].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
};

describe('msp-billing datev books the month’s issued gross amounts (property)', () => {
  it('per customer and in total, with the profile in force at issue', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryLog({ minContracts: 2, maxContracts: 4, maxActions: 100 }),
        fc.nat({ max: 2 }),
        async (generated, share) => {
          // Customers k0-cust … k3-cust; with share > 0 several contracts belong to one customer.
          const customerOf = (c: string): string =>
            share === 0 ? c : `cust-${Number(c.slice(1, c.indexOf('-'))) % (share + 1)}`;
          const log = generated.map((w) =>
            w.type === 'MSPBooked'
              ? {
                  ...w,
                  data: { ...w.data, customerId: customerOf((w.data as { customerId: string }).customerId) },
                }
              : w,
          );
          const customers = [
            ...new Set(
              log
                .filter((w) => w.type === 'MSPBooked')
                .map((w) => (w.data as { customerId: string }).customerId),
            ),
          ];
          const account = new Map(customers.map((c, i) => [c, 10_000 + i]));
          const full = [
            ...customers.map((c, i) => profileSet(`prof-${i}`, c, '2020-01-01T00:00:00Z', 10_000 + i)),
            ...log,
            // Recorded after every invoice, dated early: used by none of them (spec §8).
            ...customers.map((c, i) => profileSet(`late-${i}`, c, '2020-01-02T00:00:00Z', 20_000 + i)),
          ];

          // The expectation, from the log itself.
          const ledger = foldEvents(decodeAll(log));
          const zoneOf = new Map<string, string>();
          const customerOfContract = new Map<string, string>();
          const issued: { month: string; customer: string; gross: Dec }[] = [];
          for (const w of log) {
            const d = w.data as Record<string, string>;
            if (w.type === 'MSPBooked') {
              zoneOf.set(d['contractId'] as string, d['timeZone'] ?? 'Europe/Berlin');
              customerOfContract.set(d['contractId'] as string, d['customerId'] as string);
            }
            if (w.type === 'InvoiceIssued') {
              const inv = ledger.invoice(d['contractId'] as string, d['period'] as string);
              if (E.isLeft(inv)) throw new Error('generated log');
              issued.push({
                month: localDate(w.occurredAt, zoneOf.get(d['contractId'] as string) as string).slice(0, 7),
                customer: customerOfContract.get(d['contractId'] as string) as string,
                gross: new Dec(inv.right.gross),
              });
            }
          }

          for (const month of new Set(issued.map((i) => i.month))) {
            const r = await runIn(
              ['datev', '--events', '-', '--month', month, '--consultant', '1001', '--client', '1'],
              {
                stdin: stdinOf(full),
                env: { SOURCE_DATE_EPOCH: '0' },
              },
            );
            expect(r.code).toBe(0);
            const bookings = bookingsOf(readBatch(r.stdoutBytes));
            const byAccount = new Map([...account].map(([c, a]) => [String(a), c]));
            const expected = issued.filter((i) => i.month === month);
            expect(
              sums(
                bookings.map((b) => [
                  byAccount.get(b.konto) ?? `not a profile in force: ${b.konto}`,
                  b.amount,
                ]),
              ),
            ).toEqual(sums(expected.map((i) => [i.customer, i.gross])));
            expect(bookings.reduce((t, b) => t.plus(b.amount), ZERO).toFixed(2)).toBe(
              expected.reduce((t, i) => t.plus(i.gross), ZERO).toFixed(2),
            );
            expect(bookings.length).toBe(expected.filter((i) => !i.gross.isZero()).length);
          }
        },
      ),
      { numRuns },
    );
  });
});
