/**
 * The reader's table of event ids (src/idTable.ts) behaves like a Map from id to its first line and
 * fingerprint: checked against a Map on random id sequences with many repeats, through its growth, on
 * ids that differ in one character or only beyond the BMP, and on two ids whose 32-bit hashes collide
 * (so that only the character comparison tells them apart).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable, hashId } from '../src/idTable.js';

const RUNS = 2000;

/** Ids near each other: a small alphabet, so that repeats and one-character differences are common. */
const nearIds = fc.oneof(
  fc.string({ unit: fc.constantFrom('e', '-', '1', '2', 'é', '😀', '\u0000'), maxLength: 6 }),
  fc.nat({ max: 50 }).map((n) => `e-${n}`),
);

describe('IdTable', () => {
  it(`answers like a Map of first lines and fingerprints (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(nearIds, { maxLength: 200, size: 'max' }), (ids) => {
        const table = new IdTable();
        const reference = new Map<string, { line: number; fingerprint: number }>();
        const seen: unknown[] = [];
        const expected: unknown[] = [];
        ids.forEach((id, line) => {
          const fingerprint = line * 1.5;
          const record = table.findOrAdd(id, line, fingerprint);
          seen.push(
            record < 0 ? 'new' : { line: table.lineOf(record), fingerprint: table.fingerprintOf(record) },
          );
          expected.push(reference.get(id) ?? 'new');
          if (!reference.has(id)) reference.set(id, { line, fingerprint });
        });
        expect(seen).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
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
});
