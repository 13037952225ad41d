/**
 * A business-time timeline: changes of a value, each taking effect at its `occurredAt` (spec §3).
 * Changes may be recorded out of order; the value at t is that of the change with the greatest
 * instant ≤ t, ties going to the later recorded. Appends are O(1); the order is restored lazily on
 * the first query after an out-of-order append.
 */

interface Change<V> {
  readonly at: number;
  readonly seq: number;
  readonly value: V;
}

/** A value that changes over business time. */
export class Timeline<V> {
  private changes: Change<V>[] = [];
  private sorted = true;

  /** Record a change at business time `at`, recorded as number `seq` (recording order). */
  set(at: number, seq: number, value: V): void {
    const last = this.changes[this.changes.length - 1];
    if (last !== undefined && (last.at > at || (last.at === at && last.seq > seq))) this.sorted = false;
    this.changes.push({ at, seq, value });
  }

  /** The value in force at `t`, or undefined before the first change. */
  at(t: number): V | undefined {
    if (!this.sorted) {
      this.changes.sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.sorted = true;
    }
    const cs = this.changes;
    let lo = 0;
    let hi = cs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((cs[mid] as Change<V>).at <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : (cs[found] as Change<V>).value;
  }

  /** Whether no change was recorded. */
  get isEmpty(): boolean {
    return this.changes.length === 0;
  }

  /** Every change, in business-time order. */
  entries(): ReadonlyArray<{ at: number; value: V }> {
    this.at(Number.NEGATIVE_INFINITY);
    return this.changes;
  }
}
