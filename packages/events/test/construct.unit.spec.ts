/** Constructors of ids and values: the wire codecs' checks, a value or one line of reason. */
import { describe, expect, it } from 'vitest';
import { decodeEvent, ids, instant, money } from '../src/index.js';

describe('ids', () => {
  it('returns the string itself, branded, when the wire format takes it', () => {
    expect(ids.contract('c-1')).toBe('c-1');
    expect(ids.work('W-7')).toBe('W-7');
    expect(ids.invoiceNumber('2026-0042')).toBe('2026-0042');
  });

  it('throws a RangeError with the decoder reason on one line', () => {
    expect(() => ids.contract('')).toThrow(new RangeError('ContractId: expected a non-empty id (got "")'));
    expect(() => ids.ticket('t'.repeat(201))).toThrow(
      /^TicketId: id is longer than 200 characters \(got "t{40}…"\)$/,
    );
    // An id is a string: a number does not compile, and a caller without types gets the same kind of line.
    // @ts-expect-error a number is not an id
    expect(() => ids.vm(42)).toThrow(new RangeError('VmId: expected a string (got 42)'));
  });
});

describe('money', () => {
  it('takes decimal text with up to 4 fraction digits', () => {
    expect(money('97.50')).toBe('97.50');
    expect(money('0')).toBe('0');
  });

  it('refuses what the wire format refuses', () => {
    expect(() => money('-1')).toThrow(
      new RangeError(
        'Money: expected a decimal string ≥ 0 with at most 4 fraction digits, like "97.50" (got "-1")',
      ),
    );
    expect(() => money('1.23456')).toThrow(RangeError);
    expect(() => money('1e3')).toThrow(RangeError);
  });
});

describe('instant', () => {
  it('reads RFC 3339 with an offset, and Dates, as epoch milliseconds', () => {
    // 2026-10-05T09:00:00+02:00 is 07:00 UTC: Date.UTC(2026, 9, 5, 7) = 1791183600000.
    expect(instant('2026-10-05T09:00:00+02:00')).toBe(1_791_183_600_000);
    expect(instant(new Date(Date.UTC(2026, 9, 5, 7)))).toBe(1_791_183_600_000);
  });

  it('refuses a timestamp without offset, an invalid Date and one before 1970', () => {
    expect(() => instant('2026-10-05T09:00:00')).toThrow(
      new RangeError('Instant: timestamp has no offset (add Z or ±hh:mm) (got "2026-10-05T09:00:00")'),
    );
    expect(() => instant(new Date('soon'))).toThrow(
      new RangeError('Instant: expected a valid Date within 1970..9999 UTC (got an invalid Date)'),
    );
    expect(() => instant(new Date(-1))).toThrow(RangeError);
  });
});

describe('decodeEvent with Dates', () => {
  it('takes a Date wherever an instant is, and nowhere else', () => {
    const at = new Date(Date.UTC(2026, 9, 5, 7));
    const ok = decodeEvent({
      id: 'e-1',
      type: 'UpdateScheduled',
      occurredAt: at,
      data: { ticketId: 't-1', scheduledFor: at, agreedWithCustomer: true },
    });
    expect(ok._tag === 'Right' && [ok.right.occurredAt, ok.right.data]).toEqual([
      1_791_183_600_000,
      { ticketId: 't-1', scheduledFor: 1_791_183_600_000, agreedWithCustomer: true },
    ]);
    const bad = decodeEvent({ id: 'e-1', type: 'UpdateApplied', occurredAt: at, data: { ticketId: at } });
    expect(bad._tag === 'Left' && bad.left.message).toBe(
      'data.ticketId: expected a string (got Date 2026-10-05T07:00:00.000Z)',
    );
  });
});
