/**
 * PROPERTY: the typed-array HA history (4.2) answers "restarts in a row at t" exactly as the
 * definition does over a plain list of its changes: sort by instant (ties in recording order), take
 * those at or before t, count the restarts after the last restored heartbeat. Changes are recorded in
 * any order, and versions branch (appending to an older version must not disturb a newer one).
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  emptyHaHistory,
  haAppend,
  haHistorySize,
  haRestartsInRow,
  type HaHistory,
} from '../src/haHistory.js';

interface Change {
  readonly at: number;
  readonly restart: boolean;
}

/** The definition, on a list in recording order. */
const runByDefinition = (changes: readonly Change[], t: number): number => {
  const inBusinessOrder = changes
    .map((c, seq) => ({ ...c, seq }))
    .filter((c) => c.at <= t)
    .toSorted((a, b) => a.at - b.at || a.seq - b.seq);
  let run = 0;
  for (const c of inBusinessOrder) run = c.restart ? run + 1 : 0;
  return run;
};

// Few distinct instants, so that ties and out-of-order recording are common.
const instant = fc.integer({ min: -5, max: 40 });
const step = fc.record({
  /** Which earlier version to append to (index into the versions so far, from the newest). */
  back: fc.nat({ max: 3 }),
  at: instant,
  restart: fc.boolean(),
});

describe('HA history (4.2)', () => {
  it('PROPERTY: restarts in a row at any t equal the definition, for every version', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60, size: 'max' }),
        fc.array(instant, { minLength: 1, maxLength: 8 }),
        (steps, queries) => {
          const versions: { h: HaHistory; changes: Change[] }[] = [{ h: emptyHaHistory(), changes: [] }];
          for (const s of steps) {
            const base = versions[Math.max(0, versions.length - 1 - s.back)] as (typeof versions)[number];
            versions.push({
              h: haAppend(base.h, s.at, s.restart),
              changes: [...base.changes, { at: s.at, restart: s.restart }],
            });
          }
          // Every version, old ones included, still answers for its own changes.
          for (const v of versions) {
            expect(haHistorySize(v.h)).toBe(v.changes.length);
            for (const t of [...queries, Number.POSITIVE_INFINITY])
              expect(haRestartsInRow(v.h, t)).toBe(runByDefinition(v.changes, t));
          }
        },
      ),
      // Each run is a program of up to 60 appends checked at every version: 600 runs are ~3 s.
      { numRuns: 600 },
    );
  });

  it('a heartbeat recorded between two others ends the run of a restart recorded later between them', () => {
    // restored@10, restored@20, then a restart@15 recorded late: at 25 the run is 0 (restored@20
    // ended it). Keeping only the first heartbeat of a run would answer 1 here.
    let h = haAppend(haAppend(emptyHaHistory(), 10, false), 20, false);
    h = haAppend(h, 15, true);
    expect(haRestartsInRow(h, 17)).toBe(1);
    expect(haRestartsInRow(h, 25)).toBe(0);
  });

  it('a restart and a heartbeat at the same instant count in recording order', () => {
    const restartThenRestored = haAppend(haAppend(emptyHaHistory(), 5, true), 5, false);
    const restoredThenRestart = haAppend(haAppend(emptyHaHistory(), 5, false), 5, true);
    expect(haRestartsInRow(restartThenRestored, 5)).toBe(0);
    expect(haRestartsInRow(restoredThenRestart, 5)).toBe(1);
  });
});
