/**
 * The NDJSON reader's memory of event ids (spec §2's id rule): for each id, the line that first used
 * it and the fingerprint of that event. A log of millions of events holds millions of ids, so they are
 * not kept as a Map of strings (a heap object per id, which every garbage collection then has to walk
 * and move): their characters are copied into one growing Uint16Array, and an open-addressing table of
 * typed arrays finds them. Ids are compared character by character, never by hash alone, so two ids
 * are the same exactly when their text is.
 */

const EMPTY = 0;

/** Whether every character of `s` fits in one byte. */
const isLatin1 = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
};

/** A 32-bit hash of `s` (FNV-1a over UTF-16 code units, then murmur3's finalizer to spread it). */
export const hashId = (s: string): number => {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b | 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35 | 0);
  return h ^ (h >>> 16);
};

const grownFloat = (a: Float64Array, size: number): Float64Array => {
  const out = new Float64Array(size);
  out.set(a);
  return out;
};

const grownInt = (a: Int32Array, size: number): Int32Array => {
  const out = new Int32Array(size);
  out.set(a);
  return out;
};

/** Event ids, each with the line that first used it and that event's fingerprint. */
export class IdTable {
  /** Record number + 1 of the id hashed to each slot (EMPTY: none); a power of two long. */
  private slots = new Int32Array(1024);
  private count = 0;
  // One entry per id, in the order they were added.
  private hashes: Int32Array = new Int32Array(512);
  /** Where each id's characters start in `chars`; an id ends where the next one starts. */
  private starts: Float64Array = new Float64Array(512);
  private lines: Float64Array = new Float64Array(512);
  private fingerprints: Float64Array = new Float64Array(512);
  /**
   * The characters of every id, one after the other: one byte each while every id is Latin-1 (ids
   * are nearly always ASCII), two from the first id that is not.
   */
  private chars: Uint8Array | Uint16Array = new Uint8Array(4096);
  private used = 0;

  /**
   * The record of `id` if it was added before; otherwise add it, first used on `line` by an event
   * with `fingerprint`, and return -1.
   */
  findOrAdd(id: string, line: number, fingerprint: number): number {
    const hash = hashId(id);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === EMPTY) break;
      if (this.hashes[entry - 1] === hash && this.sameId(entry - 1, id)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    this.slots[slot] = this.append(id, hash, line, fingerprint) + 1;
    // At most half full, so that probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return -1;
  }

  /** The line that first used the id of `record`. */
  lineOf(record: number): number {
    return this.lines[record] as number;
  }

  /** The fingerprint of the event on that line. */
  fingerprintOf(record: number): number {
    return this.fingerprints[record] as number;
  }

  private sameId(record: number, id: string): boolean {
    const start = this.starts[record] as number;
    const end = record + 1 < this.count ? (this.starts[record + 1] as number) : this.used;
    if (end - start !== id.length) return false;
    for (let i = 0; i < id.length; i++) if (this.chars[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  /** Store a new id and its data; returns its record number. */
  private append(id: string, hash: number, line: number, fingerprint: number): number {
    const record = this.count;
    if (record === this.hashes.length) {
      const size = record * 2;
      this.hashes = grownInt(this.hashes, size);
      this.starts = grownFloat(this.starts, size);
      this.lines = grownFloat(this.lines, size);
      this.fingerprints = grownFloat(this.fingerprints, size);
    }
    const wide = this.chars instanceof Uint8Array && !isLatin1(id);
    if (wide || this.used + id.length > this.chars.length) {
      const size = Math.max(this.chars.length * (wide ? 1 : 2), this.used + id.length);
      const bigger = wide || this.chars instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size);
      bigger.set(this.chars.subarray(0, this.used));
      this.chars = bigger;
    }
    for (let i = 0; i < id.length; i++) this.chars[this.used + i] = id.charCodeAt(i);
    this.hashes[record] = hash;
    this.starts[record] = this.used;
    this.lines[record] = line;
    this.fingerprints[record] = fingerprint;
    this.used += id.length;
    this.count += 1;
    return record;
  }

  /** Spread the records over `size` slots, by their stored hashes. */
  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let record = 0; record < this.count; record++) {
      let slot = (this.hashes[record] as number) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = record + 1;
    }
    this.slots = slots;
  }
}
