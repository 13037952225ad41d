/**
 * The month-end properties over random valid logs of several contracts (@msp-billing/testing's
 * generators): (a) no two issued invoices share a number, (b) no invoice is issued before its period
 * is over in its contract's time zone, (c) per contract, the issued nets that `invoices --period`
 * lists plus the net of its draft for a later month equal the current billable amounts up to that
 * month — the law of spec §5 (packages/testing, law a), read off the command's own output. And the
 * rules bite: an invoice that reuses a number of any contract, or that is issued before its period
 * ends, appended to such a log, is an invalid event. MSP_LAW_RUNS sets the number of runs.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '@msp-billing/events';
import { arbitraryLog, decodeAll, foldEvents } from '@msp-billing/testing';
import { localTime } from '../src/format/table.js';
import { runIn } from './helpers.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 60);
const logs = arbitraryLog({ minContracts: 2, maxContracts: 3 });

/** Money text to cents, exactly (BigInt), independent of the engine's decimals. */
const cents = (s: string): bigint => {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(s);
  if (m === null) throw new Error(`not money with two decimals: ${s}`);
  const v = BigInt(`${m[2]}${m[3]}`);
  return m[1] === '-' ? -v : v;
};
const nextPeriod = (p: string): string => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const ndjson = (events: readonly WireEvent[]): AsyncIterable<string> =>
  (async function* () {
    yield events.map((e) => `${JSON.stringify(e)}\n`).join('');
  })();

interface Row {
  readonly contractId: string;
  readonly status: string;
  readonly net: string;
}

describe('month-end properties (random valid logs)', () => {
  it('(a) no two issued invoices share a number; (b) none is issued before its period is over', () => {
    let issuedSeen = 0;
    fc.assert(
      fc.property(logs, (events) => {
        const ledger = foldEvents(decodeAll(events));
        const issued = ledger.contracts().flatMap((c) => c.issued.map((i) => ({ ...i, zone: c.timeZone })));
        issuedSeen += issued.length;
        const numbers = issued.map((i) => i.invoiceNumber);
        expect(new Set(numbers).size).toBe(numbers.length);
        // The calendar month of the issue instant in the contract's zone (Intl, not the engine).
        for (const i of issued) expect(localTime(i.issuedAt, i.zone).slice(0, 7) > i.period).toBe(true);
      }),
      { numRuns: numRuns * 3 },
    );
    expect(issuedSeen).toBeGreaterThan(numRuns);
  });

  it('(c) per contract: the issued nets and the draft net of `invoices --period` equal the billable amounts (spec §5)', async () => {
    let drafts = 0;
    await fc.assert(
      fc.asyncProperty(logs, async (events) => {
        const ledger = foldEvents(decodeAll(events));
        const periods = new Set<string>();
        for (const e of ledger.entries()) periods.add(e.period);
        for (const c of ledger.contracts()) for (const i of c.issued) periods.add(i.period);
        const sorted = [...periods].toSorted();
        if (sorted.length === 0) return;
        const months: string[] = [];
        for (let p = sorted[0] as string; p <= nextPeriod(sorted.at(-1) as string); p = nextPeriod(p))
          months.push(p);
        const rows = new Map<string, Row[]>();
        for (const p of months) {
          const r = await runIn(['invoices', '--events', '-', '--period', p, '--format', 'json'], {
            stdin: ndjson(events),
          });
          expect(r.code).toBe(0);
          const json = JSON.parse(r.stdout) as { invoices: Row[] };
          // Every contract of the log, every month.
          expect(json.invoices.map((i) => i.contractId).toSorted()).toEqual(ledger.contractIds().toSorted());
          rows.set(p, json.invoices);
        }
        for (const c of ledger.contractIds()) {
          const issuedNet = months
            .flatMap((p) => rows.get(p) ?? [])
            .filter((r) => r.contractId === c && r.status === 'issued')
            .reduce((s, r) => s + cents(r.net), 0n);
          for (const p of months) {
            const row = (rows.get(p) ?? []).find((r) => r.contractId === c);
            if (row?.status !== 'draft') continue;
            drafts += 1;
            const billable = ledger
              .entries({ contractId: c })
              .filter((e) => e.status === 'billable' && e.period <= p)
              .reduce((s, e) => s + cents(e.amount ?? '0.00'), 0n);
            expect(issuedNet + cents(row.net)).toBe(billable);
          }
        }
      }),
      { numRuns },
    );
    expect(drafts).toBeGreaterThan(numRuns);
  });

  it('an invoice reusing any issued number, or issued before its period ends, is an invalid event', () => {
    let tried = 0;
    fc.assert(
      fc.property(logs, fc.nat(), fc.integer({ min: 1, max: 27 * 24 * 60 }), (events, pick, minutes) => {
        const ledger = foldEvents(decodeAll(events));
        const contracts = ledger.contracts();
        const taken = contracts.flatMap((c) => c.issued);
        if (taken.length === 0) return;
        tried += 1;
        const reused = taken[pick % taken.length] as (typeof taken)[number];
        const target = contracts[pick % contracts.length] as (typeof contracts)[number];
        // A period far after every issued one, issued long after it ends: only the number is wrong.
        const late: WireEvent = {
          id: 'x-reuse',
          type: 'InvoiceIssued',
          occurredAt: '2031-02-01T00:00:00Z',
          data: { contractId: target.contractId, period: '2030-12', invoiceNumber: reused.invoiceNumber },
        };
        // A fresh number for a month that is not over: `minutes` into December 2030 in UTC is still
        // December in every zone of the generators (offsets at most 14 hours, the month has 31 days).
        const early: WireEvent = {
          id: 'x-early',
          type: 'InvoiceIssued',
          occurredAt: new Date(Date.UTC(2030, 11, 2) + minutes * 60_000).toISOString(),
          data: { contractId: target.contractId, period: '2030-12', invoiceNumber: 'X-NEW-1' },
        };
        const after = foldEvents(decodeAll([...events, late, early]));
        expect(after.invalidEvents().map((e) => [e.eventId, e.reason])).toEqual([
          ['x-reuse', expect.stringContaining(`invoice number ${reused.invoiceNumber} is already used`)],
          ['x-early', expect.stringContaining('period 2030-12 is not over')],
        ]);
      }),
      { numRuns: numRuns * 3 },
    );
    expect(tried).toBeGreaterThan(numRuns);
  });
});
