/**
 * A draft read again after events (spec §5): the Ledger keeps the lines a draft showed while their
 * entries stay the same (lines.ts), so each reading must show exactly what changed in between — a
 * correction, a new entry, a reclassification, the same entry as work or late work depending on the
 * period asked for — and what a caller holds cannot be changed under the next reader.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '@msp-billing/events';
import type { Invoice, Ledger } from '../src/index.js';
import { base, invoiceOf, ticket, work, type RawEvent, type TestLog } from './support/log.js';

/** Add an event to `l` and apply it to `ledger` too. */
const applyNext = (l: TestLog, ledger: Ledger, add: (l: TestLog) => void): void => {
  add(l);
  const decoded = decodeEvent(l.events.at(-1) as RawEvent);
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  expect(ledger.apply(decoded.right)._tag).toBe('Applied');
};

const shown = (inv: Invoice): [string, string, number, string][] =>
  inv.lines.map((x) => [x.kind, x.workId, x.minutes, x.amount]);

describe('a draft read between events', () => {
  it('shows each change since it was last read, as a Ledger folded from the start would', () => {
    // 100.00/h in 15-minute increments: 30 min → 50.00, 45 min → 75.00, 60 min → 100.00.
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const ledger = l.ledger();
    const first = invoiceOf(ledger, '2026-09');
    expect(shown(first)).toEqual([['work', 'w-1', 30, '50.00']]);
    expect(first.net).toBe('50.00');

    applyNext(l, ledger, (x) =>
      x.add('WorkLogCorrected', '2026-09-10T12:00:00+02:00', { workId: 'w-1', minutes: 45, reason: 'typo' }),
    );
    expect(shown(invoiceOf(ledger, '2026-09'))).toEqual([['work', 'w-1', 45, '75.00']]);

    applyNext(l, ledger, (x) => work(x, 'w-2', 't-1', '2026-09-11T10:00:00+02:00', 60));
    const third = invoiceOf(ledger, '2026-09');
    expect(shown(third)).toEqual([
      ['work', 'w-1', 45, '75.00'],
      ['work', 'w-2', 60, '100.00'],
    ]);
    // 75.00 + 100.00 = 175.00; VAT 19 % = 33.25; gross 208.25.
    expect([third.net, third.vat, third.gross]).toEqual(['175.00', '33.25', '208.25']);

    // The same entries on October's draft are late work, then September's again work.
    expect(shown(invoiceOf(ledger, '2026-10'))).toEqual([
      ['late-work', 'w-1', 45, '75.00'],
      ['late-work', 'w-2', 60, '100.00'],
    ]);
    expect(shown(invoiceOf(ledger, '2026-09')).map((x) => x[0])).toEqual(['work', 'work']);

    // Work on an incident is included (spec §4): nothing left to bill, both entries included.
    applyNext(l, ledger, (x) =>
      x.add('TicketReclassified', '2026-09-12T09:00:00+02:00', {
        ticketId: 't-1',
        service: 'incident',
        reason: 'our storage failed',
      }),
    );
    const last = invoiceOf(ledger, '2026-09');
    expect(shown(last)).toEqual([]);
    expect(last.included).toEqual({ entries: 2, minutes: 105 });
    expect(last).toEqual(invoiceOf(l.ledger(), '2026-09'));
  });

  it('hands out lines no caller can change for the next reader', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const ledger = l.ledger();
    const line = invoiceOf(ledger, '2026-09').lines[0];
    expect(line === undefined ? false : Object.isFrozen(line)).toBe(true);
    expect(() => Object.assign(line ?? {}, { amount: '0.00' })).toThrow(TypeError);
    expect(invoiceOf(ledger, '2026-09').lines[0]?.amount).toBe('50.00');
  });
});
