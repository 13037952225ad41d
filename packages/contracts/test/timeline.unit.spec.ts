/** Timelines and keyed logs: business-time answers, persistence of old versions, and a property. */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  emptyKeyedLog,
  emptyTimeline,
  keyedEntries,
  keyedFromEntries,
  keyedGet,
  keyedSet,
  keysPresentAt,
  timelineAppend,
  timelineAt,
  timelineChangeAt,
  timelineChanges,
  timelineEarliest,
  timelineLatest,
  timelineNextChangeAfter,
  type Timeline,
} from '../src/internal.js';

const build = (changes: readonly (readonly [number, string])[]): Timeline<string> =>
  changes.reduce((tl, [at, v]) => timelineAppend(tl, at, v), emptyTimeline<string>());

describe('Timeline', () => {
  it('answers the change with the greatest instant ≤ t, ties to the later recorded', () => {
    const tl = build([
      [30, 'c'],
      [10, 'a'],
      [20, 'b1'],
      [20, 'b2'],
    ]);
    expect(timelineAt(tl, 9)).toBeUndefined();
    expect(timelineAt(tl, 10)).toBe('a');
    expect(timelineAt(tl, 25)).toBe('b2');
    expect(timelineAt(tl, 30)).toBe('c');
    expect(timelineLatest(tl)).toBe('c');
    expect(timelineChanges(tl).map((c) => c.value)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('keeps older versions as they were, also when both are appended to', () => {
    const v1 = build([[10, 'a']]);
    const v2 = timelineAppend(v1, 20, 'b');
    const v2other = timelineAppend(v1, 5, 'z');
    expect(timelineAt(v1, 100)).toBe('a');
    expect(timelineAt(v2, 100)).toBe('b');
    expect(timelineAt(v2other, 100)).toBe('a');
    expect(timelineAt(v2other, 6)).toBe('z');
    expect(timelineChanges(v2other).map((c) => c.value)).toEqual(['z', 'a']);
  });

  it('keysPresentAt: keyed memberships at t', () => {
    const tl = [
      [10, { key: 'x', present: true }],
      [15, { key: 'y', present: true }],
      [20, { key: 'x', present: false }],
    ].reduce(
      (acc, [at, v]) => timelineAppend(acc, at as number, v as { key: string; present: boolean }),
      emptyTimeline<{ key: string; present: boolean }>(),
    );
    expect([...keysPresentAt(tl, 16)].toSorted()).toEqual(['x', 'y']);
    expect([...keysPresentAt(tl, 20)]).toEqual(['y']);
  });

  it('PROPERTY: agrees with a naive scan over random changes recorded in any order', () => {
    const change = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 30, size: 'max' }),
        fc.integer({ min: -1, max: 51 }),
        (changes, t) => {
          const tl = build(changes);
          // Naive: among changes at ≤ t, the greatest instant; on ties, the last recorded.
          let best: { at: number; i: number; v: string } | undefined;
          changes.forEach(([at, v], i) => {
            if (at <= t && (best === undefined || at > best.at || (at === best.at && i > best.i)))
              best = { at, i, v };
          });
          expect(timelineAt(tl, t)).toBe(best?.v);
          // Naive: the least instant greater than t among all changes.
          const after = changes.map(([at]) => at).filter((at) => at > t);
          expect(timelineNextChangeAfter(tl, t)).toBe(
            after.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...after),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('PROPERTY: every version answers like the changes recorded up to it, however they were appended', () => {
    const change = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.array(change, { minLength: 1, maxLength: 25, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 25 }),
        (changes, queriedAfter) => {
          // Query some versions while appending (a sorted version is then cached), not others.
          const versions: Timeline<string>[] = [];
          changes.reduce((tl, [at, v], k) => {
            const next = timelineAppend(tl, at, v);
            if (queriedAfter.includes(k)) timelineChanges(next);
            versions.push(next);
            return next;
          }, emptyTimeline<string>());
          versions.forEach((tl, k) => {
            const recorded = changes.slice(0, k + 1).map(([at, v], seq) => ({ at, seq, v }));
            const expected = recorded.toSorted((a, b) => a.at - b.at || a.seq - b.seq).map((c) => c.v);
            expect(timelineChanges(tl).map((c) => c.value)).toEqual(expected);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('KeyedLog', () => {
  it('keeps the latest value per key, and older versions as they were', () => {
    const v1 = keyedSet(emptyKeyedLog<number>(), 'a', 1);
    const v2 = keyedSet(v1, 'a', 2);
    const v2other = keyedSet(v1, 'b', 3);
    expect(keyedGet(v1, 'a')).toBe(1);
    expect(keyedGet(v2, 'a')).toBe(2);
    expect(keyedGet(v2other, 'a')).toBe(1);
    expect(keyedGet(v2other, 'b')).toBe(3);
    expect(keyedGet(v2, 'b')).toBeUndefined();
    expect(keyedEntries(v2other)).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });
  it('forks a long buffer (appended in place) when an older version is written to', () => {
    // Past eight entries a buffer is pushed in place and shared by its versions; writing to a version
    // that is no longer the newest must copy it, or the newer version would see the write.
    let older = emptyKeyedLog<number>();
    for (let i = 0; i < 12; i++) older = keyedSet(older, `k${i}`, i);
    const newer = keyedSet(older, 'k0', 100);
    const sibling = keyedSet(older, 'k1', 200);
    expect(keyedGet(newer, 'k0')).toBe(100);
    expect(keyedGet(newer, 'k1')).toBe(1);
    expect(keyedGet(sibling, 'k0')).toBe(0);
    expect(keyedGet(sibling, 'k1')).toBe(200);
    expect(keyedGet(older, 'k0')).toBe(0);
    expect(keyedGet(older, 'k1')).toBe(1);
    expect(keyedEntries(sibling).length).toBe(12);
  });
  it('keyedFromEntries gives the log that setting each entry in turn gives, then and after more writes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'), fc.integer()),
          {
            maxLength: 40,
          },
        ),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'x', 'y'), fc.integer()), { maxLength: 10 }),
        (entries, more) => {
          const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'x', 'y'];
          const bySet = entries.reduce((log, [k, v]) => keyedSet(log, k, v), emptyKeyedLog<number>());
          const built = keyedFromEntries<number>(entries);
          const answers = (log: typeof bySet) => [keys.map((k) => keyedGet(log, k)), keyedEntries(log)];
          expect(answers(built)).toEqual(answers(bySet));
          const later = (log: typeof bySet) => more.reduce((l, [k, v]) => keyedSet(l, k, v), log);
          expect(answers(later(built))).toEqual(answers(later(bySet)));
          // The built log is not changed by writes to versions made from it.
          expect(answers(built)).toEqual(answers(bySet));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Persistence of versions (shared empty values, lazily built key index)', () => {
  // A random program: each step writes to some earlier version (the newest one usually, an older one
  // sometimes, which forks its buffer). Every version must still answer like a plain copy made at
  // its time: the model keeps one Map or array per version.
  const step = fc.record({
    from: fc.nat(),
    // Mostly the newest version, so that chains grow past eight entries (where buffers are shared
    // and pushed in place) before an older version is written to.
    newest: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'),
    at: fc.integer({ min: 0, max: 20 }),
    value: fc.integer(),
  });

  it('PROPERTY: every KeyedLog version answers like a copy of its own keys', () => {
    fc.assert(
      // fast-check keeps arrays short by default (size 'small'): ask for programs long enough.
      fc.property(fc.array(step, { minLength: 12, maxLength: 60, size: 'max' }), (steps) => {
        const versions = [emptyKeyedLog<number>()];
        const models = [new Map<string, number>()];
        for (const s of steps) {
          const i = s.newest ? versions.length - 1 : s.from % versions.length;
          versions.push(keyedSet(versions[i] as ReturnType<typeof emptyKeyedLog<number>>, s.key, s.value));
          models.push(new Map(models[i]).set(s.key, s.value));
        }
        versions.forEach((v, i) => {
          const model = models[i] as Map<string, number>;
          for (const k of 'abcdefghijkz') expect(keyedGet(v, k)).toBe(model.get(k));
          expect(keyedEntries(v)).toEqual([...model]);
        });
        // The shared empty log is never written to.
        expect(keyedGet(emptyKeyedLog<number>(), 'a')).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('PROPERTY: every Timeline version answers like a copy of its own changes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40, size: 'max' }), (steps) => {
        const versions = [emptyTimeline<number>()];
        const models: (readonly (readonly [number, number])[])[] = [[]];
        for (const s of steps) {
          const i = s.newest ? versions.length - 1 : s.from % versions.length;
          versions.push(timelineAppend(versions[i] as Timeline<number>, s.at, s.value));
          models.push([...(models[i] ?? []), [s.at, s.value]]);
        }
        versions.forEach((v, i) => {
          const model = models[i] ?? [];
          for (let t = -1; t <= 21; t += 2) {
            let best: { at: number; v: number } | undefined;
            for (const [at, value] of model)
              if (at <= t && (best === undefined || at >= best.at)) best = { at, v: value };
            expect(timelineAt(v, t)).toBe(best?.v);
            expect(timelineChangeAt(v, t)?.at).toBe(best?.at);
          }
          // Every change in business order, ties in recording order (a stable sort of the model).
          const ordered = model
            .map(([at, value], seq) => ({ at, seq, value }))
            .toSorted((x, y) => x.at - y.at);
          expect(timelineChanges(v).map((c) => [c.at, c.seq, c.value])).toEqual(
            ordered.map((c) => [c.at, c.seq, c.value]),
          );
          expect(timelineEarliest(v)).toBe(ordered[0]?.value);
          expect(v.length).toBe(model.length);
        });
        expect(timelineLatest(emptyTimeline<number>())).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
