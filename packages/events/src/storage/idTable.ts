/**
 * Tables of ids. {@link KeyTable} numbers strings in the order they were added and finds them by
 * their text (the Ledger's work entry and ticket ids: 21 bytes an id at a million ids like `W-123456`,
 * against 64 for a Map entry, the string and a pointer to it in an array). {@link IdTable}, built
 * on it, is the NDJSON reader's memory of
 * event ids (spec §2's id rule): for each id, the line that first used it and the fingerprint of that
 * event. A log of millions of events holds millions of ids, so they are
 * not kept as a Map of strings (a heap object per id, which every garbage collection then has to walk
 * and move): their characters are copied into one growing typed array, and an open-addressing table
 * of typed arrays finds them. Ids are compared character by character, never by hash alone, so two ids
 * are the same exactly when their text is.
 *
 * Layout, per id (a record, numbered in the order ids were added):
 * - its characters in `chars`: one byte each while every id is Latin-1, two from the first id that
 *   is not;
 * - `starts` (where its characters begin) and `lines`: 4 bytes each (Uint32Array) while every value
 *   is an integer from 0 to 2^32 - 1, each column switching to 8 bytes (Float64Array) the first time
 *   a value is not (ids past 2^32 - 1 characters in all, a line past 2^32 - 1, or a line that is
 *   fractional, negative or -0), so that every value is kept exactly;
 * - `fingerprints`: 8 bytes (Float64Array), exact for the 53-bit cyrb53 fingerprints (or any other
 *   number a caller keeps there);
 * - its entry in `slots` (Int32Array, at most half full, so 8 to 16 bytes per id): the record number
 *   + 1 in the low bits, those the table's mask covers, and the id's hash in the others. The low
 *   bits of the hash pick the slot; the high ones reject most other ids met on a probe without
 *   reading their characters. No hash is stored per record: growing the table recomputes each hash
 *   from the stored characters (once per doubling).
 * At a million ids like `e-123456` (and a million lines) that is 33.6 bytes per id, against 46.1 with
 * an Int32 hash per record and Float64 starts and lines.
 */

import { grownTo, releaseColumn } from './release.js';

const EMPTY = 0;

/** The largest value a Uint32Array column holds. */
const UINT32_MAX = 0xffffffff;

/** Whether every character of `s` fits in one byte. */
const isLatin1 = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
};

/** murmur3's finalizer, to spread the bits of `h`. */
const spread = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b | 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35 | 0);
  return h ^ (h >>> 16);
};

/** A 32-bit hash of `s` (FNV-1a over UTF-16 code units, then murmur3's finalizer to spread it). */
export const hashId = (s: string): number => {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return spread(h);
};

/** {@link hashId} of the id whose characters are `chars[start]` to `chars[end - 1]`. */
const hashChars = (chars: Uint8Array | Uint16Array, start: number, end: number): number => {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ (chars[i] as number), 0x01000193);
  return spread(h);
};

/** 4 bytes a value while each is an integer within the table's bound, 8 from then on. */
type Column = Uint32Array | Float64Array;

/** A table's bound on the values its 4-byte columns keep: `narrowMax`, at most 2^32 - 1. */
// Not Math.min: a NaN bound would keep every value in 4 bytes.
const narrowBound = (narrowMax: number): number => (narrowMax < UINT32_MAX ? narrowMax : UINT32_MAX);

/** Whether a column whose values stay at most `max` (≤ 2^32 - 1) keeps `n` exactly as a Uint32. */
const fitsNarrow = (n: number, max: number): boolean => n >>> 0 === n && n <= max && (n !== 0 || 1 / n > 0);

/**
 * Strings numbered in the order they were added (0, 1, 2, …), found by their text: a Map from
 * string to number and back, for millions of short keys such as ids, without a heap object per key.
 * See the module's comment for the layout (`chars`, `starts`, `slots`).
 */
export class KeyTable {
  /**
   * One entry per slot, EMPTY or the record number + 1 (below the mask) joined with the high bits of
   * that key's hash (above it); a power of two long.
   */
  private slots: Int32Array = new Int32Array(1024);
  /** Slots to spread the keys over before the next lookup: the table was loaded and not yet asked. */
  private unspread = 0;
  private count = 0;
  /** Where each key's characters start in `chars`; a key ends where the next one starts. */
  private starts: Column = new Uint32Array(512);
  /**
   * The characters of every key, one after the other: one byte each while every key is Latin-1
   * (ids are nearly always ASCII), two from the first key that is not.
   */
  private chars: Uint8Array | Uint16Array = new Uint8Array(4096);
  private used = 0;
  /** The largest value `starts` keeps as Uint32 before it switches to Float64. */
  private readonly narrowMax: number;

  /**
   * @param narrowMax For tests only: a lower bound than 2^32 - 1 for the values kept in 4 bytes, so
   * that the switch to 8 bytes happens without gigabytes of keys.
   */
  constructor(narrowMax = UINT32_MAX) {
    this.narrowMax = narrowBound(narrowMax);
  }

  /** How many keys it holds. */
  get size(): number {
    return this.count;
  }

  /** The number of `key`, or undefined if it was never added. */
  find(key: string): number | undefined {
    if (this.unspread > 0) this.spread();
    const hash = hashId(key);
    const mask = this.slots.length - 1;
    const high = hash & ~mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === EMPTY) return undefined;
      if ((entry & ~mask) === high && this.sameKey((entry & mask) - 1, key)) return (entry & mask) - 1;
    }
  }

  /**
   * The number of `key` if it was added before; otherwise add it and return the bitwise complement
   * of its new number (`~n`, negative), so one probe serves both.
   */
  findOrAdd(key: string): number {
    if (this.unspread > 0) this.spread();
    const hash = hashId(key);
    const mask = this.slots.length - 1;
    const high = hash & ~mask;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === EMPTY) break;
      if ((entry & ~mask) === high && this.sameKey((entry & mask) - 1, key)) return (entry & mask) - 1;
      slot = (slot + 1) & mask;
    }
    const record = this.append(key);
    // At most slots.length / 2 keys before this one, so its number + 1 fits in the mask.
    this.slots[slot] = high | (record + 1);
    // At most half full, so that probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return ~record;
  }

  /** The key numbered `record`. */
  keyOf(record: number): string {
    const start = this.starts[record] as number;
    const end = this.endOf(record);
    const chars = this.chars;
    if (end - start <= 32) {
      // Short keys (ids) a character at a time: V8 joins strings this short into flat ones, and this
      // is several times faster than String.fromCharCode(...chars).
      let key = '';
      for (let i = start; i < end; i++) key += String.fromCharCode(chars[i] as number);
      return key;
    }
    let key = '';
    // Longer ones in chunks, as arguments of fromCharCode.
    for (let from = start; from < end; from += 4096)
      key += String.fromCharCode.apply(null, Array.from(chars.subarray(from, Math.min(end, from + 4096))));
    return key;
  }

  /** Where the characters of `record` end in `chars`. */
  private endOf(record: number): number {
    return record + 1 < this.count ? (this.starts[record + 1] as number) : this.used;
  }

  private sameKey(record: number, key: string): boolean {
    const start = this.starts[record] as number;
    if (this.endOf(record) - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Store a new key; returns its number. */
  private append(key: string): number {
    const record = this.count;
    if (record === this.starts.length) this.starts = grownTo(this.starts, record * 2);
    const wide = this.chars instanceof Uint8Array && !isLatin1(key);
    if (wide || this.used + key.length > this.chars.length) {
      const size = Math.max(this.chars.length * (wide ? 1 : 2), this.used + key.length);
      const bigger = wide || this.chars instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size);
      bigger.set(this.chars.subarray(0, this.used));
      releaseColumn(this.chars);
      this.chars = bigger;
    }
    for (let i = 0; i < key.length; i++) this.chars[this.used + i] = key.charCodeAt(i);
    if (this.used > this.narrowMax && this.starts instanceof Uint32Array)
      this.starts = new Float64Array(this.starts);
    this.starts[record] = this.used;
    this.used += key.length;
    this.count += 1;
    return record;
  }

  /**
   * The keys' characters, where each starts (views of the first `size` records, not copies) and the
   * slots: what a snapshot of the table writes, and {@link KeyTable.load} takes back. The slots are
   * those of a table that added the same keys in the same order, whatever its history: a table's
   * size follows from its count, and spreading adds the records in order as adding did.
   */
  contents(): {
    readonly chars: Uint8Array | Uint16Array;
    readonly starts: Uint32Array | Float64Array;
    readonly slots: Int32Array;
  } {
    if (this.unspread > 0) this.spread();
    return {
      chars: this.chars.subarray(0, this.used),
      starts: this.starts.subarray(0, this.count),
      slots: this.slots,
    };
  }

  /**
   * Replace an empty table's keys by those of {@link KeyTable.contents} (kept, not copied): the same
   * keys with the same numbers. Without `slots`, or with slots that are not those of these keys (a
   * damaged copy), the slots are rebuilt from the characters at the first lookup.
   */
  load(chars: Uint8Array | Uint16Array, starts: Uint32Array | Float64Array, slots?: Int32Array): void {
    if (this.count !== 0) throw new Error('KeyTable.load: the table is not empty');
    const count = starts.length;
    // Each key starts where the one before it does or later, within the characters.
    for (let k = 0, before = 0; k < count; k++) {
      const start = starts[k] as number;
      if (!(start >= before && start <= chars.length) || (k === 0 && start !== 0))
        throw new RangeError(`KeyTable.load: key ${k} starts at ${start}, outside its characters`);
      before = start;
    }
    this.chars = chars.length > 0 ? chars : this.chars;
    this.used = chars.length;
    this.starts = count > 0 ? starts : this.starts;
    this.count = count;
    if (this.used > this.narrowMax && this.starts instanceof Uint32Array)
      this.starts = new Float64Array(this.starts);
    let size = this.slots.length;
    while (count * 2 > size) size *= 2;
    if (slots !== undefined && slots.length === size && this.holdsEachOnce(slots)) this.slots = slots;
    else this.unspread = size;
  }

  /**
   * Whether `slots` (of the size this table's count gives) hold each record once: as many filled
   * slots as records, each naming a record, and the numbers named adding up, and their squares, as
   * 1 … count do. One sequential pass (marking each record seen costs a cache miss per slot): it
   * catches a truncated, shifted or overwritten copy, which would have to change both sums by the
   * same amounts to pass; as for every other column of a snapshot, a value inside a slot that still
   * names its record is not checked.
   */
  private holdsEachOnce(slots: Int32Array): boolean {
    const mask = slots.length - 1;
    const count = this.count;
    let found = 0;
    let sum = 0;
    let squares = 0;
    for (let slot = 0; slot < slots.length; slot++) {
      const entry = slots[slot] as number;
      if (entry === EMPTY) continue;
      const number = entry & mask;
      if (number < 1 || number > count) return false;
      found += 1;
      sum += number;
      squares = (squares + Math.imul(number, number)) | 0;
    }
    const n = BigInt(count);
    const expectedSquares = Number(BigInt.asIntN(32, (n * (n + 1n) * (2n * n + 1n)) / 6n));
    return found === count && sum === (count * (count + 1)) / 2 && squares === expectedSquares;
  }

  private spread(): void {
    const size = this.unspread;
    this.unspread = 0;
    this.rehash(size);
  }

  /** Spread the records over `size` slots, by their hashes, recomputed from their characters. */
  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let record = 0; record < this.count; record++) {
      const hash = hashChars(this.chars, this.starts[record] as number, this.endOf(record));
      let slot = hash & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = (hash & ~mask) | (record + 1);
    }
    releaseColumn(this.slots);
    this.slots = slots;
  }
}

/** Event ids, each with the line that first used it and that event's fingerprint. */
export class IdTable {
  private readonly ids: KeyTable;
  // One entry per id, by its number in `ids`.
  private lines: Column = new Uint32Array(512);
  private fingerprints: Float64Array = new Float64Array(512);
  /** The largest value `lines` keeps as Uint32 before it switches to Float64. */
  private readonly narrowMax: number;

  /**
   * @param narrowMax For tests only: a lower bound than 2^32 - 1 for the values kept in 4 bytes, so
   * that the switch to 8 bytes happens without gigabytes of ids.
   */
  constructor(narrowMax = UINT32_MAX) {
    this.ids = new KeyTable(narrowMax);
    this.narrowMax = narrowBound(narrowMax);
  }

  /**
   * The record of `id` if it was added before; otherwise add it, first used on `line` by an event
   * with `fingerprint`, and return -1.
   */
  findOrAdd(id: string, line: number, fingerprint: number): number {
    const found = this.ids.findOrAdd(id);
    if (found >= 0) return found;
    const record = ~found;
    if (record === this.fingerprints.length) {
      this.lines = grownTo(this.lines, record * 2);
      this.fingerprints = grownTo(this.fingerprints, record * 2);
    }
    if (!fitsNarrow(line, this.narrowMax) && this.lines instanceof Uint32Array)
      this.lines = new Float64Array(this.lines);
    this.lines[record] = line;
    this.fingerprints[record] = fingerprint;
    return -1;
  }

  /** The line that first used the id of `record`. */
  lineOf(record: number): number {
    return this.lines[record] as number;
  }

  /** The fingerprint of the event on that line (the number `findOrAdd` put there). */
  fingerprintOf(record: number): number {
    return this.fingerprints[record] as number;
  }

  /** How many ids it holds. */
  get size(): number {
    return this.ids.size;
  }

  /** Its ids, lines and fingerprints (views of the first `size` records): what a snapshot writes. */
  contents(): {
    readonly chars: Uint8Array | Uint16Array;
    readonly starts: Uint32Array | Float64Array;
    readonly slots: Int32Array;
    readonly lines: Uint32Array | Float64Array;
    readonly fingerprints: Float64Array;
  } {
    const n = this.ids.size;
    return {
      ...this.ids.contents(),
      lines: this.lines.subarray(0, n),
      fingerprints: this.fingerprints.subarray(0, n),
    };
  }

  /** Replace an empty table's ids by those of {@link IdTable.contents} (kept, not copied). */
  load(c: ReturnType<IdTable['contents']>): void {
    if (c.lines.length !== c.starts.length || c.fingerprints.length !== c.starts.length)
      throw new Error('IdTable.load: columns of different lengths');
    this.ids.load(c.chars, c.starts, c.slots);
    const n = c.starts.length;
    // Room to add more: findOrAdd grows a column when the next record is at its length.
    const room = Math.max(512, n * 2);
    const lines = c.lines instanceof Uint32Array ? new Uint32Array(room) : new Float64Array(room);
    lines.set(c.lines);
    const fingerprints = new Float64Array(room);
    fingerprints.set(c.fingerprints);
    this.lines = lines;
    this.fingerprints = fingerprints;
  }
}
