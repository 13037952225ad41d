import { describe, expect, it } from 'vitest';
import { calendarDateOf } from '../src/index.js';

describe('calendarDateOf (BT-2: the issue date in the contract zone)', () => {
  it('is the local calendar date, not the UTC one', () => {
    // 2026-10-01T06:00+02:00 is 04:00Z: the same day in Berlin and in UTC.
    expect(calendarDateOf(Date.parse('2026-10-01T06:00:00+02:00'), 'Europe/Berlin')).toBe('2026-10-01');
    // 2026-09-30T23:30Z is already 1 October in Berlin (01:30 CEST), still 30 September in New York.
    expect(calendarDateOf(Date.parse('2026-09-30T23:30:00Z'), 'Europe/Berlin')).toBe('2026-10-01');
    expect(calendarDateOf(Date.parse('2026-09-30T23:30:00Z'), 'America/New_York')).toBe('2026-09-30');
    // Auckland is 13 hours ahead in December (NZDT): 11:00Z on 31 Dec is 1 January.
    expect(calendarDateOf(Date.parse('2026-12-31T11:00:00Z'), 'Pacific/Auckland')).toBe('2027-01-01');
    // The 25-hour day of 25 October 2026 in Berlin ends at 23:00Z.
    expect(calendarDateOf(Date.parse('2026-10-25T22:59:59Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(calendarDateOf(Date.parse('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
  });
});
