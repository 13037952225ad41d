/**
 * Properties of maintenance windows and support hours against the brute-force reference in
 * `reference.ts`, over random instants of 2026, random windows and random zones.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { isInMaintenanceWindow, isWithinSupportHours, nextMaintenanceWindow } from '../src/index.js';
import { instant2026, quarterWindows, windows, zone } from './arbitraries.js';
import { refCoveredMinutes, refIsIn, refMinuteOfWeek } from './reference.js';

const RUNS = Math.max(1000, Number(process.env.MSP_FUZZ_RUNS ?? 0));
const QUARTER = 15 * 60_000;

/** What is wrong with `r` as the answer of nextMaintenanceWindow at `t` (empty when nothing). */
const problems = (
  t: number,
  r: { start: number; end: number } | undefined,
  firstGrid: number,
  inside: (g: number) => boolean,
  stray: (from: number, to: number, expected: boolean) => number[],
): string[] => {
  if (r === undefined)
    return stray(firstGrid, t + 15 * 86_400_000, false).map((g) => `inside at ${g} but none found`);
  const out: string[] = [];
  if (r.start % QUARTER !== 0 || r.end % QUARTER !== 0) out.push('bounds off the quarter-hour grid');
  if (!(r.start < r.end && r.end - r.start <= 26 * 3_600_000)) out.push('not a stretch of at most 26 h');
  out.push(...stray(r.start, r.end, true).map((g) => `outside at ${g} within the occurrence`));
  if (inside(t)) {
    if (!(r.start <= t && t < r.end)) out.push('inside at t but the occurrence does not contain t');
  } else {
    if (!(r.start > t)) out.push('outside at t but the occurrence does not start after t');
    out.push(...stray(firstGrid, r.start, false).map((g) => `inside at ${g} before the occurrence`));
  }
  return out;
};

describe('windows agree with the brute-force reference', () => {
  it('isInMaintenanceWindow', () => {
    fc.assert(
      fc.property(instant2026, windows, zone, (t, ws, tz) => {
        expect(isInMaintenanceWindow(t, ws, tz)).toBe(refIsIn(t, ws, tz));
      }),
      { numRuns: RUNS },
    );
  });

  it('isWithinSupportHours, given hours or terms', () => {
    fc.assert(
      fc.property(instant2026, windows, zone, (t, hours, tz) => {
        const expected = refIsIn(t, hours, tz);
        expect(isWithinSupportHours(t, hours, tz)).toBe(expected);
        expect(isWithinSupportHours(t, { supportHours: hours }, tz)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('nextMaintenanceWindow: contains the instant, or is the first stretch inside a window after it', () => {
    // Windows on quarter hours, in zones whose offsets are multiples of 15 minutes, change only on
    // quarter hours of UTC, so the reference can scan in 15-minute steps.
    fc.assert(
      fc.property(instant2026, quarterWindows, zone, (t, ws, tz) => {
        const covered = refCoveredMinutes(ws);
        const inside = (g: number): boolean => covered.has(refMinuteOfWeek(g, tz));
        // Grid points in [from, to) whose reference answer differs from `expected`.
        const stray = (from: number, to: number, expected: boolean): number[] => {
          const out: number[] = [];
          for (let g = from; g < to; g += QUARTER) if (inside(g) !== expected) out.push(g);
          return out;
        };
        const r = nextMaintenanceWindow(t, ws, tz);
        const firstGrid = Math.ceil(t / QUARTER) * QUARTER;
        expect(problems(t, r, firstGrid, inside, stray)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
