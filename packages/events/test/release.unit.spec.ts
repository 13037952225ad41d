/**
 * `grownTo` and `releaseColumn` give a grown table's old column back at once: it detaches the column's buffer
 * when the column is the whole of it, and leaves alone a view of part of a buffer or a shared one.
 * (That the memory then goes at the next young-generation GC is measured in docs/benchmarks.md.)
 */
import { describe, expect, it } from 'vitest';
import { KeyTable, grownTo, releaseColumn } from '../src/internal.js';

describe('releaseColumn', () => {
  it('detaches a column that is its whole buffer, leaving a copy made before intact', () => {
    const old = Float64Array.from([1, 2, 3]);
    const bigger = new Float64Array(6);
    bigger.set(old);
    releaseColumn(old);
    expect(old.length).toBe(0);
    expect(old.buffer.byteLength).toBe(0);
    expect(old[0]).toBeUndefined();
    expect([...bigger]).toEqual([1, 2, 3, 0, 0, 0]);
  });

  it('leaves alone a view of part of a buffer, a pooled Buffer, a shared buffer and an empty one', () => {
    const whole = Uint8Array.from([1, 2, 3, 4]);
    const part = whole.subarray(1, 3);
    releaseColumn(part);
    expect([...whole]).toEqual([1, 2, 3, 4]);
    const pooled = Buffer.from('abc');
    const neighbour = Buffer.from('xyz');
    releaseColumn(pooled);
    expect(pooled.toString()).toBe('abc');
    expect(neighbour.toString()).toBe('xyz');
    const shared = new Int32Array(new SharedArrayBuffer(16));
    shared[0] = 7;
    releaseColumn(shared);
    expect(shared[0]).toBe(7);
    const empty = new Uint32Array(0);
    releaseColumn(empty);
    expect(empty.length).toBe(0);
  });

  it('grows a column into one of the same kind, its values then zeros, and releases the old one', () => {
    const old = Uint16Array.from([7, 65_535, 1]);
    const next = grownTo(old, 5);
    expect(next).toBeInstanceOf(Uint16Array);
    expect([...next]).toEqual([7, 65_535, 1, 0, 0]);
    expect(old.length).toBe(0);
    const floats = grownTo(Float64Array.from([0.5, -0]), 3);
    expect(floats).toBeInstanceOf(Float64Array);
    expect(Object.is(floats[1], -0)).toBe(true);
    expect(floats[2]).toBe(0);
  });

  it('leaves a table that grew many times answering from its new columns', () => {
    const table = new KeyTable();
    const keys = Array.from(
      { length: 20_000 },
      (_, n) => `id-${n}-${n === 12_345 ? 'ē' : 'é'.repeat(n % 3)}`,
    );
    for (const k of keys) expect(table.findOrAdd(k)).toBeLessThan(0);
    for (const [n, k] of keys.entries()) {
      expect(table.findOrAdd(k)).toBe(n);
      expect(table.keyOf(n)).toBe(k);
    }
  });
});
