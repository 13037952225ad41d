/**
 * periodOf against an independent reference: the calendar month of an instant as Intl formats it in
 * the zone, over random instants 1970–2100 and zones with DST, half- and quarter-hour offsets.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodOf } from '../src/index.js';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'America/Santiago',
  'Pacific/Chatham',
  'UTC',
];

const formatters = new Map<string, Intl.DateTimeFormat>();
const reference = (instant: number, timeZone: string): string => {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(instant));
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
};

describe('periodOf', () => {
  it('agrees with Intl for random instants and zones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 2), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        (instant, zone) => {
          expect(periodOf(instant, zone)).toBe(reference(instant, zone));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with Intl one millisecond either side of every local month start in 2026', () => {
    for (const zone of ZONES) {
      for (let m = 0; m < 12; m++) {
        // Find the start of the month by bisection on the reference, then compare around it.
        const want = `2026-${String(m + 1).padStart(2, '0')}`;
        let lo = Date.UTC(2026, m, 1) - 86_400_000;
        let hi = Date.UTC(2026, m, 1) + 86_400_000;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (reference(mid, zone) >= want) hi = mid;
          else lo = mid;
        }
        expect([periodOf(lo, zone), periodOf(hi, zone)]).toEqual([reference(lo, zone), want]);
      }
    }
  });
});
