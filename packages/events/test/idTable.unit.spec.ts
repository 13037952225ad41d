/**
 * The reader's table of event ids (src/storage/idTable.ts) behaves like a Map from id to its first line and
 * fingerprint: checked against a Map on random id sequences with many repeats, through its growth, on
 * ids that differ in one character or only beyond the BMP, and on ids whose 32-bit hashes collide (so
 * that only the character comparison tells them apart), one of them a prefix of the other too. Its
 * 4-byte columns (where ids start, first lines) switch to 8 bytes when a value no longer fits: lines
 * do so for real values (past 2^32 - 1, fractional, negative, -0, NaN); where ids start, which would
 * take 4 GiB of ids, through the constructor's test-only bound on the 4-byte values. Growth recomputes
 * hashes from the stored characters, so it is checked with ids of one and two bytes a character and
 * with colliding hashes.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable, KeyTable, hashId } from '../src/storage/idTable.js';

const RUNS = 2000;
const GROWTH_RUNS = 100;

/** Ids near each other: a small alphabet, so that repeats and one-character differences are common. */
const nearIds = fc.oneof(
  fc.string({ unit: fc.constantFrom('e', '-', '1', '2', 'é', '😀', '\u0000'), maxLength: 6 }),
  fc.nat({ max: 50 }).map((n) => `e-${n}`),
);

/** Many ids, with repeats, of one byte a character or not (so that growth hashes both kinds). */
const manyIds = fc
  .tuple(fc.nat({ max: 2500 }), fc.constantFrom('e-', 'é-', 'ā-', '😀-', ''))
  .map(([n, prefix]) => `${prefix}${n}`);

/** Lines a 4-byte column keeps, and ones it does not. */
const lineValue = fc.oneof(
  fc.nat(),
  fc.constantFrom(0xffffffff, 2 ** 32, 2 ** 53 - 1, 0, -0, 1.5, -1, Number.NaN),
  fc.double(),
);

type Answer = 'new' | { readonly line: number; readonly fingerprint: number };

/**
 * The first of `events` (id, line, fingerprint) on which `table` and a Map of first lines and
 * fingerprints answer differently (-0 and 0 differ, NaN equals NaN), described; undefined if none.
 * A short string rather than two long arrays to diff, so that each failing try stays cheap when
 * fast-check shrinks.
 */
const firstDisagreement = (
  table: IdTable,
  events: readonly (readonly [id: string, line: number, fingerprint: number])[],
): string | undefined => {
  const reference = new Map<string, Answer>();
  for (const [n, [id, line, fingerprint]] of events.entries()) {
    const record = table.findOrAdd(id, line, fingerprint);
    const seen: Answer =
      record < 0 ? 'new' : { line: table.lineOf(record), fingerprint: table.fingerprintOf(record) };
    const expected = reference.get(id) ?? 'new';
    const same =
      seen === 'new' || expected === 'new'
        ? seen === expected
        : Object.is(seen.line, expected.line) && Object.is(seen.fingerprint, expected.fingerprint);
    if (!same) return `event ${n}, ${JSON.stringify(id)}: ${JSON.stringify({ seen, expected })}`;
    if (expected === 'new') reference.set(id, { line, fingerprint });
  }
  return undefined;
};

/**
 * A private column of `table` (`starts` and `chars` are its KeyTable's), read by name only to check
 * which kind of array it has become.
 */
const column = (table: IdTable, name: 'starts' | 'lines' | 'chars'): unknown =>
  Reflect.get(name === 'lines' ? table : (Reflect.get(table, 'ids') as object), name);

describe('IdTable', () => {
  it(`answers like a Map of first lines and fingerprints (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(nearIds, { maxLength: 200, size: 'max' }), (ids) => {
        const events = ids.map((id, line) => [id, line, line * 1.5] as const);
        expect(firstDisagreement(new IdTable(), events)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it(`answers like a Map through growth, as its 4-byte columns switch to 8 (${GROWTH_RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat({ max: 4000 }), fc.constant(0xffffffff)),
        fc.array(fc.tuple(manyIds, fc.oneof(fc.nat({ max: 100_000 }), lineValue), fc.double()), {
          minLength: 600,
          maxLength: 2000,
          size: 'max',
        }),
        (narrowMax, events) => {
          expect(firstDisagreement(new IdTable(narrowMax), events)).toBeUndefined();
        },
      ),
      // A failure here shrinks sequences of hundreds of events: stop shrinking after a while.
      { numRuns: GROWTH_RUNS, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true },
    );
  });

  it('keeps every line exactly once they stop fitting in 4 bytes, and the lines before', () => {
    const odd = [0xffffffff, 2 ** 32, 2 ** 53 - 1, 1.5, -1, -0, Number.NaN, Infinity];
    for (const line of odd) {
      // Counting from near the limit: the lines before and after the switch are kept too.
      const lines = [0xfffffff0, 0xfffffffe, line, 0, 0xffffffff, 2 ** 40 + 1];
      const table = new IdTable();
      lines.forEach((l, i) => expect(table.findOrAdd(`e-${i}`, l, i)).toBe(-1));
      const kept = lines.map((_, i) => table.lineOf(table.findOrAdd(`e-${i}`, 1, 1)));
      expect(kept).toEqual(lines);
    }
    const narrow = new IdTable();
    narrow.findOrAdd('e-1', 0xffffffff, 0);
    expect(column(narrow, 'lines')).toBeInstanceOf(Uint32Array);
    narrow.findOrAdd('e-2', 2 ** 32, 0);
    expect(column(narrow, 'lines')).toBeInstanceOf(Float64Array);
  });

  it('switches where ids start to 8 bytes, then takes ids of two bytes a character, and grows', () => {
    const table = new IdTable(100);
    const ids = [
      ...Array.from({ length: 40 }, (_, n) => `e-${n}`),
      'ā-1',
      '😀',
      ...Array.from({ length: 3000 }, (_, n) => (n % 3 === 0 ? `x-${n}` : `ā😀-${n}`)),
    ];
    const add = (from: number, to: number): number[] =>
      ids.slice(from, to).map((id, k) => table.findOrAdd(id, from + k + 1, 2 ** 52 + from + k));
    const added = add(0, 40);
    // Past 100 characters, before the first id of two bytes a character.
    expect(column(table, 'starts')).toBeInstanceOf(Float64Array);
    expect(column(table, 'chars')).toBeInstanceOf(Uint8Array);
    added.push(...add(40, ids.length));
    expect(added.every((record) => record === -1)).toBe(true);
    expect(column(table, 'starts')).toBeInstanceOf(Float64Array);
    expect(column(table, 'chars')).toBeInstanceOf(Uint16Array);
    const wrong = ids.filter((id, n) => {
      const record = table.findOrAdd(id, 0, 0);
      return record < 0 || table.lineOf(record) !== n + 1 || table.fingerprintOf(record) !== 2 ** 52 + n;
    });
    expect(wrong).toEqual([]);
    expect(table.findOrAdd('ā-2', 0, 0)).toBe(-1);
  });

  it('keeps every id through its growth (100 000 ids, long ones too)', () => {
    const table = new IdTable();
    const id = (n: number): string => (n % 1000 === 0 ? `long-${'x'.repeat(190)}-${n}` : `e-${n}`);
    for (let n = 0; n < 100_000; n++) expect(table.findOrAdd(id(n), n + 1, n * 3)).toBe(-1);
    const wrong: number[] = [];
    for (let n = 0; n < 100_000; n += 7) {
      const record = table.findOrAdd(id(n), 0, 0);
      if (record < 0 || table.lineOf(record) !== n + 1 || table.fingerprintOf(record) !== n * 3)
        wrong.push(n);
    }
    expect(wrong).toEqual([]);
  });

  /** Two different ids with the same hash, of equal lengths or not. */
  const collision = (sameLength: boolean): [string, string] => {
    const byHash = new Map<number, string>();
    for (let n = 0; ; n++) {
      const id = `${'x'.repeat(n % 3)}id-${n}`;
      const other = byHash.get(hashId(id));
      if (other !== undefined && (other.length === id.length) === sameLength) return [other, id];
      byHash.set(hashId(id), id);
    }
  };

  it('tells apart two ids whose hashes are equal, by their characters and their lengths', () => {
    for (const sameLength of [true, false]) {
      const [a, b] = collision(sameLength);
      expect([a !== b, hashId(a) === hashId(b), a.length === b.length]).toEqual([true, true, sameLength]);
      const table = new IdTable();
      expect(table.findOrAdd(a, 1, 10)).toBe(-1);
      expect(table.findOrAdd(b, 2, 20)).toBe(-1);
      expect(table.lineOf(table.findOrAdd(a, 3, 0))).toBe(1);
      expect(table.lineOf(table.findOrAdd(b, 4, 0))).toBe(2);
    }
  });

  it('tells apart an id from a longer one that starts with it and has the same hash', () => {
    // Found by brute force over six-character tails: only the lengths tell these apart.
    const [short, long, longer] = ['e-1', 'e-1aEWtY2', 'e-1fDEQOg'];
    expect([hashId(long), hashId(longer)]).toEqual([hashId(short), hashId(short)]);
    for (const ids of [
      [short, long, longer],
      [long, short, longer],
      [longer, long, short],
    ]) {
      const table = new IdTable();
      ids.forEach((id, n) => expect(table.findOrAdd(id, n + 1, 0)).toBe(-1));
      for (let n = 0; n < 1000; n++) table.findOrAdd(`f-${n}`, 0, 0);
      expect(ids.map((id) => table.lineOf(table.findOrAdd(id, 0, 0)))).toEqual([1, 2, 3]);
    }
  });

  it('tells apart ids whose hashes are equal after growing, which recomputes the hashes', () => {
    const pairs = [collision(true), collision(false)];
    const table = new IdTable();
    pairs.flat().forEach((id, n) => expect(table.findOrAdd(id, n + 1, n)).toBe(-1));
    // Past several growths (at 513, 1025, 2049 ... ids), with ids of two bytes a character among them.
    for (let n = 0; n < 10_000; n++) table.findOrAdd(n % 5 === 0 ? `ī-${n}` : `e-${n}`, 100 + n, n);
    expect(pairs.flat().map((id) => table.lineOf(table.findOrAdd(id, 0, 0)))).toEqual([1, 2, 3, 4]);
    const wrong: number[] = [];
    for (let n = 0; n < 10_000; n++) {
      const record = table.findOrAdd(n % 5 === 0 ? `ī-${n}` : `e-${n}`, 0, 0);
      if (record < 0 || table.lineOf(record) !== 100 + n) wrong.push(n);
    }
    expect(wrong).toEqual([]);
  });
});

describe('KeyTable', () => {
  it(`numbers keys in the order they were added and gives them back, like a Map (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(nearIds, manyIds), { maxLength: 300 }), (keys) => {
        const table = new KeyTable();
        const reference = new Map<string, number>();
        for (const key of keys) {
          const expected = reference.get(key);
          expect(table.find(key)).toBe(expected);
          // Found: its number; added: the complement of the next number.
          expect(table.findOrAdd(key)).toBe(expected ?? ~reference.size);
          if (expected === undefined) reference.set(key, reference.size);
        }
        expect(table.size).toBe(reference.size);
        for (const [key, n] of reference) expect(table.keyOf(n)).toBe(key);
      }),
      { numRuns: RUNS },
    );
  });

  it(`loaded from its contents: the same numbers found, and added next (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(nearIds, manyIds), { maxLength: 1200 }),
        fc.array(fc.oneof(nearIds, manyIds), { maxLength: 20 }),
        (keys, more) => {
          const table = new KeyTable();
          for (const key of keys) table.findOrAdd(key);
          const c = table.contents();
          const loaded = new KeyTable();
          loaded.load(c.chars.slice(), c.starts.slice());
          expect(loaded.size).toBe(keys.length);
          keys.forEach((key, n) => expect(loaded.keyOf(n)).toBe(key));
          // The first lookup spreads the keys over the slots: every key found, the others added.
          keys.forEach((key, n) => expect(loaded.find(key)).toBe(n));
          for (const key of more) expect(loaded.findOrAdd(key)).toBe(table.findOrAdd(key));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`loaded with its slots, or spread again: the slots of the table that added the keys (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(nearIds, manyIds), { minLength: 1, maxLength: 1200 }),
        fc.array(fc.oneof(nearIds, manyIds), { maxLength: 20 }),
        fc.nat(),
        (keys, more, where) => {
          const table = new KeyTable();
          for (const key of keys) table.findOrAdd(key);
          const c = table.contents();
          // Spread at the first lookup, from the characters alone: the same slots, entry for entry.
          const spread = new KeyTable();
          spread.load(c.chars.slice(), c.starts.slice());
          expect(spread.contents().slots).toEqual(c.slots);
          // Loaded with them: used as they are, and every key found through them.
          const loaded = new KeyTable();
          loaded.load(c.chars.slice(), c.starts.slice(), c.slots.slice());
          expect(loaded.contents().slots).toEqual(c.slots);
          keys.forEach((key, n) => expect(loaded.find(key)).toBe(n));
          // Slots that lose a record, or hold one twice, are not used: rebuilt, every key still found.
          const full = [...c.slots.keys()].filter((slot) => c.slots[slot] !== 0);
          const at = full[where % full.length] as number;
          const lost = c.slots.slice();
          lost[at] = 0;
          const twice = c.slots.slice();
          twice[(at + 1) % twice.length] = c.slots[at] as number;
          for (const damaged of [lost, twice]) {
            const rebuilt = new KeyTable();
            rebuilt.load(c.chars.slice(), c.starts.slice(), damaged);
            keys.forEach((key, n) => expect(rebuilt.find(key)).toBe(n));
            expect(rebuilt.contents().slots).toEqual(c.slots);
          }
          for (const key of more) expect(loaded.findOrAdd(key)).toBe(table.findOrAdd(key));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives back keys longer than one call of String.fromCharCode takes, of one and two bytes a character', () => {
    const table = new KeyTable();
    const keys = ['x'.repeat(10_000), 'ā'.repeat(9_000) + '😀', ''];
    keys.forEach((key, n) => expect(table.findOrAdd(key)).toBe(~n));
    expect(keys.map((_, n) => table.keyOf(n))).toEqual(keys);
    expect(keys.map((key) => table.find(key))).toEqual([0, 1, 2]);
  });
});
