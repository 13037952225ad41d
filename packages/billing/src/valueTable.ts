/**
 * Values by number, so that a column of the Ledger's tables keeps a 4-byte number (Int32Array) where
 * it kept an 8-byte pointer in a JS array: the technician and period of every work entry, the book,
 * requester and VM of every ticket. A column of pointers is a heap object the garbage collector
 * walks, and grows by copying into the large-object space, which only a full GC frees; a typed
 * column is neither, and half the size (docs/benchmarks.md).
 *
 * Number 0 stands for undefined. Equal values share a number while the table has seen fewer than
 * {@link LOOKUP_LIMIT} distinct ones (a few hundred technicians, a few dozen periods, thousands of
 * requesters); past that, a value not seen before is numbered without being remembered for lookup,
 * so that a log of unique values costs a pointer and a number each, not a Map entry too. Numbers are
 * never reused: a value read back by its number is always the value that was numbered.
 *
 * Not a KeyTable (@msp-billing/events), which numbers ids off the heap but makes a key's string
 * again each time it is read: these values are read at every classification and line, so the table
 * hands back the value itself; and a book is an object, not a string.
 */

/** Distinct values remembered for lookup, per table. */
export const LOOKUP_LIMIT = 1 << 16;

export class ValueTable<T> {
  private readonly values: (T | undefined)[] = [undefined];
  private readonly numbers = new Map<T, number>();
  private readonly limit: number;

  /** @param limit For tests only: a lower bound than {@link LOOKUP_LIMIT}. */
  constructor(limit = LOOKUP_LIMIT) {
    this.limit = limit;
  }

  /** The number of `value` (0 for undefined). */
  numberOf(value: T | undefined): number {
    if (value === undefined) return 0;
    const known = this.numbers.get(value);
    if (known !== undefined) return known;
    const n = this.values.length;
    this.values.push(value);
    if (this.numbers.size < this.limit) this.numbers.set(value, n);
    return n;
  }

  /** The value numbered `n` (undefined for 0). */
  valueOf(n: number): T | undefined {
    return this.values[n];
  }

  /** Every value by its number (index 0: undefined), for a snapshot (snapshot.ts). */
  numbered(): readonly (T | undefined)[] {
    return this.values;
  }

  /**
   * Number `values` (from {@link ValueTable.numbered}, index 0 undefined) in an empty table, as the
   * table that numbered them did: the first {@link LOOKUP_LIMIT} are remembered for lookup.
   */
  load(values: readonly (T | undefined)[]): void {
    if (this.values.length !== 1) throw new Error('ValueTable.load: the table is not empty');
    for (let n = 1; n < values.length; n++) {
      const value = values[n] as T;
      this.values.push(value);
      if (this.numbers.size < this.limit) this.numbers.set(value, n);
    }
  }
}
