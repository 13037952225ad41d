/**
 * The HA history of a contract's VM (4.2): restarts and restored heartbeats, each at its business
 * instant, recorded in any order. The one question asked of it is how many restarts are in a row at
 * t: the restarts at or before t since the latest restored heartbeat at or before t.
 *
 * Heartbeats are frequent, so the history is kept in typed arrays (9 bytes a change) rather than as
 * one change object each (~70 bytes). It is still one entry per heartbeat: a heartbeat that follows
 * another, with no restart between, answers nothing today, but a restart recorded later with an
 * instant between the two makes the second one end its run (docs/decisions.md, "HA heartbeats").
 *
 * Versions are immutable values sharing one buffer, as timelines do (timeline.ts): appending to the
 * newest version writes in place, appending to an older one copies its prefix.
 */

/** The shared storage of one chain of versions: instants, kinds, and how many slots are used. */
interface HaBuffer {
  at: Float64Array;
  restart: Uint8Array;
  used: number;
}

/** A version of the HA history. Treat the fields as opaque; use the functions below. */
export interface HaHistory {
  readonly buffer: HaBuffer;
  /** The first `length` changes of the buffer, in recording order, are this version's. */
  readonly length: number;
  /** Whether recording order is business order (each change at or after the one before). */
  readonly inOrder: boolean;
}

const EMPTY: HaHistory = Object.freeze({
  buffer: { at: new Float64Array(0), restart: new Uint8Array(0), used: 0 },
  length: 0,
  inOrder: true,
});

/** The history with nothing recorded (one shared value). */
export const emptyHaHistory = (): HaHistory => EMPTY;

/** Number of restarts and heartbeats recorded. */
export const haHistorySize = (h: HaHistory): number => h.length;

const copyOf = (b: HaBuffer, length: number, capacity: number): HaBuffer => {
  const at = new Float64Array(capacity);
  const restart = new Uint8Array(capacity);
  at.set(b.at.subarray(0, length));
  restart.set(b.restart.subarray(0, length));
  return { at, restart, used: length };
};

/** The history with a restart (`restart` true) or a restored heartbeat recorded after all others. */
export const haAppend = (h: HaHistory, at: number, restart: boolean): HaHistory => {
  let b = h.buffer;
  const n = h.length;
  if (b.used !== n || n === b.at.length) {
    // An older version, or the buffer is full: a buffer of our own, with room to grow.
    b = copyOf(b, n, n < 4 ? 4 : n * 2);
  }
  b.at[n] = at;
  b.restart[n] = restart ? 1 : 0;
  b.used = n + 1;
  // Ties go to the change recorded later, so an equal instant keeps business order.
  const inOrder = h.inOrder && (n === 0 || (b.at[n - 1] as number) <= at);
  return { buffer: b, length: n + 1, inOrder };
};

/** A history's changes in business order (instant, then recording order): its instants and kinds. */
interface Ordered {
  readonly at: Float64Array;
  readonly restart: Uint8Array;
}

/** Out of recording order: sorted once per version, cached (a pure memo keyed by the immutable version). */
const orderCache = new WeakMap<HaHistory, Ordered>();
const inBusinessOrder = (h: HaHistory): Ordered => {
  const { at, restart } = h.buffer;
  if (h.inOrder) return { at, restart };
  let ordered = orderCache.get(h);
  if (ordered === undefined) {
    // Array#toSorted is stable: equal instants stay in recording order.
    const idx = Array.from({ length: h.length }, (_, i) => i).toSorted(
      (a, b) => (at[a] as number) - (at[b] as number),
    );
    ordered = {
      at: Float64Array.from(idx, (i) => at[i] as number),
      restart: Uint8Array.from(idx, (i) => restart[i] as number),
    };
    orderCache.set(h, ordered);
  }
  return ordered;
};

/**
 * HA restarts in a row at business instant t (4.2): restarts at or before t since the latest
 * restored heartbeat at or before t. O(log n + run) when recorded in business order.
 */
export const haRestartsInRow = (h: HaHistory, t: number): number => {
  const { at, restart } = inBusinessOrder(h);
  // The last change at or before t in business order.
  let lo = 0;
  let hi = h.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((at[mid] as number) <= t) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let run = 0;
  for (let k = last; k >= 0 && restart[k] === 1; k--) run += 1;
  return run;
};
