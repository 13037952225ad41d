/**
 * A business-time timeline (spec §3): the changes of one value, each taking effect at its business
 * instant. Facts may be recorded out of order (a NAS share attached with an earlier `occurredAt`
 * recorded after work that depends on it), so the value at t is that of the change with the
 * greatest instant ≤ t, ties going to the change recorded later.
 *
 * Timelines are immutable values, yet appending is amortised O(1): versions share one buffer and
 * each knows its own length, so appending to the newest version pushes in place and an older
 * version keeps seeing only its prefix (appending to an older version copies). Queries binary-search
 * when changes were recorded in business order, which is the common case; otherwise the order is
 * restored once per version, lazily, and cached.
 */

import { appended } from './smallArray.js';

/** One change: the value from business instant `at`, recorded as change number `seq`. */
export interface Change<V> {
  readonly at: number;
  readonly seq: number;
  readonly value: V;
}

/** A value that changes over business time. Treat the fields as opaque; use the functions below. */
export interface Timeline<V> {
  /**
   * Shared buffer of changes in recording order; only the first `length` belong to this version.
   * Undefined for a timeline of exactly one change, which is then the timeline object itself
   * ({@link Single}).
   */
  readonly buffer: Change<V>[] | undefined;
  readonly length: number;
  /** Whether the first `length` changes are already in business order. */
  readonly inOrder: boolean;
}

/**
 * A timeline of one change, which carries that change's fields itself: most timelines never grow
 * (an order's decision, an update's schedule and its outcome, a contract's SLA), and one object of six
 * fields costs ~90 B where a timeline, an array and a change cost ~170 B (~7 MB at 1M events,
 * docs/benchmarks.md). It is its own (only) change.
 */
interface Single<V> extends Timeline<V>, Change<V> {
  readonly buffer: undefined;
  readonly length: 1;
  readonly inOrder: true;
}

const single = <V>(at: number, value: V): Single<V> => ({
  buffer: undefined,
  length: 1,
  inOrder: true,
  at,
  seq: 0,
  value,
});

const EMPTY: Timeline<never> = Object.freeze({
  buffer: Object.freeze([]) as never[],
  length: 0,
  inOrder: true,
});

/** A timeline with no change (one shared value: appending to it always starts a new buffer). */
export const emptyTimeline = <V>(): Timeline<V> => EMPTY;

const before = <V>(a: Change<V>, b: Change<V>): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** The timeline with one more change, recorded after all others, taking effect at `at`. */
export const timelineAppend = <V>(tl: Timeline<V>, at: number, value: V): Timeline<V> => {
  if (tl.length === 0) return single(at, value);
  const change: Change<V> = { at, seq: tl.length, value };
  if (tl.buffer === undefined) {
    // From one change to two: a buffer of its own, with the first change as a change object.
    const first: Change<V> = { at: (tl as Single<V>).at, seq: 0, value: (tl as Single<V>).value };
    return { buffer: [first, change], length: 2, inOrder: !before(change, first) };
  }
  const last = tl.buffer[tl.length - 1];
  const inOrder = tl.inOrder && (last === undefined || !before(change, last));
  // Appending to the newest version pushes in place (or copies while short); appending to an older
  // version copies its prefix, so both versions stay what they were.
  const own = tl.buffer.length === tl.length ? tl.buffer : tl.buffer.slice(0, tl.length);
  const next: Timeline<V> = { buffer: appended(own, change), length: tl.length + 1, inOrder };
  if (!inOrder) {
    // Out of business order: the new version's sorted changes are the old version's with this one
    // inserted (after every change at or before `at`), a copy rather than a sort of the whole. The
    // old version gives its sorted copy up (it sorts again if it is ever asked), so a long run of
    // appends keeps one sorted copy, not one per version.
    const known = tl.inOrder ? tl.buffer.slice(0, tl.length) : sortedCache.get(tl)?.slice();
    if (known !== undefined) {
      sortedCache.delete(tl);
      known.splice(lastIndexAtOrBefore(known, known.length, at) + 1, 0, change);
      sortedCache.set(next, known);
    }
  }
  return next;
};

// A pure memo keyed by an immutable timeline: a hit is what sorting it again would give (an array
// handed on to the next version above is first removed from the old one).
const sortedCache = new WeakMap<Timeline<unknown>, readonly Change<unknown>[]>();

/** Every change of the timeline in business order (ties in recording order). */
export const timelineChanges = <V>(tl: Timeline<V>): readonly Change<V>[] => {
  if (tl.buffer === undefined) return [tl as Single<V>];
  if (tl.inOrder && tl.length === tl.buffer.length) return tl.buffer;
  const hit = sortedCache.get(tl) as readonly Change<V>[] | undefined;
  if (hit !== undefined) return hit;
  // Array#sort is stable, so equal instants stay in recording order.
  const sorted = tl.buffer.slice(0, tl.length);
  if (!tl.inOrder) sorted.sort((a, b) => a.at - b.at);
  sortedCache.set(tl, sorted);
  return sorted;
};

/** Index of the last change with `at` ≤ t in business order, or -1. */
const lastIndexAtOrBefore = <V>(changes: readonly Change<V>[], length: number, t: number): number => {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((changes[mid] as Change<V>).at <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
};

/** The change in force at business instant `t`, or undefined before the first change. */
export const timelineChangeAt = <V>(tl: Timeline<V>, t: number): Change<V> | undefined => {
  if (tl.buffer === undefined) return (tl as Single<V>).at <= t ? (tl as Single<V>) : undefined;
  const changes = tl.inOrder ? tl.buffer : timelineChanges(tl);
  const i = lastIndexAtOrBefore(changes, tl.length, t);
  return i < 0 ? undefined : changes[i];
};

/** The first instant after `t` at which a change takes effect, or +∞ when none does. */
export const timelineNextChangeAfter = <V>(tl: Timeline<V>, t: number): number => {
  if (tl.buffer === undefined)
    return (tl as Single<V>).at > t ? (tl as Single<V>).at : Number.POSITIVE_INFINITY;
  const changes = tl.inOrder ? tl.buffer : timelineChanges(tl);
  const next = changes[lastIndexAtOrBefore(changes, tl.length, t) + 1];
  return next === undefined ? Number.POSITIVE_INFINITY : next.at;
};

/** The value in force at business instant `t`, or undefined before the first change. */
export const timelineAt = <V>(tl: Timeline<V>, t: number): V | undefined => timelineChangeAt(tl, t)?.value;

/** The value in force after every change (the latest in business time), or undefined if none. */
export const timelineLatest = <V>(tl: Timeline<V>): V | undefined => timelineAt(tl, Number.POSITIVE_INFINITY);

/** The value of the earliest change in business time, or undefined if none. */
export const timelineEarliest = <V>(tl: Timeline<V>): V | undefined =>
  tl.buffer === undefined ? (tl as Single<V>).value : timelineChanges(tl)[0]?.value;

/** Whether the timeline has no change. */
export const isTimelineEmpty = <V>(tl: Timeline<V>): boolean => tl.length === 0;

/**
 * For timelines of keyed changes (one share among several, one requester among several): the keys
 * whose latest change at or before `t` says `present`.
 */
export const keysPresentAt = <V extends { readonly key: string; readonly present: boolean }>(
  tl: Timeline<V>,
  t: number,
): Set<string> => {
  const state = new Map<string, boolean>();
  for (const c of timelineChanges(tl)) {
    if (c.at > t) break;
    state.set(c.value.key, c.value.present);
  }
  const out = new Set<string>();
  for (const [k, present] of state) if (present) out.add(k);
  return out;
};
