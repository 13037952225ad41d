/**
 * formatInstant renders exactly what Date#toISOString renders: for every integer instant of
 * 1970..9999 (a property over the whole range, plus the edges by name), and through Date itself for
 * anything outside that range.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INSTANT_MS, MIN_INSTANT_MS, formatInstant, type Instant } from '../src/internal.js';

const RUNS = 20_000;
const viaDate = (i: number): string => new Date(i).toISOString();
const format = (i: number): string => formatInstant(i as Instant);

describe('formatInstant', () => {
  it('equals toISOString for every integer instant of 1970..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_INSTANT_MS, max: MAX_INSTANT_MS }), (i) => {
        expect(format(i)).toBe(viaDate(i));
      }),
      { numRuns: RUNS },
    );
  });

  it('renders the edges of the range, leap days, century ends and the last millisecond', () => {
    const cases: Array<[number, string]> = [
      [MIN_INSTANT_MS, '1970-01-01T00:00:00.000Z'],
      [0, '1970-01-01T00:00:00.000Z'],
      [MAX_INSTANT_MS, '9999-12-31T23:59:59.999Z'],
      [MAX_INSTANT_MS - 999, '9999-12-31T23:59:59.000Z'],
      [Date.UTC(2000, 1, 29), '2000-02-29T00:00:00.000Z'],
      [Date.UTC(2000, 1, 29, 23, 59, 59, 999), '2000-02-29T23:59:59.999Z'],
      [Date.UTC(2000, 2, 1), '2000-03-01T00:00:00.000Z'],
      [Date.UTC(2100, 1, 28, 23, 59, 59, 999), '2100-02-28T23:59:59.999Z'],
      [Date.UTC(2100, 2, 1), '2100-03-01T00:00:00.000Z'],
      [Date.UTC(1972, 1, 29, 12), '1972-02-29T12:00:00.000Z'],
      [Date.UTC(1999, 11, 31, 23, 59, 59, 999), '1999-12-31T23:59:59.999Z'],
      [Date.UTC(2026, 9, 5, 7, 0, 0, 999), '2026-10-05T07:00:00.999Z'],
      [Date.UTC(2400, 1, 29, 1, 2, 3, 4), '2400-02-29T01:02:03.004Z'],
    ];
    for (const [i, text] of cases) {
      expect(format(i)).toBe(text);
      expect(format(i)).toBe(viaDate(i));
    }
  });

  it('equals toISOString around every year boundary and every 1 March of 1970..9999', () => {
    const wrong: string[] = [];
    for (let y = 1970; y <= 9999; y++) {
      for (const i of [Date.UTC(y, 0, 1), Date.UTC(y, 0, 1) - 1, Date.UTC(y, 2, 1), Date.UTC(y, 2, 1) - 1]) {
        if (i >= MIN_INSTANT_MS && i <= MAX_INSTANT_MS && format(i) !== viaDate(i)) wrong.push(viaDate(i));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('falls back to Date outside the range and for non-integers', () => {
    for (const i of [-1, MAX_INSTANT_MS + 1, 1.5, Date.UTC(1969, 11, 31, 23, 59, 59, 999), 8.64e15]) {
      expect(format(i)).toBe(viaDate(i));
    }
    expect(format(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(format(MAX_INSTANT_MS + 1)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => format(Number.NaN)).toThrow(RangeError);
  });
});
