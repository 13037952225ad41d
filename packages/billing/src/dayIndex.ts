/**
 * Which work entries read a fact at which instant, for a fact that holds from an instant on and is
 * shared by many contracts: the rate in force when an entry started (spec §5, rule 17; keyed by rate
 * card). A change of the rate from instant E up to (not including) instant F can change the results
 * only of the entries that started in [E, F); the dependency index asks this index for them, so a
 * rate change costs the entries it affects, not a walk over every contract on the card or over
 * every entry since E.
 *
 * Entries are kept per key in buckets of one UTC day of the instant they read. An entry that reads
 * another instant after a correction is added again; the copy under the old day is a candidate that
 * the caller's range test drops, as it drops the other entries of a bucket at the edges of a range.
 */

const DAY = 86_400_000;

interface Buckets {
  readonly byDay: Map<number, number[]>;
  first: number;
  last: number;
}

/** Work entries by key and the day of the instant they read. */
export class DayIndex {
  private readonly keys = new Map<string, Buckets>();

  /** Record that entry `i` reads the facts of `key` at instant `at`. */
  add(key: string, i: number, at: number): void {
    const day = Math.floor(at / DAY);
    let b = this.keys.get(key);
    if (b === undefined) this.keys.set(key, (b = { byDay: new Map(), first: day, last: day }));
    const bucket = b.byDay.get(day);
    if (bucket === undefined) b.byDay.set(day, [i]);
    else if (bucket[bucket.length - 1] !== i) bucket.push(i);
    if (day < b.first) b.first = day;
    if (day > b.last) b.last = day;
  }

  /**
   * Put what `first` holds before what this index holds, as if `first`'s entries had been added
   * before any of this one's.
   */
  putBefore(first: DayIndex): void {
    for (const [key, f] of first.keys) {
      const b = this.keys.get(key);
      if (b === undefined) {
        this.keys.set(key, f);
        continue;
      }
      for (const [day, bucket] of b.byDay) {
        const before = f.byDay.get(day);
        if (before === undefined) f.byDay.set(day, bucket);
        else for (const i of bucket) if (before[before.length - 1] !== i) before.push(i);
      }
      f.first = Math.min(f.first, b.first);
      f.last = Math.max(f.last, b.last);
      this.keys.set(key, f);
    }
  }

  /**
   * Call `f` with every entry of `key` that may read an instant in [from, to) (`to` may be +∞):
   * every entry that does, possibly some that do not (the caller tests), each possibly more than once.
   */
  forEachBetween(key: string, from: number, to: number, f: (i: number) => void): void {
    const b = this.keys.get(key);
    if (b === undefined || !(from < to)) return;
    const lo = Math.max(b.first, Math.floor(from / DAY));
    const hi = Math.min(b.last, to === Number.POSITIVE_INFINITY ? b.last : Math.floor(to / DAY));
    if (lo > hi) return;
    if (hi - lo + 1 <= b.byDay.size) {
      for (let d = lo; d <= hi; d++) {
        const bucket = b.byDay.get(d);
        if (bucket !== undefined) for (const i of bucket) f(i);
      }
    } else {
      for (const [d, bucket] of b.byDay) if (d >= lo && d <= hi) for (const i of bucket) f(i);
    }
  }
}
