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
  /** Shared buffer of changes in recording order; only the first `length` belong to this version. */
  readonly buffer: Change<V>[];
  readonly length: number;
  /** Whether the first `length` changes are already in business order. */
  readonly inOrder: boolean;
}

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
  const change: Change<V> = { at, seq: tl.length, value };
  // A buffer of exactly one: most timelines (a ticket's service, a contract's SLA) never grow.
  if (tl.length === 0) return { buffer: [change], length: 1, inOrder: true };
  const last = tl.buffer[tl.length - 1];
  const inOrder = tl.inOrder && (last === undefined || !before(change, last));
  // Appending to the newest version pushes in place (or copies while short); appending to an older
  // version copies its prefix, so both versions stay what they were.
  const own = tl.buffer.length === tl.length ? tl.buffer : tl.buffer.slice(0, tl.length);
  return { buffer: appended(own, change), length: tl.length + 1, inOrder };
};

const sortedCache = new WeakMap<Timeline<unknown>, readonly Change<unknown>[]>();

/** Every change of the timeline in business order (ties in recording order). */
export const timelineChanges = <V>(tl: Timeline<V>): readonly Change<V>[] => {
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
  const changes = tl.inOrder ? tl.buffer : timelineChanges(tl);
  const i = lastIndexAtOrBefore(changes, tl.length, t);
  return i < 0 ? undefined : changes[i];
};

/** The value in force at business instant `t`, or undefined before the first change. */
export const timelineAt = <V>(tl: Timeline<V>, t: number): V | undefined => timelineChangeAt(tl, t)?.value;

/** The value in force after every change (the latest in business time), or undefined if none. */
export const timelineLatest = <V>(tl: Timeline<V>): V | undefined => timelineAt(tl, Number.POSITIVE_INFINITY);

/** The value of the earliest change in business time, or undefined if none. */
export const timelineEarliest = <V>(tl: Timeline<V>): V | undefined => timelineChanges(tl)[0]?.value;

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
